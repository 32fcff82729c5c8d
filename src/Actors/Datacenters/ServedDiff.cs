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

/// <summary>Computes <see cref="ServedDiff"/>s from the compiled versions an edge serves (it keeps no other copy of the
/// records: <see cref="CompiledZoneDiff"/>).</summary>
internal static class ServedDiffs
{
    /// <summary>The diff of an incremental apply: only the RRsets named by <paramref name="updates"/> are compared,
    /// so the cost follows the change, not the zone.</summary>
    public static ServedDiff ForUpdates(CompiledZone before, CompiledZone after, IReadOnlyList<RRsetUpdate> updates)
    {
        var (deleted, added) = (new List<ResourceRecord>(), new List<ResourceRecord>());
        CompiledZoneDiff.ForUpdates(before, after, updates, deleted, added);
        return new ServedDiff(before.Soa, after.Soa, deleted, added);
    }

    /// <summary>The diff of a whole-zone change: every name of both versions looked up in the other.</summary>
    public static ServedDiff Between(CompiledZone before, CompiledZone after)
    {
        var (deleted, added) = (new List<ResourceRecord>(), new List<ResourceRecord>());
        CompiledZoneDiff.Between(before, after, deleted, added);
        return new ServedDiff(before.Soa, after.Soa, deleted, added);
    }
}
