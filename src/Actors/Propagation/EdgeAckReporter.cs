using Akka.Actor;
using AkkaDns.Actors.Chunking;

using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Propagation;

/// <summary>
/// On every edge: reports what the datacenter serves (zone → version, read from its serving table) to the
/// DeliverySupervisor: every ack interval the zones whose version changed (the acks), and everything as a heartbeat
/// every report interval so a supervisor that moved nodes rebuilds its ledger. Large reports travel chunked.
/// <para>Only changes between heartbeats: with 10,000 zones, a whole report (about 300 kB) ten times a second per
/// edge kept the supervisor, on the busy zones node, so far behind that caught-up edges were judged lagging.</para>
/// </summary>
internal sealed class EdgeAckReporter : ReceiveActor, IWithTimers
{
    private sealed class Tick { public static readonly Tick Instance = new(); }
    private sealed class Heartbeat { public static readonly Heartbeat Instance = new(); }

    private readonly DatacenterName _datacenter;
    private readonly Func<IReadOnlyDictionary<ZoneId, long>> _served;
    private readonly IActorRef _supervisor;
    private readonly PropagationSettings _settings;
    private IReadOnlyDictionary<ZoneId, long> _last = new Dictionary<ZoneId, long>();

    public ITimerScheduler Timers { get; set; } = null!;

    public EdgeAckReporter(DatacenterName datacenter, Func<IReadOnlyDictionary<ZoneId, long>> served, IActorRef supervisor, PropagationSettings settings)
    {
        _datacenter = datacenter; _served = served; _supervisor = supervisor; _settings = settings;
        Receive<Tick>(_ => Report(force: false));
        Receive<Heartbeat>(_ => Report(force: true));
        Receive<DeliveryFailure>(f => _supervisor.Tell(f));
    }

    public static Props Props(DatacenterName datacenter, Func<IReadOnlyDictionary<ZoneId, long>> served, IActorRef supervisor, PropagationSettings settings) =>
        Akka.Actor.Props.Create(() => new EdgeAckReporter(datacenter, served, supervisor, settings));

    protected override void PreStart()
    {
        // The DatacenterActor publishes its delivery failures on the event stream (it does not look this actor up).
        Context.System.EventStream.Subscribe(Self, typeof(DeliveryFailure));
        Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.AckInterval);
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, TimeSpan.Zero, _settings.ReportInterval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Report(bool force)
    {
        var now = _served();
        if (!force && ReferenceEquals(now, _last)) return; // the serving table did not change
        var report = force ? now : Changed(now, _last);
        _last = now;
        if (report.Count == 0 && !force) return;
        ChunkedTransport.Tell(Context.System, _supervisor, new DatacenterReport(_datacenter, report, DateTimeOffset.UtcNow), Self, _settings.ChunkSize);
    }

    /// <summary>Zones served at another version than last time, or new. A zone no longer served is not reported: its
    /// deletion reaches the supervisor from the zone itself.</summary>
    private static Dictionary<ZoneId, long> Changed(IReadOnlyDictionary<ZoneId, long> now, IReadOnlyDictionary<ZoneId, long> before)
    {
        var changed = new Dictionary<ZoneId, long>();
        foreach (var (zone, version) in now)
            if (!before.TryGetValue(zone, out var had) || had != version) changed[zone] = version;
        return changed;
    }
}
