using Akka.Actor;
using AkkaDns.Actors.Propagation.Chunking;

namespace AkkaDns.Actors.Propagation;

/// <summary>
/// On every edge: reports what the datacenter serves (zone → version, read from its serving table) to the
/// DeliverySupervisor: at once when a version changed (the acks), and as a heartbeat every report interval so
/// a supervisor that moved nodes rebuilds its ledger. Large reports travel chunked.
/// </summary>
public sealed class EdgeAckReporter : ReceiveActor, IWithTimers
{
    private sealed class Tick { public static readonly Tick Instance = new(); }
    private sealed class Heartbeat { public static readonly Heartbeat Instance = new(); }

    private readonly string _datacenter;
    private readonly Func<IReadOnlyDictionary<string, long>> _served;
    private readonly IActorRef _supervisor;
    private readonly PropagationSettings _settings;
    private IReadOnlyDictionary<string, long> _last = new Dictionary<string, long>();

    public ITimerScheduler Timers { get; set; } = null!;

    public EdgeAckReporter(string datacenter, Func<IReadOnlyDictionary<string, long>> served, IActorRef supervisor, PropagationSettings settings)
    {
        _datacenter = datacenter; _served = served; _supervisor = supervisor; _settings = settings;
        Receive<Tick>(_ => Report(force: false));
        Receive<Heartbeat>(_ => Report(force: true));
        Receive<DeliveryFailure>(f => _supervisor.Tell(f));
    }

    public static Props Props(string datacenter, Func<IReadOnlyDictionary<string, long>> served, IActorRef supervisor, PropagationSettings settings) =>
        Akka.Actor.Props.Create(() => new EdgeAckReporter(datacenter, served, supervisor, settings));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.AckInterval);
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, TimeSpan.Zero, _settings.ReportInterval);
    }

    private void Report(bool force)
    {
        var now = _served();
        if (!force && SameVersions(now, _last)) return;
        _last = now;
        ChunkedTransport.Tell(Context.System, _supervisor, new DatacenterReport(_datacenter, now, DateTimeOffset.UtcNow), Self, _settings.ChunkSize);
    }

    private static bool SameVersions(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
