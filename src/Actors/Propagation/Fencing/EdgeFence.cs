using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using AkkaDns.Resolver.FrontEnd;

namespace AkkaDns.Actors.Propagation.Fencing;

/// <summary>
/// On every edge: asks the supervisor (and the other edges) every probe interval whether this datacenter may answer,
/// and moves the front end's <see cref="ServingLease"/> as <see cref="EdgeFenceRules"/> decide. Only wiring: the
/// clock is the process's monotonic clock, the same one the front end checks the lease against at answer time.
/// </summary>
internal sealed class EdgeFence : ReceiveActor, IWithTimers
{
    public const string Name = "edge-fence";
    private sealed class Tick { public static readonly Tick Instance = new(); }

    private readonly DatacenterName _datacenter;
    private readonly IActorRef _supervisor;
    private readonly ServingLease _lease;
    private readonly FenceOptions _options;
    private readonly string _edgeRole;
    private readonly string _zonesRole;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private EdgeFenceState _state;
    private bool _answering = true;

    public ITimerScheduler Timers { get; set; } = null!;

    public EdgeFence(DatacenterName datacenter, IActorRef supervisor, ServingLease lease, FenceOptions options, string edgeRole, string zonesRole)
    {
        _datacenter = datacenter; _supervisor = supervisor; _lease = lease; _options = options; _edgeRole = edgeRole; _zonesRole = zonesRole;
        _state = EdgeFenceRules.Start(Now, options);
        Apply(LeaseAction.Extend);

        Receive<Tick>(_ => Ask());
        Receive<FenceGrant>(g => Decide(EdgeFenceRules.OnSupervisor(_state, FromNonce(g.Nonce), g.Serving, Now, _options,
            g.LimitMs >= 0 ? TimeSpan.FromMilliseconds(g.LimitMs) : null)));
        Receive<PeerProbe>(p => Sender.Tell(new PeerReply(p.Nonce,
            EdgeFenceRules.SilenceForPeers(_state, Now) is { } s ? (long)s.TotalMilliseconds : -1)));
        Receive<PeerReply>(r => Decide(EdgeFenceRules.OnPeer(_state, FromNonce(r.Nonce),
            r.SilenceMs < 0 ? null : TimeSpan.FromMilliseconds(r.SilenceMs), Edges().Count, _options)));
    }

    public static Props Props(DatacenterName datacenter, IActorRef supervisor, ServingLease lease, FenceOptions options, string edgeRole = "edge", string zonesRole = "zones") =>
        Akka.Actor.Props.Create(() => new EdgeFence(datacenter, supervisor, lease, options, edgeRole, zonesRole));

    protected override void PreStart() => Timers.StartPeriodicTimer("probe", Tick.Instance, TimeSpan.Zero, _options.ProbeInterval);

    private static TimeSpan Now => TimeSpan.FromSeconds(Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
    private static long ToNonce(TimeSpan t) => t.Ticks;
    private static TimeSpan FromNonce(long nonce) => TimeSpan.FromTicks(nonce);

    /// <summary>
    /// The edge members the majority counts, reachable or not: edge-only nodes (this one included when it is one). A
    /// node that also holds the zones role is part of the control plane: losing it is the control plane's loss, so
    /// the edges left fail static rather than fence (a two-node cluster whose zones+edge node died keeps answering).
    /// </summary>
    private List<Member> Edges() => _cluster.State.Members
        .Where(m => m.HasRole(_edgeRole) && !m.HasRole(_zonesRole) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
        .ToList();

    private void Ask()
    {
        var now = Now;
        var nonce = ToNonce(now);
        _supervisor.Tell(new FenceProbe(_datacenter, nonce));
        var edges = Edges();
        foreach (var m in edges.Where(m => m.Address != _cluster.SelfAddress))
            Context.ActorSelection(new RootActorPath(m.Address) / "user" / Name).Tell(new PeerProbe(nonce));
        Decide(EdgeFenceRules.OnRoundAsked(_state, now, edges.Count, _options));
        Report();
    }

    private void Decide((EdgeFenceState State, LeaseAction Action) step)
    {
        _state = step.State;
        Apply(step.Action);
        Report();
    }

    private void Apply(LeaseAction action)
    {
        if (action == LeaseAction.Extend) _lease.ExtendTo((long)(_state.LeaseUntil.TotalSeconds * Stopwatch.Frequency));
        else if (action == LeaseAction.Revoke) _lease.Revoke();
    }

    /// <summary>Logs each change between answering and fenced (the lease itself is checked by the front end).</summary>
    private void Report()
    {
        bool answering = _lease.IsValid;
        if (answering == _answering) return;
        _answering = answering;
        var now = Now;
        if (answering)
            _log.Info("datacenter {0}: answering again (lease granted by {1})", _datacenter,
                _state.SupervisorHeardAt is { } h && now - h < _options.Fresh ? "the supervisor" : "a majority of the edges");
        else
            _log.Warning("datacenter {0}: FENCED, not answering DNS: {1}", _datacenter,
                !_state.SupervisorSaysServing ? "the supervisor says this datacenter is drained"
                : $"no word from the supervisor for {EdgeFenceRules.Silence(_state, now).TotalSeconds:0.#} s and no majority of the edges without it");
    }
}
