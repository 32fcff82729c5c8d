using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// An immutable, query-ready form of one zone version: a name tree with pre-encoded RRsets.
/// Built once per version off the hot path; the answer path only reads it.
/// </summary>
public sealed partial class CompiledZone : IndexedByName
{
    private NameIndex<ZoneNode> _index = null!;

    public DnsName Origin
    {
        get => _origin;
        private init { _origin = value; IndexName = value.Wire.ToArray(); }
    }
    private readonly DnsName _origin = DnsName.Root;
    /// <summary>The zone version this snapshot was built from (0 in static mode).</summary>
    public long Version { get; private init; }
    public int RecordCount { get; private init; }
    /// <summary>The apex node (SOA, NS).</summary>
    public ZoneNode Apex { get; private set; } = null!;
    /// <summary>The SOA with TTL = min(SOA TTL, SOA MINIMUM), for the authority section of negative answers (RFC 2308 §3).</summary>
    public CompiledRRset NegativeSoa { get; private set; } = null!;
    public int NodeCount { get; private set; }
    /// <summary>The NSEC3 records, by hash (empty for a zone without them).</summary>
    public Nsec3Chain Nsec3 { get; private set; } = Nsec3Chain.Empty;
    /// <summary>The owners of the NSEC records, in canonical order (empty for a zone without them).</summary>
    public NsecChain Nsec { get; private set; } = NsecChain.Empty;
    /// <summary>Signed: the apex has a DNSKEY RRset. DO=1 answers then carry RRSIGs and denial proofs.</summary>
    public bool IsSigned => Apex.Find(RecordType.DNSKEY) is not null;

    /// <summary>The node with exactly this name (uncompressed wire, any case), or null. Allocation-free.</summary>
    public ZoneNode? FindNode(ReadOnlySpan<byte> name) => _index.Find(name);

    public ZoneNode? FindNode(DnsName name) => _index.Find(name.Wire);

    /// <summary>Every node (apex included), in hash order, lazily: a zone transfer walks this snapshot while newer
    /// versions are published (their changes copy nodes and shards, never touch these).</summary>
    public IEnumerable<ZoneNode> EnumerateNodes() => _index.Enumerate().Concat(Nsec3.Nodes);

    /// <summary>Whether a record belongs to the NSEC3 chain rather than the name tree: an NSEC3, or an RRSIG over one.</summary>
    internal static bool IsChainRecord(ResourceRecord r) =>
        r.Type == RecordType.NSEC3 || (r.Type == RecordType.RRSIG && r.RData.Length >= 2 && (RecordType)(r.RData[0] << 8 | r.RData[1]) == RecordType.NSEC3);

    /// <summary>The NSEC3PARAM at the apex (RFC 5155 §4.2): the salt and iterations query names are hashed with.</summary>
    internal static (byte[] Salt, ushort Iterations) Nsec3ParamsOf(ZoneNode apex)
    {
        if (apex.Find(RecordType.NSEC3PARAM) is not { } p) return ([], 0);
        var d = p.RData(0);
        if (d.Length < 5 || d.Length < 5 + d[4]) return ([], 0);
        return (d.Slice(5, d[4]).ToArray(), (ushort)(d[2] << 8 | d[3]));
    }

    /// <summary>Compiles a validated zone. Throws <see cref="ZoneValidationException"/> when the zone breaks a rule.</summary>
    public static CompiledZone Compile(Zone zone, long version = 0)
    {
        zone = ZoneValidator.Normalize(zone);
        ZoneValidator.EnsureValid(zone);
        return ZoneCompiler.Build(zone, version);
    }

    private sealed class ZoneCompiler
    {
        public static CompiledZone Build(Zone zone, long version)
        {
            var origin = zone.Origin;
            var nodes = new Dictionary<DnsName, ZoneNode>();
            ZoneNode NodeFor(DnsName name)
            {
                if (nodes.TryGetValue(name, out var n)) return n;
                n = new ZoneNode(name.Wire.ToArray(), name.LabelCount);
                nodes.Add(name, n);
                return n;
            }

            var apex = NodeFor(origin);
            apex.IsApex = true;

            // Group records into RRsets per owner (order of first appearance, then sorted by type below).
            var byOwner = new Dictionary<DnsName, Dictionary<RecordType, List<ResourceRecord>>>();
            // NSEC3 records (and their RRSIGs) live in the chain, outside the name tree.
            var chain = new Dictionary<DnsName, Dictionary<RecordType, List<ResourceRecord>>>();
            foreach (var rr in zone.Records)
            {
                if (IsChainRecord(rr) && Nsec3Chain.HashOfOwner(rr.Owner.Wire) is not null && !rr.Owner.Equals(origin))
                {
                    if (!chain.TryGetValue(rr.Owner, out var cs)) chain[rr.Owner] = cs = new();
                    if (!cs.TryGetValue(rr.Type, out var cl)) cs[rr.Type] = cl = new();
                    cl.Add(rr);
                    continue;
                }
                if (!byOwner.TryGetValue(rr.Owner, out var sets)) byOwner[rr.Owner] = sets = new();
                if (!sets.TryGetValue(rr.Type, out var list)) sets[rr.Type] = list = new();
                list.Add(rr);
                // Every name between the owner and the apex exists (empty non-terminals, RFC 4592 §2.2.2).
                var name = rr.Owner;
                var child = NodeFor(name);
                while (name.LabelCount > origin.LabelCount)
                {
                    name = name.Parent();
                    var parent = NodeFor(name);
                    if (child.Name[0] == 1 && child.Name[1] == (byte)'*') parent.Wildcard = child;
                    child = parent;
                }
            }

            foreach (var (name, node) in nodes)
                if (name.LabelCount > origin.LabelCount) nodes[name.Parent()].ChildCount++;

            foreach (var (owner, sets) in byOwner)
            {
                var node = nodes[owner];
                node.RRsets = sets.OrderBy(kv => (ushort)kv.Key).Select(kv => Encode(origin, kv.Key, kv.Value)).ToArray();
                node.RefreshShortcuts();
            }

            var z = new CompiledZone { Origin = origin, Version = version, RecordCount = zone.Records.Count };
            z._index = new NameIndex<ZoneNode>(nodes.Values.Select(n => (n.Name, n)).ToArray());
            z.Apex = apex;
            z.NodeCount = nodes.Count;

            z.NegativeSoa = NegativeSoaOf(apex);
            var (salt, iterations) = Nsec3ParamsOf(apex);
            z.Nsec3 = chain.Count == 0 ? Nsec3Chain.Empty : Nsec3Chain.Build(chain.Select(kv =>
            {
                var n = new ZoneNode(kv.Key.Wire.ToArray(), kv.Key.LabelCount);
                n.RRsets = kv.Value.OrderBy(x => (ushort)x.Key).Select(x => Encode(origin, x.Key, x.Value)).ToArray();
                return n;
            }), salt, iterations);
            var nsecOwners = nodes.Values.Where(n => n.Find(RecordType.NSEC) is not null).Select(n => n.Name).ToList();
            z.Nsec = nsecOwners.Count == 0 ? NsecChain.Empty : NsecChain.Build(nsecOwners);
            return z;
        }

        public static CompiledRRset NegativeSoaOf(ZoneNode apex)
        {
            var soa = apex.Find(RecordType.SOA) ?? throw new InvalidOperationException("validated zone without SOA");
            var soaData = soa.RData(0);
            uint minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(soaData[^4..]);
            uint negTtl = Math.Min(soa.FirstTtl, minimum);
            return soa.WithTtl(negTtl);
        }

        public static CompiledRRset Encode(DnsName origin, RecordType type, List<ResourceRecord> records)
        {
            var data = new List<byte>();
            var recs = new CompiledRecord[records.Count];
            var offsets = new List<int>();
            var lengths = new List<int>();
            for (int i = 0; i < records.Count; i++)
            {
                var rd = records[i].RData;
                var names = RData.CompressibleNames(type, rd);
                recs[i] = new CompiledRecord(data.Count, rd.Length, records[i].Ttl, offsets.Count, names.Count);
                foreach (var (off, len) in names) { offsets.Add(off); lengths.Add(len); }
                data.AddRange(rd);
            }
            var set = CompiledRRset.Create(type, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(data), recs,
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(offsets), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(lengths));
            if (type is RecordType.CNAME or RecordType.DNAME)
                set.HasTargetWire = RData.TargetName(type, records[0].RData) is not null; // the whole RDATA is the name
            // Additional-section data (RFC 1034 §4.3.2 step 6, RFC 9460 §4.1, RFC 3403 §4.1): the data of in-zone NS, MX,
            // SRV, SVCB/HTTPS and NAPTR targets, looked up when answering (which includes the glue below a cut for a
            // referral's NS). The root as a target (SVCB's "." for the owner itself, or "no service") adds nothing.
            if (type is RecordType.NS or RecordType.MX or RecordType.SRV or RecordType.SVCB or RecordType.HTTPS or RecordType.NAPTR)
                for (int i = 0; i < records.Count && !set.HasTargets; i++)
                {
                    var target = set.TargetName(i);
                    set.HasTargets = target.Length > 1 && DnsName.TryFromWire(target, out var name, out _) && name!.IsSubdomainOf(origin);
                }
            return set;
        }
    }
}
