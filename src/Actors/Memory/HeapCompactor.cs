using System.Diagnostics;
using Akka.Event;

namespace AkkaDns.Actors.Memory;

/// <summary>
/// Hands back the memory a large zone load leaves behind. Loading a zone whole (an import or creation, a replacement or
/// rollback, its signing, a local copy or the journal read at start) makes garbage the size of the zone several times
/// over: the records as they arrived, the lists they were sorted and compiled from, the compiler's working sets. A node
/// that then only answers allocates nothing (0 B per answer), so no full collection runs and that garbage stays
/// resident: after a 1M-record import an edge held ~1 GB for ~200 MB live (bench/qps.sh --edge-big). One compacting,
/// decommitting full collection (<see cref="GCCollectionMode.Aggressive"/>) a moment after the last large load returns
/// it to the machine.
/// <para>One per process (<see cref="Process"/>): the heap is the process's, so an edge and the zones in one node share
/// the collection. It stops every thread for the collection (answering too: ~0.1-0.4 s at 1M records), so it runs only
/// after a load of at least the caller's threshold of records, once for a burst of them (each load pushes it back by
/// the delay), and never for the small zones of a mass change. A threshold of 0 turns it off for that caller.</para>
/// </summary>
internal sealed class HeapCompactor : IDisposable
{
    public static HeapCompactor Process { get; } = new(TimeSpan.FromSeconds(2));

    private readonly TimeSpan _delay;
    private readonly Timer _timer;
    private long _loaded; // records loaded since the last run
    private ILoggingAdapter? _log;
    private int _runs;

    public HeapCompactor(TimeSpan delay)
    {
        _delay = delay;
        _timer = new Timer(_ => Run(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>How many collections ran.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>A zone of <paramref name="records"/> records was loaded whole; below <paramref name="threshold"/> (or
    /// with a threshold of 0) nothing happens.</summary>
    public void Loaded(int records, int threshold, ILoggingAdapter log)
    {
        if (threshold <= 0 || records < threshold) return;
        Interlocked.Add(ref _loaded, records);
        _log = log;
        _timer.Change(_delay, Timeout.InfiniteTimeSpan);
    }

    private void Run()
    {
        var records = Interlocked.Exchange(ref _loaded, 0);
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var watch = Stopwatch.StartNew();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        watch.Stop();
        Interlocked.Increment(ref _runs);
        _log?.Info("heap compacted after loading {0} records: {1:0} MB to {2:0} MB in {3} ms",
            records, before / 1048576.0, GC.GetTotalMemory(forceFullCollection: false) / 1048576.0, watch.ElapsedMilliseconds);
    }

    public void Dispose() => _timer.Dispose();
}
