using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.ZoneService;

/// <summary>One line of the zone list.</summary>
public sealed record ZoneSummary(DnsName Name, long Version, uint Serial, int RecordCount);

/// <summary>A zone at one version: its records (SOA first) in wire form.</summary>
public sealed record ZoneView(DnsName Name, long Version, uint Serial, IReadOnlyList<ResourceRecord> Records);

/// <summary>One persisted change of a zone.</summary>
public sealed record ZoneHistoryEntry(long Version, uint Serial, DateTimeOffset At, string Change, string Detail, string Who);

/// <summary>A zone to create: either master-file text, or name servers plus optional records.</summary>
public sealed record NewZone(DnsName Name, IReadOnlyList<DnsName> Nameservers, IReadOnlyList<ResourceRecord> Records, string? MasterFile = null);

public enum RRsetChangeKind { Replace, Delete }

/// <summary>Replace the RRset (owner, type) with <see cref="Records"/>, or delete it (Records empty).</summary>
public sealed record RRsetChange(DnsName Owner, RecordType Type, RRsetChangeKind Kind, IReadOnlyList<ResourceRecord> Records);
