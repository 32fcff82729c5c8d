using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// The serving cache: every zone's current compiled snapshot. One writer publishes or removes zones
/// (swapping an immutable map atomically); any number of readers find the zone for a query name
/// by longest suffix, lock-free.
/// </summary>
public sealed partial class ZoneTable
{
    /// <summary>An immutable generation of the table; readers take one with a volatile read and use only it.</summary>
    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);

        public Snapshot(CompiledZone[] zones)
        {
            All = zones;
            Index = new NameIndex<CompiledZone>(zones.Select(z => (z.Origin.Wire.ToArray(), z)).ToArray());
        }

        public CompiledZone[] All { get; }
        public NameIndex<CompiledZone> Index { get; }
    }

    private Snapshot _current = Snapshot.Empty;
    // Serializes writers only (publishing is rare and off the hot path); readers never take it.
    private readonly Lock _writeLock = new();

    /// <summary>Publishes (adds or replaces) a zone snapshot atomically.</summary>
    public void Publish(CompiledZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        lock (_writeLock)
        {
            var old = _current.All;
            var next = new List<CompiledZone>(old.Length + 1);
            foreach (var z in old) if (!z.Origin.Equals(zone.Origin)) next.Add(z);
            next.Add(zone);
            Volatile.Write(ref _current, new Snapshot(next.ToArray()));
        }
    }

    /// <summary>Removes a zone; true when it was there.</summary>
    public bool Remove(DnsName origin)
    {
        lock (_writeLock)
        {
            var old = _current.All;
            var next = old.Where(z => !z.Origin.Equals(origin)).ToArray();
            if (next.Length == old.Length) return false;
            Volatile.Write(ref _current, new Snapshot(next));
            return true;
        }
    }

    /// <summary>The snapshot served now for exactly this origin, or null.</summary>
    public CompiledZone? Get(DnsName origin) => Volatile.Read(ref _current).Index.Find(origin.Wire);

    /// <summary>The zones served now.</summary>
    public IReadOnlyCollection<CompiledZone> Zones => Volatile.Read(ref _current).All;

    /// <summary>The zone whose origin is the longest suffix of <paramref name="name"/>, or null.</summary>
    public CompiledZone? FindZone(DnsName name) => FindZone(name.Wire);

    /// <summary>
    /// Hot-path form: <paramref name="wireName"/> is an uncompressed wire name (e.g. the question in the
    /// packet, any case). Tries the name, then each parent down to the root. Allocation-free.
    /// </summary>
    public CompiledZone? FindZone(ReadOnlySpan<byte> wireName)
    {
        var index = Volatile.Read(ref _current).Index;
        int pos = 0;
        while (pos < wireName.Length)
        {
            var z = index.Find(wireName[pos..]);
            if (z is not null) return z;
            int len = wireName[pos];
            if (len == 0 || len > DnsName.MaxLabelLength) return null;
            pos += 1 + len;
        }
        return null;
    }
}
