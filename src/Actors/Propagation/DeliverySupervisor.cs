using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.DistributedData;
using Akka.Event;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Propagation.Fencing;

using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Propagation;

/// <summary>
/// Cluster singleton on role <c>zones</c>: keeps the delivery ledger (<see cref="DeliveryState"/>) from zone
/// changes (the zone-changes topic) and datacenter acks, reports and failures; judges lag with
/// <see cref="LagPolicy"/> on a timer; writes the serving set (<see cref="ServingSet"/>) to Distributed Data so
/// every node knows which datacenters serve; answers operators (drain/undrain) and status queries.
/// </summary>
public sealed class DeliverySupervisor : ReceiveActor, IWithTimers
{
    private sealed class Evaluate { public static readonly Evaluate Instance = new(); }
    private sealed class ExpireTransfers { public static readonly ExpireTransfers Instance = new(); }

    private const int AlertMemory = 20;

    private readonly PropagationSettings _settings;
    private readonly Func<object, ZoneVersionPublished?> _zoneChange;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ChunkInbox _inbox;

    private DeliveryState _state = DeliveryState.Empty;
    /// <summary>Zones deleted, with the deleting version: reports of older versions do not bring them back.</summary>
    private ImmutableDictionary<ZoneId, long> _deleted = ImmutableDictionary<ZoneId, long>.Empty;
    /// <summary>The floor alert standing per datacenter after the last evaluation.</summary>
    private ImmutableDictionary<DatacenterName, string> _alerts = ImmutableDictionary<DatacenterName, string>.Empty;
    private ImmutableList<string> _alertLog = ImmutableList<string>.Empty;
    /// <summary>What this supervisor last wrote to the serving set.</summary>
    private ImmutableDictionary<string, string> _written = ImmutableDictionary<string, string>.Empty;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="zoneTopic">The pub-sub topic zone actors publish their deltas on (null: not subscribed).</param>
    /// <param name="zoneChange">Maps a message from that topic to a version stamp (null when it is not a zone change).</param>
    public DeliverySupervisor(PropagationSettings settings, string? zoneTopic, Func<object, ZoneVersionPublished?>? zoneChange, TimeProvider? time = null)
    {
        _settings = settings;
        _zoneChange = zoneChange ?? (_ => null);
        _time = time ?? TimeProvider.System;
        _inbox = new ChunkInbox(Context.System, settings.TransferTimeout, why => _log.Warning("delivery supervisor: {0}", why));

        Receive<ZoneVersionPublished>(OnZoneVersion);
        Receive<DeliveryAck>(a =>
        {
            _state = _state.Acked(a.Datacenter, a.Zone, a.Version, a.When);
        });
        Receive<DatacenterReport>(OnReport);
        Receive<DeliveryFailure>(f =>
        {
            _log.Warning("datacenter {0}: delivery failure {1}: {2}", f.Datacenter, f.Zone, f.What);
            _state = _state.Failed(f.Datacenter, $"{f.Zone}: {f.What}", f.When);
        });
        Receive<DrainDatacenter>(d => Sender.Tell(Operator(d.Name, serving: false)));
        Receive<UndrainDatacenter>(u => Sender.Tell(Operator(u.Name, serving: true)));
        Receive<GetDeliveryStatus>(_ => Sender.Tell(Status()));
        // An edge's fence asks every probe interval: it answers only while told it serves (unknown yet: serving).
        Receive<FenceProbe>(p =>
        {
            var (serving, limit) = LagPolicy.Grant(_state, p.Datacenter, _settings.Policy, Now);
            Sender.Tell(new FenceGrant(p.Nonce, serving, limit is { } l ? (long)l.TotalMilliseconds : -1));
        });
        Receive<Evaluate>(_ => OnEvaluate());
        Receive<TransferChunk>(c => _inbox.Receive(c, Self, Sender));
        Receive<ExpireTransfers>(_ => _inbox.ExpireStalled());
        Receive<GetSuccess>(g => g.Key.Equals(ServingSet.Key), g => RestoreDrains(g.Get(ServingSet.Key)));
        Receive<NotFound>(_ => { });
        Receive<GetFailure>(_ => _log.Warning("delivery supervisor: could not read the serving set; starting with every datacenter serving"));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => _log.Warning("delivery supervisor: serving set update not confirmed by every node yet ({0}); it spreads by gossip", f.GetType().Name));
        Receive<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(_ => { });
        ReceiveAny(m =>
        {
            if (_zoneChange(m) is { } z) OnZoneVersion(z);
            else Unhandled(m);
        });

        if (zoneTopic is not null)
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(zoneTopic, Self));
    }

    public static Props Props(PropagationSettings settings, string? zoneTopic, Func<object, ZoneVersionPublished?>? zoneChange, TimeProvider? time = null) =>
        Akka.Actor.Props.Create(() => new DeliverySupervisor(settings, zoneTopic, zoneChange, time));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("evaluate", Evaluate.Instance, _settings.EvaluateInterval);
        Timers.StartPeriodicTimer("expire", ExpireTransfers.Instance, TimeSpan.FromSeconds(1));
        // A supervisor that took over from another node keeps the drains already decided.
        _replicator.Tell(Dsl.Get(ServingSet.Key, ReadLocal.Instance));
        _log.Info("delivery supervisor started: max lag {0}, {1} failures, hold-down {2}, floor {3} / {4:P0}",
            _settings.Policy.MaxLag, _settings.Policy.MaxConsecutiveFailures, _settings.Policy.HoldDown, _settings.Policy.FloorCount, _settings.Policy.FloorShare);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private void OnZoneVersion(ZoneVersionPublished z)
    {
        if (z.Deleted)
        {
            _deleted = _deleted.SetItem(z.Zone, z.Version);
            _state = _state.ZoneRemoved(z.Zone);
            return;
        }
        _deleted = _deleted.Remove(z.Zone);
        // Stamped no later than now: another node's clock must not make a change look older than it is.
        var at = z.At > Now ? Now : z.At;
        _state = _state.ChangeMade(z.Zone, z.Version, at);
    }

    private void OnReport(DatacenterReport r)
    {
        var now = Now;
        _state = _state.DatacenterSeen(r.Datacenter);
        foreach (var (zone, version) in r.Versions)
        {
            if (_deleted.TryGetValue(zone, out var gone) && version <= gone) continue;
            // A version we never saw published (we started after it): every datacenter owes it from now on.
            if (version > _state.Latest(zone)) _state = _state.ChangeMade(zone, version, now);
            var acked = _state.Datacenters[r.Datacenter].Acked;
            if (!acked.TryGetValue(zone, out var had) || had < version)
                _state = _state.Acked(r.Datacenter, zone, version, r.When);
        }
    }

    private OperatorReply Operator(DatacenterName name, bool serving)
    {
        if (!_state.Datacenters.ContainsKey(name))
            return new OperatorReply(name, false, $"unknown datacenter '{name}' (known: {string.Join(", ", _state.Datacenters.Keys.Order())})");
        _state = _state.OperatorSet(name, serving, Now);
        var verb = serving ? "undrained" : "drained";
        _log.Warning("datacenter {0} {1} by an operator", name, verb);
        WriteServingSet();
        return new OperatorReply(name, true, serving
            ? $"{name} undrained: serving again"
            : $"{name} drained by an operator: it stops answering DNS until undrained");
    }

    private void OnEvaluate()
    {
        var (next, decisions) = LagPolicy.Evaluate(_state, _settings.Policy, Now);
        _state = next;
        var alerts = ImmutableDictionary<DatacenterName, string>.Empty;
        foreach (var d in decisions)
        {
            switch (d)
            {
                case DrainDecision drain:
                    _log.Warning("datacenter {0} drained ({1}): {2}", drain.Datacenter, drain.Reason, drain.Why);
                    break;
                case UndrainDecision undrain:
                    _log.Info("datacenter {0} re-admitted: {1}", undrain.Datacenter, undrain.Why);
                    break;
                case FloorAlert alert:
                    alerts = alerts.SetItem(alert.Datacenter, alert.Why);
                    if (!_alerts.ContainsKey(alert.Datacenter))
                    {
                        _log.Error("ALERT datacenter {0}: {1}", alert.Datacenter, alert.Why);
                        _alertLog = _alertLog.Add($"{Now:O} {alert.Datacenter}: {alert.Why}");
                        if (_alertLog.Count > AlertMemory) _alertLog = _alertLog.RemoveAt(0);
                    }
                    break;
            }
        }
        _alerts = alerts;
        if (decisions.Any(d => d is not FloorAlert)) WriteServingSet();
    }

    private void WriteServingSet()
    {
        var desired = _state.Datacenters.Values.Where(d => !d.Serving)
            .ToImmutableDictionary(d => d.Name.Value, d => ServingSet.Describe(d.Drain, d.DrainDetail));
        if (desired.Count == _written.Count && desired.All(kv => _written.TryGetValue(kv.Key, out var v) && v == kv.Value)) return;
        var written = _written;
        var self = _cluster.SelfUniqueAddress;
        _replicator.Tell(Dsl.Update(ServingSet.Key, LWWDictionary<string, string>.Empty, new WriteAll(TimeSpan.FromSeconds(3)), map =>
        {
            foreach (var gone in written.Keys.Concat(map.Keys).Distinct().Where(k => !desired.ContainsKey(k)).ToList())
                map = map.Remove(self, gone);
            foreach (var (dc, why) in desired)
                if (!map.TryGetValue(dc, out var had) || had != why) map = map.SetItem(self, dc, why);
            return map;
        }));
        _written = desired;
    }

    private void RestoreDrains(LWWDictionary<string, string> map)
    {
        foreach (var (key, why) in map)
        {
            if (!DatacenterName.TryParse(key, out var dc, out var problem))
            {
                _log.Warning("delivery supervisor: serving set entry '{0}' ignored: {1}", key, problem);
                continue;
            }
            if (_state.Datacenters.TryGetValue(dc!, out var known) && !known.Serving) continue;
            _state = ServingSet.IsOperatorDrain(why)
                ? _state.OperatorSet(dc!, serving: false, Now)
                : _state.DrainRestored(dc!, ServingSet.ReasonOf(why), why.Split(':', 2) is [_, var rest] ? rest.Trim() : why);
            _log.Info("datacenter {0} stays drained (read back from the serving set): {1}", dc, why);
        }
        _written = map.ToImmutableDictionary(kv => kv.Key, kv => kv.Value);
    }

    private DeliveryStatusReport Status()
    {
        var now = Now;
        var dcs = _state.Datacenters.Values.OrderBy(d => d.Name).Select(d =>
        {
            var lag = _state.LagOf(d.Name, now);
            return new DatacenterStatus(d.Name, d.Serving, d.Drain.ToString(), d.DrainDetail, lag.VersionsBehind, lag.ZonesBehind,
                Math.Round(lag.OldestUnacked.TotalSeconds, 3), d.LastAck, d.ConsecutiveFailures, d.RecentFailures,
                _alerts.TryGetValue(d.Name, out var a) ? a : null);
        }).ToList();
        return new DeliveryStatusReport(now, _settings.Policy.Floor(dcs.Count), dcs, _alertLog);
    }
}
