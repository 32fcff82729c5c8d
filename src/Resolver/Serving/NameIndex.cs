using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// Open-addressing hash table from wire names to nodes, looked up straight from span bytes (the query
/// packet), case-insensitively and without allocating. Built once; read-only afterwards.
/// </summary>
internal sealed class NameIndex<T> where T : class
{
    private readonly T?[] _slots;
    private readonly byte[]?[] _names;
    private readonly int[] _hashes;
    private readonly int _mask;

    public NameIndex(IReadOnlyCollection<(byte[] Name, T Value)> entries)
    {
        int size = 8;
        while (size < entries.Count * 2) size <<= 1;
        _slots = new T?[size]; _names = new byte[]?[size]; _hashes = new int[size]; _mask = size - 1;
        foreach (var (name, value) in entries)
        {
            int h = DnsName.HashWire(name), i = h & _mask;
            while (_slots[i] is not null)
            {
                if (_hashes[i] == h && DnsName.EqualsIgnoreCase(_names[i], name)) throw new ArgumentException("duplicate name in index");
                i = (i + 1) & _mask;
            }
            _slots[i] = value; _names[i] = name; _hashes[i] = h;
        }
    }

    public T? Find(ReadOnlySpan<byte> name)
    {
        int h = DnsName.HashWire(name), i = h & _mask;
        while (true)
        {
            var v = _slots[i];
            if (v is null) return null;
            if (_hashes[i] == h && DnsName.EqualsIgnoreCase(_names[i], name)) return v;
            i = (i + 1) & _mask;
        }
    }
}
