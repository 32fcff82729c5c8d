using AkkaDns.Actors.Propagation.Fencing;

namespace AkkaDns.Actors.Tests.Propagation;

/// <summary>
/// The self-fencing rule without an ActorSystem: the cases DESIGN.md names (supervisor grant, drained, frozen,
/// partitioned, control plane down), on a clock the test moves.
/// </summary>
public sealed class EdgeFenceRulesTests
{
    private static readonly FenceOptions Options = new() { Lease = TimeSpan.FromSeconds(5), StartupGrace = TimeSpan.FromSeconds(5) };
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>An edge started at 0 that the supervisor granted every half second up to <paramref name="last"/>.</summary>
    private static EdgeFenceState GrantedUpTo(double last)
    {
        var s = EdgeFenceRules.Start(S(0), Options);
        for (double t = 0; t <= last; t += 0.5)
            (s, _) = EdgeFenceRules.OnSupervisor(s, S(t), serving: true, S(t + 0.01), Options);
        return s;
    }

    [Fact]
    public void A_fresh_edge_answers_for_the_startup_grace_then_stops_without_a_grant()
    {
        var s = EdgeFenceRules.Start(S(100), Options);
        Assert.True(EdgeFenceRules.MayAnswer(s, S(104.9)));
        Assert.False(EdgeFenceRules.MayAnswer(s, S(105)));
    }

    [Fact]
    public void A_grant_lasts_a_lease_from_when_the_edge_asked_not_from_when_the_answer_came()
    {
        var s = EdgeFenceRules.Start(S(0), Options);
        // asked at 10, answered at 14 (a slow network, or a freeze in between): valid until 15, not 19
        (s, var action) = EdgeFenceRules.OnSupervisor(s, S(10), serving: true, S(14), Options);
        Assert.Equal(LeaseAction.Extend, action);
        Assert.True(EdgeFenceRules.MayAnswer(s, S(14.9)));
        Assert.False(EdgeFenceRules.MayAnswer(s, S(15)));
    }

    [Fact]
    public void Drained_ends_the_lease_at_once_and_an_older_serving_answer_arriving_later_does_not_reopen_it()
    {
        var s = GrantedUpTo(20);
        (s, var action) = EdgeFenceRules.OnSupervisor(s, S(21), serving: false, S(21.01), Options);
        Assert.Equal(LeaseAction.Revoke, action);
        Assert.False(EdgeFenceRules.MayAnswer(s, S(21.02)));
        (s, action) = EdgeFenceRules.OnSupervisor(s, S(20.5), serving: true, S(21.03), Options); // overtaken reply
        Assert.Equal(LeaseAction.None, action);
        Assert.False(EdgeFenceRules.MayAnswer(s, S(21.04)));
    }

    [Fact]
    public void A_frozen_edge_wakes_fenced_and_its_peers_who_heard_the_supervisor_deny_the_majority()
    {
        var s = GrantedUpTo(20);           // last grant asked at 20: lease until 25
        var woke = S(30);                  // SIGSTOP at 20.2, SIGCONT at 30
        Assert.False(EdgeFenceRules.MayAnswer(s, woke));
        (s, _) = EdgeFenceRules.OnRoundAsked(s, woke, edges: 3, Options);
        (s, var a1) = EdgeFenceRules.OnPeer(s, woke, S(0.3), edges: 3, Options); // peers heard it 0.3 s ago
        (s, var a2) = EdgeFenceRules.OnPeer(s, woke, S(0.1), edges: 3, Options);
        Assert.Equal(LeaseAction.None, a1);
        Assert.Equal(LeaseAction.None, a2);
        Assert.False(EdgeFenceRules.MayAnswer(s, woke + S(0.01)));
        // Replies to questions it asked before the freeze change nothing either.
        (s, _) = EdgeFenceRules.OnSupervisor(s, S(20.1), serving: true, woke + S(0.02), Options);
        Assert.False(EdgeFenceRules.MayAnswer(s, woke + S(0.03)));
        // Only the supervisor's answer to a question asked after waking lets it answer again.
        (s, _) = EdgeFenceRules.OnSupervisor(s, woke + S(0.5), serving: true, woke + S(0.51), Options);
        Assert.True(EdgeFenceRules.MayAnswer(s, woke + S(0.52)));
    }

    [Fact]
    public void A_partitioned_edge_hears_no_one_and_stops_a_lease_after_its_last_grant()
    {
        var s = GrantedUpTo(20);
        for (double t = 20.5; t < 40; t += 0.5) (s, _) = EdgeFenceRules.OnRoundAsked(s, S(t), edges: 3, Options);
        Assert.True(EdgeFenceRules.MayAnswer(s, S(24.99)));
        Assert.False(EdgeFenceRules.MayAnswer(s, S(25)));
        Assert.False(EdgeFenceRules.MayAnswer(s, S(39)));
    }

    [Fact]
    public void With_the_control_plane_down_a_majority_of_edges_that_all_lost_the_supervisor_keeps_it_answering()
    {
        var s = GrantedUpTo(20);           // the supervisor's node dies just after 20
        for (double t = 20.5; t <= 60; t += 0.5)
        {
            (s, _) = EdgeFenceRules.OnRoundAsked(s, S(t), edges: 3, Options);
            var peerSilence = S(t - 20.2); // the peers lost it at the same moment
            (s, _) = EdgeFenceRules.OnPeer(s, S(t), peerSilence, edges: 3, Options);
            Assert.True(EdgeFenceRules.MayAnswer(s, S(t + 0.01)), $"fenced at {t} s with the control plane down");
        }
    }

    [Fact]
    public void A_minority_is_not_enough_and_a_drained_edge_is_not_voted_back_in()
    {
        var s = GrantedUpTo(20);
        (s, _) = EdgeFenceRules.OnRoundAsked(s, S(30), edges: 5, Options);
        (s, _) = EdgeFenceRules.OnPeer(s, S(30), S(9), edges: 5, Options); // 2 of 5
        Assert.False(EdgeFenceRules.MayAnswer(s, S(30.1)));
        (s, _) = EdgeFenceRules.OnPeer(s, S(30), null, edges: 5, Options); // 3 of 5, one never heard it
        Assert.True(EdgeFenceRules.MayAnswer(s, S(30.1)));

        var drained = GrantedUpTo(20);
        (drained, _) = EdgeFenceRules.OnSupervisor(drained, S(20.6), serving: false, S(20.61), Options);
        (drained, _) = EdgeFenceRules.OnRoundAsked(drained, S(30), edges: 3, Options);
        (drained, _) = EdgeFenceRules.OnPeer(drained, S(30), S(9), edges: 3, Options);
        (drained, _) = EdgeFenceRules.OnPeer(drained, S(30), S(9), edges: 3, Options);
        Assert.False(EdgeFenceRules.MayAnswer(drained, S(30.1)));
    }

    [Fact]
    public void A_lone_edge_is_its_own_majority_once_the_supervisor_is_silent_since_the_floor_keeps_it_serving_anyway()
    {
        var s = GrantedUpTo(20);
        (s, _) = EdgeFenceRules.OnRoundAsked(s, S(21), edges: 1, Options); // heard 1 s ago: not yet
        Assert.Equal(S(25), s.LeaseUntil);
        (s, var action) = EdgeFenceRules.OnRoundAsked(s, S(23), edges: 1, Options);
        Assert.Equal(LeaseAction.Extend, action);
        Assert.Equal(S(28), s.LeaseUntil);
    }

    [Fact]
    public void A_grant_with_the_supervisors_limit_ends_at_the_limit_counted_from_the_asking()
    {
        var s = EdgeFenceRules.Start(S(0), Options);
        (s, _) = EdgeFenceRules.OnSupervisor(s, S(10), serving: true, S(10.2), Options, limit: S(1.5)); // lags: drained in 1.5 s
        Assert.True(EdgeFenceRules.MayAnswer(s, S(11.4)));
        Assert.False(EdgeFenceRules.MayAnswer(s, S(11.5)));
        (s, _) = EdgeFenceRules.OnSupervisor(s, S(10.5), serving: true, S(10.6), Options, limit: S(20)); // a limit above the lease
        Assert.False(EdgeFenceRules.MayAnswer(s, S(15.5)));
    }
}
