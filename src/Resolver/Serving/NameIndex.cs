using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// Hash table from wire names to nodes, looked up straight from span bytes (the query packet), case-insensitively
/// and without allocating. Immutable: <see cref="WithChanges"/> returns a new index that shares everything but the
/// shards the changes touch, so applying one change to a zone of 100k names copies a few hundred slots, not the table.
/// </summary>
/// <remarks>
/// The table is split into shards by the hash's high bits (about <see cref="ShardLoad"/> names each), every shard an
/// open-addressing array probed by the hash's low bits. Hash, name and value of a slot sit side by side in one array
/// of structs, so a probe reads one cache line instead of one in each of three parallel arrays (in a zone of 100k
/// records the table is far larger than the caches, and those misses were a tenth of the answer path's time). The name
/// is the value's own (<see cref="IndexedByName"/>), read only when the hash matches: a hit reads the node next anyway.
/// </remarks>
internal sealed class NameIndex<T> where T : IndexedByName
{
    private const int ShardLoad = 128;

    private struct Slot
    {
        public int Hash;
        public T? Value;
    }

    private static readonly Slot[] EmptyShard = new Slot[1];

    private readonly Slot[][] _shards;
    private readonly int _shift; // shard = (uint)hash >> _shift, as a 64-bit shift so 32 (one shard) gives 0

    public int Count { get; }

    public NameIndex(IReadOnlyCollection<(byte[] Name, T Value)> entries)
        : this(BitsFor(entries.Count), entries.Select(e => (DnsName.HashWire(e.Name), Checked(e.Name, e.Value))).ToList(), entries.Count)
    {
    }

    private static T Checked(byte[] name, T value) =>
        DnsName.EqualsIgnoreCase(value.NameForIndex, name) ? value : throw new ArgumentException("an index entry's name is not its value's name");

    private NameIndex(int bits, List<(int Hash, T Value)> entries, int count)
    {
        _shift = 32 - bits;
        var groups = new List<Slot>[1 << bits];
        foreach (var (h, value) in entries)
            (groups[ShardOf(h, _shift)] ??= new()).Add(new Slot { Hash = h, Value = value });
        _shards = new Slot[1 << bits][];
        for (int s = 0; s < _shards.Length; s++) _shards[s] = BuildShard(groups[s]);
        Count = count;
    }

    private NameIndex(Slot[][] shards, int shift, int count)
    {
        _shards = shards; _shift = shift; Count = count;
    }

    private static int BitsFor(int count)
    {
        int bits = 0;
        while ((ShardLoad << bits) < count && bits < 20) bits++;
        return bits;
    }

    private static int ShardOf(int hash, int shift) => (int)((ulong)(uint)hash >> shift);

    private static Slot[] BuildShard(List<Slot>? slots)
    {
        if (slots is null || slots.Count == 0) return EmptyShard;
        // Load 0.6: linear probing stays short (a hit ~1.8 probes, a miss ~3.6). The size is not rounded up to a power
        // of two (that made nearly every shard 2.1 slots per name, 1.67 now): the start slot is the hash's low bits
        // scaled to the size (Start), and a probe wraps at the end.
        int size = Math.Max(2, (slots.Count * 5 + 2) / 3);
        var shard = new Slot[size];
        foreach (var slot in slots)
        {
            int i = Start(slot.Hash, size);
            while (shard[i].Value is not null)
            {
                if (shard[i].Hash == slot.Hash && DnsName.EqualsIgnoreCase(shard[i].Value!.NameForIndex, slot.Value!.NameForIndex)) throw new ArgumentException("duplicate name in index");
                if (++i == size) i = 0;
            }
            shard[i] = slot;
        }
        return shard;
    }

    /// <summary>The hash's low 20 bits (the shard took the high ones) scaled to [0, size): a multiply and a shift.</summary>
    private static int Start(int hash, int size) => (int)(((ulong)((uint)hash & 0xFFFFF) * (uint)size) >> 20);

    public T? Find(ReadOnlySpan<byte> name)
    {
        int h = DnsName.HashWire(name);
        var shard = _shards[ShardOf(h, _shift)];
        int size = shard.Length, i = Start(h, size);
        while (true)
        {
            ref var slot = ref shard[i];
            if (slot.Value is null) return null;
            if (slot.Hash == h && DnsName.EqualsIgnoreCase(slot.Value.NameForIndex, name)) return slot.Value;
            if (++i == size) i = 0;
        }
    }

    /// <summary>
    /// A new index with each name of <paramref name="changes"/> set to its value (added or replaced), or removed when
    /// the value is null. This index is left as it was (readers may still be using it).
    /// </summary>
    public NameIndex<T> WithChanges(IReadOnlyCollection<(byte[] Name, T? Value)> changes)
    {
        var byShard = new Dictionary<int, List<(int Hash, byte[] Name, T? Value)>>();
        foreach (var (name, value) in changes)
        {
            int h = DnsName.HashWire(name);
            int s = ShardOf(h, _shift);
            if (!byShard.TryGetValue(s, out var list)) byShard[s] = list = new();
            list.Add((h, name, value));
        }
        var shards = (Slot[][])_shards.Clone();
        int count = Count;
        foreach (var (s, list) in byShard)
        {
            var slots = new List<Slot>();
            int before = 0;
            foreach (var slot in _shards[s])
            {
                if (slot.Value is null) continue;
                before++;
                if (!list.Exists(c => c.Hash == slot.Hash && DnsName.EqualsIgnoreCase(c.Name, slot.Value.NameForIndex))) slots.Add(slot);
            }
            foreach (var (h, name, value) in list)
            {
                slots.RemoveAll(x => x.Hash == h && DnsName.EqualsIgnoreCase(x.Value!.NameForIndex, name)); // a name given twice: the last wins
                if (value is not null) slots.Add(new Slot { Hash = h, Value = Checked(name, value) });
            }
            count += slots.Count - before;
            shards[s] = BuildShard(slots);
        }
        var next = new NameIndex<T>(shards, _shift, count);
        // Grown (or shrunk) far past the shard size it was built for: rebuild once with the right number of shards.
        return BitsFor(count) > 32 - _shift + 1 || BitsFor(count) < 32 - _shift - 1 ? next.Rebuilt() : next;
    }

    /// <summary>Every value in the index, in no particular order.</summary>
    public T[] Values()
    {
        var all = new T[Count];
        int n = 0;
        foreach (var shard in _shards)
            foreach (var slot in shard)
                if (slot.Value is not null) all[n++] = slot.Value;
        return n == all.Length ? all : all[..n];
    }

    /// <summary>Every value, lazily, shard by shard: a walk of a large index without copying it (zone transfers).</summary>
    public IEnumerable<T> Enumerate()
    {
        foreach (var shard in _shards)
            for (int i = 0; i < shard.Length; i++)
                if (shard[i].Value is { } value) yield return value;
    }

    private NameIndex<T> Rebuilt()
    {
        var all = new List<(int, T)>(Count);
        foreach (var shard in _shards)
            foreach (var slot in shard)
                if (slot.Value is not null) all.Add((slot.Hash, slot.Value));
        return new NameIndex<T>(BitsFor(all.Count), all, all.Count);
    }
}
