using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.ZoneFiles;
using static AkkaDns.Actors.Zones.PendingChanges;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;
using static AkkaDns.Actors.Zones.ZoneRollback;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The safeguards around <see cref="ZoneState.Process"/>, pure like it: the blast-radius guard (a change that is too
/// large is held as a <see cref="PendingChange"/> instead of applied), confirmation and rejection of held changes, the
/// emergency override, and rollback. The zone actor decides through <see cref="Decide"/>; <see cref="ZoneState.Apply"/>
/// evolves the new events through <see cref="Evolve"/>.
/// </summary>
internal static class ZoneSafeguards
{
    /// <summary><paramref name="lineage"/>: the history a creation starts (<see cref="ZoneState.Process"/>).</summary>
    public static ZoneDecision Decide(ZoneState state, IZoneCommand command, DateTimeOffset now, BlastRadiusSettings guard, DnssecContext? dnssec = null,
        string? lineage = null)
    {
        switch (command)
        {
            case RollbackZone r: return Rollback(state, r, now);
            case ConfirmChange c: return Confirm(state, c, now, guard, dnssec, lineage);
            case DnssecCommand d: return ZoneDnssec.Decide(state, d, now, dnssec, guard);
            case RejectChange j: return Reject(state, j, now);
            case OverrideGuard o: return Override(state, o, now, guard, dnssec, lineage);
        }
        if (ZoneDnssec.Check(state, command) is { } managed) return managed;
        var decision = state.Process(command, now, lineage);
        if (decision.Result is not ZoneCommandResult.Accepted || decision.Events.Count != 1) return decision;
        var reason = command switch
        {
            DeleteZone => BlastRadiusGuard.CheckDeletion(BlastRadiusGuard.Measure(state.Records, []).RRsetsBefore, guard),
            ChangeRRsets or ApplyUpdate when decision.Events[0] is RRsetsChanged ch =>
                BlastRadiusGuard.Check(BlastRadiusGuard.MeasureChange(state.Records, state.Apply(ch).Records, ch.Changes, state.Id.Name), guard),
            ChangeRRsets or ReplaceZone or ApplyUpdate => BlastRadiusGuard.Check(BlastRadiusGuard.Measure(state.Records, state.Apply(decision.Events[0]).Records), guard),
            _ => null,
        };
        return reason is null ? decision : Hold(state, command, now, guard, reason);
    }

    /// <summary>Holds <paramref name="command"/> for confirmation instead of applying it, for <paramref name="reason"/>
    /// (the zone's own guard, or the fleet window).</summary>
    public static ZoneDecision Hold(ZoneState state, IZoneCommand command, DateTimeOffset now, BlastRadiusSettings guard, string reason)
    {
        var version = state.Version + 1;
        var pending = new PendingChange(IdFor(state.Id, version), command, command.Who, now, now + guard.PendingTtl, reason);
        return new ZoneDecision(new Held(state.Id, pending.Id, reason, pending.ExpiresAt),
            [new ChangeHeld(state.Id, version, now, command.Who, state.Serial, pending)]);
    }

    /// <summary>
    /// Whether the decided change counts in the fleet window: true for a zone deletion, false for a whole-zone
    /// replacement that deletes or changes at least one RRset, null for anything else (a replacement that only adds,
    /// or changes nothing, harms nothing).
    /// </summary>
    public static bool? FleetChangeOf(ZoneState state, ZoneDecision decision)
    {
        if (decision.Events.Count != 1) return null;
        return decision.Events[0] switch
        {
            ZoneDeleted => true,
            ZoneReplaced r when BlastRadiusGuard.Measure(state.Records, r.Records).Affected > 0 => false,
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="command"/> must ask the fleet guard before it is applied: a direct deletion or
    /// replacement does; a confirmation (a person decided) and an override (the emergency path, logged) neither ask
    /// nor count: the window is there to stop runaway automation, not to hold up the people answering it.</summary>
    public static bool NeedsFleetPermit(IZoneCommand command, BlastRadiusSettings guard) =>
        guard.FleetWindowOn && command is DeleteZone or ReplaceZone;

    /// <summary>The fleet guard did not answer in time: nothing is applied (fail closed).</summary>
    public static ZoneDecision FleetGuardSilent(ZoneState state, IZoneCommand command, BlastRadiusSettings guard) =>
        ZoneDecision.Refuse(state.Id, ZoneRejection.Unavailable,
            $"the fleet-wide blast-radius guard did not answer within {guard.FleetPermitTimeout.TotalSeconds:0.#} s, so the "
            + $"{(command is DeleteZone ? "deletion" : "replacement")} of zone {state.Id} was not applied (nothing changed); try again, "
            + "or use the emergency override (?override=true) if it cannot wait",
            [new ZoneProblem("fleet-guard-unavailable", "fleet guard did not answer", null)]);

    private static ZoneDecision Rollback(ZoneState state, RollbackZone r, DateTimeOffset now)
    {
        if (state.Version == 0) return ZoneDecision.Refuse(state.Id, ZoneRejection.NotFound, $"zone {state.Id} does not exist");
        if (r.ToVersion < 1 || r.ToVersion > state.Version)
            return Invalid(state, "no-such-version", $"zone {state.Id} has no version {r.ToVersion} (latest is {state.Version})");
        // A rollback asks for a state the zone already had: it is not guarded (restoring fast is the point), but its
        // records are validated again by the zone rules (Finish). The public-suffix rule is not re-checked here: it
        // applies when a zone is created (ZoneState.Create), and a zone that exists passed it then.
        return state.Finish([.. r.Records], now, r.Who, (v, serial, records) => new ZoneRolledBack(state.Id, v, now, r.Who, serial, r.ToVersion, r.Reason, records));
    }

    private static ZoneDecision Confirm(ZoneState state, ConfirmChange c, DateTimeOffset now, BlastRadiusSettings guard, DnssecContext? dnssec, string? lineage)
    {
        if (state.Pending.FirstOrDefault(p => p.Id == c.ChangeId) is not { } p)
            return ZoneDecision.Refuse(state.Id, ZoneRejection.NotFound, $"no held change {c.ChangeId} in zone {state.Id}");
        if (p.IsExpired(now))
            return Invalid(state, "change-expired", $"held change {p.Id} expired at {p.ExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: reject it and make the change again");
        if (guard.TwoPersonRule && p.Who == c.Who)
            return Invalid(state, "two-person-rule", $"held change {p.Id} was made with API key {p.Who}: the two-person rule needs a different key to confirm it");
        var inner = p.Command is DnssecCommand d
            ? ZoneDnssec.Decide(state, d, now, dnssec, guard, confirmed: true)
            : ZoneDnssec.Check(state, p.Command) ?? state.Process(p.Command, now, lineage);
        if (inner.Result is not ZoneCommandResult.Accepted || inner.Events.Count != 1) return inner;
        var e = inner.Events[0];
        return new ZoneDecision(inner.Result, [new ChangeConfirmed(state.Id, e.Version, now, c.Who, e.Serial, p.Id, p.Who, e)]);
    }

    private static ZoneDecision Reject(ZoneState state, RejectChange j, DateTimeOffset now)
    {
        if (state.Pending.FirstOrDefault(p => p.Id == j.ChangeId) is not { } p)
            return ZoneDecision.Refuse(state.Id, ZoneRejection.NotFound, $"no held change {j.ChangeId} in zone {state.Id}");
        var version = state.Version + 1;
        var why = p.IsExpired(now) ? "expired" : "rejected";
        return new ZoneDecision(new ZoneCommandResult.Accepted(state.Id, version, state.Serial),
            [new ChangeRejected(state.Id, version, now, j.Who, state.Serial, p.Id, why)]);
    }

    private static ZoneDecision Override(ZoneState state, OverrideGuard o, DateTimeOffset now, BlastRadiusSettings guard, DnssecContext? dnssec, string? lineage)
    {
        if (o.Inner is OverrideGuard or ConfirmChange or RejectChange or RollbackZone)
            return Invalid(state, "bad-override", $"{o.Inner.GetType().Name} cannot be overridden");
        var inner = o.Inner is DnssecCommand d
            ? ZoneDnssec.Decide(state, d, now, dnssec, guard, confirmed: true)
            : ZoneDnssec.Check(state, o.Inner) ?? state.Process(o.Inner, now, lineage);
        return inner with { Events = inner.Events.Select(e => WithWho(e, $"{e.Who} (OVERRIDE of the blast-radius guard)")).ToList() };
    }

    /// <summary>The content change of the safeguard events (<see cref="ZoneState.Apply"/> adds version and history).</summary>
    public static ZoneState Evolve(ZoneState s, IZoneEvent e) => e switch
    {
        ZoneRolledBack r => s with { Exists = true, Records = ZoneState.Order(r.Records, s.Id.Name) },
        ChangeHeld h => s with { Pending = s.Pending.Add(h.Change) },
        ChangeRejected j => s with { Pending = s.Pending.RemoveAll(p => p.Id == j.ChangeId) },
        ChangeConfirmed c => s.Apply(c.Inner) with { History = s.History, Recent = s.Recent, Pending = s.Pending.RemoveAll(p => p.Id == c.ChangeId) },
        _ => throw new ArgumentException($"unknown zone event {e.GetType().Name}"),
    };

    public static ZoneChangeKind KindOf(IZoneEvent e) => e switch
    {
        ZoneRolledBack => ZoneChangeKind.RolledBack,
        ChangeHeld => ZoneChangeKind.Held,
        ChangeRejected => ZoneChangeKind.Rejected,
        ChangeConfirmed => ZoneChangeKind.Confirmed,
        _ => throw new ArgumentException($"unknown zone event {e.GetType().Name}"),
    };

    public static string Summarize(IZoneEvent e) => e switch
    {
        ZoneRolledBack r => $"rolled back {r.Reason}: content of version {r.ToVersion}, {r.Records.Count} records",
        ChangeHeld h => $"HELD change {h.Change.Id} ({h.Change.Summary}): {h.Change.Reason}; expires {h.Change.ExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}",
        ChangeRejected j => $"held change {j.ChangeId} {j.Why}",
        ChangeConfirmed c => $"confirmed held change {c.ChangeId} made by {c.MadeBy}: {ZoneEvents.Summarize(c.Inner)}",
        _ => e.GetType().Name,
    };

    /// <summary>Size estimate of the safeguard events (see <see cref="ZoneDelta.EstimateBytes"/>).</summary>
    public static long EstimateBytes(IZoneEvent e) => e switch
    {
        ZoneRolledBack r => MessageSize.Of(r.Records),
        ChangeConfirmed c => ZoneDelta.EstimateBytes(c.Inner),
        ChangeHeld h => h.Change.Command switch
        {
            ChangeRRsets ch => ch.Changes.Sum(x => 8 + x.Owner.WireLength + MessageSize.Of(x.Records)),
            ApplyUpdate u => u.Prerequisites.Count * 64L + u.Updates.Sum(x => 16L + x.Name.WireLength + (x.Record?.RData.Length ?? 0)),
            ReplaceZone rz => rz.MasterFile.Length * 3L,
            _ => 256,
        },
        _ => 256,
    };

    private static IZoneEvent WithWho(IZoneEvent e, string who) => e switch
    {
        ZoneCreated c => c with { Who = who },
        ZoneReplaced r => r with { Who = who },
        RRsetsChanged ch => ch with { Who = who },
        ZoneDeleted d => d with { Who = who },
        DnssecChanged dc => dc with { Who = who },
        _ => e,
    };

    private static ZoneDecision Invalid(ZoneState state, string rule, string message) =>
        ZoneDecision.Refuse(state.Id, ZoneRejection.Invalid, message, [new ZoneProblem(rule, message, null)]);
}
