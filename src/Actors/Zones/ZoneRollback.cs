using AkkaDns.Resolver.Records;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// Point-in-time restore of one zone. A rollback never rewrites the journal: the content the zone had at
/// <see cref="RollbackZone.ToVersion"/> (computed by <see cref="ZoneHistoryReplay"/> from the journal) is written as a
/// NEW event, so history keeps everything and a rollback can itself be rolled back.
/// </summary>
public static class ZoneRollback
{
    /// <summary>
    /// Makes <see cref="Records"/> (the zone as of <see cref="ToVersion"/>) the zone's content again, as one new
    /// version. The SOA serial still moves forward (RFC 1982), so secondaries and caches see the change.
    /// <see cref="Reason"/> says what was asked ("to version 3", "to 2026-11-27T07:29:00Z"), for the history.
    /// </summary>
    public sealed record RollbackZone(ZoneId ZoneId, long ToVersion, string Reason, IReadOnlyList<ResourceRecord> Records, string Who) : IZoneCommand;

    /// <summary>The zone's content became <see cref="Records"/> again: the content it had at version
    /// <see cref="ToVersion"/> (SOA first, serial already moved forward to <see cref="Serial"/>).</summary>
    public sealed record ZoneRolledBack(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial,
        long ToVersion, string Reason, IReadOnlyList<ResourceRecord> Records) : IZoneEvent;
}
