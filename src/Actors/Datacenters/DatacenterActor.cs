using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Hosting;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Zones;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Datacenters;

/// <summary>
/// The serving cache of one datacenter node (role <c>edge</c>): keeps the node's <see cref="ZoneTable"/> (which the
/// DNS front end answers from) equal to the zones' latest versions.
/// <list type="bullet">
/// <item>At start, and every resync interval, it lists the zones (<see cref="ZoneCatalog"/>) and fetches each one it
/// does not hold (pub-sub alone misses the first second or so after a node is up). The list carries each zone's
/// latest version: for zones it holds, it asks for the changes since its version only where that differs (a lost
/// delta). A full sweep (every zone asked) runs at start, when the catalog restarted, and every full-resync
/// interval, as the safety net for lost version reports.</item>
/// <item>At most <see cref="DatacenterSettings.MaxConcurrentRequests"/> asks to zones are in flight; the rest wait
/// in two queues, catch-ups for deltas first, sweep checks after. 10,000 asks fired at once time out together on a
/// busy zones node and are asked again, which keeps it busy.</item>
/// <item>It applies a <see cref="ZoneDelta"/> only on top of the version it holds; on a gap it asks the zone for
/// the missing events (<see cref="GetChangesSince"/>) or, when those are gone, for the whole zone.</item>
/// <item>Fail static: a version that does not compile is reported in the status and logged, and the last good
/// version keeps serving; an error never empties the cache. A zone leaves the table only when it is deleted
/// (a delete event, or "not found" at a version newer than the one held).</item>
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
    /// moment later. During a mass change the list is ahead of every edge by the deltas still in flight.</summary>
    private sealed record Recheck(IReadOnlyList<(ZoneId Id, long Latest, bool Held)> Zones);

    /// <summary>An ask in flight: when it was sent and whether it asked for the whole zone.</summary>
    private readonly record struct InFlight(DateTime Sent, bool Full);

    /// <summary>Local copies are written about once a second per zone at most, off this actor (<see cref="EdgeSnapshotWriter"/>).</summary>
    private static readonly TimeSpan CopyDelay = TimeSpan.FromSeconds(1);
    /// <summary>After the first listing, the second: by then this edge's subscription has spread to every node.</summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromSeconds(5);

    /// <summary>A zone as served: the last state that compiled, and what went wrong since, if anything.</summary>
    private sealed record Held(ZoneState State, string? Problem);

    private readonly DatacenterSettings _settings;
    private readonly ZoneTable _table;
    private readonly IActorRef _zones;
    private readonly IActorRef _catalog;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<ZoneId, Held> _held = new();
    /// <summary>Zones with a request in flight (a lost reply is asked again after the timeout).</summary>
    private readonly Dictionary<ZoneId, InFlight> _pending = new();
    /// <summary>Zones waiting for a request slot (value: whole zone wanted; urgent), in two queues: catch-ups first.</summary>
    private readonly Dictionary<ZoneId, (bool Full, bool Urgent)> _queued = new();
    private readonly Queue<ZoneId> _urgentQueue = new();
    private readonly Queue<ZoneId> _sweepQueue = new();
    /// <summary>The catalog incarnation of the last listing, and when the next full sweep is due.</summary>
    private string? _catalogIncarnation;
    private DateTime _nextFullSweep = DateTime.MinValue;
    /// <summary>Zones of the first catalog listing still to arrive; null once the start-up load is complete.</summary>
    private HashSet<ZoneId>? _initial;
    private bool _listed;
    /// <summary>The newest version announced by a delta, per zone: deltas dropped during a catch-up are fetched after it.</summary>
    private readonly Dictionary<ZoneId, long> _announced = new();
    /// <summary>Zone content arriving in chunks, per zone: applied only once complete.</summary>
    private readonly Dictionary<ZoneId, ZoneViewChunk?[]> _chunks = new();
    /// <summary>Fail static: the local copy of every zone served (null when not configured).</summary>
    private readonly EdgeSnapshotWriter? _copies;
    private readonly AkkaDns.Actors.Propagation.Chunking.ChunkInbox _listInbox;
    /// <summary>Zones whose journal history is lost: the zone reported an older version than the one served (the
    /// journal database was deleted and recreated). The version served is kept (fail static) until the zone holds
    /// content again (a backup import, a new creation); that content is then taken whole, whatever its version,
    /// and never patched with the new history's deltas, which do not continue the version served.</summary>
    private readonly HashSet<ZoneId> _lost = new();
    /// <summary>Zone transfers: told of every served version (IXFR history, NOTIFY); null when nothing listens.</summary>
    private readonly IServedZoneObserver? _observer;

    public DatacenterActor(DatacenterSettings settings, ZoneTable table, IActorRef zoneRegion, IActorRef catalog,
        IServedZoneObserver? observer = null)
    {
        _observer = observer;
        _settings = settings;
        _table = table;
        _zones = zoneRegion;
        _catalog = catalog;
        var system = Context.System; // the writer reports from its own thread: no Context there
        _copies = settings.SnapshotDirectory is { } dir
            ? new EdgeSnapshotWriter(new EdgeSnapshotStore(dir), CopyDelay, (id, e) =>
                system.Log.Warning("datacenter {0}: zone {1}: local copy not written ({2}); still serving", settings.Name, id, e.Message))
            : null;
        _listInbox = new AkkaDns.Actors.Propagation.Chunking.ChunkInbox(Context.System, TimeSpan.FromMinutes(1),
            why => _log.Warning("datacenter {0}: zone list from the catalog lost: {1} (the next resync asks again)", _settings.Name, why));

        Receive<SubscribeAck>(_ => { });
        Receive<Resync>(_ => { _listInbox.ExpireStalled(); _catalog.Tell(ListZones.Instance); });
        // The catalog's list comes in chunks once thousands of zones make it larger than a frame.
        Receive<AkkaDns.Actors.Propagation.Chunking.TransferChunk>(c => _listInbox.Receive(c, Self, Sender));
        Receive<ZoneList>(OnZoneList);
        Receive<ZoneDelta>(OnDelta);
        Receive<ZoneView>(OnView);
        Receive<ZoneViewChunk>(OnChunk);
        Receive<ZoneDeltaTooLarge>(d =>
        {
            _announced[d.ZoneId] = Math.Max(d.ToVersion, _announced.GetValueOrDefault(d.ZoneId));
            var held = _held.TryGetValue(d.ZoneId, out var h) ? h.State.Version : -1;
            if (d.ToVersion > held || _lost.Contains(d.ZoneId)) Request(d.ZoneId, full: true);
        });
        Receive<ZoneNotFound>(OnNotFound);
        Receive<ZoneChanges>(OnChanges);
        Receive<SnapshotNeeded>(s => { _pending.Remove(s.ZoneId); Request(s.ZoneId, full: true); });
        Receive<ExpireRequests>(_ => Expire());
        Receive<Recheck>(OnRecheck);
        Receive<GetDatacenterStatus>(_ => Sender.Tell(Status()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props PropsFor(DatacenterSettings settings, ZoneTable table, IActorRef zoneRegion, IActorRef catalog,
        IServedZoneObserver? observer = null) =>
        Props.Create(() => new DatacenterActor(settings, table, zoneRegion, catalog, observer));

    protected override void PreStart()
    {
        LoadLocalCopy();
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(_settings.Topic, Self));
        Self.Tell(Resync.Instance);
        Timers.StartPeriodicTimer(Resync.Instance, Resync.Instance, _settings.ResyncInterval);
        var check = TimeSpan.FromTicks(Math.Clamp(_settings.RequestTimeout.Ticks / 5, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        Timers.StartPeriodicTimer(ExpireRequests.Instance, ExpireRequests.Instance, check);
        // Until the first listing arrives, ask again at the request timeout rather than waiting a whole resync period.
        Timers.StartSingleTimer("first-listing", Resync.Instance, _settings.RequestTimeout);
    }

    private void OnZoneList(ZoneList list)
    {
        var first = !_listed;
        if (!_listed)
        {
            _listed = true;
            Timers.Cancel("first-listing");
            // This edge's pub-sub subscription reaches the zones nodes by gossip, a second or two after it is made: a
            // zone created in that window was published to the others only. List once more when it has spread,
            // rather than leaving the zone to the next resync.
            Timers.StartSingleTimer("settle-listing", Resync.Instance, SettleDelay);
            _initial = list.Zones.Select(z => z.ZoneId).Where(z => !_held.ContainsKey(z)).ToHashSet();
            CheckLoaded();
        }
        var now = DateTime.UtcNow;
        // Without versions (an older catalog), after the catalog restarted, and every full-resync interval: ask every
        // zone. Otherwise only those whose latest version differs from the one held.
        var sweep = list.Latest is null || list.Latest.Count != list.Zones.Count || list.Incarnation != _catalogIncarnation || now >= _nextFullSweep;
        if (sweep) _nextFullSweep = now + _settings.FullResyncInterval;
        _catalogIncarnation = list.Incarnation;
        var listed = new HashSet<ZoneId>(list.Zones.Count);
        List<(ZoneId, long, bool)>? later = null;
        for (int i = 0; i < list.Zones.Count; i++)
        {
            var id = list.Zones[i].ZoneId;
            listed.Add(id);
            var latest = sweep ? -1 : list.Latest![i]; // without a sweep the list carries a version for every zone
            if (_lost.Contains(id) || first && !_held.ContainsKey(id)) Request(id, full: true);
            else if (!_held.TryGetValue(id, out var held)) (later ??= new()).Add((id, latest, false));
            else if (sweep) Request(id, full: false, urgent: false);
            else if (latest >= 0 && latest < held.State.Version) Request(id, full: false); // its history went back: ask now
            else if (latest > held.State.Version) (later ??= new()).Add((id, latest, true));
        }
        if (later is not null)
        {
            var delay = TimeSpan.FromTicks(Math.Min(_settings.RequestTimeout.Ticks, _settings.ResyncInterval.Ticks / 2));
            var recheck = new Recheck(later);
            Timers.StartSingleTimer(recheck, recheck, delay);
        }
        // Held but not listed: maybe deleted while a delete delta was lost. Only the zone itself may say so.
        foreach (var id in _held.Keys.Where(z => !listed.Contains(z)).ToList()) Request(id, full: true);
    }

    /// <summary>Zones still behind the listed version (their delta was lost, not just late), or still not served.</summary>
    private void OnRecheck(Recheck r)
    {
        foreach (var (id, latest, wasHeld) in r.Zones)
        {
            if (!_held.TryGetValue(id, out var held)) Request(id, full: true); // a deleted zone answers "not found": no harm
            else if (wasHeld && held.State.Version < latest) Request(id, full: false);
        }
    }

    private void OnDelta(ZoneDelta d)
    {
        _announced[d.ZoneId] = Math.Max(d.ToVersion, _announced.GetValueOrDefault(d.ZoneId));
        if (!_held.TryGetValue(d.ZoneId, out var held))
        {
            if (d.Event is ZoneEvents.ZoneCreated) Apply(d.ZoneId, ZoneState.Empty(d.ZoneId), [d.Event]);
            else Request(d.ZoneId, full: true);
            return;
        }
        var version = held.State.Version;
        if (_lost.Contains(d.ZoneId)) { Request(d.ZoneId, full: true); return; } // a new history: take it whole
        if (d.ToVersion <= version)
        {
            // Already have it (duplicate or reordered), unless a zone we serve was created again at a version we
            // passed long ago: its journal was lost. Asking for the changes since ours tells (OnChanges).
            if (d.Event is ZoneEvents.ZoneCreated) Request(d.ZoneId, full: false);
            return;
        }
        if (d.FromVersion == version && !_pending.ContainsKey(d.ZoneId)) Apply(d.ZoneId, held.State, [d.Event]);
        else Request(d.ZoneId, full: false); // gap: fetch the missing range
    }

    private void OnView(ZoneView v)
    {
        _pending.Remove(v.ZoneId);
        Arrived(v.ZoneId);
        var heldVersion = _held.TryGetValue(v.ZoneId, out var held) ? held.State.Version : -1;
        var adopt = _lost.Remove(v.ZoneId);
        if (v.Version <= heldVersion && !adopt) { FollowUp(v.ZoneId); return; }
        if (adopt)
            _log.Warning("datacenter {0}: zone {1}: its journal history was lost; serving what the zone holds now (version {2}, serial {3}) instead of version {4}",
                _settings.Name, v.ZoneId, v.Version, v.Serial, heldVersion);
        var state = new ZoneState
        {
            Id = v.ZoneId, Exists = true, Version = v.Version, LastSerial = v.Serial,
            Records = v.Records.ToImmutableList(),
        };
        Publish(v.ZoneId, state, held);
        FollowUp(v.ZoneId);
    }

    private void OnChunk(ZoneViewChunk c)
    {
        if (c.Count <= 0 || c.Index < 0 || c.Index >= c.Count) return;
        if (!_chunks.TryGetValue(c.ZoneId, out var parts) || parts.Length != c.Count
            || parts.FirstOrDefault(p => p is not null) is { } other && other.Version != c.Version)
            _chunks[c.ZoneId] = parts = new ZoneViewChunk?[c.Count];
        parts[c.Index] = c;
        if (parts.Any(p => p is null)) return;
        _chunks.Remove(c.ZoneId);
        OnView(new ZoneView(c.ZoneId, c.Version, c.Serial, parts.SelectMany(p => p!.Records).ToList()));
    }

    private void OnNotFound(ZoneNotFound nf)
    {
        _pending.Remove(nf.ZoneId);
        Arrived(nf.ZoneId);
        if (!_held.TryGetValue(nf.ZoneId, out var held)) return;
        if (nf.Version > held.State.Version)
        {
            Remove(nf.ZoneId, $"deleted at version {nf.Version}");
            return;
        }
        // "Never existed" or an older version than we serve: the journal was lost or rolled back. Fail static.
        _lost.Add(nf.ZoneId);
        var problem = $"zone actor reports no zone at version {nf.Version} while version {held.State.Version} is served; keeping it (fail static)";
        _log.Warning("datacenter {0}: {1}: {2}", _settings.Name, nf.ZoneId, problem);
        _held[nf.ZoneId] = held with { Problem = problem };
    }

    private void OnChanges(ZoneChanges c)
    {
        _pending.Remove(c.ZoneId);
        if (!_held.TryGetValue(c.ZoneId, out var held)) { Request(c.ZoneId, full: true); return; }
        if (c.ToVersion < held.State.Version)
        {
            // The zone is behind the version we serve: its journal lost the history we follow. Keep serving ours
            // until the zone's whole content arrives, then take that (OnView).
            _log.Warning("datacenter {0}: zone {1} reports version {2} while version {3} is served: its journal history was lost; fetching the zone whole",
                _settings.Name, c.ZoneId, c.ToVersion, held.State.Version);
            _lost.Add(c.ZoneId);
            Request(c.ZoneId, full: true);
            return;
        }
        var missing = c.Events.Where(e => e.Version > held.State.Version).OrderBy(e => e.Version).ToList();
        // Nothing new in the reply; a delta that arrived while it was in flight was dropped as a gap: fetch after it.
        if (missing.Count == 0) { FollowUp(c.ZoneId); return; }
        // The range must continue exactly from what is held; otherwise take the whole zone.
        for (int i = 0; i < missing.Count; i++)
            if (missing[i].Version != held.State.Version + 1 + i) { Request(c.ZoneId, full: true); return; }
        Apply(c.ZoneId, held.State, missing);
        FollowUp(c.ZoneId);
    }

    /// <summary>After a catch-up: if a newer version was announced meanwhile (its delta dropped as a gap), fetch it.</summary>
    private void FollowUp(ZoneId id)
    {
        if (_held.TryGetValue(id, out var held) && held.Problem is null && _announced.GetValueOrDefault(id) > held.State.Version)
            Request(id, full: false);
    }

    /// <summary>Applies events on top of <paramref name="from"/>, compiles, and swaps the table entry.</summary>
    private void Apply(ZoneId id, ZoneState from, IReadOnlyList<IZoneEvent> events)
    {
        _held.TryGetValue(id, out var held);
        if (TryApplyIncrementally(id, from, events, held))
        {
            Served(id, events);
            return;
        }
        ZoneState next;
        try { next = events.Aggregate(from, (s, e) => s.Apply(e)); }
        catch (Exception e)
        {
            Fail(id, held, events[^1].Version, e);
            return;
        }
        if (!next.Exists)
        {
            Remove(id, $"deleted at version {next.Version}");
            return;
        }
        if (!Publish(id, next, held)) return;
        Served(id, events);
    }

    /// <summary>
    /// RRset changes on top of the version being served: patch the held records and the compiled zone with just the
    /// changed RRsets (<see cref="IncrementalApply"/>) instead of recompiling the whole zone. False: not applicable, or
    /// a rule check failed; the full path then decides (and reports a real problem as before).
    /// </summary>
    private bool TryApplyIncrementally(ZoneId id, ZoneState from, IReadOnlyList<IZoneEvent> events, Held? held)
    {
        if (held is null || held.Problem is not null || !ReferenceEquals(held.State, from)) return false;
        if (_table.Get(id.Name) is not { } current || current.Version != from.Version) return false;
        if (!IncrementalApply.TryPrepare(from, events, out var next, out var updates)) return false;
        CompiledZone compiled;
        try { compiled = current.WithChanges(updates, next.Version); }
        catch (Exception e) when (e is ZoneValidationException or ArgumentException or InvalidOperationException) { return false; }
        _observer?.Serving(id.Name, next.Serial, ServedDiffs.ForUpdates(from.Records, next.Records, id.Name, updates));
        _table.Publish(compiled);
        _held[id] = new Held(next with { Recent = [], History = [] }, null);
        Save(id, next);
        _observer?.Served(id.Name, next.Serial, changed: true);
        return true;
    }

    private void Served(ZoneId id, IReadOnlyList<IZoneEvent> events)
    {
        // Commit-to-served time and one structured line per applied propagation step (zone, version, datacenter).
        var lag = DateTimeOffset.UtcNow - events[^1].At;
        AkkaDns.Actors.Metrics.ActorMetrics.Propagation.Record(lag);
        _log.Info("datacenter {0}: zone {1} version {2} served ({3} event(s), {4:0.000} s after commit)",
            _settings.Name, id, events[^1].Version, events.Count, lag.TotalSeconds);
    }

    /// <summary>Queues the zone's local copy (fail static); written off this actor, about once a second at most.</summary>
    private void Save(ZoneId id, ZoneState state) => _copies?.Save(new EdgeSnapshot(id, state.Version, state.Serial, state.Records));

    protected override void PostStop() => _copies?.Dispose(); // writes what is queued

    private bool Publish(ZoneId id, ZoneState state, Held? previous, bool save = true)
    {
        CompiledZone compiled;
        try { compiled = CompiledZone.Compile(state.ToZone(), state.Version); }
        catch (Exception e)
        {
            Fail(id, previous, state.Version, e);
            return false;
        }
        _observer?.Serving(id.Name, state.Serial, previous is null ? null : ServedDiffs.Between(previous.State.Records, state.Records, id.Name));
        _table.Publish(compiled);
        _held[id] = new Held(state with { Recent = [], History = [] }, null);
        if (save) Save(id, state);
        _observer?.Served(id.Name, state.Serial, changed: previous is not null);
        return true;
    }

    /// <summary>Fail static: serve the local copy at once; the catalog and the zones then bring every zone up to date
    /// (or remove it, when the zone itself says it was deleted). With the journal down, the copy is what is served.</summary>
    private void LoadLocalCopy()
    {
        if (_copies is null) return;
        var copies = _copies.Store.LoadAll(out var problems);
        foreach (var problem in problems) _log.Warning("datacenter {0}: local copy skipped: {1}", _settings.Name, problem);
        foreach (var copy in copies) Publish(copy.ZoneId, copy.ToState(), null, save: false); // read from those very files
        if (copies.Count > 0) _log.Info("datacenter {0}: serving {1} zones from the local copy in {2} until the zones answer", _settings.Name, copies.Count, _copies.Store.Directory);
    }

    private void Fail(ZoneId id, Held? previous, long version, Exception e)
    {
        var problem = $"version {version} not applied: {e.Message}";
        _log.Warning("datacenter {0}: zone {1}: {2}; still serving version {3}", _settings.Name, id, problem,
            previous?.State.Version.ToString() ?? "none");
        if (previous is not null) _held[id] = previous with { Problem = problem };
        ReportFailure(id, problem);
    }

    /// <summary>Tells the DeliverySupervisor (through this edge's ack reporter, see Propagation) that a delivery failed.</summary>
    private void ReportFailure(ZoneId id, string what) =>
        Context.ActorSelection("/user/edge-ack-reporter").Tell(new Propagation.DeliveryFailure(_settings.Name, id.Value, what, DateTimeOffset.UtcNow));

    private void Remove(ZoneId id, string why)
    {
        _table.Remove(id.Name);
        _observer?.Removed(id.Name);
        _copies?.Remove(id);
        _held.Remove(id);
        _pending.Remove(id);
        _queued.Remove(id);
        _announced.Remove(id);
        _chunks.Remove(id);
        _lost.Remove(id);
        _log.Info("datacenter {0}: zone {1} removed ({2})", _settings.Name, id, why);
    }

    /// <summary>Asks the zone for its content (full) or for the changes since the held version: one request in flight
    /// per zone, at most <see cref="DatacenterSettings.MaxConcurrentRequests"/> in all (the rest queue; sweep checks
    /// behind catch-ups), asked again once the request timeout has passed (<see cref="Expire"/>).</summary>
    private void Request(ZoneId id, bool full, bool urgent = true)
    {
        if (_pending.ContainsKey(id)) return; // its reply comes, or it times out and is asked again
        if (_queued.TryGetValue(id, out var queued))
        {
            if (urgent && !queued.Urgent) _urgentQueue.Enqueue(id); // promoted: its sweep place is skipped later
            _queued[id] = (queued.Full || full, queued.Urgent || urgent);
            return;
        }
        if (_pending.Count < _settings.MaxConcurrentRequests && _urgentQueue.Count == 0 && _sweepQueue.Count == 0)
        {
            Send(id, full);
            return;
        }
        _queued[id] = (full, urgent);
        (urgent ? _urgentQueue : _sweepQueue).Enqueue(id);
    }

    private void Send(ZoneId id, bool full)
    {
        _pending[id] = new InFlight(DateTime.UtcNow, full);
        if (!full && _held.TryGetValue(id, out var held)) _zones.Tell(new GetChangesSince(id, held.State.Version));
        else _zones.Tell(new GetZoneChunked(id));
    }

    /// <summary>Fills free request slots from the queues (after every message: replies free slots).</summary>
    private void Pump()
    {
        while (_pending.Count < _settings.MaxConcurrentRequests && (_urgentQueue.Count > 0 || _sweepQueue.Count > 0))
        {
            var id = _urgentQueue.Count > 0 ? _urgentQueue.Dequeue() : _sweepQueue.Dequeue();
            if (!_queued.Remove(id, out var q) || _pending.ContainsKey(id)) continue; // already sent, or removed
            Send(id, q.Full);
        }
    }

    /// <summary>A request unanswered past the timeout: the transfer never completed. Count it as a delivery failure,
    /// then ask again.</summary>
    private void Expire()
    {
        if (_pending.Count == 0) return;
        var now = DateTime.UtcNow;
        List<(ZoneId Id, bool Full)>? late = null;
        foreach (var (id, f) in _pending)
            if (now - f.Sent >= _settings.RequestTimeout) (late ??= new()).Add((id, f.Full));
        if (late is null) return;
        foreach (var (id, full) in late)
        {
            _pending.Remove(id);
            ReportFailure(id, $"no answer from the zone within {_settings.RequestTimeout.TotalSeconds:0.#} s; asking again");
            Request(id, full);
        }
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        Pump();
        return handled;
    }

    private void Arrived(ZoneId id)
    {
        if (_initial is not null && _initial.Remove(id)) CheckLoaded();
    }

    private void CheckLoaded()
    {
        if (_initial is { Count: 0 })
        {
            _initial = null;
            _log.Info("datacenter {0}: start-up load complete, {1} zones served", _settings.Name, _held.Count);
        }
    }

    private DatacenterStatus Status() => new(_settings.Name, _listed && _initial is null,
        _held.OrderBy(kv => kv.Key)
            .Select(kv => new HeldZone(kv.Key, kv.Value.State.Version, kv.Value.State.Serial, kv.Value.State.Records.Count,
                _pending.ContainsKey(kv.Key) || _queued.ContainsKey(kv.Key), kv.Value.Problem))
            .ToList());
}

public static class DatacenterHostingExtensions
{
    /// <summary>
    /// Adds this node's <see cref="DatacenterActor"/> (nodes with role edge), publishing into <paramref name="table"/>.
    /// Call after <see cref="ZoneHostingExtensions.AddZoneSharding"/> (it needs the zone region and catalog).
    /// Inject it as <c>IRequiredActor&lt;DatacenterActor&gt;</c>; ask it <see cref="GetDatacenterStatus"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddDatacenter(this AkkaConfigurationBuilder builder, DatacenterSettings settings, ZoneTable table,
        IServedZoneObserver? observer = null) =>
        builder.WithActors((system, registry, _) =>
        {
            var actor = system.ActorOf(DatacenterActor.PropsFor(settings, table, registry.Get<ZoneActor>(), registry.Get<ZoneCatalog>(), observer), "datacenter");
            registry.Register<DatacenterActor>(actor);
        });
}
