using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// One zone, as a sharded persistent actor: <em>where a change is persisted</em>. The pure <see cref="ZoneState"/>
/// decides; this actor persists the one event a command may produce, replies only once it is stored, publishes the
/// versioned <see cref="ZoneDelta"/> to the zone-changes topic, snapshots every N events (deleting older snapshots)
/// and keeps the <see cref="ZoneCatalog"/> informed of creations and deletions.
/// </summary>
public sealed partial class ZoneActor : ReceivePersistentActor, IWithTimers
{
    private sealed record RetryRegistration
    {
        public static readonly RetryRegistration Instance = new();
    }

    private readonly ZoneSettings _settings;
    private readonly IActorRef _catalog;
    private readonly IActorRef _mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ZoneState _state;
    private RegisterZone? _unacked;
    /// <summary>Who waits for the events being persisted now: told the cause if the journal fails them.</summary>
    private IActorRef? _persisting;
    private DnssecContext? _dnssec;

    public ZoneActor(ZoneId id, ZoneSettings settings, IActorRef catalog)
    {
        _settings = settings;
        _catalog = catalog;
        _mediator = DistributedPubSub.Get(Context.System).Mediator;
        _state = ZoneState.Empty(id);
        PersistenceId = PersistenceIdFor(id);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ZoneState s) _state = s with { Recent = [] };
        });
        Recover<IZoneEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            // A creation whose registration was lost (crash before the ack) is registered again here; idempotent.
            if (_state.Version > 0) Register();
            if (_state.Pending.Count > 0) ReportHeld(); // the fleet guard counts held changes cluster-wide
            ReportSigning();
            Memory.HeapCompactor.Process.Loaded(_state.Records.Count, _settings.CompactAfterLoadRecords, Log);
        });

        Command<IZoneCommand>(Handle);
        ReceiveCommandChunks(); // large commands arrive in pieces (ZoneActor.Chunks.cs)
        ReceiveFleetGuard(); // fleet-window permits and held-change reports (ZoneActor.FleetGuard.cs)
        ReceiveDnssec(); // DNSSEC view and the signing schedule (ZoneActor.Dnssec.cs)
        Command<GetZone>(_ => Sender.Tell(_state.Exists ? _state.ToView() : NotFound()));
        Command<GetZoneChunked>(_ =>
        {
            if (!_state.Exists) { Sender.Tell(NotFound()); return; }
            var chunks = MessageSize.Chunk(_state.Records, _settings.MaxMessageBytes);
            for (int i = 0; i < chunks.Count; i++)
                Sender.Tell(new ZoneViewChunk(_state.Id, _state.Version, _state.Serial, i, chunks.Count, chunks[i]) { Lineage = _state.Lineage });
        });
        Command<PendingChanges.GetPendingChanges>(_ => ReplyChunked(new PendingChanges.PendingChangeList(_state.Id, _state.Pending))); // held imports are whole zones
        Command<GetHistory>(_ => ReplyChunked(new ZoneHistory(_state.Id, _state.History))); // up to 1000 lines: may exceed a frame
        Command<GetChangesSince>(q =>
        {
            var events = _state.ChangesSince(q.FromVersion)?.Select(ZoneDelta.ForEdges).ToList(); // no keys to the edges
            if (events is not null && events.Sum(ZoneDelta.EstimateBytes) > _settings.MaxMessageBytes) events = null; // too big: fetch in chunks
            Sender.Tell(events is null
                ? new SnapshotNeeded(_state.Id, _state.Version)
                : new ZoneChanges(_state.Id, Math.Min(q.FromVersion, _state.Version), _state.Version, events) { Lineage = _state.Lineage });
        });
        Command<ZoneRegistered>(ack =>
        {
            if (_unacked is not null && ack.Version >= _unacked.Version)
            {
                _unacked = null;
                Timers.Cancel(RetryRegistration.Instance);
            }
        });
        Command<RetryRegistration>(_ => { if (_unacked is not null) _catalog.Tell(_unacked); });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "zone {0}: snapshot at {1} failed", _state.Id, f.Metadata.SequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "zone {0}: deleting old snapshots failed", _state.Id));
    }

    public override string PersistenceId { get; }

    private ZoneNotFound NotFound() => new(_state.Id, _state.Version) { Lineage = _state.Lineage };

    private DnssecContext Dnssec => _dnssec ??= new DnssecContext(_state.Id, _settings.Dnssec, _settings.KeyProtector);

    protected override void PostStop()
    {
        _dnssec?.Dispose();
        base.PostStop();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The journal stream of a zone: "zone-" + its lower-case absolute name.</summary>
    public static string PersistenceIdFor(ZoneId id) => "zone-" + id.Value;

    public static Props PropsFor(ZoneId id, ZoneSettings settings, IActorRef catalog) =>
        Props.Create(() => new ZoneActor(id, settings, catalog));

    private void Handle(IZoneCommand command)
    {
        if (_permit is not null) { Stash.Stash(); return; } // one change at a time: wait for the fleet guard's answer
        if (command is PendingChanges.OverrideGuard o)
            _log.Warning("zone {0}: {1} by {2} OVERRIDES the blast-radius guard", _state.Id, o.Inner.GetType().Name, o.Who);
        var now = _settings.Clock.GetUtcNow();
        ZoneDecision decision;
        try
        {
            // A creation starts a history: its lineage is minted here, so the pure decision stays pure.
            decision = ZoneSafeguards.Decide(_state, command, now, _settings.Guard, Dnssec, ZoneLineage.New());
            decision = ZoneDnssec.SignDecision(_state, decision, Dnssec, now); // a signed zone's change carries its signatures
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            // A key that does not open (another KEK) or a signer failure: nothing is written, the edges keep serving.
            _log.Error("zone {0}: signing failed: {1}", _state.Id, e.Message); // the message never holds key material
            decision = ZoneDecision.Refuse(_state.Id, ZoneRejection.Unavailable, $"zone {_state.Id}: signing failed: {e.Message}; nothing was changed");
        }
        if (decision.Events.Count == 0)
        {
            Sender.Tell(ZoneCommandResult.Bounded(decision.Result)); // one frame, however many problems
            return;
        }
        if (ZoneSafeguards.NeedsFleetPermit(command, _settings.Guard) && ZoneSafeguards.FleetChangeOf(_state, decision) is { } deletion)
        {
            AskFleetPermit(command, decision, Sender, deletion);
            return;
        }
        Store(decision, Sender);
    }

    /// <summary>Persists the decided events, then replies.</summary>
    private void Store(ZoneDecision decision, IActorRef replyTo)
    {
        _persisting = replyTo;
        var started = System.Diagnostics.Stopwatch.GetTimestamp(); // journal write latency for /metrics
        PersistAll(decision.Events, e =>
        {
            _state = _state.Apply(e);
            if (e.Version == decision.Events[^1].Version)
            {
                _persisting = null;
                AkkaDns.Actors.Metrics.ActorMetrics.JournalWrite.Record(System.Diagnostics.Stopwatch.GetTimestamp() - started);
                replyTo.Tell(decision.Result);
                // The catalog lists each zone's latest version, so a datacenter's resync asks only the zones that moved.
                _catalog.Tell(new ZoneVersionReport(_state.Id, _state.Version) { Lineage = _state.Lineage });
            }
            _mediator.Tell(new Publish(_settings.Topic, ZoneDelta.EstimateBytes(e) <= _settings.MaxMessageBytes
                ? ZoneDelta.Of(e, _state.Lineage)
                : new ZoneDeltaTooLarge(e.ZoneId, e.Version - 1, e.Version) { Lineage = _state.Lineage }));
            if (e is ZoneEvents.ZoneCreated or ZoneEvents.ZoneDeleted || e is PendingChanges.ChangeConfirmed { Inner: ZoneEvents.ZoneDeleted }) Register();
            if (e is PendingChanges.ChangeHeld or PendingChanges.ChangeConfirmed or PendingChanges.ChangeRejected) ReportHeld();
            if (LastSequenceNr % _settings.SnapshotEvery == 0) SaveSnapshot(_state);
            if (e.Version == decision.Events[^1].Version) ReportSigning();
            // A whole-zone event of a large zone leaves garbage the zone's size (an RRset change does not).
            if (e is not ZoneEvents.RRsetsChanged) Memory.HeapCompactor.Process.Loaded(_state.Records.Count, _settings.CompactAfterLoadRecords, Log);
        });
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The journal refused the event (e.g. serialization): nothing was stored and the state is unchanged.
        // Log loudly, tell the caller; the actor stays alive.
        _log.Error(cause, "zone {0}: journal rejected {1} at {2}", _state.Id, @event.GetType().Name, sequenceNr);
        TellJournalFailed($"the journal refused the change ({AkkaDns.Actors.Storage.JournalHealth.Describe(cause)})");
    }

    /// <summary>Fail static, zone side: the journal is unreachable or its tables are gone. The caller gets the cause at
    /// once (not an ask timeout); nothing was applied or published, so the edges keep serving the last version.
    /// Akka.Persistence then stops this actor; the next command starts it again from the journal.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        TellJournalFailed($"the journal did not store the change ({AkkaDns.Actors.Storage.JournalHealth.Describe(cause)})");
        _dnssec?.ResetSigner(); // its memory holds signatures that were never stored
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>The journal cannot be read: Akka.Persistence stops this actor and drops the commands it stashed. Tell
    /// the callers waiting on this node (<see cref="AkkaDns.Actors.Storage.JournalHealth"/>) so they answer with the cause.</summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        AkkaDns.Actors.Storage.JournalHealth.Get(Context.System).Failed(PersistenceId,
            $"zone {_state.Id}: the journal cannot be read ({AkkaDns.Actors.Storage.JournalHealth.Describe(reason)}); nothing was changed, the edges keep serving the last version");
        base.OnRecoveryFailure(reason, message);
    }

    private void TellJournalFailed(string what)
    {
        var message = $"zone {_state.Id}: {what}; nothing was applied, the edges keep serving version {_state.Version}";
        AkkaDns.Actors.Storage.JournalHealth.Get(Context.System).Failed(PersistenceId, message);
        _persisting?.Tell(new ZoneCommandResult.Rejected(_state.Id, ZoneRejection.Unavailable, message, []));
        _persisting = null;
    }

    private void Register()
    {
        _unacked = new RegisterZone(_state.Id, _state.Version, _state.Exists);
        _catalog.Tell(_unacked);
        Timers.StartPeriodicTimer(RetryRegistration.Instance, RetryRegistration.Instance, _settings.CatalogRetry);
    }
}
