using AkkaDns.Actors.Serialization;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Zones;

/// <summary>Read-only requests to a zone actor. They never change state and never start a write.</summary>
public static class ZoneQueries
{
    /// <summary>Replies <see cref="ZoneView"/> or <see cref="ZoneNotFound"/>.</summary>
    public sealed record GetZone(ZoneId ZoneId) : IWithZoneId, IAkkaDnsMessage;

    /// <summary>Like <see cref="GetZone"/> but the records come in <see cref="ZoneViewChunk"/>s, each below
    /// <c>akkadns.zones.max-message-bytes</c> (Akka.Remote silently drops a message above its frame size);
    /// <see cref="ZoneNotFound"/> when there is no zone. Used by datacenters, which may be on other nodes.</summary>
    public sealed record GetZoneChunked(ZoneId ZoneId) : IWithZoneId, IAkkaDnsMessage;

    /// <summary>Replies <see cref="ZoneHistory"/> (empty for a zone that never existed).</summary>
    public sealed record GetHistory(ZoneId ZoneId) : IWithZoneId, IAkkaDnsMessage;

    /// <summary>Replies <see cref="ZoneChanges"/> (the events after <see cref="FromVersion"/>, possibly none)
    /// or <see cref="SnapshotNeeded"/> when those events are no longer held in memory (then ask <see cref="GetZone"/>).</summary>
    public sealed record GetChangesSince(ZoneId ZoneId, long FromVersion) : IWithZoneId, IAkkaDnsMessage;
}

/// <summary>A zone at one version: its records, SOA first.</summary>
public sealed record ZoneView(ZoneId ZoneId, long Version, uint Serial, IReadOnlyList<ResourceRecord> Records) : IAkkaDnsMessage
{
    /// <summary>The history <see cref="Version"/> belongs to (<see cref="ZoneLineage"/>).</summary>
    public string Lineage { get; init; } = ZoneLineage.Legacy;

    /// <summary>The apex (<see cref="ZoneId"/>'s name).</summary>
    public DnsName Name => ZoneId.Name;

    public Zone ToZone() => new(ZoneId.Name, Records);
}

/// <summary>Part <see cref="Index"/> of <see cref="Count"/> of a zone's records at <see cref="Version"/>; the zone is
/// applied only once every part has arrived (never half a zone).</summary>
public sealed record ZoneViewChunk(ZoneId ZoneId, long Version, uint Serial, int Index, int Count, IReadOnlyList<ResourceRecord> Records) : IAkkaDnsMessage
{
    /// <summary>The history <see cref="Version"/> belongs to (<see cref="ZoneLineage"/>).</summary>
    public string Lineage { get; init; } = ZoneLineage.Legacy;
}

/// <summary>No such zone. <see cref="Version"/> is 0 when it never existed, else the version that deleted it, in the
/// history <see cref="Lineage"/> (an edge removes what it serves only for a deletion newer in its own lineage).</summary>
public sealed record ZoneNotFound(ZoneId ZoneId, long Version) : IAkkaDnsMessage
{
    /// <summary>The history the deletion belongs to (<see cref="ZoneLineage"/>).</summary>
    public string Lineage { get; init; } = ZoneLineage.Legacy;
}

/// <summary>One persisted change, newest last in <see cref="ZoneHistory"/>.</summary>
public sealed record ZoneHistoryEntry(long Version, DateTimeOffset At, ZoneChangeKind Kind, string Summary, string Who, uint Serial);

public sealed record ZoneHistory(ZoneId ZoneId, IReadOnlyList<ZoneHistoryEntry> Entries) : IAkkaDnsMessage;

/// <summary>The events turning version <see cref="FromVersion"/> into <see cref="ToVersion"/>, in order.</summary>
internal sealed record ZoneChanges(ZoneId ZoneId, long FromVersion, long ToVersion, IReadOnlyList<IZoneEvent> Events) : IAkkaDnsMessage
{
    /// <summary>The history the versions belong to (an edge of another lineage takes the zone whole instead) (<see cref="ZoneLineage"/>).</summary>
    public string Lineage { get; init; } = ZoneLineage.Legacy;
}

/// <summary>The asked range is not held any more: fetch the whole zone (<see cref="ZoneQueries.GetZone"/>).</summary>
internal sealed record SnapshotNeeded(ZoneId ZoneId, long CurrentVersion) : IAkkaDnsMessage;

/// <summary>Published instead of a <see cref="ZoneDelta"/> whose event is too large for one message: fetch the zone
/// (<see cref="ZoneQueries.GetZoneChunked"/>) when holding less than <see cref="ToVersion"/>, or another lineage.</summary>
internal sealed record ZoneDeltaTooLarge(ZoneId ZoneId, long FromVersion, long ToVersion) : IAkkaDnsMessage
{
    /// <summary>The history the versions belong to (<see cref="ZoneLineage"/>).</summary>
    public string Lineage { get; init; } = ZoneLineage.Legacy;
}

/// <summary>
/// Published on the zone-changes topic after each persisted event: apply <see cref="Event"/> on top of
/// <see cref="FromVersion"/> to obtain <see cref="ToVersion"/>. Created and Replaced events carry the full content;
/// RRsetsChanged carries only the changed RRsets; Deleted removes the zone. Only on top of <see cref="FromVersion"/>
/// of the same <see cref="Lineage"/>: a delta of another history is never patched onto what an edge holds.
/// </summary>
public sealed record ZoneDelta(ZoneId ZoneId, long FromVersion, long ToVersion, IZoneEvent Event) : IAkkaDnsMessage
{
    /// <summary>The history the versions belong to (the zone's after the event) (<see cref="ZoneLineage"/>).</summary>
    public string Lineage { get; init; } = ZoneLineage.Legacy;

    /// <summary>The delta of a persisted event, in the zone's <paramref name="lineage"/> (after the event: a creation's own).</summary>
    public static ZoneDelta Of(IZoneEvent e, string lineage) => Of(e) with { Lineage = lineage };

    /// <summary>The delta of an event in the lineage it names, or <see cref="ZoneLineage.Legacy"/> (tests, tools).</summary>
    public static ZoneDelta Of(IZoneEvent e) => new(e.ZoneId, e.Version - 1, e.Version, ForEdges(e))
    {
        Lineage = e is ZoneEvents.ZoneCreated c ? c.Lineage : ZoneLineage.Legacy,
    };

    /// <summary>An event as the edges get it: a DNSSEC change loses its keys (sealed or not, they never leave the zones
    /// side) and keeps its record changes.</summary>
    public static IZoneEvent ForEdges(IZoneEvent e) => e switch
    {
        DnssecChanged d => d.ForEdges(),
        PendingChanges.ChangeConfirmed { Inner: DnssecChanged d } c => c with { Inner = d.ForEdges() },
        _ => e,
    };

    /// <summary>A rough upper bound of the serialized size of an event (names and RDATA dominate).</summary>
    public static long EstimateBytes(IZoneEvent e) => 64 + e switch
    {
        ZoneEvents.ZoneCreated c => MessageSize.Of(c.Records),
        ZoneEvents.ZoneReplaced r => MessageSize.Of(r.Records),
        ZoneEvents.RRsetsChanged ch => ch.Changes.Sum(x => 8 + x.Owner.WireLength + MessageSize.Of(x.Records)),
        ZoneEvents.ZoneDeleted => 0,
        DnssecChanged d => d.Changes.Sum(x => 8 + x.Owner.WireLength + MessageSize.Of(x.Records)),
        _ => ZoneSafeguards.EstimateBytes(e),
    };
}

/// <summary>Size estimates that keep cross-node messages below Akka.Remote's frame size.</summary>
public static class MessageSize
{
    public static long Of(ResourceRecord r) => r.Owner.WireLength + r.RData.Length + 12;
    public static long Of(IEnumerable<ResourceRecord> records) => records.Sum(Of);

    /// <summary>Splits records into consecutive slices of at most <paramref name="maxBytes"/> each (at least one record per slice).</summary>
    public static List<List<ResourceRecord>> Chunk(IReadOnlyList<ResourceRecord> records, long maxBytes)
    {
        var chunks = new List<List<ResourceRecord>> { new() };
        long size = 0;
        foreach (var r in records)
        {
            var s = Of(r);
            if (size + s > maxBytes && chunks[^1].Count > 0) { chunks.Add(new()); size = 0; }
            chunks[^1].Add(r);
            size += s;
        }
        return chunks;
    }
}
