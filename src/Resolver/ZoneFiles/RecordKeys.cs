using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>Keys for sorting and de-duplicating records quickly in large zones.</summary>
internal static class RecordKeys
{
    /// <summary>
    /// A key whose ordinal order is canonical DNS name order (RFC 4034 §6.1, as <see cref="DnsName.CompareTo"/>):
    /// labels right to left, each as its lower-cased octets plus one, ended by 0, so a label that is a prefix of
    /// another sorts first and fewer labels sort first. Computed once per name instead of per comparison.
    /// </summary>
    public static ushort[] Canonical(DnsName name)
    {
        var wire = name.Wire;
        Span<int> starts = stackalloc int[128];
        int count = 0;
        for (int pos = 0; wire[pos] != 0; pos += 1 + wire[pos]) starts[count++] = pos;
        var key = new ushort[wire.Length - 1];
        int k = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            int len = wire[starts[i]];
            foreach (var b in wire.Slice(starts[i] + 1, len)) key[k++] = (ushort)(DnsName.ToLower(b) + 1);
            key[k++] = 0;
        }
        return key;
    }

    public static int Compare(ushort[] a, ushort[] b) => a.AsSpan().SequenceCompareTo(b);
}

/// <summary>Record identity within a zone: owner (case-insensitive), type and exact RDATA octets.</summary>
internal readonly struct RecordIdentity(DnsName owner, RecordType type, byte[] rdata) : IEquatable<RecordIdentity>
{
    private readonly DnsName _owner = owner;
    private readonly RecordType _type = type;
    private readonly byte[] _rdata = rdata;

    public bool Equals(RecordIdentity other) =>
        _type == other._type && _owner.Equals(other._owner) && _rdata.AsSpan().SequenceEqual(other._rdata);
    public override bool Equals(object? obj) => obj is RecordIdentity o && Equals(o);
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(_owner); h.Add(_type); h.AddBytes(_rdata);
        return h.ToHashCode();
    }
}
