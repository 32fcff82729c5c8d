using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Propagation;

/// <summary>
/// The fault switch, for tests (<c>akkadns.propagation.fault</c>, env AKKADNS_FAULT): stands between the
/// zone-changes topic and this edge's DatacenterActor. <c>drop-deltas</c> takes the DatacenterActor off the topic
/// (deltas never reach it); <c>delay-deltas</c> also takes it off and forwards each delta after the configured
/// delay. The DatacenterActor's own catch-up (start-up load, periodic resync) is untouched, as a slow or lossy
/// link would leave it. The unsubscription is repeated, since the DatacenterActor subscribes when it starts.
/// </summary>
internal sealed class FaultInjector : ReceiveActor, IWithTimers
{
    private sealed class Detach { public static readonly Detach Instance = new(); }
    private sealed record Release(object Delta);

    private readonly IActorRef _mediator = DistributedPubSub.Get(Context.System).Mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="datacenter">This edge's DatacenterActor, injected (from the actor registry on a node).</param>
    public FaultInjector(FaultMode mode, TimeSpan delay, string topic, IActorRef datacenter)
    {
        Receive<Detach>(_ => _mediator.Tell(new Unsubscribe(topic, datacenter)));
        Receive<SubscribeAck>(_ => { });
        Receive<UnsubscribeAck>(_ => { });
        Receive<ZoneDelta>(d => Timers.StartSingleTimer(Guid.NewGuid(), new Release(d), delay));
        Receive<ZoneDeltaTooLarge>(d => Timers.StartSingleTimer(Guid.NewGuid(), new Release(d), delay));
        Receive<Release>(r => datacenter.Tell(r.Delta, Self));

        _log.Warning("FAULT INJECTION on this edge: {0} (delay {1}); deltas on '{2}' do not reach {3} directly", mode, delay, topic, datacenter.Path);
        if (mode == FaultMode.DelayDeltas) _mediator.Tell(new Subscribe(topic, Self));
    }

    public static Props Props(FaultMode mode, TimeSpan delay, string topic, IActorRef datacenter) =>
        Akka.Actor.Props.Create(() => new FaultInjector(mode, delay, topic, datacenter));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer("detach", Detach.Instance, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
}
