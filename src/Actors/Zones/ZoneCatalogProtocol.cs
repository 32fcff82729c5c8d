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

    public sealed record ZoneList(IReadOnlyList<CatalogEntry> Zones) : IAkkaDnsMessage;

    /// <summary>The catalog's persisted event.</summary>
    public sealed record CatalogEntryChanged(CatalogEntry Entry) : IAkkaDnsMessage;

    /// <summary>The catalog's snapshot: every entry, deleted ones included (they order late registrations).</summary>
    public sealed record CatalogSnapshot(IReadOnlyList<CatalogEntry> Entries) : IAkkaDnsMessage;
}
