using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>The edge's asks to zones, without an actor: slots, the two queues, answers and timeouts, on a given clock.</summary>
public sealed class FetchQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static ZoneId Z(int i) => ZoneId.Parse($"z{i}.fetch.test.");

    private static (FetchQueue, List<ZoneFetch>) RequestAll(FetchQueue q, IEnumerable<FetchRequest> requests, DateTimeOffset now)
    {
        var sent = new List<ZoneFetch>();
        foreach (var r in requests)
        {
            (q, var s) = q.Request(r, now);
            if (s is { } f) sent.Add(f);
        }
        return (q, sent);
    }

    [Fact]
    public void A_request_is_sent_at_once_while_a_slot_is_free()
    {
        var (q, send) = new FetchQueue(2, Timeout).Request(new FetchRequest(Z(1), Full: true), T0);
        Assert.Equal(new ZoneFetch(Z(1), true), send);
        Assert.True(q.IsInFlight(Z(1)));
        Assert.True(q.IsBusy(Z(1)));
        Assert.Equal(1, q.InFlightCount);
    }

    [Fact]
    public void At_most_the_limit_is_in_flight_and_an_answer_frees_exactly_one_slot()
    {
        var (q, sent) = RequestAll(new FetchQueue(2, Timeout), Enumerable.Range(0, 5).Select(i => new FetchRequest(Z(i), Full: true)), T0);
        Assert.Equal([Z(0), Z(1)], sent.Select(s => s.ZoneId));
        Assert.True(q.IsBusy(Z(4)));
        Assert.False(q.IsInFlight(Z(4)));
        (q, var none) = q.Pump(T0);
        Assert.Empty(none);

        (q, var next) = q.Answered(Z(0)).Pump(T0.AddSeconds(1));
        Assert.Equal([new ZoneFetch(Z(2), true)], next);
        Assert.Equal(2, q.InFlightCount);
    }

    [Fact]
    public void One_ask_per_zone_a_second_request_while_in_flight_adds_nothing()
    {
        var (q, _) = new FetchQueue(1, Timeout).Request(new FetchRequest(Z(1), Full: false), T0);
        (var again, var send) = q.Request(new FetchRequest(Z(1), Full: true), T0);
        Assert.Null(send);
        Assert.Same(q, again);
    }

    [Fact]
    public void Catch_ups_go_before_sweep_checks_and_a_promoted_sweep_check_is_sent_once()
    {
        var q = new FetchQueue(1, Timeout);
        (q, _) = RequestAll(q, [new FetchRequest(Z(0), false), new FetchRequest(Z(1), false, Urgent: false),
            new FetchRequest(Z(2), false, Urgent: false), new FetchRequest(Z(3), false)], T0);
        (q, _) = q.Request(new FetchRequest(Z(2), Full: true), T0); // promoted, and now wants the whole zone

        var order = new List<ZoneFetch>();
        var inFlight = Z(0);
        for (int i = 0; i < 4; i++)
        {
            (q, var send) = q.Answered(inFlight).Pump(T0);
            if (send.Count == 0) break;
            order.AddRange(send);
            inFlight = send[^1].ZoneId;
        }
        Assert.Equal([new ZoneFetch(Z(3), false), new ZoneFetch(Z(2), true), new ZoneFetch(Z(1), false)], order);
    }

    [Fact]
    public void A_new_request_waits_behind_those_already_waiting_even_when_a_slot_is_free()
    {
        var (q, _) = RequestAll(new FetchQueue(1, Timeout), [new FetchRequest(Z(0), true), new FetchRequest(Z(1), true)], T0);
        q = q.Answered(Z(0)); // a slot is free, Z(1) still waits: the pump (after the message) sends it first
        (q, var send) = q.Request(new FetchRequest(Z(2), true), T0);
        Assert.Null(send);
        (_, var pumped) = q.Pump(T0);
        Assert.Equal([new ZoneFetch(Z(1), true)], pumped);
    }

    [Fact]
    public void An_unanswered_ask_is_given_up_after_the_timeout_and_asked_again()
    {
        var (q, _) = RequestAll(new FetchQueue(2, Timeout), [new FetchRequest(Z(0), true)], T0);
        (q, _) = RequestAll(q, [new FetchRequest(Z(1), false)], T0.AddSeconds(3));

        (q, var late, var send) = q.Expire(T0.AddSeconds(4.9));
        Assert.Empty(late);
        Assert.Empty(send);

        (q, late, send) = q.Expire(T0.AddSeconds(5));
        Assert.Equal([new ZoneFetch(Z(0), true)], late);
        Assert.Equal([new ZoneFetch(Z(0), true)], send); // the retry is a new ask, timed from now
        (q, late, _) = q.Expire(T0.AddSeconds(8));
        Assert.Equal([new ZoneFetch(Z(1), false)], late);
        (_, late, _) = q.Expire(T0.AddSeconds(9.9));
        Assert.Empty(late);
    }

    [Fact]
    public void A_retry_waits_for_a_slot_behind_what_already_waits()
    {
        var (q, _) = RequestAll(new FetchQueue(1, Timeout), [new FetchRequest(Z(0), true), new FetchRequest(Z(1), true)], T0);
        (q, var late, var send) = q.Expire(T0 + Timeout);
        Assert.Equal([new ZoneFetch(Z(0), true)], late);
        Assert.Empty(send); // Z(1) waited first
        Assert.True(q.IsBusy(Z(0)));
        (_, var pumped) = q.Pump(T0 + Timeout);
        Assert.Equal([new ZoneFetch(Z(1), true)], pumped);
    }

    [Fact]
    public void A_forgotten_zone_is_neither_in_flight_nor_sent_from_the_queue()
    {
        var (q, _) = RequestAll(new FetchQueue(1, Timeout), [new FetchRequest(Z(0), true), new FetchRequest(Z(1), true), new FetchRequest(Z(2), true)], T0);
        q = q.Forget(Z(0)).Forget(Z(1));
        Assert.False(q.IsBusy(Z(0)));
        Assert.False(q.IsBusy(Z(1)));
        (q, var send) = q.Pump(T0);
        Assert.Equal([new ZoneFetch(Z(2), true)], send);
        Assert.Equal([new ZoneFetch(Z(2), true)], q.Expire(T0.AddMinutes(1)).Late);
    }
}
