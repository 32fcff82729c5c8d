using System.Diagnostics;

namespace AkkaDns.Actors.Metrics;

/// <summary>
/// A latency histogram in Stopwatch ticks, for events far rarer than queries (journal writes, applied zone
/// versions): plain Interlocked counters, no striping. Read by the node's /metrics.
/// </summary>
public sealed class LatencyHistogram(double[] boundsSeconds)
{
    /// <summary>Upper bounds in seconds; a +Inf bucket follows.</summary>
    public double[] Bounds { get; } = boundsSeconds;

    private readonly long[] _boundTicks = boundsSeconds.Select(s => (long)(s * Stopwatch.Frequency)).ToArray();
    private readonly long[] _counts = new long[boundsSeconds.Length + 1];
    private long _sumTicks;

    public void Record(long elapsedTicks)
    {
        if (elapsedTicks < 0) elapsedTicks = 0; // clocks of two nodes may disagree slightly
        int bucket = 0;
        while (bucket < _boundTicks.Length && elapsedTicks > _boundTicks[bucket]) bucket++;
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsedTicks);
    }

    public void Record(TimeSpan elapsed) => Record((long)(elapsed.TotalSeconds * Stopwatch.Frequency));

    /// <summary>Per-bucket (not cumulative) counts and the sum in seconds.</summary>
    public (long[] Counts, double SumSeconds) Snapshot()
    {
        var counts = new long[_counts.Length];
        for (int i = 0; i < counts.Length; i++) counts[i] = Interlocked.Read(ref _counts[i]);
        return (counts, (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency);
    }
}

/// <summary>The actors' process-wide timings, exported by /metrics.</summary>
public static class ActorMetrics
{
    /// <summary>Zone journal writes on this node: PersistAll to the last event's callback (SQLite or PostgreSQL round trip).</summary>
    public static readonly LatencyHistogram JournalWrite = new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);

    /// <summary>Commit (the event's timestamp on the zones node) to served by this edge's datacenter cache, for
    /// versions applied as deltas or catch-up ranges.</summary>
    public static readonly LatencyHistogram Propagation = new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);
}
