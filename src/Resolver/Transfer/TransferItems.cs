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
    /// Walks the snapshot's nodes in index order; memory stays one enumerator whatever the zone's size.</summary>
    public static IEnumerable<TransferItem> Axfr(CompiledZone zone)
    {
        var apex = zone.Apex;
        var soa = apex.Find(RecordType.SOA) ?? throw new InvalidOperationException("zone without SOA");
        yield return new TransferItem(apex.Name, soa, 0);
        foreach (var set in apex.RRsets)
            if (set.Type != RecordType.SOA)
                for (int i = 0; i < set.Records.Length; i++) yield return new TransferItem(apex.Name, set, i);
        foreach (var node in zone.EnumerateNodes())
        {
            if (node.IsApex) continue;
            foreach (var set in node.RRsets)
                for (int i = 0; i < set.Records.Length; i++) yield return new TransferItem(node.Name, set, i);
        }
        yield return new TransferItem(apex.Name, soa, 0);
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
