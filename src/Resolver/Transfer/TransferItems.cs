using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Transfer;

/// <summary>One record of a transfer: a record of a compiled RRset (AXFR: straight from the snapshot, nothing
/// materialized) or a record of an IXFR difference.</summary>
internal readonly struct TransferItem
{
    public TransferItem(byte[] owner, CompiledRRset set, int index) { Owner = owner; Set = set; Index = index; Record = null; }
    public TransferItem(ResourceRecord record) { Owner = null; Set = null; Index = 0; Record = record; }

    public byte[]? Owner { get; }
    public CompiledRRset? Set { get; }
    public int Index { get; }
    public ResourceRecord? Record { get; }
}

/// <summary>The record sequences of RFC 5936 §2.2 and RFC 1995 §4, as lazy walks.</summary>
internal static class TransferItems
{
    /// <summary>SOA, every record of every node but the SOA (delegations, glue and occluded data included), SOA.
    /// Walks the snapshot's nodes in index order; memory stays one enumerator and a few small batches whatever the
    /// zone's size.</summary>
    public static IEnumerable<TransferItem> Axfr(CompiledZone zone)
    {
        var apex = zone.Apex;
        var soa = apex.Find(RecordType.SOA) ?? throw new InvalidOperationException("zone without SOA");
        yield return new TransferItem(apex.Name, soa, 0);
        foreach (var set in apex.RRsets)
            if (set.Type != RecordType.SOA)
                for (int i = 0; i < set.Records.Length; i++) yield return new TransferItem(apex.Name, set, i);
        var walk = new PrefetchingWalk(zone);
        while (walk.NextBatch() is var n && n > 0)
            for (int k = 0; k < n; k++)
            {
                var node = walk.Nodes[k];
                if (node.IsApex) continue;
                foreach (var set in node.RRsets)
                    for (int i = 0; i < set.Records.Length; i++) yield return new TransferItem(node.Name, set, i);
            }
        yield return new TransferItem(apex.Name, soa, 0);
    }

    /// <summary>
    /// The snapshot's nodes in index (hash) order, a batch at a time, each batch's objects loaded before its records
    /// are written. In hash order every node is a cache miss, and so is each object behind it (name, RRset array, each
    /// RRset, its records and its RDATA): one after the other that was ~1 µs a node, more than writing the records.
    /// Here each level is read for the whole batch before the next (node → name and RRsets → each RRset → its records
    /// and RDATA), so a batch's misses of one level overlap: a few memory latencies per batch instead of per object.
    /// </summary>
    private sealed class PrefetchingWalk(CompiledZone zone)
    {
        private const int BatchNodes = 64, BatchSets = 256;
        private readonly IEnumerator<ZoneNode> _nodes = zone.EnumerateNodes().GetEnumerator();
        private readonly CompiledRRset[][] _rrsets = new CompiledRRset[BatchNodes][];
        private readonly CompiledRRset[] _sets = new CompiledRRset[BatchSets];
        private readonly CompiledRecord[][] _records = new CompiledRecord[BatchSets][];
        private readonly byte[][] _data = new byte[BatchSets][];
        private int _sink;

        public ZoneNode[] Nodes { get; } = new ZoneNode[BatchNodes];

        /// <summary>The next batch into <see cref="Nodes"/>, loaded; its size (0 at the end).</summary>
        public int NextBatch()
        {
            int n = 0;
            while (n < BatchNodes && _nodes.MoveNext()) Nodes[n++] = _nodes.Current; // the index's slots only
            int sink = 0, sets = 0;
            for (int k = 0; k < n; k++) _rrsets[k] = Nodes[k].RRsets;          // the nodes
            for (int k = 0; k < n; k++)
            {
                sink += Nodes[k].Name[0];                                      // the owner names
                foreach (var set in _rrsets[k])                                // the RRset arrays
                    if (sets < BatchSets) _sets[sets++] = set;
            }
            for (int s = 0; s < sets; s++) { _records[s] = _sets[s].Records; _data[s] = _sets[s].Data; } // the RRsets
            for (int s = 0; s < sets; s++) sink += _records[s].Length + _data[s].Length;          // records, RDATA
            _sink += sink; // kept, so the loads are not dropped
            Array.Clear(_rrsets, 0, n);
            Array.Clear(_sets, 0, sets);
            Array.Clear(_records, 0, sets);
            Array.Clear(_data, 0, sets);
            return n;
        }
    }

    /// <summary>The current SOA alone: an IXFR client that is up to date (RFC 1995 §4), or the UDP fallback (§2).</summary>
    public static IEnumerable<TransferItem> SoaOnly(CompiledZone zone)
    {
        var apex = zone.Apex;
        yield return new TransferItem(apex.Name, apex.Find(RecordType.SOA) ?? throw new InvalidOperationException("zone without SOA"), 0);
    }

    /// <summary>SOA(new), SOA(old), deletions, SOA(new), additions, SOA(new) (RFC 1995 §4, one condensed difference).</summary>
    public static IEnumerable<TransferItem> Incremental(ZoneDiff diff)
    {
        yield return new TransferItem(diff.ToSoa);
        yield return new TransferItem(diff.FromSoa);
        foreach (var rr in diff.Deleted) yield return new TransferItem(rr);
        yield return new TransferItem(diff.ToSoa);
        foreach (var rr in diff.Added) yield return new TransferItem(rr);
        yield return new TransferItem(diff.ToSoa);
    }
}
