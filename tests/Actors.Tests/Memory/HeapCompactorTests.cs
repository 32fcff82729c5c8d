using Akka.Event;
using AkkaDns.Actors.Memory;

namespace AkkaDns.Actors.Tests.Memory;

/// <summary>The compaction after a large load: only at or above the threshold, once for a burst, never when off.</summary>
public sealed class HeapCompactorTests
{
    private static readonly ILoggingAdapter Log = new BusLogging(new EventStream(false), "test", typeof(HeapCompactorTests), DefaultLogMessageFormatter.Instance);

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }

    [Fact]
    public void A_burst_of_large_loads_compacts_once_after_the_last()
    {
        using var compactor = new HeapCompactor(TimeSpan.FromMilliseconds(300));
        compactor.Loaded(150_000, 100_000, Log);
        compactor.Loaded(100_000, 100_000, Log); // pushes the run back
        Assert.True(WaitFor(() => compactor.Runs == 1, TimeSpan.FromSeconds(10)), "no compaction after the loads");
        Thread.Sleep(600);
        Assert.Equal(1, compactor.Runs);
    }

    [Fact]
    public void Small_loads_and_a_threshold_of_zero_never_compact()
    {
        using var compactor = new HeapCompactor(TimeSpan.FromMilliseconds(50));
        for (int i = 0; i < 100; i++) compactor.Loaded(99_999, 100_000, Log); // a mass change of small zones
        compactor.Loaded(5_000_000, 0, Log); // off
        Thread.Sleep(500);
        Assert.Equal(0, compactor.Runs);
    }
}
