using Akka.Actor;
using Akka.Event;
using static AkkaDns.Actors.Zones.FleetGuardProtocol;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The zone actor's side of the <see cref="FleetGuard"/>: before a zone deletion or whole-zone replacement it asks
/// for a permit (other commands to this zone wait in the stash meanwhile; other zones are not concerned), holds the
/// change when refused, and refuses it when the guard stays silent past <c>fleet-permit-timeout</c> (fail closed:
/// nothing is applied). It also reports its held changes, until acked, so the cluster-wide count stays true.
/// </summary>
public sealed partial class ZoneActor
{
    private const string PermitTimer = "fleet-permit";
    private const string HeldReportTimer = "held-report";

    private sealed record AwaitingPermit(long Request, IZoneCommand Command, ZoneDecision Decision, IActorRef ReplyTo);

    private sealed record PermitTimedOut(long Request);

    private sealed record RetryHeldReport
    {
        public static readonly RetryHeldReport Instance = new();
    }

    private AwaitingPermit? _permit;
    private long _permitRequests;
    private ReportHeldChanges? _unackedHeld;

    private void ReceiveFleetGuard()
    {
        Command<FleetPermit>(OnPermit);
        Command<PermitTimedOut>(OnPermitTimedOut);
        Command<HeldChangesReported>(ack =>
        {
            if (_unackedHeld is not null && ack.Version >= _unackedHeld.Version)
            {
                _unackedHeld = null;
                Timers.Cancel(HeldReportTimer);
            }
        });
        Command<RetryHeldReport>(_ => { if (_unackedHeld is not null) _catalog.Tell(_unackedHeld); });
    }

    private void AskFleetPermit(IZoneCommand command, ZoneDecision decision, IActorRef replyTo, bool deletion)
    {
        _permit = new AwaitingPermit(++_permitRequests, command, decision, replyTo);
        _catalog.Tell(new RequestFleetPermit(_state.Id, _state.Version + 1, deletion, command.Who, _permit.Request));
        Timers.StartSingleTimer(PermitTimer, new PermitTimedOut(_permit.Request), _settings.Guard.FleetPermitTimeout);
    }

    private void OnPermit(FleetPermit p)
    {
        if (_permit is not { } waiting || p.Request != waiting.Request) return; // a late answer to a request that timed out
        _permit = null;
        Timers.Cancel(PermitTimer);
        if (p.Granted) Store(waiting.Decision, waiting.ReplyTo); // counted by the guard already
        else
        {
            _log.Warning("zone {0}: {1} by {2} held by the fleet window: {3}", _state.Id, waiting.Command.GetType().Name, waiting.Command.Who, p.Refusal);
            Store(ZoneSafeguards.Hold(_state, waiting.Command, _settings.Clock.GetUtcNow(), _settings.Guard, p.Refusal!), waiting.ReplyTo);
        }
        Stash.UnstashAll();
    }

    private void OnPermitTimedOut(PermitTimedOut t)
    {
        if (_permit is not { } waiting || t.Request != waiting.Request) return;
        _permit = null;
        _log.Error("zone {0}: the fleet guard did not answer within {1}: {2} by {3} refused, nothing applied",
            _state.Id, _settings.Guard.FleetPermitTimeout, waiting.Command.GetType().Name, waiting.Command.Who);
        waiting.ReplyTo.Tell(ZoneSafeguards.FleetGuardSilent(_state, waiting.Command, _settings.Guard).Result);
        Stash.UnstashAll();
    }

    private void ReportHeld()
    {
        _unackedHeld = new ReportHeldChanges(_state.Id, _state.Version, [.. _state.Pending.Select(p => new HeldEntry(p.Id, p.ExpiresAt))]);
        _catalog.Tell(_unackedHeld);
        Timers.StartPeriodicTimer(HeldReportTimer, RetryHeldReport.Instance, _settings.CatalogRetry);
    }
}
