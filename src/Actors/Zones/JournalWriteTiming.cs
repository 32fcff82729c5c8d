using System.Diagnostics;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// Process-wide histogram of zone journal writes: from PersistAll to the last event's callback (the journal's
/// round trip, SQLite or PostgreSQL). Writes are rare next to queries, so plain Interlocked counters suffice.
/// Read by the node's /metrics (akkadns_journal_write_seconds).
/// </summary>
public static class JournalWriteTiming
{
    /// <summary>Upper bounds in seconds; a +Inf bucket follows.</summary>
    public static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private static readonly long[] BoundTicks = Bounds.Select(s => (long)(s * Stopwatch.Frequency)).ToArray();
    private static readonly long[] Counts = new long[Bounds.Length + 1];
    private static long _sumTicks;

    public static void Record(long elapsedTicks)
    {
        int bucket = 0;
        while (bucket < BoundTicks.Length && elapsedTicks > BoundTicks[bucket]) bucket++;
        Interlocked.Increment(ref Counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsedTicks);
    }

    /// <summary>Per-bucket (not cumulative) counts and the sum in seconds.</summary>
    public static (long[] Counts, double SumSeconds) Snapshot()
    {
        var counts = new long[Counts.Length];
        for (int i = 0; i < counts.Length; i++) counts[i] = Interlocked.Read(ref Counts[i]);
        return (counts, (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency);
    }
}
