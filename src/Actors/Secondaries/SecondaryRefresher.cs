using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using AkkaDns.Actors.Serialization;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Secondaries;

/// <summary>The I/O of one refresh: ask the primaries for their SOA, transfer (IXFR, else AXFR) when one is newer,
/// and commit the result as one change of the zone. The node implements it (transfer client, zone service).</summary>
public interface ISecondaryWork
{
    Task<SecondaryOutcome> RefreshAsync(SecondaryJob job, CancellationToken ct);
}

public static class SecondaryProtocol
{
    /// <summary>An edge accepted a NOTIFY for a secondary zone from one of its primaries (RFC 1996).</summary>
    public sealed record SecondaryNotified(ZoneId Zone, string From, uint? Serial) : IAkkaDnsMessage;

    /// <summary>Asks the refresher for the status of one zone, or of all when <see cref="Zone"/> is null.</summary>
    public sealed record GetSecondaryStatus(ZoneId? Zone) : IAkkaDnsMessage;

    public sealed record SecondaryStatusList(IReadOnlyList<SecondaryZoneStatus> Zones) : IAkkaDnsMessage;
}

/// <summary>
/// The secondary zones of the cluster, refreshed from their primaries: a singleton on the zones nodes, so one node
/// transfers each zone and the zone's own actor commits it (journaled, guarded, propagated like any change). The
/// pure <see cref="SecondarySchedule"/> decides when; <see cref="ISecondaryWork"/> does the network and the commit;
/// this actor is the wiring: config from the replicated transfer metadata, a tick, NOTIFYs from the edges, and the
/// expired marker (X-AKKADNS-EXPIRED) it sets and clears through the transfer-config singleton.
/// </summary>
public sealed class SecondaryRefresher : ReceiveActor, IWithTimers
{
    public const string SingletonName = "secondary-refresher";

    private sealed record Tick { public static readonly Tick Instance = new(); }
    private sealed record ConfigChanged(TransferConfigSnapshot Snapshot);
    private sealed record Finished(SecondaryOutcome Outcome);

    private readonly ISecondaryWork _work;
    private readonly TransferConfigView _view;
    private readonly SecondarySettings _settings;
    private readonly TimeProvider _clock;
    private readonly SecondarySchedule _schedule;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<TransferConfigSnapshot> _onChanged;
    private IActorRef _transferConfig = ActorRefs.Nobody;

    public ITimerScheduler Timers { get; set; } = null!;

    public SecondaryRefresher(ISecondaryWork work, TransferConfigView view, SecondarySettings settings, TimeProvider clock, IActorRef? transferConfig = null)
    {
        _work = work;
        _view = view;
        _settings = settings;
        _clock = clock;
        _schedule = new SecondarySchedule(settings.Timing);
        if (transferConfig is not null) _transferConfig = transferConfig;
        var self = Self;
        _onChanged = snapshot => self.Tell(new ConfigChanged(snapshot));

        Receive<ConfigChanged>(c => Configure(c.Snapshot));
        Receive<Tick>(_ =>
        {
            foreach (var change in _schedule.Expire(Now)) Publish(change);
            RunDue();
        });
        Receive<SecondaryProtocol.SecondaryNotified>(n =>
        {
            if (_schedule.Notify(n.Zone, Now))
            {
                _log.Info("secondary {0}: NOTIFY from {1}{2}, refreshing", n.Zone, n.From, n.Serial is { } s ? $" (serial {s})" : "");
                RunDue();
            }
            else _log.Warning("secondary {0}: NOTIFY from {1} for a zone that is not a secondary here; ignored", n.Zone, n.From);
        });
        Receive<Finished>(f => Complete(f.Outcome));
        Receive<SecondaryProtocol.GetSecondaryStatus>(q => Sender.Tell(new SecondaryProtocol.SecondaryStatusList(
            q.Zone is { } z ? _schedule.Status(z) is { } one ? [one] : [] : _schedule.All())));
        Receive<TransferConfigReplies.Accepted>(_ => { });
        Receive<TransferConfigReplies.Rejected>(r => _log.Warning("secondary: the expired marker was refused: {0}", r.Message));
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    public static Props PropsFor(ISecondaryWork work, TransferConfigView view, SecondarySettings settings, TimeProvider clock, IActorRef? transferConfig = null) =>
        Props.Create(() => new SecondaryRefresher(work, view, settings, clock, transferConfig));

    protected override void PreStart()
    {
        if (_transferConfig.IsNobody() && ActorRegistry.For(Context.System).TryGet<TransferConfigActor>(out var config)) _transferConfig = config;
        _view.Changed += _onChanged;
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _settings.Tick);
        if (_view.Loaded) Configure(_view.Current);
    }

    protected override void PostStop()
    {
        _view.Changed -= _onChanged;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Configure(TransferConfigSnapshot snapshot)
    {
        var configs = SecondaryZoneConfig.AllIn(snapshot, _settings.DefaultPolicy);
        var marked = snapshot.Zones.Where(z => snapshot.Values(z, TransferMetadata.Expired).Count > 0)
            .Select(z => ZoneId.TryParse(z, out var id) ? id : null).OfType<ZoneId>().ToHashSet();
        int before = _schedule.Count;
        foreach (var zone in _schedule.Configure(configs, marked, Now)) Mark(zone, expired: false);
        if (_schedule.Count != before) _log.Info("secondary: {0} zone(s) follow a primary", _schedule.Count);
        RunDue();
    }

    private void RunDue()
    {
        foreach (var job in _schedule.TakeDue(Now))
        {
            var zone = job.Config.Zone;
            _work.RefreshAsync(job, _stopping.Token).ContinueWith(t => new Finished(t.IsCompletedSuccessfully
                    ? t.Result
                    : new SecondaryOutcome(zone, SecondaryResult.Failed, null, null, $"refresh failed: {t.Exception?.GetBaseException().Message ?? "cancelled"}")),
                TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
        }
    }

    private void Complete(SecondaryOutcome outcome)
    {
        switch (outcome.Result)
        {
            case SecondaryResult.Committed: _log.Info("secondary {0}: serial {1} committed ({2})", outcome.Zone, outcome.Serial, outcome.Message); break;
            case SecondaryResult.Held: _log.Warning("secondary {0}: transfer of serial {1} HELD by the blast-radius guard ({2})", outcome.Zone, outcome.Serial, outcome.Message); break;
            case SecondaryResult.Failed: _log.Warning("secondary {0}: {1}", outcome.Zone, outcome.Message); break;
            default: _log.Debug("secondary {0}: {1}", outcome.Zone, outcome.Message); break;
        }
        if (_schedule.Complete(outcome, Now) is { } change) Publish(change);
        RunDue();
    }

    private void Publish(ExpiryChange change)
    {
        var status = _schedule.Status(change.Zone);
        if (change.Expired)
        {
            var policy = status?.Config.Policy ?? _settings.DefaultPolicy;
            _log.Error("secondary {0}: EXPIRED (no contact with a primary since {1:u}); policy {2}: {3}", change.Zone,
                status?.LastSuccess, SecondaryZoneConfig.ToText(policy),
                policy == ExpirePolicy.Stop ? "the edges answer SERVFAIL for it" : "the edges keep serving the last copy");
            if (policy == ExpirePolicy.Stop) Mark(change.Zone, expired: true);
        }
        else
        {
            _log.Info("secondary {0}: no longer expired", change.Zone);
            Mark(change.Zone, expired: false);
        }
    }

    private void Mark(ZoneId zone, bool expired) => _transferConfig.Tell(new TransferConfigCommands.SetZoneMetadata(zone.Value,
        TransferMetadata.Expired, expired ? [Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ")] : []));
}
