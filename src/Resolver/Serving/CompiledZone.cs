using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.Zones;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// An immutable, query-ready form of one zone version: a name tree with pre-encoded RRsets.
/// Built once per version off the hot path; the answer path only reads it.
/// </summary>
public sealed partial class CompiledZone
{
    private NameIndex<ZoneNode> _index = null!;

    public DnsName Origin { get; private init; } = DnsName.Root;
    /// <summary>The zone version this snapshot was built from (0 in static mode).</summary>
    public long Version { get; private init; }
    public int RecordCount { get; private init; }
    /// <summary>The apex node (SOA, NS).</summary>
    public ZoneNode Apex { get; private set; } = null!;
    /// <summary>The SOA with TTL = min(SOA TTL, SOA MINIMUM), for the authority section of negative answers (RFC 2308 §3).</summary>
    public CompiledRRset NegativeSoa { get; private set; } = null!;
    public int NodeCount { get; private set; }

    /// <summary>The node with exactly this name (uncompressed wire, any case), or null. Allocation-free.</summary>
    public ZoneNode? FindNode(ReadOnlySpan<byte> name) => _index.Find(name);

    public ZoneNode? FindNode(DnsName name) => _index.Find(name.Wire);

    /// <summary>Every node (apex included), in hash order, lazily: a zone transfer walks this snapshot while newer
    /// versions are published (their changes copy nodes and shards, never touch these).</summary>
    public IEnumerable<ZoneNode> EnumerateNodes() => _index.Enumerate();

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
            foreach (var rr in zone.Records)
            {
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
            return z;
        }

        public static CompiledRRset NegativeSoaOf(ZoneNode apex)
        {
            var soa = apex.Find(RecordType.SOA) ?? throw new InvalidOperationException("validated zone without SOA");
            var soaData = soa.RData(0);
            uint minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(soaData[^4..]);
            uint negTtl = Math.Min(soa.FirstTtl, minimum);
            return new CompiledRRset(RecordType.SOA, soa.Data,
                [soa.Records[0] with { Ttl = negTtl }], soa.NameOffsets, soa.NameLengths);
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
            var set = new CompiledRRset(type, data.ToArray(), recs, offsets.ToArray(), lengths.ToArray());
            if (type is RecordType.CNAME or RecordType.DNAME)
                set.TargetWire = RData.TargetName(type, records[0].RData)?.Wire.ToArray();
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
