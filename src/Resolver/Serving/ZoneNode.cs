using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// One name of a compiled zone: its RRsets (sorted by type) and what the answer algorithm needs to know
/// about it without searching. Empty non-terminals are nodes with no RRsets: they exist, so they block
/// wildcards (RFC 4592 §2.2.2).
/// </summary>
public sealed class ZoneNode : IndexedByName
{
    private static readonly CompiledRRset[] NoRRsets = [];

    internal ZoneNode(byte[] name, int labelCount)
    {
        IndexName = name;
        System.Diagnostics.Debug.Assert(labelCount == CountLabels(name));
    }

    /// <summary>Owner name, uncompressed wire form, case as in the zone file.</summary>
    public byte[] Name => IndexName;
    /// <summary>Counted from <see cref="Name"/> when asked (denial proofs only): a field would make every node 8 bytes
    /// larger (the object grows in steps of 8).</summary>
    public int LabelCount => CountLabels(IndexName);

    private static int CountLabels(ReadOnlySpan<byte> wire)
    {
        int labels = 0;
        for (int pos = 0; pos < wire.Length && wire[pos] != 0; pos += 1 + wire[pos]) labels++;
        return labels;
    }
    public CompiledRRset[] RRsets
    {
        get => _rrsets;
        internal set
        {
            _rrsets = value;
            // The first four types packed into the node itself (16 bits each; type 0 is never used): Find answers
            // from the node's own cache line instead of reading every RRset object, a miss each in a big zone.
            ulong packed = 0;
            for (int i = 0; i < Math.Min(4, value.Length); i++) packed |= (ulong)(ushort)value[i].Type << (16 * i);
            _types = packed;
        }
    }

    private CompiledRRset[] _rrsets = NoRRsets;
    private ulong _types;
    private NodeFlags _flags;

    [Flags]
    private enum NodeFlags : byte { Apex = 1, Delegation = 2, Cname = 4, Dname = 8, Ns = 16 }

    public bool IsApex
    {
        get => (_flags & NodeFlags.Apex) != 0;
        internal set => _flags = value ? _flags | NodeFlags.Apex : _flags & ~NodeFlags.Apex;
    }
    /// <summary>NS below the apex: a zone cut; the data here and below is not authoritative (except DS).</summary>
    public bool IsDelegation => (_flags & NodeFlags.Delegation) != 0;
    public bool HasChildren => ChildCount > 0;
    /// <summary>Names one label below this one (kept so a change that removes the last child can remove an empty
    /// non-terminal too).</summary>
    internal int ChildCount { get; set; }
    /// <summary>The node <c>*.this</c>, when it exists.</summary>
    public ZoneNode? Wildcard { get; internal set; }
    // The CNAME, DNAME and NS shortcuts are flags, their sets found through the packed types when asked for: three
    // references per node were 24 of its bytes, for sets nearly every node lacks.
    public CompiledRRset? Cname => (_flags & NodeFlags.Cname) != 0 ? Find(RecordType.CNAME) : null;
    public CompiledRRset? Dname => (_flags & NodeFlags.Dname) != 0 ? Find(RecordType.DNAME) : null;
    public CompiledRRset? Ns => (_flags & NodeFlags.Ns) != 0 ? Find(RecordType.NS) : null;

    public CompiledRRset? Find(RecordType type)
    {
        var sets = _rrsets;
        if (sets.Length <= 4)
        {
            ulong packed = _types;
            for (int i = 0; i < sets.Length; i++, packed >>= 16)
                if ((ushort)packed == (ushort)type) return sets[i];
            return null;
        }
        for (int i = 0; i < sets.Length; i++)
            if (sets[i].Type == type) return sets[i];
        return null;
    }

    /// <summary>Sets the CNAME, DNAME and NS flags and the cut flag from <see cref="RRsets"/>.</summary>
    internal void RefreshShortcuts()
    {
        var flags = _flags & NodeFlags.Apex;
        if (Find(RecordType.CNAME) is not null) flags |= NodeFlags.Cname;
        if (Find(RecordType.DNAME) is not null) flags |= NodeFlags.Dname;
        if (Find(RecordType.NS) is not null) flags |= NodeFlags.Ns | (IsApex ? 0 : NodeFlags.Delegation);
        _flags = flags;
    }

    /// <summary>A copy to change while building the next version (the published node stays as readers see it).</summary>
    internal ZoneNode Copy() => (ZoneNode)MemberwiseClone();

    public override string ToString() => DnsName.FromWire(Name).ToString();
}
