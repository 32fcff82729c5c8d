using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using static AkkaDns.Actors.Zones.FleetGuardProtocol;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The fleet-wide safeguards, persistent, one per cluster (a child of the <see cref="ZoneCatalog"/> singleton, so it
/// lives on the zones role and moves with it):
/// <list type="bullet">
/// <item>the <b>fleet window</b>: a zone asks for a permit before it deletes itself or replaces its whole content;
/// past <c>fleet-max-zone-changes</c> within <c>fleet-window</c> across all zones and nodes the answer is "hold" and
/// the zone stores the change as held (confirmed like any held change). The incident deleted every zone at once: a
/// per-zone guard sees only one deletion per zone, this count sees them all;</item>
/// <item>the <b>held fleet restores</b>, so any node lists them and a confirmation on any node runs one once;</item>
/// <item>the <b>count of held changes</b> in the cluster (zones report theirs), for <c>/metrics</c>.</item>
/// </list>
/// Permits are answered from memory after one journal write; ordinary changes (PATCH) never ask.
/// </summary>
public sealed class FleetGuard : ReceivePersistentActor
{
    public const string PersistenceIdValue = "fleet-guard";
    public const string RestoreIdPrefix = "restore@";
    private const int SnapshotEvery = 100;

    private readonly BlastRadiusSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private FleetGuardState _state = FleetGuardState.Empty;

    public FleetGuard(BlastRadiusSettings settings, TimeProvider? time = null)
    {
        _settings = settings;
        _time = time ?? TimeProvider.System;

        Recover<SnapshotOffer>(o => { if (o.Snapshot is FleetGuardSnapshot s) _state = FleetGuardState.From(s); });
        Recover<FleetChangeCounted>(e => _state = _state.Apply(e));
        Recover<ZoneHeldChangesSet>(e => _state = _state.Apply(e));
        Recover<RestoreHeldStored>(e => _state = _state.Apply(e));
        Recover<RestoreResolved>(e => _state = _state.Apply(e));

        Command<RequestFleetPermit>(Permit);
        Command<ReportHeldChanges>(r =>
        {
            var replyTo = Sender;
            if (!_state.IsNews(r)) { replyTo.Tell(new HeldChangesReported(r.ZoneId, r.Version)); return; }
            Store(new ZoneHeldChangesSet(r.ZoneId, r.Version, r.Held), () => replyTo.Tell(new HeldChangesReported(r.ZoneId, r.Version)));
        });
        Command<HoldRestore>(h =>
        {
            var replyTo = Sender;
            var now = Now;
            var ticks = now.UtcTicks;
            while (_state.Restores.Any(r => r.Id == RestoreIdPrefix + ticks)) ticks++;
            var held = new HeldRestore(RestoreIdPrefix + ticks, h.ToTime.ToUniversalTime(), h.Who, now, now + h.Ttl);
            Store(new RestoreHeldStored(held), () =>
            {
                _log.Warning("fleet restore to {0:o} asked by {1}: held as {2}", held.ToTime, held.Who, held.Id);
                replyTo.Tell(new RestoreHeld(held));
            });
        });
        Command<ListHeldRestores>(_ => Sender.Tell(new HeldRestoreList([.. _state.Restores])));
        Command<ResolveRestore>(Resolve);
        Command<GetFleetGuardStatus>(_ =>
        {
            var now = Now;
            Sender.Tell(new FleetGuardStatus(_state.HeldZoneChanges(now), _state.HeldRestores(now),
                _state.InWindow(now, _settings.FleetWindow), _settings.FleetMaxZoneChanges));
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "fleet guard: snapshot at {0} failed", f.Metadata.SequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => PersistenceIdValue;

    public static Props PropsFor(BlastRadiusSettings settings, TimeProvider? time = null) => Props.Create(() => new FleetGuard(settings, time));

    private DateTimeOffset Now => _time.GetUtcNow();

    private void Permit(RequestFleetPermit p)
    {
        var replyTo = Sender;
        var now = Now;
        _state = _state.Prune(now, _settings.FleetWindow);
        var refusal = _state.Refusal(now, _settings, p.Deletion);
        if (refusal is not null)
        {
            _log.Warning("fleet guard: {0} of zone {1} by {2} refused: {3}", p.Deletion ? "deletion" : "replacement", p.ZoneId, p.Who, refusal);
            replyTo.Tell(new FleetPermit(p.ZoneId, p.Request, refusal));
            return;
        }
        // Counted before the zone writes its event: a zone that then fails to write over-counts by one, which errs on
        // the safe side; counting after would let a burst through while the writes are in flight.
        Store(new FleetChangeCounted(p.ZoneId, p.Version, p.Deletion, now), () => replyTo.Tell(new FleetPermit(p.ZoneId, p.Request, null)));
    }

    private void Resolve(ResolveRestore r)
    {
        var now = Now;
        var replyTo = Sender;
        if (_state.Restores.FirstOrDefault(x => x.Id == r.Id) is not { } held)
        {
            replyTo.Tell(new RestoreResolution(RestoreOutcome.NotFound, null, $"no held restore {r.Id} (see `akkadns change list`; a confirmed or rejected one is gone)"));
            return;
        }
        if (r.Run && held.IsExpired(now))
        {
            replyTo.Tell(new RestoreResolution(RestoreOutcome.Expired, held, $"held restore {r.Id} expired at {held.ExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: reject it and ask again"));
            return;
        }
        if (r.Run && _settings.TwoPersonRule && held.Who == r.Who)
        {
            replyTo.Tell(new RestoreResolution(RestoreOutcome.TwoPersonRule, held, $"held restore {r.Id} was asked with API key {held.Who}: the two-person rule needs a different key to confirm it"));
            return;
        }
        // Out of the list before it runs: a second confirmation, on any node, finds nothing and runs nothing.
        Store(new RestoreResolved(r.Id, r.Who, now, r.Run), () =>
        {
            _log.Warning("held fleet restore {0} (asked by {1}) {2} by {3}", held.Id, held.Who, r.Run ? "confirmed" : "rejected", r.Who);
            replyTo.Tell(new RestoreResolution(r.Run ? RestoreOutcome.Run : RestoreOutcome.Dropped, held, r.Run ? "confirmed" : "rejected"));
        });
    }

    private void Store<TEvent>(TEvent e, Action then) where TEvent : class
    {
        Persist(e, stored =>
        {
            _state = _state.Apply(stored).Prune(Now, _settings.FleetWindow);
            then();
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
        });
    }
}
