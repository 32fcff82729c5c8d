using System.Diagnostics;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// Until when this front end may answer: a deadline on the monotonic clock (<see cref="Stopwatch"/> ticks), read by
/// every UDP and TCP loop before it answers a query. Whoever knows whether the data is current (on an edge, the fence
/// actor) extends it; when it lapses, queries are dropped unanswered. A process that wakes from a freeze finds the
/// deadline passed and answers nothing before it is granted again: the check runs at answer time, not on a timer.
/// Reading it costs one volatile load and one clock read; nothing is allocated.
/// </summary>
public sealed class ServingLease
{
    private long _until;

    /// <summary>Monotonic now, in <see cref="Stopwatch"/> ticks (the clock <see cref="ExtendTo"/> takes).</summary>
    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>A lease that is valid for <paramref name="initial"/> from now (zero: not valid until extended).</summary>
    public ServingLease(TimeSpan initial = default)
    {
        if (initial > TimeSpan.Zero) _until = Now + Ticks(initial);
    }

    /// <summary>True while the deadline has not passed.</summary>
    public bool IsValid => Now < Volatile.Read(ref _until);

    /// <summary>The deadline, in <see cref="Stopwatch"/> ticks (0: revoked).</summary>
    public long Until => Volatile.Read(ref _until);

    /// <summary>Moves the deadline to <paramref name="until"/> (ticks) if that is later; never shortens it.</summary>
    public void ExtendTo(long until)
    {
        long seen = Volatile.Read(ref _until);
        while (until > seen)
        {
            long had = Interlocked.CompareExchange(ref _until, until, seen);
            if (had == seen) return;
            seen = had;
        }
    }

    /// <summary>Ends the lease now: every query from here on is dropped until <see cref="ExtendTo"/>.</summary>
    public void Revoke() => Volatile.Write(ref _until, 0);

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
