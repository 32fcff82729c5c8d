using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// A signed zone's NSEC3 records (RFC 5155), kept out of the name tree (their owners are hashes, not names of the
/// zone: they must neither answer as names nor make empty non-terminals) and sorted by hash, so the answer path finds
/// the NSEC3 that matches or covers a hashed name by binary search, allocation-free. Each entry is a node (owner, its
/// NSEC3 and the RRSIG over it) so zone transfers walk it like the tree. Immutable; a change builds the next chain.
/// </summary>
public sealed class Nsec3Chain
{
    private readonly byte[][] _hashes;
    private readonly ZoneNode[] _nodes;

    private Nsec3Chain(byte[][] hashes, ZoneNode[] nodes, byte[] salt, ushort iterations)
    {
        _hashes = hashes; _nodes = nodes; Salt = salt; Iterations = iterations;
    }

    public static readonly Nsec3Chain Empty = new([], [], [], 0);

    /// <summary>The zone's NSEC3PARAM salt and iterations (what the edge hashes query names with).</summary>
    public byte[] Salt { get; }
    public ushort Iterations { get; }
    public int Count => _nodes.Length;
    public IEnumerable<ZoneNode> Nodes => _nodes;

    /// <summary>The 20-byte hash an NSEC3 owner's first label encodes (base32hex), or null when it is not one.</summary>
    public static byte[]? HashOfOwner(ReadOnlySpan<byte> ownerWire)
    {
        if (ownerWire.Length < 1 + Nsec3Hash.LabelLength || ownerWire[0] != Nsec3Hash.LabelLength) return null;
        var hash = new byte[Nsec3Hash.Length];
        int bits = 0, buffer = 0, o = 0;
        for (int i = 1; i <= Nsec3Hash.LabelLength; i++)
        {
            int c = ownerWire[i] | 0x20, v = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'v' ? c - 'a' + 10 : -1;
            if (v < 0) return null;
            buffer = (buffer << 5) | v; bits += 5;
            if (bits >= 8) { hash[o++] = (byte)(buffer >> (bits - 8)); bits -= 8; }
        }
        return hash;
    }

    /// <summary>A chain of <paramref name="nodes"/> (each holding an NSEC3 RRset), hashed with <paramref name="salt"/>
    /// and <paramref name="iterations"/>.</summary>
    public static Nsec3Chain Build(IEnumerable<ZoneNode> nodes, byte[] salt, ushort iterations)
    {
        var list = new List<(byte[] Hash, ZoneNode Node)>();
        foreach (var n in nodes)
            if (HashOfOwner(n.Name) is { } h) list.Add((h, n));
        list.Sort((a, b) => a.Hash.AsSpan().SequenceCompareTo(b.Hash));
        return new Nsec3Chain(list.Select(x => x.Hash).ToArray(), list.Select(x => x.Node).ToArray(), salt, iterations);
    }

    /// <summary>The next chain: nodes by owner replaced (null value: removed), the rest shared.</summary>
    public Nsec3Chain WithChanges(IReadOnlyDictionary<DnsName, ZoneNode?> changes, byte[] salt, ushort iterations)
    {
        var byOwner = new Dictionary<DnsName, ZoneNode>();
        for (int i = 0; i < _nodes.Length; i++) byOwner[DnsName.FromWire(_nodes[i].Name)] = _nodes[i];
        foreach (var (owner, node) in changes)
            if (node is null || node.RRsets.Length == 0) byOwner.Remove(owner);
            else byOwner[owner] = node;
        return Build(byOwner.Values, salt, iterations);
    }

    public ZoneNode? Find(ReadOnlySpan<byte> owner)
    {
        var h = HashOfOwner(owner);
        if (h is null) return null;
        int i = Search(h);
        return i >= 0 ? _nodes[i] : null;
    }

    /// <summary>The NSEC3 whose hash equals <paramref name="hash"/>, or null.</summary>
    public ZoneNode? Matching(ReadOnlySpan<byte> hash)
    {
        int i = Search(hash);
        return i >= 0 ? _nodes[i] : null;
    }

    /// <summary>The NSEC3 that covers <paramref name="hash"/>: the last one before it in hash order (the chain wraps:
    /// before the first is the last). Null for an empty chain or when the hash matches.</summary>
    public ZoneNode? Covering(ReadOnlySpan<byte> hash)
    {
        if (_nodes.Length == 0) return null;
        int i = Search(hash);
        if (i >= 0) return null;
        int insert = ~i;
        return _nodes[insert == 0 ? _nodes.Length - 1 : insert - 1];
    }

    private int Search(ReadOnlySpan<byte> hash)
    {
        int lo = 0, hi = _hashes.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = _hashes[mid].AsSpan().SequenceCompareTo(hash);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }
}

/// <summary>
/// The owners of a signed zone's NSEC records in canonical order (RFC 4034 §6.1), so the answer path finds the NSEC
/// that covers a name that does not exist by binary search, allocation-free. The NSEC RRsets stay in the name tree
/// (their owners are real names); this holds only the order.
/// </summary>
public sealed class NsecChain
{
    private readonly byte[][] _owners;

    private NsecChain(byte[][] owners) => _owners = owners;

    public static readonly NsecChain Empty = new([]);
    public int Count => _owners.Length;

    public static NsecChain Build(IEnumerable<byte[]> owners)
    {
        var list = owners.ToList();
        list.Sort((a, b) => DnsName.CompareCanonical(a, b));
        return new NsecChain(list.ToArray());
    }

    public NsecChain WithChanges(IEnumerable<byte[]> added, IEnumerable<byte[]> removed)
    {
        var set = new HashSet<DnsName>(_owners.Select(o => DnsName.FromWire(o)));
        foreach (var r in removed) set.Remove(DnsName.FromWire(r));
        foreach (var a in added) set.Add(DnsName.FromWire(a));
        return Build(set.Select(n => n.Wire.ToArray()));
    }

    /// <summary>The owner of the NSEC that covers or matches <paramref name="name"/>: the greatest owner at or before it
    /// in canonical order (the apex's NSEC when none is: the apex sorts first). Empty when the chain is.</summary>
    public ReadOnlySpan<byte> Covering(ReadOnlySpan<byte> name)
    {
        if (_owners.Length == 0) return default;
        int lo = 0, hi = _owners.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = DnsName.CompareCanonical(_owners[mid], name);
            if (c <= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return _owners[found < 0 ? _owners.Length - 1 : found];
    }
}
