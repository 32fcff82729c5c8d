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
                var node = walk[k];
                if (node.IsApex) continue;
                foreach (var set in node.RRsets)
                    for (int i = 0; i < set.Records.Length; i++) yield return new TransferItem(node.Name, set, i);
            }
        yield return new TransferItem(apex.Name, soa, 0);
    }

    /// <summary>
    /// The snapshot's nodes in index (hash) order, a batch at a time, with what writing a batch reads already on its way
    /// into the cache. In hash order every node is a cache miss, and so is each object behind it (name, RRset array,
    /// each RRset, its records and its RDATA): one after the other, that was ~1 µs a node, more than writing its
    /// records. The batches are a pipeline of prefetches, one level of objects per batch ahead: while batch t is
    /// written, t+1's records and RDATA, t+2's RRsets, t+3's names and RRset arrays and t+4's nodes are fetched, each
    /// level from objects the step before brought in, so writing rarely waits for memory. The batches are arrays of a
    /// struct (no covariant store check, which would read each node's type: the very miss being avoided). A prefetch
    /// never changes what is read (a stale address after a GC move only wastes the hint); without SSE there is none.
    /// </summary>
    private sealed unsafe class PrefetchingWalk
    {
        private const int BatchNodes = 16, Depth = 5;
        private struct Entry { public ZoneNode Node; }
        private readonly IEnumerator<ZoneNode> _nodes;
        private readonly Entry[][] _ring = new Entry[Depth][];
        private readonly int[] _counts = new int[Depth];
        private long _next;

        public PrefetchingWalk(CompiledZone zone)
        {
            _nodes = zone.EnumerateNodes().GetEnumerator();
            for (int d = 0; d < Depth; d++) _ring[d] = new Entry[BatchNodes];
            for (long t = 1 - Depth; t < 0; t++) Step(t); // fill the pipeline
        }

        /// <summary>Node <paramref name="k"/> of the batch <see cref="NextBatch"/> returned.</summary>
        public ZoneNode this[int k] => _ring[(_next - 1) % Depth][k].Node;

        /// <summary>Moves to the next batch; its size (0 at the end).</summary>
        public int NextBatch()
        {
            long t = _next++;
            Step(t);
            return _counts[t % Depth];
        }

        private void Step(long t)
        {
            Fetch(t + 4);
            if (t + 3 >= 0)
                foreach (ref var e in Batch(t + 3)) { Prefetch(e.Node.Name); Prefetch(e.Node.RRsets); }
            if (t + 2 >= 0)
                foreach (ref var e in Batch(t + 2)) foreach (var set in e.Node.RRsets) Prefetch(set);
            if (t + 1 >= 0)
                foreach (ref var e in Batch(t + 1)) foreach (var set in e.Node.RRsets) Prefetch(set.Data); // the set's one array: records, name positions, RDATA
        }

        private Span<Entry> Batch(long t) => _ring[t % Depth].AsSpan(0, _counts[t % Depth]);

        private void Fetch(long t)
        {
            var batch = _ring[t % Depth];
            int n = 0;
            for (; n < BatchNodes && _nodes.MoveNext(); n++) Prefetch(batch[n].Node = _nodes.Current); // the index's slots only
            Array.Clear(batch, n, BatchNodes - n);
            _counts[t % Depth] = n;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static void Prefetch(object o)
        {
            if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
                System.Runtime.Intrinsics.X86.Sse.Prefetch0((void*)System.Runtime.CompilerServices.Unsafe.As<object, nint>(ref o));
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
