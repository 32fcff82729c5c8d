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
    public CompiledRRset[] RRsets { get; internal set; } = NoRRsets;
    public bool IsApex { get; internal set; }
    /// <summary>NS below the apex: a zone cut; the data here and below is not authoritative (except DS).</summary>
    public bool IsDelegation { get; internal set; }
    public bool HasChildren { get; internal set; }
    /// <summary>The node <c>*.this</c>, when it exists.</summary>
    public ZoneNode? Wildcard { get; internal set; }
    public CompiledRRset? Cname { get; internal set; }
    public CompiledRRset? Dname { get; internal set; }
    public CompiledRRset? Ns { get; internal set; }

    public CompiledRRset? Find(RecordType type)
    {
        var sets = RRsets;
        for (int i = 0; i < sets.Length; i++)
            if (sets[i].Type == type) return sets[i];
        return null;
    }

    public override string ToString() => DnsName.FromWire(Name).ToString();
}
