using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>What a name is to the signer (RFC 4035 §2.2, RFC 5155 §7.1).</summary>
internal enum NodeKind
{
    Apex,
    /// <summary>Authoritative data: every RRset signed, one NSEC/NSEC3.</summary>
    Authoritative,
    /// <summary>A zone cut (NS below the apex): only DS (and NSEC) signed; one NSEC/NSEC3 unless opt-out and insecure.</summary>
    Delegation,
    /// <summary>Below a cut (glue, occluded data): not signed, no NSEC/NSEC3.</summary>
    Occluded,
    /// <summary>No RRsets but names below it (RFC 5155 §7.1): an NSEC3 with an empty bit map, no NSEC.</summary>
    EmptyNonTerminal,
}

/// <summary>One RRset: the records as given (duplicates dropped) and the one TTL it is signed with (the smallest).</summary>
internal sealed class RRset(DnsName owner, RecordType type, uint ttl)
{
    public DnsName Owner { get; } = owner;
    public RecordType Type { get; } = type;
    public uint Ttl { get; set; } = ttl;
    public List<ResourceRecord> Records { get; } = new(1);
    /// <summary>Its RRSIGs once signed (null for what is not signed: NS at a cut, glue, occluded data).</summary>
    public SignedRRset? Signed { get; set; }

    public void Add(ResourceRecord r)
    {
        foreach (var e in Records) if (e.RData.AsSpan().SequenceEqual(r.RData)) return;
        Records.Add(r);
        if (r.Ttl < Ttl) Ttl = r.Ttl;
    }
}

internal sealed class ZoneNode(DnsName name)
{
    public DnsName Name { get; } = name;
    public List<RRset> Sets { get; } = new(2);
    public NodeKind Kind { get; set; } = NodeKind.Authoritative;

    public RRset? Find(RecordType type)
    {
        foreach (var s in Sets) if (s.Type == type) return s;
        return null;
    }

    public RRset GetOrAdd(RecordType type, uint ttl)
    {
        var s = Find(type);
        if (s is null) { s = new RRset(Name, type, ttl); Sets.Add(s); }
        return s;
    }
}

/// <summary>The operator's records as names in canonical order, each classified (apex, authoritative, cut, below a cut,
/// empty non-terminal). Built once per signing run in O(n log n).</summary>
internal sealed class ZoneTree
{
    public required DnsName Origin { get; init; }
    public required ZoneNode[] Nodes { get; init; }
    public ZoneNode Apex => Nodes[0];

    public static ZoneTree Build(DnsName origin, IReadOnlyList<ResourceRecord> unsigned)
    {
        var byName = new Dictionary<DnsName, ZoneNode>(unsigned.Count);
        foreach (var r in unsigned)
        {
            if (ZoneSigner.IsGenerated(r.Type)) continue;
            if (!r.Owner.IsSubdomainOf(origin)) throw new ArgumentException($"record {r.Owner} {RecordTypes.ToText(r.Type)} is outside the zone {origin}");
            if (!byName.TryGetValue(r.Owner, out var node)) byName[r.Owner] = node = new ZoneNode(r.Owner);
            node.GetOrAdd(r.Type, r.Ttl).Add(r);
        }
        if (!byName.TryGetValue(origin, out var apex) || apex.Find(RecordType.SOA) is null)
            throw new ArgumentException($"the zone {origin} has no SOA at its apex");

        // Empty non-terminals: ancestors that hold no records (classified below, so those under a cut drop out).
        foreach (var name in byName.Keys.ToList())
        {
            var p = name;
            while (p.LabelCount > origin.LabelCount + 1)
            {
                p = p.Parent();
                if (byName.ContainsKey(p)) break;
                byName[p] = new ZoneNode(p) { Kind = NodeKind.EmptyNonTerminal };
            }
        }

        var nodes = byName.Values.ToArray();
        var keys = new ushort[nodes.Length][];
        for (int i = 0; i < nodes.Length; i++) keys[i] = RecordKeys.Canonical(nodes[i].Name);
        Array.Sort(keys, nodes, Comparer<ushort[]>.Create(RecordKeys.Compare));

        // In canonical order every name below a cut directly follows the cut.
        DnsName? cut = null;
        foreach (var n in nodes)
        {
            n.Sets.Sort((a, b) => ((ushort)a.Type).CompareTo((ushort)b.Type));
            if (cut is not null && n.Name.IsSubdomainOf(cut)) { n.Kind = NodeKind.Occluded; continue; }
            cut = null;
            if (n.Kind == NodeKind.EmptyNonTerminal) continue;
            if (n.Name.Equals(origin)) n.Kind = NodeKind.Apex;
            else if (n.Find(RecordType.NS) is not null) { n.Kind = NodeKind.Delegation; cut = n.Name; }
        }
        return new ZoneTree { Origin = origin, Nodes = nodes };
    }
}
