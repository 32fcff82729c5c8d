using System.Collections.Immutable;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

/// <summary>An ask to send to a zone: its whole content (<see cref="Full"/>) or the changes since the version held.</summary>
public readonly record struct ZoneFetch(ZoneId ZoneId, bool Full);

/// <summary>A fetch wanted by a planner: <see cref="Urgent"/> ones (catch-ups for deltas) go before sweep checks.</summary>
internal readonly record struct FetchRequest(ZoneId ZoneId, bool Full, bool Urgent = true);

/// <summary>
/// The edge's asks to zones (pure, immutable; <c>now</c> passed in): one ask in flight per zone, at most
/// <see cref="MaxInFlight"/> in all; the rest wait in two queues, catch-ups first, sweep checks after (10,000 asks fired
/// at once time out together on a busy zones node and are asked again, which keeps it busy). An ask unanswered for
/// <see cref="Timeout"/> is given up (a delivery failure) and asked again, as a catch-up.
/// </summary>
internal sealed record FetchQueue
{
    private readonly record struct InFlight(DateTimeOffset Sent, bool Full);

    private ImmutableDictionary<ZoneId, InFlight> Sent { get; init; } = ImmutableDictionary<ZoneId, InFlight>.Empty;
    /// <summary>Zones waiting for a slot (whole zone wanted; urgent). A zone promoted to urgent stays in the sweep
    /// queue too; that place is skipped once it has been sent.</summary>
    private ImmutableDictionary<ZoneId, (bool Full, bool Urgent)> Waiting { get; init; } = ImmutableDictionary<ZoneId, (bool, bool)>.Empty;
    private ImmutableQueue<ZoneId> UrgentQueue { get; init; } = ImmutableQueue<ZoneId>.Empty;
    private ImmutableQueue<ZoneId> SweepQueue { get; init; } = ImmutableQueue<ZoneId>.Empty;

    public int MaxInFlight { get; }
    public TimeSpan Timeout { get; }

    public FetchQueue(int maxInFlight, TimeSpan timeout)
    {
        MaxInFlight = maxInFlight;
        Timeout = timeout;
    }

    public static FetchQueue For(DatacenterSettings settings) => new(settings.MaxConcurrentRequests, settings.RequestTimeout);

    public int InFlightCount => Sent.Count;

    /// <summary>An ask for the zone was sent and neither answered nor timed out yet.</summary>
    public bool IsInFlight(ZoneId id) => Sent.ContainsKey(id);

    /// <summary>In flight or waiting for a slot (the status's <c>Pending</c>).</summary>
    public bool IsBusy(ZoneId id) => Sent.ContainsKey(id) || Waiting.ContainsKey(id);

    /// <summary>
    /// Wants the zone fetched. Nothing new while an ask for it is in flight (its reply comes, or it times out); merged
    /// into its waiting place when it waits (whole zone wins, urgent wins and jumps the sweep queue); sent at once
    /// (<c>Send</c>) when a slot is free and nobody waits; else it waits.
    /// </summary>
    public (FetchQueue Queue, ZoneFetch? Send) Request(FetchRequest r, DateTimeOffset now)
    {
        var (id, full, urgent) = r;
        if (Sent.ContainsKey(id)) return (this, null);
        if (Waiting.TryGetValue(id, out var waiting))
        {
            var q = this with { Waiting = Waiting.SetItem(id, (waiting.Full || full, waiting.Urgent || urgent)) };
            if (urgent && !waiting.Urgent) q = q with { UrgentQueue = q.UrgentQueue.Enqueue(id) }; // promoted
            return (q, null);
        }
        if (Sent.Count < MaxInFlight && UrgentQueue.IsEmpty && SweepQueue.IsEmpty)
            return (this with { Sent = Sent.SetItem(id, new InFlight(now, full)) }, new ZoneFetch(id, full));
        return (this with
        {
            Waiting = Waiting.SetItem(id, (full, urgent)),
            UrgentQueue = urgent ? UrgentQueue.Enqueue(id) : UrgentQueue,
            SweepQueue = urgent ? SweepQueue : SweepQueue.Enqueue(id),
        }, null);
    }

    /// <summary>The zone answered (content, changes, not found, snapshot needed): its slot is free.</summary>
    public FetchQueue Answered(ZoneId id) => Sent.ContainsKey(id) ? this with { Sent = Sent.Remove(id) } : this;

    /// <summary>The zone is gone: nothing in flight or waiting for it any more (its queue places are skipped).</summary>
    public FetchQueue Forget(ZoneId id) => this with { Sent = Sent.Remove(id), Waiting = Waiting.Remove(id) };

    /// <summary>Fills free slots from the queues, catch-ups first: what to send now.</summary>
    public (FetchQueue Queue, IReadOnlyList<ZoneFetch> Send) Pump(DateTimeOffset now)
    {
        if (Sent.Count >= MaxInFlight || UrgentQueue.IsEmpty && SweepQueue.IsEmpty) return (this, []);
        var sent = Sent.ToBuilder();
        var waiting = Waiting.ToBuilder();
        var (urgent, sweep) = (UrgentQueue, SweepQueue);
        var send = new List<ZoneFetch>();
        while (sent.Count < MaxInFlight && (!urgent.IsEmpty || !sweep.IsEmpty))
        {
            ZoneId id;
            if (!urgent.IsEmpty) urgent = urgent.Dequeue(out id);
            else sweep = sweep.Dequeue(out id);
            if (!waiting.TryGetValue(id, out var w)) continue; // already sent (promoted), or forgotten
            waiting.Remove(id);
            if (sent.ContainsKey(id)) continue;
            sent[id] = new InFlight(now, w.Full);
            send.Add(new ZoneFetch(id, w.Full));
        }
        return (this with { Sent = sent.ToImmutable(), Waiting = waiting.ToImmutable(), UrgentQueue = urgent, SweepQueue = sweep }, send);
    }

    /// <summary>
    /// Asks unanswered for <see cref="Timeout"/> or longer (the transfer never completed): <c>Late</c>, each a delivery
    /// failure to report, oldest first; each is asked again as a catch-up (<c>Send</c>: those sent at once, the others
    /// wait for a slot).
    /// </summary>
    public (FetchQueue Queue, IReadOnlyList<ZoneFetch> Late, IReadOnlyList<ZoneFetch> Send) Expire(DateTimeOffset now)
    {
        if (Sent.IsEmpty) return (this, [], []);
        var late = Sent.Where(kv => now - kv.Value.Sent >= Timeout)
            .OrderBy(kv => kv.Value.Sent).ThenBy(kv => kv.Key)
            .Select(kv => new ZoneFetch(kv.Key, kv.Value.Full)).ToList();
        if (late.Count == 0) return (this, [], []);
        var q = this;
        var send = new List<ZoneFetch>();
        foreach (var l in late)
        {
            q = q with { Sent = q.Sent.Remove(l.ZoneId) };
            (q, var s) = q.Request(new FetchRequest(l.ZoneId, l.Full), now);
            if (s is { } f) send.Add(f);
        }
        return (q, late, send);
    }
}
