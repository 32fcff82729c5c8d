using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Datacenters;

/// <summary>
/// The serving cache of one datacenter node (role <c>edge</c>): keeps the node's <see cref="ZoneTable"/> (which the
/// DNS front end answers from) equal to the zones' latest versions. The decisions are pure types, given the time;
/// this actor receives, asks them, and does the effects:
/// <list type="bullet">
/// <item><see cref="ResyncPlanner"/>: at start, and every resync interval, it lists the zones (<see cref="ZoneCatalog"/>)
/// and fetches each one it does not hold (pub-sub alone misses the first second or so after a node is up), and those
/// whose latest version differs from the one held; a full sweep at start, when the catalog restarted, and every
/// full-resync interval.</item>
/// <item><see cref="FetchQueue"/>: at most <see cref="DatacenterSettings.MaxConcurrentRequests"/> asks to zones in
/// flight, catch-ups before sweep checks; an unanswered ask is reported and asked again after the request timeout.</item>
/// <item><see cref="EdgeSyncState"/>: a <see cref="ZoneDelta"/> applies only on top of the version held, in the lineage
/// held; on a gap it asks the zone for the missing events (<see cref="GetChangesSince"/>) or, when those are gone, for
/// the whole zone. A delta of another lineage (the zone was created again) fetches the zone whole, and that replaces
/// what is held whatever its version.</item>
/// <item><see cref="EdgeTableWriter"/>, fail static: a version that does not compile is reported in the status and
/// logged, and the last good version keeps serving; an error never empties the cache. A zone leaves the table only when
/// it is deleted (a delete event, or "not found" at a version newer than the one held, in the same lineage).</item>
/// </list>
/// </summary>
public sealed class DatacenterActor : ReceiveActor, IWithTimers
{
    private sealed record Resync
    {
        public static readonly Resync Instance = new();
    }

    private sealed record ExpireRequests
    {
        public static readonly ExpireRequests Instance = new();
    }

    /// <summary>Zones a listing showed ahead of what this edge serves (or not served yet): asked only if still so a
    /// moment later (<see cref="ResyncPlanner.Recheck"/>).</summary>
    private sealed record Recheck(IReadOnlyList<ListedAhead> Zones);

    /// <summary>Local copies are written about once a second per zone at most, off this actor (<see cref="EdgeSnapshotWriter"/>).</summary>
    private static readonly TimeSpan CopyDelay = TimeSpan.FromSeconds(1);
    /// <summary>After the first listing, the second: by then this edge's subscription has spread to every node.</summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromSeconds(5);

    private readonly DatacenterSettings _settings;
    private readonly IActorRef _zones;
    private readonly IActorRef _catalog;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EdgeTableWriter _served;
    private readonly ChunkInbox _listInbox;
    private FetchQueue _fetches;
    private ResyncPlanner _resync;
    private EdgeSyncState _sync = EdgeSyncState.Empty;
    private ZoneViewChunks _chunks = ZoneViewChunks.Empty;

    public DatacenterActor(DatacenterSettings settings, ZoneTable table, IActorRef zoneRegion, IActorRef catalog,
        IServedZoneObserver? observer = null)
    {
        _settings = settings;
        _zones = zoneRegion;
        _catalog = catalog;
        _fetches = FetchQueue.For(settings);
        _resync = ResyncPlanner.For(settings);
        var system = Context.System; // the writer reports from its own thread: no Context there
        var copies = settings.SnapshotDirectory is { } dir
            ? new EdgeSnapshotWriter(new EdgeSnapshotStore(dir), CopyDelay, (id, e) =>
                system.Log.Warning("datacenter {0}: zone {1}: local copy not written ({2}); still serving", settings.Name, id, e.Message))
            : null;
        _served = new EdgeTableWriter(settings, table, observer, copies, _log, ReportFailure);
        _listInbox = new ChunkInbox(Context.System, TimeSpan.FromMinutes(1),
            why => _log.Warning("datacenter {0}: zone list from the catalog lost: {1} (the next resync asks again)", _settings.Name, why));

        Receive<SubscribeAck>(_ => { });
        Receive<Resync>(_ => { _listInbox.ExpireStalled(); _catalog.Tell(ListZones.Instance); });
        // The catalog's list comes in chunks once thousands of zones make it larger than a frame.
        Receive<TransferChunk>(c => _listInbox.Receive(c, Self, Sender));
        Receive<ZoneList>(OnZoneList);
        Receive<Recheck>(r => Request(ResyncPlanner.Recheck(r.Zones, _served.Held)));
        Receive<ZoneDelta>(d => Do(d.ZoneId, Decide(_sync.Delta(d, _served.Get(d.ZoneId), _fetches.IsInFlight(d.ZoneId)))));
        Receive<ZoneDeltaTooLarge>(d => Do(d.ZoneId, Decide(_sync.DeltaTooLarge(d, _served.Get(d.ZoneId)))));
        Receive<ZoneViewChunk>(c =>
        {
            (_chunks, var view) = _chunks.Add(c);
            if (view is not null) OnView(view);
        });
        Receive<ZoneView>(OnView);
        Receive<ZoneNotFound>(nf =>
        {
            Answered(nf.ZoneId, arrived: true);
            Do(nf.ZoneId, Decide(_sync.NotFound(nf, _served.Get(nf.ZoneId))));
        });
        Receive<ZoneChanges>(c =>
        {
            Answered(c.ZoneId, arrived: false);
            Do(c.ZoneId, Decide(_sync.Changes(c, _served.Get(c.ZoneId))));
            FollowUp(c.ZoneId);
        });
        Receive<SnapshotNeeded>(s => { Answered(s.ZoneId, arrived: false); Request(new FetchRequest(s.ZoneId, Full: true)); });
        Receive<ExpireRequests>(_ => Expire());
        Receive<GetEdgeZones>(_ => Sender.Tell(Status()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(DatacenterSettings settings, ZoneTable table, IActorRef zoneRegion, IActorRef catalog,
        IServedZoneObserver? observer = null) =>
        Props.Create(() => new DatacenterActor(settings, table, zoneRegion, catalog, observer));

    protected override void PreStart()
    {
        _served.LoadLocalCopy();
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(_settings.Topic, Self));
        Self.Tell(Resync.Instance);
        Timers.StartPeriodicTimer(Resync.Instance, Resync.Instance, _settings.ResyncInterval);
        var check = TimeSpan.FromTicks(Math.Clamp(_settings.RequestTimeout.Ticks / 5, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        Timers.StartPeriodicTimer(ExpireRequests.Instance, ExpireRequests.Instance, check);
        // Until the first listing arrives, ask again at the request timeout rather than waiting a whole resync period.
        Timers.StartSingleTimer("first-listing", Resync.Instance, _settings.RequestTimeout);
    }

    protected override void PostStop() => _served.Dispose(); // writes the local copies still queued

    private void OnZoneList(ZoneList list)
    {
        (_resync, var plan) = _resync.Listed(list, _served.Held, _sync, DateTimeOffset.UtcNow);
        if (plan.First)
        {
            Timers.Cancel("first-listing");
            // This edge's pub-sub subscription reaches the zones nodes by gossip, a second or two after it is made: a
            // zone created in that window was published to the others only. List once more when it has spread,
            // rather than leaving the zone to the next resync.
            Timers.StartSingleTimer("settle-listing", Resync.Instance, SettleDelay);
        }
        if (plan.LoadedNow) LogLoaded();
        Request(plan.Fetches);
        if (plan.Recheck.Count > 0)
        {
            var recheck = new Recheck(plan.Recheck);
            Timers.StartSingleTimer(recheck, recheck, _resync.RecheckDelay);
        }
    }

    private void OnView(ZoneView v)
    {
        Answered(v.ZoneId, arrived: true);
        Do(v.ZoneId, Decide(_sync.View(v, _served.Get(v.ZoneId))));
        FollowUp(v.ZoneId);
    }

    private EdgeStep Decide((EdgeSyncState State, EdgeStep Step) decision)
    {
        _sync = decision.State;
        return decision.Step;
    }

    /// <summary>The effects of one <see cref="EdgeSyncState"/> decision.</summary>
    private void Do(ZoneId id, EdgeStep step)
    {
        switch (step)
        {
            case EdgeStep.Fetch f:
                Request(new FetchRequest(id, f.Full));
                break;
            case EdgeStep.Apply a:
                if (_served.Apply(id, a.From, a.Events) is { } deleted) Remove(id, deleted);
                break;
            case EdgeStep.Serve s:
                var previous = _served.Get(id);
                if (s.Adopted && previous is not null && previous.State.Lineage != s.State.Lineage)
                    _log.Warning("datacenter {0}: zone {1}: a new history (lineage {2}, was {3}); serving it whole at version {4} instead of version {5}",
                        _settings.Name, id, ZoneLineage.Describe(s.State.Lineage), ZoneLineage.Describe(previous.State.Lineage), s.State.Version, s.HeldVersion);
                else if (s.Adopted)
                    _log.Warning("datacenter {0}: zone {1}: its journal history was lost; serving what the zone holds now (version {2}, serial {3}) instead of version {4}",
                        _settings.Name, id, s.State.Version, s.State.Serial, s.HeldVersion);
                // The same compile-or-keep-serving path as any whole zone; a new history restarts the IXFR history.
                _served.Publish(id, s.State, previous, newHistory: s.Adopted);
                break;
            case EdgeStep.Remove r:
                Remove(id, r.Why);
                break;
            case EdgeStep.KeepServing k:
                _log.Warning("datacenter {0}: {1}: {2}", _settings.Name, id, k.Problem);
                _served.MarkProblem(id, k.Problem);
                break;
            case EdgeStep.HistoryLost h:
                // Keep serving ours until the zone's whole content arrives, then take that (EdgeSyncState.View).
                _log.Warning("datacenter {0}: zone {1} reports version {2} while version {3} is served: its journal history was lost; fetching the zone whole",
                    _settings.Name, id, h.ZoneVersion, h.ServedVersion);
                Request(new FetchRequest(id, Full: true));
                break;
        }
    }

    /// <summary>After a catch-up: if a newer version was announced meanwhile (its delta dropped as a gap), fetch it.</summary>
    private void FollowUp(ZoneId id)
    {
        if (_sync.FollowUp(id, _served.Get(id)) is { } r) Request(r);
    }

    /// <summary>Tells the DeliverySupervisor that a delivery failed: published on the event stream, where this edge's
    /// ack reporter (Propagation) takes it to the supervisor; no actor path or lookup between the two.</summary>
    private void ReportFailure(ZoneId id, string what) =>
        _events.Publish(new Propagation.DeliveryFailure(_settings.Name, id, what, DateTimeOffset.UtcNow));

    /// <summary>Captured at construction: <see cref="ReportFailure"/> may run inside the table writer's callbacks.</summary>
    private readonly Akka.Event.EventStream _events = Context.System.EventStream;

    private void Remove(ZoneId id, string why)
    {
        _served.Remove(id);
        _fetches = _fetches.Forget(id);
        _sync = _sync.Forget(id);
        _chunks = _chunks.Forget(id);
        _log.Info("datacenter {0}: zone {1} removed ({2})", _settings.Name, id, why);
    }

    private void Request(IReadOnlyList<FetchRequest> requests)
    {
        foreach (var r in requests) Request(r);
    }

    private void Request(FetchRequest r)
    {
        (_fetches, var send) = _fetches.Request(r, DateTimeOffset.UtcNow);
        if (send is { } f) Send(f);
    }

    private void Send(ZoneFetch f)
    {
        if (!f.Full && _served.Get(f.ZoneId) is { } held) _zones.Tell(new GetChangesSince(f.ZoneId, held.Version));
        else _zones.Tell(new GetZoneChunked(f.ZoneId));
    }

    /// <summary>A reply from the zone frees its slot; content or "not found" also counts for the start-up load.</summary>
    private void Answered(ZoneId id, bool arrived)
    {
        _fetches = _fetches.Answered(id);
        if (!arrived) return;
        (_resync, var loadedNow) = _resync.Arrived(id);
        if (loadedNow) LogLoaded();
    }

    private void LogLoaded() => _log.Info("datacenter {0}: start-up load complete, {1} zones served", _settings.Name, _served.Held.Count);

    /// <summary>A request unanswered past the timeout: the transfer never completed. Count it as a delivery failure,
    /// then ask again.</summary>
    private void Expire()
    {
        (_fetches, var late, var send) = _fetches.Expire(DateTimeOffset.UtcNow);
        foreach (var l in late)
            ReportFailure(l.ZoneId, $"no answer from the zone within {_settings.RequestTimeout.TotalSeconds:0.#} s; asking again");
        foreach (var f in send) Send(f);
    }

    /// <summary>Fills free request slots from the queues after every message: replies free slots.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        (_fetches, var send) = _fetches.Pump(DateTimeOffset.UtcNow);
        foreach (var f in send) Send(f);
        return handled;
    }

    private EdgeZones Status() => new(_settings.Name, _resync.Loaded,
        _served.Held.OrderBy(kv => kv.Key)
            .Select(kv => new HeldZone(kv.Key, kv.Value.State.Version, kv.Value.State.Serial, kv.Value.Compiled?.RecordCount ?? kv.Value.State.Records.Count,
                _fetches.IsBusy(kv.Key), kv.Value.Problem))
            .ToList());
}
