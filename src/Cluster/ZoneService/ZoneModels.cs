using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.ZoneService;

// A zone at one version (ZoneView) and one RRset change (RRsetChange) are the actor layer's own messages
// (src/Actors/Zones): the API and the zone actors speak the same types.

/// <summary>One line of the zone list.</summary>
internal sealed record ZoneSummary(DnsName Name, long Version, uint Serial, int RecordCount);

/// <summary>One persisted change of a zone.</summary>
internal sealed record ZoneHistoryEntry(long Version, uint Serial, DateTimeOffset At, string Change, string Detail, string Who);

/// <summary>A zone to create: either master-file text, or name servers plus optional records.</summary>
internal sealed record NewZone(DnsName Name, IReadOnlyList<DnsName> Nameservers, IReadOnlyList<ResourceRecord> Records, string? MasterFile = null);

