using AkkaDns.Actors.Serialization;
using AkkaDns.Resolver.Records;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// A persisted change of one zone. Each event bumps the zone's version by exactly one and carries the SOA serial
/// it gives the zone, so applying the same events in order always rebuilds the same content (on recovery and in
/// every datacenter).
/// </summary>
public interface IZoneEvent : IWithZoneId, IAkkaDnsMessage
{
    long Version { get; }
    DateTimeOffset At { get; }
    string Who { get; }
    uint Serial { get; }
}

public enum ZoneChangeKind : byte { Created = 1, Replaced = 2, RRsetsChanged = 3, Deleted = 4, RolledBack = 5, Held = 6, Rejected = 7, Confirmed = 8, Dnssec = 9 }

internal static class ZoneEvents
{
    /// <summary>The zone came into being with these records (SOA first, serial already set). It starts a history:
    /// <see cref="Lineage"/> names it (<see cref="ZoneLineage"/>; <see cref="ZoneLineage.Legacy"/> for events written
    /// before lineages existed).</summary>
    public sealed record ZoneCreated(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial,
        IReadOnlyList<ResourceRecord> Records) : IZoneEvent
    {
        public string Lineage { get; init; } = ZoneLineage.Legacy;
    }

    /// <summary>The whole content was replaced by these records (SOA first, serial already set).</summary>
    public sealed record ZoneReplaced(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial,
        IReadOnlyList<ResourceRecord> Records) : IZoneEvent;

    /// <summary>These RRset replacements and deletions happened together; then the SOA serial became <see cref="Serial"/>.</summary>
    public sealed record RRsetsChanged(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial,
        IReadOnlyList<RRsetChange> Changes) : IZoneEvent;

    /// <summary>The zone stopped existing. <see cref="Serial"/> is the last serial it had (kept so a re-created
    /// zone continues from it).</summary>
    public sealed record ZoneDeleted(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial) : IZoneEvent;

    public static ZoneChangeKind KindOf(IZoneEvent e) => e switch
    {
        ZoneCreated => ZoneChangeKind.Created,
        ZoneReplaced => ZoneChangeKind.Replaced,
        RRsetsChanged => ZoneChangeKind.RRsetsChanged,
        ZoneDeleted => ZoneChangeKind.Deleted,
        DnssecChanged => ZoneChangeKind.Dnssec,
        _ => ZoneSafeguards.KindOf(e),
    };

    /// <summary>One line for the history: what changed, without record data.</summary>
    public static string Summarize(IZoneEvent e) => e switch
    {
        ZoneCreated c => $"created with {c.Records.Count} records",
        ZoneReplaced r => $"replaced: {r.Records.Count} records",
        RRsetsChanged ch => string.Join("; ", ch.Changes.Select(x => x.ToString())),
        ZoneDeleted => "deleted",
        DnssecChanged d => d.What,
        _ => ZoneSafeguards.Summarize(e),
    };
}
