using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// DNSSEC decisions of a zone, pure like <see cref="ZoneState"/> (the randomness of key generation and ECDSA, and the
/// keys themselves, come through the <see cref="DnssecContext"/>): what each <see cref="DnssecCommand"/> does, how
/// an ordinary change of a signed zone gets its signatures (<see cref="SignDecision"/>), and the key timeline
/// (<see cref="Advance"/>). Every outcome is one <see cref="DnssecChanged"/> or an ordinary event with the generated
/// RRsets (DNSKEY, RRSIG, NSEC3…) in it, so the edges, IXFR, history and rollback see signed data like any other.
/// </summary>
internal static partial class ZoneDnssec
{
    public static bool IsGenerated(RecordType type) => ZoneSigner.IsGenerated(type);

    // ---------------------------------------------------------------- commands

    public static ZoneDecision Decide(ZoneState state, DnssecCommand c, DateTimeOffset now, DnssecContext? ctx, BlastRadiusSettings guard, bool confirmed = false)
    {
        if (!state.Exists) return ZoneDecision.Refuse(state.Id, ZoneRejection.NotFound, $"zone {state.Id} does not exist");
        if (ctx?.Protector is null)
            return ZoneDecision.Refuse(state.Id, ZoneRejection.Unavailable, ctx?.NoKekMessage ?? $"zone {state.Id}: DNSSEC is not available on this node");
        var d = state.Dnssec;
        var o = c.Options;
        if (c.Action is not (DnssecAction.Enable or DnssecAction.Refresh) && !d.Enabled)
            return Invalid(state, "dnssec-off", $"zone {state.Id} is not signed (enable DNSSEC first)");
        switch (c.Action)
        {
            case DnssecAction.Enable:
            {
                if (d.Enabled) return Invalid(state, "dnssec-on", $"zone {state.Id} is already signed");
                var algorithm = o.Algorithm ?? ctx.Settings.Algorithm;
                var next = d with
                {
                    Enabled = true,
                    CdsDelete = false,
                    Keys = [],
                    Nsec3 = o.Nsec3 ?? true,
                    Nsec3Iterations = o.Iterations ?? 0,
                    Nsec3Salt = o.Salt ?? [],
                    OptOut = o.OptOut ?? false,
                };
                if (DenialProblem(state, next) is { } bad) return bad;
                if (o.SplitKeys)
                {
                    next = AddNewKey(next, ctx, KeyRole.Ksk, algorithm, o.Bits, KeyPhase.Active, now);
                    next = AddNewKey(next, ctx, KeyRole.Zsk, algorithm, o.Bits, KeyPhase.Active, now);
                }
                else next = AddNewKey(next, ctx, KeyRole.Csk, algorithm, o.Bits, KeyPhase.Active, now);
                return Resign(state, next, c.Who, now, ctx,
                    $"DNSSEC enabled ({DnssecSettings.Mnemonic(algorithm)}, {(o.SplitKeys ? "KSK + ZSK" : "CSK")}, {Denial(next)})");
            }
            case DnssecAction.Disable:
            {
                if (!o.DsRemoved)
                {
                    if (d.CdsDelete)
                        return Invalid(state, "cds-delete-published", $"zone {state.Id} already publishes the delete CDS/CDNSKEY (RFC 8078): once the parent has removed the DS, disable with --ds-removed");
                    return Resign(state, d with { CdsDelete = true }, c.Who, now, ctx,
                        "DNSSEC disable, step 1: delete CDS/CDNSKEY published (RFC 8078); the zone stays signed until the parent's DS is gone");
                }
                if (!confirmed && guard.Enabled)
                    return ZoneSafeguards.Hold(state, c, now, guard,
                        $"turning DNSSEC off removes every key and signature of zone {state.Id}: a validator that still has the parent's DS "
                        + "will see the zone as bogus; confirm only once the DS is gone from the parent");
                // Resigning under DNSSEC off removes every generated record (the unsigned records are what remains).
                return Resign(state, DnssecState.Off with { NextKeyId = d.NextKeyId }, c.Who, now, ctx, "DNSSEC disabled: keys and signatures removed");
            }
            case DnssecAction.AddKey:
            {
                var role = o.Role ?? (d.Keys.Any(k => k.Role == KeyRole.Ksk) ? KeyRole.Zsk : KeyRole.Csk);
                var algorithm = o.Algorithm ?? d.Keys.FirstOrDefault()?.Algorithm ?? ctx.Settings.Algorithm;
                if (o.Published == false) return Invalid(state, "unpublished-key", "a new key is always published in the DNSKEY RRset (use active: false for a key that does not sign)");
                var next = AddNewKey(d, ctx, role, algorithm, o.Bits, o.Active == false ? KeyPhase.Inactive : KeyPhase.Active, now);
                if (KeyProblem(state, next) is { } bad) return bad;
                var key = next.Keys.Single(k => k.Id == d.NextKeyId);
                return Resign(state, next, c.Who, now, ctx, $"DNSSEC key {key.Id} added ({key})");
            }
            case DnssecAction.SetKey:
            {
                if (Find(state, o.KeyId, out var key) is { } missing) return missing;
                if (o.Published == false) return Invalid(state, "unpublish-key", $"to take key {key!.Id} out of the DNSKEY RRset, delete it (DELETE …/cryptokeys/{key.Id} or akkadns dnssec keys ZONE --remove {key.Id})");
                if (o.Active is not { } active) return new ZoneDecision(new ZoneCommandResult.Accepted(state.Id, state.Version, state.Serial), []);
                var phase = active ? KeyPhase.Active : KeyPhase.Inactive;
                if (key!.Phase == phase) return new ZoneDecision(new ZoneCommandResult.Accepted(state.Id, state.Version, state.Serial), []);
                var next = d.WithKey(key with { Phase = phase, PhaseSince = now });
                if (KeyProblem(state, next) is { } bad) return bad;
                if (!confirmed && guard.Enabled && DsProblem(d, next) is { } held) return ZoneSafeguards.Hold(state, c, now, guard, held);
                return Resign(state, next, c.Who, now, ctx, $"DNSSEC key {key.Id} {(active ? "activated" : "deactivated")}");
            }
            case DnssecAction.RemoveKey:
            {
                if (Find(state, o.KeyId, out var key) is { } missing) return missing;
                var next = d with { Keys = d.Keys.RemoveAll(k => k.Id == key!.Id) };
                if (KeyProblem(state, next) is { } bad) return bad;
                if (!confirmed && guard.Enabled && DsProblem(d, next) is { } held) return ZoneSafeguards.Hold(state, c, now, guard, held);
                return Resign(state, next, c.Who, now, ctx, $"DNSSEC key {key!.Id} removed ({key})");
            }
            case DnssecAction.DsSeen:
            {
                if (Find(state, o.KeyId, out var key) is { } missing) return missing;
                if (!key!.IsSep) return Invalid(state, "not-sep", $"key {key.Id} is a ZSK: a parent's DS points to a KSK or CSK");
                if (key.Phase != KeyPhase.Active) return Invalid(state, "not-active", $"key {key.Id} is {key.Phase}: only an active KSK or CSK can be the one the parent's DS points to");
                var next = d.WithKey(key with { DsSeen = true });
                var retired = new List<int>();
                // The rollover's last step: the parent points at the new key, so the older keys of its role stop signing.
                foreach (var old in d.Keys.Where(k => k.Id != key.Id && k.Role == key.Role && k.Phase == KeyPhase.Active && k.Created < key.Created))
                {
                    next = next.WithKey(old with { Phase = KeyPhase.Retired, PhaseSince = now });
                    retired.Add(old.Id);
                }
                var what = $"DS for key {key.Id} (tag {key.KeyTag}) confirmed at the parent"
                           + (retired.Count > 0 ? $"; key {string.Join(", ", retired)} retired (removed after {Wait(state, ctx.Settings)})" : "");
                return Resign(state, next, c.Who, now, ctx, what);
            }
            case DnssecAction.Rollover:
                return Rollover(state, c, now, ctx);
            case DnssecAction.SetDenial:
            {
                var next = d with
                {
                    Nsec3 = o.Nsec3 ?? d.Nsec3,
                    Nsec3Iterations = o.Iterations ?? d.Nsec3Iterations,
                    Nsec3Salt = o.Salt ?? d.Nsec3Salt,
                    OptOut = o.OptOut ?? d.OptOut,
                };
                if (DenialProblem(state, next) is { } bad) return bad;
                return Resign(state, next, c.Who, now, ctx, $"DNSSEC denial set to {Denial(next)}");
            }
            case DnssecAction.Refresh:
            {
                if (!d.Enabled) return new ZoneDecision(new ZoneCommandResult.Accepted(state.Id, state.Version, state.Serial), []);
                var (next, steps) = Advance(state, ctx, now);
                return Resign(state, next, c.Who, now, ctx, steps.Count > 0 ? string.Join("; ", steps) : "DNSSEC signatures refreshed", onlyIfChanged: steps.Count == 0);
            }
            default:
                return Invalid(state, "dnssec-action", $"unknown DNSSEC action {c.Action}");
        }
    }

    private static ZoneDecision Rollover(ZoneState state, DnssecCommand c, DateTimeOffset now, DnssecContext ctx)
    {
        var d = state.Dnssec;
        bool split = d.Keys.Any(k => k.Role == KeyRole.Ksk);
        var role = c.Options.Role ?? (split ? KeyRole.Zsk : KeyRole.Csk);
        if (role == KeyRole.Csk && split) return Invalid(state, "rollover-role", $"zone {state.Id} has a KSK and a ZSK: roll one of them (--ksk or --zsk)");
        if (role != KeyRole.Csk && !split) return Invalid(state, "rollover-role", $"zone {state.Id} signs with a CSK: roll it with --csk");
        var current = d.Keys.Where(k => k.Role == role && k.Phase == KeyPhase.Active).OrderBy(k => k.Created).FirstOrDefault();
        var algorithm = c.Options.Algorithm ?? current?.Algorithm ?? ctx.Settings.Algorithm;
        if (role == KeyRole.Zsk)
        {
            if (d.Keys.FirstOrDefault(k => k.Role == KeyRole.Zsk && k.Phase == KeyPhase.Published) is { } pending)
                return Invalid(state, "rollover-under-way", $"a ZSK rollover of zone {state.Id} is under way: key {pending.Id} is pre-published and becomes active by itself");
            var next = AddNewKey(d, ctx, KeyRole.Zsk, algorithm, c.Options.Bits ?? current?.Bits, KeyPhase.Published, now);
            return Resign(state, next, c.Who, now, ctx,
                $"ZSK rollover: key {d.NextKeyId} pre-published; it signs after {Wait(state, ctx.Settings)}, when the old ZSK retires");
        }
        if (d.Keys.Count(k => k.Role == role && k.Phase == KeyPhase.Active) > 1)
            return Invalid(state, "rollover-under-way", $"a {role.ToString().ToUpperInvariant()} rollover of zone {state.Id} is under way: confirm the new key's DS (akkadns dnssec ds-seen) to finish it");
        var rolled = AddNewKey(d, ctx, role, algorithm, c.Options.Bits ?? current?.Bits, KeyPhase.Active, now);
        return Resign(state, rolled, c.Who, now, ctx,
            $"{role.ToString().ToUpperInvariant()} rollover: key {d.NextKeyId} double-signs and is in the CDS/CDNSKEY; give its DS to the parent "
            + $"(akkadns dnssec ds {state.Id}), then confirm with akkadns dnssec ds-seen {state.Id} {d.NextKeyId}");
    }

    // ---------------------------------------------------------------- signing ordinary changes

    /// <summary>Refuses what an operator may not do to a signed zone: write the records the signer owns.</summary>
    public static ZoneDecision? Check(ZoneState state, IZoneCommand command)
    {
        if (!state.Dnssec.Enabled) return null;
        var type = command switch
        {
            ZoneCommands.ChangeRRsets ch => ch.Changes.FirstOrDefault(x => IsGenerated(x.Type))?.Type,
            ZoneCommands.ApplyUpdate u => u.Updates.FirstOrDefault(x => IsGenerated(x.Type))?.Type,
            _ => null,
        };
        if (type is not { } t) return null;
        var message = $"zone {state.Id} is signed by AkkaDns: {RecordTypes.ToText(t)} records are made by the signer and cannot be changed directly";
        return command is ZoneCommands.ApplyUpdate
            ? new ZoneDecision(new ZoneCommandResult.UpdateRefused(state.Id, (ushort)Rcode.Refused, message), [])
            : Invalid(state, "dnssec-managed", message);
    }

    /// <summary>Adds the signatures, DNSKEY and denial chain to the events of an ordinary change of a signed zone.</summary>
    public static ZoneDecision SignDecision(ZoneState before, ZoneDecision decision, DnssecContext? ctx, DateTimeOffset now)
    {
        if (!before.Dnssec.Enabled || decision.Events.Count == 0) return decision;
        if (ctx?.Protector is null)
            return ZoneDecision.Refuse(before.Id, ZoneRejection.Unavailable, (ctx?.NoKekMessage ?? $"zone {before.Id}: no signer here") + "; nothing was changed");
        // One event signs incrementally against the zone as it is (several would each need the one before applied).
        bool incremental = decision.Events.Count == 1;
        var events = decision.Events.Select(e => SignEvent(before, e, ctx, now, incremental)).ToList();
        ctx.SignedLast = events.Count == 1 ? events[0] : null;
        return decision with { Events = events };
    }

    private static IZoneEvent SignEvent(ZoneState before, IZoneEvent e, DnssecContext ctx, DateTimeOffset now, bool incremental)
    {
        switch (e)
        {
            case RRsetsChanged ch:
            {
                var operatorChanges = ch.Changes.Where(x => !IsGenerated(x.Type)).ToList();
                if (incremental && SignChange(before, operatorChanges, ch.Serial, ctx, now) is { } generated)
                    return ch with { Changes = [.. operatorChanges, .. generated] };
                var after = before.Apply(ch with { Changes = operatorChanges });
                var signed = Sign(before.Dnssec, Strip(after.Records), ctx, now, before.Records);
                return ch with { Changes = [.. operatorChanges, .. Diff(after.Records, signed.Records, IsGenerated)] };
            }
            case ZoneReplaced r:
                return r with { Records = Sign(before.Dnssec, Strip(r.Records), ctx, now, before.Records).Records };
            case ZoneRollback.ZoneRolledBack rb:
                return rb with { Records = Sign(before.Dnssec, Strip(rb.Records), ctx, now, before.Records).Records };
            case PendingChanges.ChangeConfirmed c when c.Inner is not DnssecChanged:
                return c with { Inner = SignEvent(before, c.Inner, ctx, now, incremental) };
            default:
                return e;
        }
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Re-signs the zone under <paramref name="next"/> as one new version (serial moved forward).</summary>
    private static ZoneDecision Resign(ZoneState state, DnssecState next, string who, DateTimeOffset now, DnssecContext ctx, string what, bool onlyIfChanged = false)
    {
        var unsigned = Strip(state.Records);
        if (onlyIfChanged)
        {
            // A refresh with nothing due writes nothing (the same serial would sign the same data).
            var same = Sign(next, unsigned, ctx, now, state.Records);
            if (Diff(state.Records, same.Records, _ => true).Count == 0)
                return new ZoneDecision(new ZoneCommandResult.Accepted(state.Id, state.Version, state.Serial), []);
        }
        var version = state.Version + 1;
        var soaIndex = unsigned.FindIndex(r => r.Type == RecordType.SOA && r.Owner.Equals(state.Id.Name));
        uint serial = state.Serial;
        if (soaIndex >= 0 && SoaData.TryParse(unsigned[soaIndex].RData, out var soa))
        {
            serial = SerialNumber.Next(state.LastSerial, version, soa!.Serial);
            unsigned[soaIndex] = new ResourceRecord(unsigned[soaIndex].Owner, RecordType.SOA, unsigned[soaIndex].Ttl, (soa with { Serial = serial }).ToRData());
        }
        var signed = next.Enabled ? Sign(next, unsigned, ctx, now, state.Records).Records : unsigned;
        var e = new DnssecChanged(state.Id, version, now, who, serial, what, next, Diff(state.Records, signed, _ => true));
        return new ZoneDecision(new ZoneCommandResult.Accepted(state.Id, version, serial), [e]);
    }

    private static SignedZone Sign(DnssecState d, IReadOnlyList<ResourceRecord> unsigned, DnssecContext ctx, DateTimeOffset now, IReadOnlyList<ResourceRecord> current)
    {
        var keys = d.Keys.Select(k => new SigningKey(ctx.Open(k), k.SignsZone, k.SignsKeys, Published: true)).ToList();
        return ctx.Signer(current).Sign(unsigned, keys, d.Policy(ctx.Settings), now);
    }

    /// <summary>The generated RRsets of an ordinary change, signed incrementally (<see cref="ZoneSigner.SignChange"/>): the
    /// touched RRsets, the SOA and the denial chain around the touched names, in time proportional to the change. Null
    /// when the change needs the whole-zone path (a SOA change by the operator: its TTLs set those of the keys and the
    /// denial records).</summary>
    private static List<RRsetChange>? SignChange(ZoneState before, List<RRsetChange> changes, uint serial, DnssecContext ctx, DateTimeOffset now)
    {
        var d = before.Dnssec;
        var keys = d.Keys.Select(k => new SigningKey(ctx.Open(k), k.SignsZone, k.SignsKeys, Published: true)).ToList();
        // The signer's NSEC3 index matches the records when they are what the last signed event made.
        bool chainCurrent = ctx.SignedLast is { } last && before.Recent.Count > 0 && SameEvent(before.Recent[^1], last);
        var edits = changes.Select(c => new RRsetEdit(c.Owner, c.Type, c.Kind == RRsetChangeKind.Delete ? [] : c.Records)).ToList();
        var generated = ctx.Signer(before.Records).SignChange(before.Records, edits, serial, keys, d.Policy(ctx.Settings), now, chainCurrent);
        return generated?.Select(g => g.IsDelete ? RRsetChange.Delete(g.Owner, g.Type) : RRsetChange.Replace(g.Owner, g.Type, g.Records)).ToList();
    }

    /// <summary>The same event: the very object, or (had the journal handed back a copy) the same version and the same
    /// changes record for record; a change signed but never stored differs from the stored one at least in its ECDSA
    /// signatures, which are random.</summary>
    private static bool SameEvent(IZoneEvent a, IZoneEvent b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is PendingChanges.ChangeConfirmed ca && b is PendingChanges.ChangeConfirmed cb) return ca.Version == cb.Version && SameEvent(ca.Inner, cb.Inner);
        if (a is not RRsetsChanged x || b is not RRsetsChanged y || x.Version != y.Version || x.Changes.Count != y.Changes.Count) return false;
        for (int i = 0; i < x.Changes.Count; i++)
        {
            var (p, q) = (x.Changes[i], y.Changes[i]);
            if (!p.Owner.Equals(q.Owner) || p.Type != q.Type || p.Kind != q.Kind || !p.Records.SequenceEqual(q.Records)) return false;
        }
        return true;
    }

    public static List<ResourceRecord> Strip(IEnumerable<ResourceRecord> records) => records.Where(r => !IsGenerated(r.Type)).ToList();

    /// <summary>The RRset changes (among the RRsets <paramref name="which"/> selects by type) that turn
    /// <paramref name="from"/> into <paramref name="to"/>.</summary>
    public static List<RRsetChange> Diff(IEnumerable<ResourceRecord> from, IEnumerable<ResourceRecord> to, Func<RecordType, bool> which)
    {
        var before = from.Where(r => which(r.Type)).GroupBy(r => (r.Owner, r.Type)).ToDictionary(g => g.Key, g => g.ToList());
        var after = to.Where(r => which(r.Type)).GroupBy(r => (r.Owner, r.Type)).ToDictionary(g => g.Key, g => g.ToList());
        var changes = new List<RRsetChange>();
        foreach (var (key, records) in after)
            if (!before.TryGetValue(key, out var old) || old.Count != records.Count || !new HashSet<ResourceRecord>(old).SetEquals(records))
                changes.Add(RRsetChange.Replace(key.Owner, key.Type, records));
        foreach (var key in before.Keys)
            if (!after.ContainsKey(key)) changes.Add(RRsetChange.Delete(key.Owner, key.Type));
        return changes;
    }

    private static DnssecState AddNewKey(DnssecState d, DnssecContext ctx, KeyRole role, DnssecAlgorithm algorithm, int? bits, KeyPhase phase, DateTimeOffset now) =>
        d.WithKey(ctx.NewKey(d.NextKeyId, role, algorithm, bits, phase, now)) with { NextKeyId = d.NextKeyId + 1 };

    private static ZoneDecision? Find(ZoneState state, int? id, out ZoneKey? key)
    {
        key = id is { } i ? state.Dnssec.Keys.FirstOrDefault(k => k.Id == i) : null;
        if (key is not null) return null;
        return ZoneDecision.Refuse(state.Id, ZoneRejection.NotFound, id is null
            ? "no key id given"
            : $"zone {state.Id} has no DNSSEC key {id} (keys: {string.Join(", ", state.Dnssec.Keys.Select(k => k.Id))})");
    }

    /// <summary>A key set the zone cannot be signed with: refused outright (nothing to confirm).</summary>
    private static ZoneDecision? KeyProblem(ZoneState state, DnssecState next)
    {
        if (!next.Keys.Any(k => k.SignsKeys))
            return Invalid(state, "no-ksk", $"zone {state.Id} would have no active key to sign its DNSKEY RRset (a CSK or a KSK)");
        if (!next.Keys.Any(k => k.SignsZone))
            return Invalid(state, "no-zsk", $"zone {state.Id} would have no active key to sign its data (a CSK or a ZSK)");
        return null;
    }

    /// <summary>Why a key change could break the chain of trust from the parent (held for confirmation), or null.</summary>
    private static string? DsProblem(DnssecState before, DnssecState next)
    {
        bool Sep(ZoneKey k) => k.IsSep && k.Phase != KeyPhase.Inactive;
        if (before.Keys.Any(Sep) && !next.Keys.Any(Sep))
            return "the change leaves no published KSK or CSK, which the parent's DS must point to: validators would see the zone as bogus";
        if (before.Keys.Any(k => k.DsSeen && Sep(k)) && !next.Keys.Any(k => k.DsSeen && Sep(k)))
            return "the change removes the last key whose DS the parent was confirmed to have: validators would see the zone as bogus";
        return null;
    }

    private static ZoneDecision? DenialProblem(ZoneState state, DnssecState next)
    {
        if (next.Nsec3 && next.Nsec3Iterations > 100)
            return Invalid(state, "nsec3-iterations", $"{next.Nsec3Iterations} NSEC3 iterations: RFC 9276 says 0 (validators treat more than 100 as insecure or bogus)");
        if (next.Nsec3Salt.Length > 255) return Invalid(state, "nsec3-salt", "the NSEC3 salt is longer than 255 bytes");
        return null;
    }

    private static string Denial(DnssecState d) => d.Nsec3
        ? $"NSEC3, {d.Nsec3Iterations} iterations, {(d.Nsec3Salt.Length == 0 ? "no salt" : "salt " + Convert.ToHexString(d.Nsec3Salt))}{(d.OptOut ? ", opt-out" : "")}"
        : "NSEC";

    private static ZoneDecision Invalid(ZoneState state, string rule, string message) =>
        ZoneDecision.Refuse(state.Id, ZoneRejection.Invalid, message, [new ZoneProblem(rule, message, null)]);
}
