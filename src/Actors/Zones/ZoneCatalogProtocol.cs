using AkkaDns.Actors.Serialization;

namespace AkkaDns.Actors.Zones;

/// <summary>Messages of the <see cref="ZoneCatalog"/> (the list of all zones).</summary>
public static class ZoneCatalogProtocol
{
    /// <summary>Sent by a zone actor after it persisted a creation or deletion (and after recovery), until acked.
    /// Idempotent: the catalog keeps the registration with the highest version.</summary>
    public sealed record RegisterZone(ZoneId ZoneId, long Version, bool Exists) : IAkkaDnsMessage;

    /// <summary>The catalog's ack of <see cref="RegisterZone"/> (stored, or already known at that version or later).</summary>
    public sealed record ZoneRegistered(ZoneId ZoneId, long Version) : IAkkaDnsMessage;

    /// <summary>Replies <see cref="ZoneList"/>: the zones that exist, by name.</summary>
    public sealed record ListZones : IAkkaDnsMessage
    {
        public static readonly ListZones Instance = new();
    }

    /// <summary>One line of the catalog: the zone and the version of its last creation or deletion.</summary>
    public sealed record CatalogEntry(ZoneId ZoneId, long Version, bool Exists);

    /// <summary>
    /// The zones that exist. <see cref="Latest"/> (same order as <see cref="Zones"/>) is the newest version each zone
    /// reported (<see cref="ZoneVersionReport"/>), -1 when the catalog has not heard since it started; null when not
    /// known at all. <see cref="Incarnation"/> changes whenever the catalog starts again (its versions start empty).
    /// A datacenter compares them with the versions it holds and asks only the zones that moved.
    /// </summary>
    public sealed record ZoneList(IReadOnlyList<CatalogEntry> Zones) : IAkkaDnsMessage
    {
        public IReadOnlyList<long>? Latest { get; init; }
        /// <summary>The lineage of each <see cref="Latest"/> version (same order; null where the catalog has not heard,
        /// the whole list null from a catalog without lineages). An edge holding another lineage takes the zone whole.</summary>
        public IReadOnlyList<string?>? Lineages { get; init; }
        public string Incarnation { get; init; } = "";
    }

    /// <summary>
    /// Told (fire and forget) by a zone actor after every persisted change: the zone's version now. Kept in memory by
    /// the catalog for <see cref="ZoneList.Latest"/>; a lost report costs a datacenter one extra (or one later) ask,
    /// never correctness (deltas, and the periodic full sweep, still bring every zone up to date).
    /// </summary>
    public sealed record ZoneVersionReport(ZoneId ZoneId, long Version) : IAkkaDnsMessage
    {
        /// <summary>The history <see cref="Version"/> belongs to (<see cref="ZoneLineage"/>).</summary>
        public string Lineage { get; init; } = ZoneLineage.Legacy;
    }

    /// <summary>The catalog's persisted event.</summary>
    public sealed record CatalogEntryChanged(CatalogEntry Entry) : IAkkaDnsMessage;

    /// <summary>The catalog's snapshot: every entry, deleted ones included (they order late registrations).</summary>
    public sealed record CatalogSnapshot(IReadOnlyList<CatalogEntry> Entries) : IAkkaDnsMessage;
}
