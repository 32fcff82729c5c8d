using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// Open-addressing hash table from wire names to nodes, looked up straight from span bytes (the query
/// packet), case-insensitively and without allocating. Built once; read-only afterwards.
/// </summary>
/// <remarks>
/// Hash, name and value of a slot sit side by side in one array of structs, so a probe reads one cache line instead
/// of one in each of three parallel arrays: in a zone of 100k records the table is far larger than the caches and
/// those misses were a tenth of the answer path's time.
/// </remarks>
internal sealed class NameIndex<T> where T : class
{
    private struct Slot
    {
        public int Hash;
        public byte[]? Name;
        public T? Value;
    }

    private readonly Slot[] _slots;
    private readonly int _mask;

    public NameIndex(IReadOnlyCollection<(byte[] Name, T Value)> entries)
    {
        int size = 8;
        while (size < entries.Count * 2) size <<= 1;
        _slots = new Slot[size]; _mask = size - 1;
        foreach (var (name, value) in entries)
        {
            int h = DnsName.HashWire(name), i = h & _mask;
            while (_slots[i].Value is not null)
            {
                if (_slots[i].Hash == h && DnsName.EqualsIgnoreCase(_slots[i].Name, name)) throw new ArgumentException("duplicate name in index");
                i = (i + 1) & _mask;
            }
            _slots[i] = new Slot { Hash = h, Name = name, Value = value };
        }
    }

    public T? Find(ReadOnlySpan<byte> name)
    {
        int h = DnsName.HashWire(name), i = h & _mask;
        var slots = _slots;
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Value is null) return null;
            if (slot.Hash == h && DnsName.EqualsIgnoreCase(slot.Name, name)) return slot.Value;
            i = (i + 1) & _mask;
        }
    }
}
