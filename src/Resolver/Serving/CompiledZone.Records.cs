using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// The records back out of a compiled zone. An edge keeps no second copy of its zones' records (that list was four
/// fifths of its memory per record): its local copy, the difference between two served versions and the rare
/// whole-zone event are read from the compiled sets, which hold every record's TTL and uncompressed RDATA.
/// </summary>
public sealed partial class CompiledZone
{
    /// <summary>Every record, node by node in the index's order (not canonical order), each node's sets in type order;
    /// the NSEC3 chain last. Lazy: one record object at a time, whatever the zone's size.</summary>
    public IEnumerable<ResourceRecord> EnumerateRecords()
    {
        foreach (var node in EnumerateNodes())
        {
            if (node.RRsets.Length == 0) continue; // an empty non-terminal
            var owner = DnsName.FromWire(node.Name);
            foreach (var set in node.RRsets)
                for (int i = 0; i < set.Records.Length; i++) yield return Decode(owner, set, i);
        }
    }

    /// <summary>How many records <see cref="EnumerateRecords"/> gives (counted, not stored: exact after any change).</summary>
    public int CountRecords()
    {
        int n = 0;
        foreach (var node in EnumerateNodes())
            foreach (var set in node.RRsets) n += set.Records.Length;
        return n;
    }

    /// <summary>The records of one RRset, empty when the zone has none. NSEC3 records and the RRSIGs over them are
    /// looked up in the chain, every other type in the name tree.</summary>
    public IReadOnlyList<ResourceRecord> RRset(DnsName owner, RecordType type)
    {
        var node = type == RecordType.NSEC3 ? Nsec3.Find(owner.Wire) : FindNode(owner) ?? Nsec3.Find(owner.Wire);
        return node?.Find(type) is { } set ? Decode(owner, set) : [];
    }

    /// <summary>The apex SOA record, as stored (its own TTL, not the negative-answer one).</summary>
    public ResourceRecord Soa => Decode(Origin, Apex.Find(RecordType.SOA) ?? throw new InvalidOperationException($"zone {Origin} has no SOA"), 0);

    internal IEnumerable<ZoneNode> EnumerateTreeNodes() => _index.Enumerate();

    internal static List<ResourceRecord> Decode(DnsName owner, CompiledRRset set)
    {
        var list = new List<ResourceRecord>(set.Records.Length);
        for (int i = 0; i < set.Records.Length; i++) list.Add(Decode(owner, set, i));
        return list;
    }

    private static ResourceRecord Decode(DnsName owner, CompiledRRset set, int i) =>
        new(owner, set.Type, set.Records[i].Ttl, set.RData(i).ToArray());
}
