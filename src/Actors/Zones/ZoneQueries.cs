using AkkaDns.Actors.Serialization;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Zones;

namespace AkkaDns.Actors.Zones;

/// <summary>Read-only requests to a zone actor. They never change state and never start a write.</summary>
public static class ZoneQueries
{
    /// <summary>Replies <see cref="ZoneView"/> or <see cref="ZoneNotFound"/>.</summary>
    public sealed record GetZone(ZoneId ZoneId) : IWithZoneId, IAkkaDnsMessage;

    /// <summary>Replies <see cref="ZoneHistory"/> (empty for a zone that never existed).</summary>
    public sealed record GetHistory(ZoneId ZoneId) : IWithZoneId, IAkkaDnsMessage;

    /// <summary>Replies <see cref="ZoneChanges"/> (the events after <see cref="FromVersion"/>, possibly none)
    /// or <see cref="SnapshotNeeded"/> when those events are no longer held in memory (then ask <see cref="GetZone"/>).</summary>
    public sealed record GetChangesSince(ZoneId ZoneId, long FromVersion) : IWithZoneId, IAkkaDnsMessage;
}

/// <summary>A zone at one version: its records, SOA first.</summary>
public sealed record ZoneView(ZoneId ZoneId, long Version, uint Serial, IReadOnlyList<ResourceRecord> Records) : IAkkaDnsMessage
{
    public Zone ToZone() => new(ZoneId.Name, Records);
}

/// <summary>No such zone. <see cref="Version"/> is 0 when it never existed, else the version that deleted it.</summary>
public sealed record ZoneNotFound(ZoneId ZoneId, long Version) : IAkkaDnsMessage;

/// <summary>One persisted change, newest last in <see cref="ZoneHistory"/>.</summary>
public sealed record ZoneHistoryEntry(long Version, DateTimeOffset At, ZoneChangeKind Kind, string Summary, string Who, uint Serial);

public sealed record ZoneHistory(ZoneId ZoneId, IReadOnlyList<ZoneHistoryEntry> Entries) : IAkkaDnsMessage;

/// <summary>The events turning version <see cref="FromVersion"/> into <see cref="ToVersion"/>, in order.</summary>
public sealed record ZoneChanges(ZoneId ZoneId, long FromVersion, long ToVersion, IReadOnlyList<IZoneEvent> Events) : IAkkaDnsMessage;

/// <summary>The asked range is not held any more: fetch the whole zone (<see cref="ZoneQueries.GetZone"/>).</summary>
public sealed record SnapshotNeeded(ZoneId ZoneId, long CurrentVersion) : IAkkaDnsMessage;

/// <summary>
/// Published on the zone-changes topic after each persisted event: apply <see cref="Event"/> on top of
/// <see cref="FromVersion"/> to obtain <see cref="ToVersion"/>. Created and Replaced events carry the full content;
/// RRsetsChanged carries only the changed RRsets; Deleted removes the zone.
/// </summary>
public sealed record ZoneDelta(ZoneId ZoneId, long FromVersion, long ToVersion, IZoneEvent Event) : IAkkaDnsMessage
{
    public static ZoneDelta Of(IZoneEvent e) => new(e.ZoneId, e.Version - 1, e.Version, e);
}
