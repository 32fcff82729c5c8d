using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using AkkaDns.Actors.Serialization;

namespace AkkaDns.Actors.Zones;

/// <summary>Messages of the <see cref="DnssecWatch"/> (routed through the <see cref="ZoneCatalog"/>, its parent).</summary>
public static class DnssecWatchProtocol
{
    public interface IDnssecWatchMessage : IAkkaDnsMessage;

    /// <summary>Told by a zone actor after each change and after recovery: when it next needs its signer (RRSIG refresh
    /// or a key-timeline step) and its earliest RRSIG expiry; both null for an unsigned zone.</summary>
    public sealed record SigningDue(ZoneId ZoneId, DateTimeOffset? NextAction, DateTimeOffset? EarliestExpiry) : IDnssecWatchMessage;

    /// <summary>Replies <see cref="SigningStatus"/>: every signed zone's earliest expiry (the watchdog's view).</summary>
    public sealed record GetSigningStatus : IDnssecWatchMessage
    {
        public static readonly GetSigningStatus Instance = new();
    }

    public sealed record SignedZone(ZoneId ZoneId, DateTimeOffset? NextAction, DateTimeOffset? EarliestExpiry);

    public sealed record SigningStatus(IReadOnlyList<SignedZone> Zones, TimeSpan ExpiryAlert) : IAkkaDnsMessage;
}

/// <summary>
/// Wakes signed zones when their signatures or keys need the signer: zone actors passivate when idle, so a timer of
/// their own would be lost. A child of the <see cref="ZoneCatalog"/> singleton (which knows every zone): when it
/// starts it pokes every zone once, so each signed zone reports its schedule again; then it sends
/// <see cref="DnssecAction.Refresh"/> to each zone when due. It is also the watchdog: it knows each signed zone's
/// earliest RRSIG expiry and warns in the log when one comes closer than <see cref="DnssecSettings.ExpiryAlert"/>.
/// </summary>
public sealed class DnssecWatch : ReceiveActor, IWithTimers
{
    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly ZoneSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<ZoneId, DnssecWatchProtocol.SignedZone> _zones = new();
    /// <summary>Refreshes asked and not yet answered by a new report (not asked again before this time).</summary>
    private readonly Dictionary<ZoneId, DateTimeOffset> _asked = new();
    private readonly Queue<ZoneId> _poke = new();
    private readonly HashSet<ZoneId> _alerted = new();
    private IActorRef? _region;

    public DnssecWatch(ZoneSettings settings, TimeSpan interval)
    {
        _settings = settings;
        Receive<DnssecWatchProtocol.SigningDue>(d =>
        {
            _asked.Remove(d.ZoneId);
            if (d.NextAction is null && d.EarliestExpiry is null) { _zones.Remove(d.ZoneId); _alerted.Remove(d.ZoneId); }
            else _zones[d.ZoneId] = new DnssecWatchProtocol.SignedZone(d.ZoneId, d.NextAction, d.EarliestExpiry);
        });
        Receive<PokeAll>(p => { foreach (var z in p.Zones) _poke.Enqueue(z); });
        Receive<DnssecWatchProtocol.GetSigningStatus>(_ =>
            Sender.Tell(new DnssecWatchProtocol.SigningStatus([.. _zones.Values.OrderBy(z => z.ZoneId)], _settings.Dnssec.ExpiryAlert)));
        Receive<Tick>(_ => OnTick());
        Receive<ZoneCommandResult>(_ => { }); // the refreshes' replies: the zone's next report says the rest
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Told by the catalog after its recovery: every zone that exists, to poke once.</summary>
    public sealed record PokeAll(IReadOnlyList<ZoneId> Zones);

    public static Props PropsFor(ZoneSettings settings, TimeSpan interval) => Props.Create(() => new DnssecWatch(settings, interval));

    private void OnTick()
    {
        var now = _settings.Clock.GetUtcNow();
        // Start-up: a few hundred zones per tick, so a failover does not start 10,000 zone actors at once.
        for (int i = 0; i < 200 && _poke.Count > 0; i++) Refresh(_poke.Dequeue(), now);
        foreach (var z in _zones.Values.ToList())
        {
            if (z.NextAction is { } due && due <= now && (!_asked.TryGetValue(z.ZoneId, out var until) || until <= now)) Refresh(z.ZoneId, now);
            if (z.EarliestExpiry is { } expiry && expiry - now < _settings.Dnssec.ExpiryAlert)
            {
                if (_alerted.Add(z.ZoneId))
                    _log.Warning("zone {0}: DNSSEC signatures expire at {1:yyyy-MM-ddTHH:mm:ssZ}, in less than {2}: the zone goes bogus then unless it is re-signed (is the key-encryption key readable?)",
                        z.ZoneId, expiry.UtcDateTime, _settings.Dnssec.ExpiryAlert);
            }
            else _alerted.Remove(z.ZoneId);
        }
    }

    private void Refresh(ZoneId zone, DateTimeOffset now)
    {
        _asked[zone] = now + TimeSpan.FromMinutes(1);
        try { _region ??= ClusterSharding.Get(Context.System).ShardRegion(_settings.TypeName); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return; } // no region here (a test without sharding)
        _region.Tell(new DnssecCommand(zone, DnssecAction.Refresh, "dnssec-refresh", DnssecOptions.None));
    }
}
