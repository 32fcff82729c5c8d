using System.Collections.Immutable;
using AkkaDns.Actors.Serialization;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Zones;

/// <summary>What <see cref="ZoneState.Process"/> decided: the reply, and the events to persist (none when refused).</summary>
public sealed record ZoneDecision(ZoneCommandResult Result, IReadOnlyList<IZoneEvent> Events)
{
    public static ZoneDecision Refuse(ZoneId id, ZoneRejection reason, string message, IReadOnlyList<ZoneProblem>? problems = null) =>
        new(new ZoneCommandResult.Rejected(id, reason, message, problems ?? []), []);
}

/// <summary>
/// One zone's state, pure and immutable: <see cref="Process"/> decides (validation included) and
/// <see cref="Apply"/> evolves. No actor, clock or I/O here, so every rule is testable with plain xunit.
/// The same <see cref="Apply"/> runs in the zone actor (recovery, after persist) and in every datacenter.
/// </summary>
public sealed partial record ZoneState : IAkkaDnsMessage
{
    /// <summary>How many recent events are kept in memory to answer <see cref="ZoneQueries.GetChangesSince"/>.</summary>
    public const int RecentLimit = 32;
    /// <summary>How many history lines are kept (older ones drop off; the journal keeps everything).</summary>
    public const int HistoryLimit = 1000;

    public required ZoneId Id { get; init; }
    public bool Exists { get; init; }
    /// <summary>Number of events applied so far (0 = never created).</summary>
    public long Version { get; init; }
    /// <summary>The last SOA serial the zone had, kept across deletion so a re-created zone never goes back.</summary>
    public uint? LastSerial { get; init; }
    /// <summary>SOA first, then the other records ordered by owner (canonical order) and type.</summary>
    public ImmutableList<ResourceRecord> Records { get; init; } = [];
    public ImmutableList<ZoneHistoryEntry> History { get; init; } = [];
    /// <summary>The last events (not part of snapshots): deltas for datacenters that missed a few.</summary>
    public ImmutableList<IZoneEvent> Recent { get; init; } = [];
    /// <summary>Changes the blast-radius guard held, waiting for confirmation (<see cref="ZoneSafeguards"/>).</summary>
    public ImmutableList<PendingChange> Pending { get; init; } = [];
    /// <summary>DNSSEC settings and keys (private keys sealed); <see cref="DnssecState.Off"/> for an unsigned zone. Zones side
    /// only: the edges apply <see cref="ZoneDelta.ForEdges"/> events and never hold it.</summary>
    public DnssecState Dnssec { get; init; } = DnssecState.Off;
    /// <summary>The history the versions belong to (<see cref="ZoneLineage"/>): set by each creation, kept across a deletion.</summary>
    public string Lineage { get; init; } = ZoneLineage.Legacy;

    public static ZoneState Empty(ZoneId id) => new() { Id = id };

    public uint Serial => LastSerial ?? 0;

    public ZoneView ToView() => new(Id, Version, Serial, Records) { Lineage = Lineage };
    public Zone ToZone() => new(Id.Name, Records);

    // ---------------------------------------------------------------- decide

    /// <summary>Decides <paramref name="command"/>. <paramref name="lineage"/> names the history a creation starts; the
    /// zone actor passes a fresh random one (<see cref="ZoneLineage.New"/>) so this stays pure; without one, a creation
    /// takes <see cref="ZoneLineage.Derive"/> (tests, tools).</summary>
    public ZoneDecision Process(IZoneCommand command, DateTimeOffset now, string? lineage = null)
    {
        if (!command.ZoneId.Equals(Id))
            throw new ArgumentException($"command for {command.ZoneId} sent to zone {Id}");
        return command switch
        {
            CreateZone c => Create(c, now, lineage ?? ZoneLineage.Derive(Id, now)),
            ReplaceZone r => Replace(r, now),
            ChangeRRsets ch => Change(ch, now),
            ApplyUpdate u => Update(u, now),
            DeleteZone d => Delete(d, now),
            _ => throw new ArgumentException($"unknown zone command {command.GetType().Name}"),
        };
    }

    private ZoneDecision Create(CreateZone c, DateTimeOffset now, string lineage)
    {
        if (Exists) return ZoneDecision.Refuse(Id, ZoneRejection.AlreadyExists, $"zone {Id} already exists (version {Version})");
        if (ZoneRules.CheckApex(Id.Name) is { } suffix)
            return ZoneDecision.Refuse(Id, ZoneRejection.Invalid, suffix.Message, [suffix]);
        List<ResourceRecord> records;
        if (c.MasterFile is not null)
        {
            if (!TryRead(c.MasterFile, out var zone, out var refusal)) return refusal!;
            records = [.. zone!.Records];
        }
        else records = BuildInitialRecords(c);
        return Finish(records, now, c.Who, (v, s, r) => new ZoneCreated(Id, v, now, c.Who, s, r) { Lineage = lineage });
    }

    private ZoneDecision Replace(ReplaceZone r, DateTimeOffset now)
    {
        if (!Exists) return NotFound();
        if (!TryRead(r.MasterFile, out var zone, out var refusal)) return refusal!;
        return Finish([.. zone!.Records], now, r.Who, (v, s, recs) => new ZoneReplaced(Id, v, now, r.Who, s, recs));
    }

    private ZoneDecision Change(ChangeRRsets ch, DateTimeOffset now)
    {
        if (!Exists) return NotFound();
        if (ch.Changes.Count == 0) return Invalid("no-changes", "the change request holds no RRset change");
        var seen = new HashSet<(DnsName, RecordType)>();
        var normalized = new List<RRsetChange>(ch.Changes.Count);
        foreach (var change in ch.Changes)
        {
            var what = $"{change.Owner} {RecordTypes.ToText(change.Type)}";
            if (!change.Owner.IsSubdomainOf(Id.Name))
                return Invalid("out-of-zone", $"{change.Owner} is outside zone {Id}", what);
            if (RecordTypes.IsMetaOrQuestionOnly(change.Type))
                return Invalid("meta-type", $"{RecordTypes.ToText(change.Type)} cannot be stored in a zone", what);
            if (!seen.Add((change.Owner, change.Type)))
                return Invalid("duplicate-rrset-change", $"{what} appears twice in one change request", what);
            if (change.Kind == RRsetChangeKind.Delete) { normalized.Add(RRsetChange.Delete(change.Owner, change.Type)); continue; }
            if (change.Records.Count == 0)
                return Invalid("empty-replace", $"REPLACE of {what} has no records (use DELETE to remove an RRset)", what);
            foreach (var rec in change.Records)
                if (!rec.Owner.Equals(change.Owner) || rec.Type != change.Type)
                    return Invalid("rrset-mismatch", $"record {ZoneRules.Describe(rec)} does not belong to RRset {what}", ZoneRules.Describe(rec));
            // Same repair as ZoneValidator.Normalize, done here so the event holds exactly what is validated.
            var members = Dedupe(change.Records);
            var ttl = members.Min(x => x.Ttl);
            normalized.Add(RRsetChange.Replace(change.Owner, change.Type, members.Select(x => x.Ttl == ttl ? x : x.WithTtl(ttl)).ToList()));
        }
        // In order already (the state's records are), so Finish need not sort the whole zone again.
        var after = ApplyInOrder(Records, normalized, Id.Name);
        var proposed = normalized.FirstOrDefault(x => x.Type == RecordType.SOA && x.Kind == RRsetChangeKind.Replace) is { } soaChange
                       && SoaData.TryParse(soaChange.Records[0].RData, out var soa) ? soa!.Serial : (uint?)null;
        RRsetsChanged Event(long v, uint s, IReadOnlyList<ResourceRecord> _) => new(Id, v, now, ch.Who, s, normalized);
        // A valid zone changed where the change stays valid is valid: no whole-zone normalize and check (ZoneState.Validity.cs).
        if (IsValidAndNormalized(Records, Id.Name) && StaysValid(after, normalized, Id.Name)) return FinishValid(after, Event, proposed);
        return Finish(after.ToList(), now, ch.Who, Event, proposed, ordered: true);
    }

    /// <summary><see cref="Finish"/> for ordered records already known to pass its normalization and checks.</summary>
    private ZoneDecision FinishValid(ImmutableList<ResourceRecord> records, Func<long, uint, IReadOnlyList<ResourceRecord>, IZoneEvent> makeEvent, uint? proposedSerial)
    {
        var version = Version + 1;
        uint serial = 0;
        // In order, the apex SOA (the first one Finish would find) is the first record.
        if (records.Count > 0 && records[0].Type == RecordType.SOA && records[0].Owner.Equals(Id.Name) && SoaData.TryParse(records[0].RData, out var soa))
        {
            serial = SerialNumber.Next(LastSerial, version, proposedSerial ?? soa!.Serial);
            records = records.SetItem(0, new ResourceRecord(records[0].Owner, RecordType.SOA, records[0].Ttl, (soa! with { Serial = serial }).ToRData()));
        }
        var e = makeEvent(version, serial, records);
        return new ZoneDecision(new ZoneCommandResult.Accepted(Id, version, serial), [e]);
    }

    private ZoneDecision Delete(DeleteZone d, DateTimeOffset now)
    {
        if (!Exists) return NotFound();
        var v = Version + 1;
        var e = new ZoneDeleted(Id, v, now, d.Who, Serial);
        return new ZoneDecision(new ZoneCommandResult.Accepted(Id, v, Serial), [e]);
    }

    /// <summary>Sets the serial, validates the result and, when it passes, produces the one event.</summary>
    internal ZoneDecision Finish(List<ResourceRecord> records, DateTimeOffset now, string who,
        Func<long, uint, IReadOnlyList<ResourceRecord>, IZoneEvent> makeEvent, uint? proposedSerial = null, bool ordered = false)
    {
        var version = Version + 1;
        var soaIndex = records.FindIndex(r => r.Type == RecordType.SOA && r.Owner.Equals(Id.Name));
        uint serial = 0;
        if (soaIndex >= 0 && SoaData.TryParse(records[soaIndex].RData, out var soa))
        {
            serial = SerialNumber.Next(LastSerial, version, proposedSerial ?? soa!.Serial);
            records[soaIndex] = new ResourceRecord(records[soaIndex].Owner, RecordType.SOA, records[soaIndex].Ttl,
                (soa! with { Serial = serial }).ToRData());
        }
        // Normalize keeps the order and the sort keys (it drops duplicates and rewrites TTLs): records in order stay so.
        var normalizedRecords = ZoneRules.Normalize(new Zone(Id.Name, records)).Records;
        var sorted = ordered ? normalizedRecords.ToImmutableList() : Order(normalizedRecords, Id.Name);
        var problems = ZoneRules.Check(new Zone(Id.Name, sorted));
        if (problems.Count > 0)
            return ZoneDecision.Refuse(Id, ZoneRejection.Invalid,
                $"zone {Id} refused: " + string.Join("; ", problems.Select(p => p.ToString())), problems);
        var e = makeEvent(version, serial, sorted);
        return new ZoneDecision(new ZoneCommandResult.Accepted(Id, version, serial), [e]);
    }

    private List<ResourceRecord> BuildInitialRecords(CreateZone c)
    {
        var soaSettings = c.Soa ?? SoaSettings.Default;
        var records = new List<ResourceRecord>();
        foreach (var ns in c.Nameservers)
            records.Add(new ResourceRecord(Id.Name, RecordType.NS, soaSettings.Ttl, ns.Wire.ToArray()));
        records.AddRange(c.Records);
        if (!records.Any(r => r.Type == RecordType.SOA))
        {
            var firstNs = c.Nameservers.FirstOrDefault()
                ?? records.Where(r => r.Type == RecordType.NS && r.Owner.Equals(Id.Name))
                          .Select(r => DnsName.FromWire(r.RData)).FirstOrDefault()
                ?? Id.Name;
            var soa = new SoaData(soaSettings.MName ?? firstNs, soaSettings.RName ?? Id.Name.Prepend("hostmaster"u8),
                0, soaSettings.Refresh, soaSettings.Retry, soaSettings.Expire, soaSettings.Minimum);
            records.Insert(0, new ResourceRecord(Id.Name, RecordType.SOA, soaSettings.Ttl, soa.ToRData()));
        }
        return Dedupe(records);
    }

    private bool TryRead(string masterFile, out Zone? zone, out ZoneDecision? refusal)
    {
        zone = null; refusal = null;
        try
        {
            zone = ZoneRules.ReadMasterFile(masterFile, Id.Name, Id.Value);
            if (!zone.Origin.Equals(Id.Name))
            {
                refusal = Invalid("origin-mismatch", $"master file is for {zone.Origin}, not {Id}");
                return false;
            }
            return true;
        }
        catch (MasterFileException e) { refusal = Invalid("master-file", e.Message); }
        catch (ZoneValidationException e)
        {
            refusal = ZoneDecision.Refuse(Id, ZoneRejection.Invalid, $"zone {Id} refused: {e.Message}", e.Problems);
        }
        catch (FormatException e) { refusal = Invalid("master-file", e.Message); }
        return false;
    }

    private ZoneDecision NotFound() => ZoneDecision.Refuse(Id, ZoneRejection.NotFound,
        Version == 0 ? $"zone {Id} does not exist" : $"zone {Id} was deleted (version {Version})");

    private ZoneDecision Invalid(string rule, string message, string? record = null) =>
        ZoneDecision.Refuse(Id, ZoneRejection.Invalid, message, [new ZoneProblem(rule, message, record)]);

    // ---------------------------------------------------------------- evolve

    public ZoneState Apply(IZoneEvent e)
    {
        var next = e switch
        {
            ZoneCreated c => this with { Exists = true, Records = Order(c.Records, Id.Name), Lineage = c.Lineage },
            ZoneReplaced r => this with { Exists = true, Records = Order(r.Records, Id.Name) },
            RRsetsChanged ch => this with { Records = Changed(ch) },
            ZoneDeleted => this with { Exists = false, Records = [], Dnssec = DnssecState.Off with { NextKeyId = Dnssec.NextKeyId } },
            DnssecChanged d => this with { Dnssec = d.Dnssec, Records = WithSerial(ApplyInOrder(Records, d.Changes, Id.Name), d.Serial) },
            _ => ZoneSafeguards.Evolve(this, e),
        };
        var entry = new ZoneHistoryEntry(e.Version, e.At, KindOf(e), Summarize(e), e.Who, e.Serial);
        return next with
        {
            Version = e.Version,
            LastSerial = e.Serial,
            History = Trim(History.Add(entry), HistoryLimit),
            Recent = Trim(Recent.Add(e), RecentLimit),
        };
    }

    /// <summary>The records after an RRset change; known valid when they were before and the change keeps them so.</summary>
    private ImmutableList<ResourceRecord> Changed(RRsetsChanged ch)
    {
        var records = WithSerial(ApplyInOrder(Records, ch.Changes, Id.Name), ch.Serial);
        if (KnownValid(Records, Id.Name) && StaysValid(records, ch.Changes, Id.Name)) RememberValid(records, Id.Name);
        return records;
    }

    /// <summary>The events after <paramref name="fromVersion"/>, or null when they are no longer all held.</summary>
    public IReadOnlyList<IZoneEvent>? ChangesSince(long fromVersion)
    {
        if (fromVersion >= Version) return [];
        if (fromVersion < 0) return null;
        if (Recent.Count == 0 || Recent[0].Version > fromVersion + 1) return null;
        return Recent.Where(e => e.Version > fromVersion).ToList();
    }

    // ---------------------------------------------------------------- helpers

    private static ImmutableList<T> Trim<T>(ImmutableList<T> list, int limit) =>
        list.Count <= limit ? list : list.RemoveRange(0, list.Count - limit);

    /// <summary>The changed RRsets replaced, in no order: with <see cref="Order"/>, the reference for <see cref="ApplyInOrder"/>.</summary>
    internal static List<ResourceRecord> ApplyChanges(IReadOnlyList<ResourceRecord> records, IReadOnlyList<RRsetChange> changes)
    {
        var keys = changes.Select(c => (c.Owner, c.Type)).ToHashSet();
        var result = records.Where(r => !keys.Contains((r.Owner, r.Type))).ToList();
        foreach (var c in changes)
            if (c.Kind == RRsetChangeKind.Replace) result.AddRange(c.Records);
        return result;
    }

    /// <summary><c>Order(ApplyChanges(records, changes))</c> for <paramref name="records"/> already in <see cref="Order"/>'s
    /// order (every state's records are), in O(k log n) for k changed records instead of a sort of the whole zone:
    /// the changed RRsets' records are removed, then each new record is inserted after every record that sorts with
    /// or before it, which is where the stable sort puts it.</summary>
    internal static ImmutableList<ResourceRecord> ApplyInOrder(ImmutableList<ResourceRecord> records, IReadOnlyList<RRsetChange> changes, DnsName apex)
    {
        foreach (var c in changes)
        {
            int start = Bound(records, apex, c.Owner, c.Type, after: false), end = Bound(records, apex, c.Owner, c.Type, after: true);
            if (end > start) records = records.RemoveRange(start, end - start);
        }
        foreach (var c in changes)
        {
            if (c.Kind != RRsetChangeKind.Replace) continue;
            foreach (var r in c.Records) records = records.Insert(Bound(records, apex, r.Owner, r.Type, after: true), r);
        }
        return records;
    }

    /// <summary>The first index whose record sorts at or after (owner, type) in <see cref="Order"/>'s order
    /// (<paramref name="after"/>: strictly after).</summary>
    private static int Bound(ImmutableList<ResourceRecord> records, DnsName apex, DnsName owner, RecordType type, bool after)
    {
        int key = type == RecordType.SOA && owner.Equals(apex) ? 0 : 1;
        int lo = 0, hi = records.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            var r = records[mid];
            int c = (r.Type == RecordType.SOA && r.Owner.Equals(apex) ? 0 : 1) - key;
            if (c == 0) c = r.Owner.CompareTo(owner);
            if (c == 0) c = ((ushort)r.Type).CompareTo((ushort)type);
            if (c < 0 || (after && c == 0)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static ImmutableList<ResourceRecord> WithSerial(ImmutableList<ResourceRecord> records, uint serial)
    {
        if (records.Count == 0 || records[0].Type != RecordType.SOA || !SoaData.TryParse(records[0].RData, out var soa)) return records;
        if (soa!.Serial == serial) return records;
        return records.SetItem(0, new ResourceRecord(records[0].Owner, RecordType.SOA, records[0].Ttl, (soa with { Serial = serial }).ToRData()));
    }

    /// <summary>SOA first, then by owner in canonical order, then by type; members of an RRset keep their order.</summary>
    internal static ImmutableList<ResourceRecord> Order(IEnumerable<ResourceRecord> records, DnsName apex) =>
        records.Select((r, i) => (r, i))
            .OrderBy(x => x.r.Type == RecordType.SOA && x.r.Owner.Equals(apex) ? 0 : 1)
            .ThenBy(x => x.r.Owner)
            .ThenBy(x => (ushort)x.r.Type)
            .ThenBy(x => x.i)
            .Select(x => x.r)
            .ToImmutableList();

    /// <summary>An RRset holds no duplicate records (RFC 2181 §5): the first of equal records wins.</summary>
    private static List<ResourceRecord> Dedupe(IEnumerable<ResourceRecord> records)
    {
        var seen = new HashSet<ResourceRecord>(SameDataComparer.Instance);
        var list = new List<ResourceRecord>();
        foreach (var r in records)
            if (seen.Add(r)) list.Add(r);
        return list;
    }
}

/// <summary>Compares records by owner, type and RDATA, ignoring TTL (RRset membership).</summary>
internal sealed class SameDataComparer : IEqualityComparer<ResourceRecord>
{
    public static readonly SameDataComparer Instance = new();
    public bool Equals(ResourceRecord? x, ResourceRecord? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.SameData(y));
    public int GetHashCode(ResourceRecord r)
    {
        var h = new HashCode();
        h.Add(r.Owner); h.Add(r.Type); h.AddBytes(r.RData);
        return h.ToHashCode();
    }
}
