using System.Collections.Immutable;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Datacenters;

/// <summary>
/// How one served version of a zone differs from the one served before it on this edge: the SOA before and after, and
/// the other records deleted and added (a TTL change is a deletion and an addition, as IXFR carries it). The raw
/// material of the edge's IXFR history (RFC 1995) and of its NOTIFYs.
/// </summary>
public sealed record ServedDiff(ResourceRecord FromSoa, ResourceRecord ToSoa, IReadOnlyList<ResourceRecord> Deleted, IReadOnlyList<ResourceRecord> Added);

/// <summary>
/// Told by the <see cref="DatacenterActor"/> each time what the edge serves changes (zone transfers keep their history
/// and send NOTIFYs from it). Called on the actor's thread: must be quick and must not throw.
/// </summary>
public interface IServedZoneObserver
{
    /// <summary>A version of <paramref name="origin"/> is about to be served (called just before the table swaps, so an
    /// IXFR that reads the new version always finds its difference); <paramref name="diff"/> is null when the edge had
    /// no version of it before (a new zone, a local copy loaded at start, a zone whose history was lost).</summary>
    void Serving(DnsName origin, uint serial, ServedDiff? diff);

    /// <summary>The version is served now (after the swap: a secondary told of it finds it). <paramref name="changed"/>
    /// is false when there was no previous version.</summary>
    void Served(DnsName origin, uint serial, bool changed);

    void Removed(DnsName origin);
}

/// <summary>Computes <see cref="ServedDiff"/>s from the edge's held records (kept in <see cref="Zones.ZoneState"/>'s
/// order: the apex SOA first, then owner in canonical order, then type).</summary>
internal static class ServedDiffs
{
    /// <summary>The diff of an incremental apply: only the RRsets named by <paramref name="updates"/> are compared,
    /// so the cost follows the change, not the zone.</summary>
    public static ServedDiff? ForUpdates(ImmutableList<ResourceRecord> before, ImmutableList<ResourceRecord> after,
        DnsName apex, IReadOnlyList<RRsetUpdate> updates)
    {
        if (!TrySoa(before, out var fromSoa) || !TrySoa(after, out var toSoa)) return null;
        var deleted = new List<ResourceRecord>();
        var added = new List<ResourceRecord>();
        var seen = new HashSet<(DnsName, RecordType)>();
        foreach (var u in updates)
        {
            if (u.Type == RecordType.SOA && u.Owner.Equals(apex)) continue;
            if (!seen.Add((u.Owner, u.Type))) continue;
            Compare(Slice(before, apex, u.Owner, u.Type), Slice(after, apex, u.Owner, u.Type), deleted, added);
        }
        return new ServedDiff(fromSoa!, toSoa!, deleted, added);
    }

    /// <summary>The diff of a whole-zone change: both lists walked once, RRset by RRset.</summary>
    public static ServedDiff? Between(ImmutableList<ResourceRecord> before, ImmutableList<ResourceRecord> after, DnsName apex)
    {
        if (!TrySoa(before, out var fromSoa) || !TrySoa(after, out var toSoa)) return null;
        var deleted = new List<ResourceRecord>();
        var added = new List<ResourceRecord>();
        int i = 1, j = 1; // index 0 is the SOA in both
        while (i < before.Count || j < after.Count)
        {
            int c = i >= before.Count ? 1 : j >= after.Count ? -1
                : IncrementalApply.Compare(before[i], apex, after[j].Owner, after[j].Type);
            int iEnd = c <= 0 ? IncrementalApply.RunEnd(before, i) : i;
            int jEnd = c >= 0 ? IncrementalApply.RunEnd(after, j) : j;
            Compare(before.GetRange(i, iEnd - i), after.GetRange(j, jEnd - j), deleted, added);
            i = iEnd; j = jEnd;
        }
        return new ServedDiff(fromSoa!, toSoa!, deleted, added);
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

    private static IReadOnlyList<ResourceRecord> Slice(ImmutableList<ResourceRecord> records, DnsName apex, DnsName owner, RecordType type)
    {
        int start = IncrementalApply.Bound(records, apex, owner, type, after: false);
        int end = IncrementalApply.Bound(records, apex, owner, type, after: true);
        return end > start ? records.GetRange(start, end - start) : [];
    }

    private static bool TrySoa(ImmutableList<ResourceRecord> records, out ResourceRecord? soa)
    {
        soa = records.Count > 0 && records[0].Type == RecordType.SOA ? records[0] : null;
        return soa is not null;
    }
}
