using System.Collections.Immutable;

namespace AkkaDns.Actors.Propagation.Fencing;

/// <summary>One round of questions to the other edges, keyed by when it was sent.</summary>
internal sealed record PeerRound(int Replies, bool AnyFresh, bool Granted);

/// <summary>
/// The fence of one edge, as pure data. Times are on the edge's own monotonic clock (never another node's), so a
/// grant always counts from when this edge <em>asked</em>: an answer to a question asked before a freeze or a
/// partition can never extend the lease past that question's time + the lease.
/// </summary>
internal sealed record EdgeFenceState
{
    /// <summary>The edge may answer until then.</summary>
    public TimeSpan LeaseUntil { get; init; }
    /// <summary>When the latest question the supervisor answered was asked (null: never).</summary>
    public TimeSpan? SupervisorAskedAt { get; init; }
    /// <summary>When the supervisor's latest answer arrived (what peers are told as "last heard").</summary>
    public TimeSpan? SupervisorHeardAt { get; init; }
    /// <summary>What the supervisor last said: does this datacenter serve?</summary>
    public bool SupervisorSaysServing { get; init; } = true;
    /// <summary>When this fence started (the start counts as "last heard" until the supervisor speaks).</summary>
    public TimeSpan StartedAt { get; init; }
    public ImmutableDictionary<TimeSpan, PeerRound> Rounds { get; init; } = ImmutableDictionary<TimeSpan, PeerRound>.Empty;
}

/// <summary>What the fence actor does to the front end's lease.</summary>
internal enum LeaseAction { None, Extend, Revoke }

/// <summary>
/// The self-fencing rule of an edge (DESIGN.md "Fencing"; docs/architecture.md):
/// <list type="number">
/// <item>The supervisor's answer "serving" to a question asked at <c>t</c> lets the edge answer until
/// <c>t + lease</c>, or less when the supervisor says this datacenter lags and would be drained sooner (its limit, so
/// the edge stops at max-lag after the change it missed, not an evaluation and a probe later); its answer "drained"
/// ends the lease at once (the edge learns it directly, not only by gossip).</item>
/// <item>While the supervisor is silent for everyone (this edge has not heard it for lease/2, and no edge that
/// answered has heard it for lease/2), a majority of the edges (this one included) answering a round asked at
/// <c>t</c> lets it answer until <c>t + lease</c>: the control plane is down, not this edge cut off, so it fails
/// static. A lone edge is its own majority: the floor keeps it serving anyway.</item>
/// <item>Nothing else extends the lease. A frozen edge wakes with its lease passed and asks again; its peers, who
/// heard the supervisor a moment ago, deny the majority, so only the supervisor can let it answer, and a drained
/// edge is not let. A partitioned edge hears neither and stops within the lease.</item>
/// </list>
/// </summary>
internal static class EdgeFenceRules
{
    public static EdgeFenceState Start(TimeSpan now, FenceOptions options) =>
        new() { StartedAt = now, LeaseUntil = now + options.StartupGrace };

    /// <summary>How long since this edge last heard the supervisor (since start, if never).</summary>
    public static TimeSpan Silence(EdgeFenceState s, TimeSpan now) => now - (s.SupervisorHeardAt ?? s.StartedAt);

    /// <summary>Silence as told to a peer: null when this edge never heard the supervisor.</summary>
    public static TimeSpan? SilenceForPeers(EdgeFenceState s, TimeSpan now) => s.SupervisorHeardAt is { } h ? now - h : null;

    public static bool MayAnswer(EdgeFenceState s, TimeSpan now) => now < s.LeaseUntil;

    /// <summary>The supervisor answered the question asked at <paramref name="askedAt"/>.</summary>
    /// <param name="limit">the supervisor's limit: this datacenter lags and would be drained that long after it
    /// answered; the grant ends then (counted from the asking, which is earlier: never later than the drain).</param>
    public static (EdgeFenceState, LeaseAction) OnSupervisor(EdgeFenceState s, TimeSpan askedAt, bool serving, TimeSpan now, FenceOptions options,
        TimeSpan? limit = null)
    {
        // An answer older than one already taken says nothing new (replies can overtake each other).
        if (s.SupervisorAskedAt is { } seen && askedAt < seen) return (s, LeaseAction.None);
        s = s with { SupervisorAskedAt = askedAt, SupervisorHeardAt = now, SupervisorSaysServing = serving };
        if (!serving) return (s with { LeaseUntil = TimeSpan.Zero }, LeaseAction.Revoke);
        var until = askedAt + (limit is { } l && l < options.Lease ? l : options.Lease);
        return until > s.LeaseUntil ? (s with { LeaseUntil = until }, LeaseAction.Extend) : (s, LeaseAction.None);
    }

    /// <summary>A round of questions to the other edges is asked now (none, when this edge is alone).</summary>
    public static (EdgeFenceState, LeaseAction) OnRoundAsked(EdgeFenceState s, TimeSpan now, int edges, FenceOptions options)
    {
        var rounds = s.Rounds.Where(r => r.Key >= now - options.Lease).ToImmutableDictionary();
        s = s with { Rounds = rounds.SetItem(now, new PeerRound(0, false, false)) };
        return Judge(s, now, edges, options);
    }

    /// <summary>A peer answered the round asked at <paramref name="askedAt"/>, telling how long it has not heard the
    /// supervisor (null: never heard it).</summary>
    public static (EdgeFenceState, LeaseAction) OnPeer(EdgeFenceState s, TimeSpan askedAt, TimeSpan? peerSilence, int edges, FenceOptions options)
    {
        if (!s.Rounds.TryGetValue(askedAt, out var round)) return (s, LeaseAction.None); // too old, pruned
        bool fresh = peerSilence is { } ps && ps < options.Fresh;
        s = s with { Rounds = s.Rounds.SetItem(askedAt, round with { Replies = round.Replies + 1, AnyFresh = round.AnyFresh || fresh }) };
        return Judge(s, askedAt, edges, options);
    }

    private static (EdgeFenceState, LeaseAction) Judge(EdgeFenceState s, TimeSpan askedAt, int edges, FenceOptions options)
    {
        var round = s.Rounds[askedAt];
        if (round.Granted || round.AnyFresh) return (s, LeaseAction.None);
        // A datacenter the supervisor drained stays out: its peers cannot vote it back in.
        if (!s.SupervisorSaysServing) return (s, LeaseAction.None);
        // Only while this edge itself has not heard the supervisor for a while (measured when the round was asked).
        if (Silence(s, askedAt) < options.Fresh) return (s, LeaseAction.None);
        if (2 * (round.Replies + 1) <= Math.Max(edges, 1)) return (s, LeaseAction.None);
        s = s with { Rounds = s.Rounds.SetItem(askedAt, round with { Granted = true }) };
        var until = askedAt + options.Lease;
        return until > s.LeaseUntil ? (s with { LeaseUntil = until }, LeaseAction.Extend) : (s, LeaseAction.None);
    }
}
