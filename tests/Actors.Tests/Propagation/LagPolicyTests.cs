using AkkaDns.Actors.Propagation;
using static AkkaDns.Actors.Tests.Support.Ids;

namespace AkkaDns.Actors.Tests.Propagation;

public sealed class LagPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 7, 0, 0, TimeSpan.Zero);
    private static readonly LagPolicyOptions Options = new()
    {
        MaxLag = TimeSpan.FromSeconds(5), MaxConsecutiveFailures = 3, HoldDown = TimeSpan.FromSeconds(10),
        FloorCount = 1, FloorShare = 0.0,
    };

    private static DeliveryState ThreeDatacentersAt(long version)
    {
        var s = DeliveryState.Empty.ChangeMade(Zid("example.com."), version, T0);
        foreach (var dc in new[] { Dc("dc-a"), Dc("dc-b"), Dc("dc-c") }) s = s.Acked(dc, Zid("example.com."), version, T0);
        return s;
    }

    private static (DeliveryState, IReadOnlyList<SupervisorDecision>) Eval(DeliveryState s, DateTimeOffset now, LagPolicyOptions? o = null)
        => LagPolicy.Evaluate(s, o ?? Options, now);

    [Fact]
    public void Datacenters_that_ack_every_change_stay_serving()
    {
        var s = ThreeDatacentersAt(1).ChangeMade(Zid("example.com."), 2, T0.AddSeconds(1));
        foreach (var dc in new[] { Dc("dc-a"), Dc("dc-b"), Dc("dc-c") }) s = s.Acked(dc, Zid("example.com."), 2, T0.AddSeconds(1.01));
        var (after, decisions) = Eval(s, T0.AddSeconds(30));
        Assert.Empty(decisions);
        Assert.All(after.Datacenters.Values, d => Assert.True(d.Serving));
    }

    [Fact]
    public void A_datacenter_behind_for_longer_than_the_threshold_is_drained_with_the_reason()
    {
        var s = ThreeDatacentersAt(1).ChangeMade(Zid("example.com."), 2, T0.AddSeconds(1));
        s = s.Acked(Dc("dc-a"), Zid("example.com."), 2, T0.AddSeconds(1)).Acked(Dc("dc-b"), Zid("example.com."), 2, T0.AddSeconds(1));

        var (_, early) = Eval(s, T0.AddSeconds(5.5));   // 4.5 s behind: still within 5 s
        Assert.Empty(early);

        var (after, decisions) = Eval(s, T0.AddSeconds(6.5));
        var drain = Assert.IsType<DrainDecision>(Assert.Single(decisions));
        Assert.Equal(Dc("dc-c"), drain.Datacenter);
        Assert.Equal(DrainReason.Lag, drain.Reason);
        Assert.Contains("1 versions behind", drain.Why);
        Assert.False(after.Datacenters[Dc("dc-c")].Serving);
    }

    [Fact]
    public void Consecutive_failures_drain_and_a_success_resets_the_run()
    {
        var s = ThreeDatacentersAt(1).Failed(Dc("dc-b"), "apply threw", T0).Failed(Dc("dc-b"), "apply threw", T0);
        Assert.Empty(Eval(s, T0).Item2);
        var reset = s.Acked(Dc("dc-b"), Zid("example.com."), 1, T0).Failed(Dc("dc-b"), "timeout", T0).Failed(Dc("dc-b"), "timeout", T0);
        Assert.Empty(Eval(reset, T0).Item2);

        var (after, decisions) = Eval(s.Failed(Dc("dc-b"), "chunk never completed", T0), T0);
        var drain = Assert.IsType<DrainDecision>(Assert.Single(decisions));
        Assert.Equal(DrainReason.Failures, drain.Reason);
        Assert.Equal(3, after.Datacenters[Dc("dc-b")].RecentFailures.Count);
    }

    [Fact]
    public void A_drained_datacenter_is_readmitted_only_after_staying_caught_up_for_the_hold_down()
    {
        var s = ThreeDatacentersAt(1).ChangeMade(Zid("example.com."), 2, T0);
        s = s.Acked(Dc("dc-a"), Zid("example.com."), 2, T0).Acked(Dc("dc-b"), Zid("example.com."), 2, T0);
        (s, _) = Eval(s, T0.AddSeconds(10));
        Assert.False(s.Datacenters[Dc("dc-c")].Serving);

        s = s.Acked(Dc("dc-c"), Zid("example.com."), 2, T0.AddSeconds(11));
        (s, var d1) = Eval(s, T0.AddSeconds(11));         // caught up now: hold-down starts
        Assert.Empty(d1);
        (s, var d2) = Eval(s, T0.AddSeconds(20));         // 9 s: not yet
        Assert.Empty(d2);
        (s, var d3) = Eval(s, T0.AddSeconds(21.5));       // 10.5 s: back
        Assert.IsType<UndrainDecision>(Assert.Single(d3));
        Assert.True(s.Datacenters[Dc("dc-c")].Serving);
    }

    [Fact]
    public void A_failure_run_with_nothing_missing_ends_after_a_quiet_hold_down_and_the_datacenter_comes_back()
    {
        // Fetches that timed out while the zones node restarted: drained for failures, but the datacenter already holds
        // every version, so no ack will ever close the run. Quiet for a hold-down, then caught up for another: back.
        var s = ThreeDatacentersAt(1);
        for (int i = 0; i < 5; i++) s = s.Failed(Dc("dc-b"), "no answer from the zone within 5 s", T0);
        (s, var drained) = Eval(s, T0);
        Assert.Equal(DrainReason.Failures, Assert.IsType<DrainDecision>(Assert.Single(drained)).Reason);

        (s, var quiet) = Eval(s, T0.AddSeconds(9));        // failures 9 s ago: the run is still open
        Assert.Empty(quiet);
        Assert.Equal(5, s.Datacenters[Dc("dc-b")].ConsecutiveFailures);
        (s, var ended) = Eval(s, T0.AddSeconds(10.5));     // quiet for the hold-down: run over, hold-down of being caught up starts
        Assert.Empty(ended);
        Assert.Equal(0, s.Datacenters[Dc("dc-b")].ConsecutiveFailures);
        (s, var back) = Eval(s, T0.AddSeconds(21));
        Assert.IsType<UndrainDecision>(Assert.Single(back));

        // A datacenter that is behind keeps its failure run however quiet it is.
        var behind = ThreeDatacentersAt(1).ChangeMade(Zid("example.com."), 2, T0);
        behind = behind.Acked(Dc("dc-a"), Zid("example.com."), 2, T0).Acked(Dc("dc-c"), Zid("example.com."), 2, T0);
        for (int i = 0; i < 3; i++) behind = behind.Failed(Dc("dc-b"), "apply threw", T0);
        (behind, _) = Eval(behind, T0);
        (behind, var still) = Eval(behind, T0.AddSeconds(60));
        Assert.Empty(still);
        Assert.False(behind.Datacenters[Dc("dc-b")].Serving);
        Assert.Equal(3, behind.Datacenters[Dc("dc-b")].ConsecutiveFailures);
    }

    [Fact]
    public void Falling_behind_again_during_the_hold_down_restarts_it()
    {
        var s = ThreeDatacentersAt(1).Failed(Dc("dc-c"), "x", T0).Failed(Dc("dc-c"), "x", T0).Failed(Dc("dc-c"), "x", T0);
        (s, _) = Eval(s, T0);
        s = s.Acked(Dc("dc-c"), Zid("example.com."), 1, T0.AddSeconds(1));
        (s, _) = Eval(s, T0.AddSeconds(1));
        s = s.Failed(Dc("dc-c"), "again", T0.AddSeconds(5));
        (s, _) = Eval(s, T0.AddSeconds(5));
        s = s.Acked(Dc("dc-c"), Zid("example.com."), 1, T0.AddSeconds(6));
        (s, _) = Eval(s, T0.AddSeconds(6));
        (s, var early) = Eval(s, T0.AddSeconds(12));      // 11 s after the first catch-up, 6 s after the second
        Assert.Empty(early);
        (_, var late) = Eval(s, T0.AddSeconds(16.5));
        Assert.IsType<UndrainDecision>(Assert.Single(late));
    }

    [Fact]
    public void The_floor_stops_a_drain_and_raises_an_alert_instead()
    {
        var floorTwo = Options with { FloorCount = 2 };
        var s = ThreeDatacentersAt(1);
        for (int i = 0; i < 3; i++) s = s.Failed(Dc("dc-b"), "x", T0).Failed(Dc("dc-c"), "x", T0);
        var (after, decisions) = Eval(s, T0, floorTwo);
        Assert.Single(decisions.OfType<DrainDecision>());
        var alert = Assert.Single(decisions.OfType<FloorAlert>());
        Assert.Contains("floor is 2", alert.Why);
        Assert.Equal(2, after.Datacenters.Values.Count(d => d.Serving));
    }

    [Fact]
    public void The_floor_share_rounds_up()
    {
        Assert.Equal(2, new LagPolicyOptions { FloorCount = 1, FloorShare = 0.5 }.Floor(3));
        Assert.Equal(3, new LagPolicyOptions { FloorCount = 5, FloorShare = 0 }.Floor(3));
    }

    [Fact]
    public void An_operator_drain_is_never_undone_by_the_policy()
    {
        var s = ThreeDatacentersAt(1).OperatorSet(Dc("dc-a"), serving: false, T0);
        var (after, decisions) = Eval(s, T0.AddMinutes(10));
        Assert.Empty(decisions);
        Assert.Equal(DrainReason.Operator, after.Datacenters[Dc("dc-a")].Drain);
        var back = after.OperatorSet(Dc("dc-a"), serving: true, T0.AddMinutes(11));
        Assert.True(back.Datacenters[Dc("dc-a")].Serving);
    }

    [Fact]
    public void Lag_counts_versions_and_the_age_of_the_oldest_missing_change()
    {
        var s = ThreeDatacentersAt(1)
            .ChangeMade(Zid("example.com."), 2, T0.AddSeconds(1))
            .ChangeMade(Zid("example.com."), 3, T0.AddSeconds(2))
            .ChangeMade(Zid("example.org."), 1, T0.AddSeconds(3));
        var lag = s.LagOf(Dc("dc-a"), T0.AddSeconds(4));
        Assert.Equal(3, lag.VersionsBehind);
        Assert.Equal(2, lag.ZonesBehind);
        Assert.Equal(TimeSpan.FromSeconds(3), lag.OldestUnacked);
    }

    [Fact]
    public void Versions_acked_everywhere_are_forgotten_and_deleted_zones_owe_nothing()
    {
        var s = ThreeDatacentersAt(1);
        for (int v = 2; v <= 50; v++)
        {
            s = s.ChangeMade(Zid("example.com."), v, T0.AddSeconds(v));
            foreach (var dc in new[] { Dc("dc-a"), Dc("dc-b"), Dc("dc-c") }) s = s.Acked(dc, Zid("example.com."), v, T0.AddSeconds(v));
        }
        Assert.Single(s.Versions[Zid("example.com.")]);
        s = s.ChangeMade(Zid("gone.example."), 7, T0).ZoneRemoved(Zid("gone.example."));
        Assert.Equal(0, s.LagOf(Dc("dc-a"), T0.AddHours(1)).VersionsBehind);
    }

    [Fact]
    public void A_fence_grant_to_a_lagging_datacenter_ends_when_it_would_be_drained()
    {
        var s = ThreeDatacentersAt(1).ChangeMade(Zid("example.com."), 2, T0.AddSeconds(1));
        s = s.Acked(Dc("dc-a"), Zid("example.com."), 2, T0.AddSeconds(1.01));
        Assert.Equal((true, (TimeSpan?)null), LagPolicy.Grant(s, Dc("dc-a"), Options, T0.AddSeconds(2)));      // current
        Assert.Equal((true, (TimeSpan?)TimeSpan.FromSeconds(3)), LagPolicy.Grant(s, Dc("dc-b"), Options, T0.AddSeconds(3))); // 2 s behind of 5
        Assert.Equal((true, (TimeSpan?)TimeSpan.Zero), LagPolicy.Grant(s, Dc("dc-b"), Options, T0.AddSeconds(7))); // past it, not evaluated yet
        Assert.Equal((true, (TimeSpan?)null), LagPolicy.Grant(s, Dc("dc-new"), Options, T0.AddSeconds(7)));   // not reported yet
        var (drained, _) = Eval(s, T0.AddSeconds(7));
        Assert.Equal((false, (TimeSpan?)null), LagPolicy.Grant(drained, Dc("dc-b"), Options, T0.AddSeconds(7)));
    }

    [Fact]
    public void A_fence_grant_is_not_limited_when_the_floor_would_keep_the_datacenter_serving()
    {
        var s = ThreeDatacentersAt(1).ChangeMade(Zid("example.com."), 2, T0.AddSeconds(1)); // all three behind
        var floorOfAll = Options with { FloorCount = 3 };
        Assert.Equal((true, (TimeSpan?)null), LagPolicy.Grant(s, Dc("dc-b"), floorOfAll, T0.AddSeconds(3)));
        // floor 1 of 3, all three behind: draining all would break it, so none is limited (the evaluation drains worst first)
        Assert.Equal((true, (TimeSpan?)null), LagPolicy.Grant(s, Dc("dc-b"), Options, T0.AddSeconds(3)));
        // two behind, one current: both may go and one still serves
        var two = s.Acked(Dc("dc-a"), Zid("example.com."), 2, T0.AddSeconds(1.1));
        Assert.Equal((true, (TimeSpan?)TimeSpan.FromSeconds(3)), LagPolicy.Grant(two, Dc("dc-b"), Options, T0.AddSeconds(3)));
    }
}
