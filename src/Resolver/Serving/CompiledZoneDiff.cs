using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// The records one compiled version of a zone deleted and added against another (the raw material of IXFR, RFC 1995):
/// a TTL change is a deletion and an addition, the apex SOA is left out (the caller has both). A set whose compiled
/// bytes are the same in both is skipped without decoding, so two versions of a 1M-record zone that differ in a few
/// RRsets cost a lookup per name, not a copy of the zone.
/// </summary>
public static class CompiledZoneDiff
{
    /// <summary>The whole zones compared, name by name (the name tree, then the NSEC3 chain).</summary>
    public static void Between(CompiledZone before, CompiledZone after, List<ResourceRecord> deleted, List<ResourceRecord> added)
    {
        foreach (var node in after.EnumerateTreeNodes()) Compare(before.FindNode(node.Name), node, deleted, added);
        foreach (var node in before.EnumerateTreeNodes())
            if (after.FindNode(node.Name) is null) Compare(node, null, deleted, added);
        foreach (var node in after.Nsec3.Nodes) Compare(before.Nsec3.Find(node.Name), node, deleted, added);
        foreach (var node in before.Nsec3.Nodes)
            if (after.Nsec3.Find(node.Name) is null) Compare(node, null, deleted, added);
    }

    /// <summary>Only the RRsets named by <paramref name="updates"/> compared: the cost follows the change.</summary>
    public static void ForUpdates(CompiledZone before, CompiledZone after, IReadOnlyList<RRsetUpdate> updates,
        List<ResourceRecord> deleted, List<ResourceRecord> added)
    {
        var seen = new HashSet<(DnsName, RecordType)>();
        foreach (var u in updates)
        {
            if (u.Type == RecordType.SOA && u.Owner.Equals(before.Origin)) continue;
            if (!seen.Add((u.Owner, u.Type))) continue;
            Compare(before.RRset(u.Owner, u.Type), after.RRset(u.Owner, u.Type), deleted, added);
        }
    }

    private static void Compare(ZoneNode? old, ZoneNode? now, List<ResourceRecord> deleted, List<ResourceRecord> added)
    {
        DnsName? owner = null;
        DnsName Owner() => owner ??= DnsName.FromWire((now ?? old)!.Name);
        bool apex = (now ?? old)!.IsApex;
        if (now is not null)
            foreach (var set in now.RRsets)
            {
                if (apex && set.Type == RecordType.SOA) continue;
                var was = old?.Find(set.Type);
                if (was is not null && was.Data.AsSpan().SequenceEqual(set.Data)) continue;
                Compare(was is null ? [] : CompiledZone.Decode(Owner(), was), CompiledZone.Decode(Owner(), set), deleted, added);
            }
        if (old is not null)
            foreach (var set in old.RRsets)
                if (!(apex && set.Type == RecordType.SOA) && now?.Find(set.Type) is null)
                    deleted.AddRange(CompiledZone.Decode(Owner(), set));
    }

    private static void Compare(IReadOnlyList<ResourceRecord> old, IReadOnlyList<ResourceRecord> now, List<ResourceRecord> deleted, List<ResourceRecord> added)
    {
        if (old.Count == 0) { added.AddRange(now); return; }
        if (now.Count == 0) { deleted.AddRange(old); return; }
        var nowSet = new HashSet<ResourceRecord>(now); // equality includes the TTL
        var oldSet = new HashSet<ResourceRecord>(old);
        foreach (var r in old) if (!nowSet.Contains(r)) deleted.Add(r);
        foreach (var r in now) if (!oldSet.Contains(r)) added.Add(r);
    }
}
