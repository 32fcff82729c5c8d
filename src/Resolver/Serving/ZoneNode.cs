using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// One name of a compiled zone: its RRsets (sorted by type) and what the answer algorithm needs to know
/// about it without searching. Empty non-terminals are nodes with no RRsets: they exist, so they block
/// wildcards (RFC 4592 §2.2.2).
/// </summary>
public sealed class ZoneNode
{
    private static readonly CompiledRRset[] NoRRsets = [];

    internal ZoneNode(byte[] name, int labelCount) { Name = name; LabelCount = labelCount; }

    /// <summary>Owner name, uncompressed wire form, case as in the zone file.</summary>
    public byte[] Name { get; }
    public int LabelCount { get; }
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
    public bool IsApex { get; internal set; }
    /// <summary>NS below the apex: a zone cut; the data here and below is not authoritative (except DS).</summary>
    public bool IsDelegation { get; internal set; }
    public bool HasChildren => ChildCount > 0;
    /// <summary>Names one label below this one (kept so a change that removes the last child can remove an empty
    /// non-terminal too).</summary>
    internal int ChildCount { get; set; }
    /// <summary>The node <c>*.this</c>, when it exists.</summary>
    public ZoneNode? Wildcard { get; internal set; }
    public CompiledRRset? Cname { get; internal set; }
    public CompiledRRset? Dname { get; internal set; }
    public CompiledRRset? Ns { get; internal set; }

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

    /// <summary>Sets the CNAME, DNAME and NS shortcuts and the cut flag from <see cref="RRsets"/>.</summary>
    internal void RefreshShortcuts()
    {
        Cname = Find(RecordType.CNAME);
        Dname = Find(RecordType.DNAME);
        Ns = Find(RecordType.NS);
        IsDelegation = !IsApex && Ns is not null;
    }

    /// <summary>A copy to change while building the next version (the published node stays as readers see it).</summary>
    internal ZoneNode Copy() => (ZoneNode)MemberwiseClone();

    public override string ToString() => DnsName.FromWire(Name).ToString();
}
