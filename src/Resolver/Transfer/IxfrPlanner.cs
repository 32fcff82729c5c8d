using AkkaDns.Resolver.Records;

namespace AkkaDns.Resolver.Transfer;

public enum IxfrPlanKind : byte
{
    /// <summary>The client is up to date (same serial, or newer by RFC 1982): answer the single current SOA.</summary>
    Current,
    /// <summary>Send <see cref="IxfrPlan.Diff"/>, the client's version condensed to the current one (RFC 1995 §4).</summary>
    Incremental,
    /// <summary>The client's serial is unknown or older than the history: the whole zone, AXFR-style (RFC 1995 §4).</summary>
    Full,
}

public sealed record IxfrPlan(IxfrPlanKind Kind, ZoneDiff? Diff = null)
{
    public static readonly IxfrPlan Current = new(IxfrPlanKind.Current);
    public static readonly IxfrPlan Full = new(IxfrPlanKind.Full);
}

/// <summary>
/// Decides how an IXFR is answered, from the zone's history alone (pure). An incremental answer is one condensed
/// difference, as RFC 1995 §5 allows and Knot and BIND do: the diffs between the client's serial and the current one
/// are merged, a record deleted then added back (same TTL) cancels out, and so does one added then deleted.
/// </summary>
public static class IxfrPlanner
{
    public static IxfrPlan Plan(ZoneHistory? history, uint clientSerial, uint currentSerial)
    {
        if (clientSerial == currentSerial || SerialNumber.IsNewer(clientSerial, currentSerial)) return IxfrPlan.Current;
        if (history is null || history.Count == 0) return IxfrPlan.Full;
        // The history may run a version ahead of the snapshot being transferred (an edge records a version's difference
        // just before it swaps the table): end at the difference that reaches the snapshot's serial, looked for from the newest.
        int end = history.Count - 1;
        for (int back = 0; end >= 0 && back < 8 && history.Diffs[end].ToSerial != currentSerial; back++) end--;
        if (end < 0 || history.Diffs[end].ToSerial != currentSerial) return IxfrPlan.Full;
        int start = history.IndexOfFrom(clientSerial);
        if (start < 0 || start > end) return IxfrPlan.Full;
        return new IxfrPlan(IxfrPlanKind.Incremental, Condense(history.Diffs.GetRange(start, end - start + 1)));
    }

    /// <summary>Merges a chain of diffs into one from the first's FromSoa to the last's ToSoa.</summary>
    public static ZoneDiff Condense(IReadOnlyList<ZoneDiff> chain)
    {
        if (chain.Count == 0) throw new ArgumentException("empty chain", nameof(chain));
        if (chain.Count == 1) return chain[0];
        // Record identity includes the TTL (ResourceRecord.Equals): a TTL change is a delete and an add, and only
        // an exact re-add restores what the client already has. The sequence number keeps the output in order.
        var deleted = new Dictionary<ResourceRecord, long>();
        var added = new Dictionary<ResourceRecord, long>();
        long seq = 0;
        foreach (var diff in chain)
        {
            foreach (var rr in diff.Deleted)
                if (!added.Remove(rr)) deleted.TryAdd(rr, seq++);
            foreach (var rr in diff.Added)
                if (!deleted.Remove(rr)) added.TryAdd(rr, seq++);
        }
        return new ZoneDiff(chain[0].FromSoa, chain[^1].ToSoa, InOrder(deleted), InOrder(added));
    }

    private static ResourceRecord[] InOrder(Dictionary<ResourceRecord, long> set)
        => set.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
}
