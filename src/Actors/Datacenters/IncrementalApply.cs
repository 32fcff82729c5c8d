using System.Collections.Immutable;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Datacenters;

/// <summary>
/// The cheap way to serve RRset changes on an edge: the held records are patched in place (a binary search per RRset
/// instead of <see cref="ZoneState.Apply"/>'s sort of the whole zone) and the compiled zone takes only the changed
/// RRsets (<see cref="CompiledZone.WithChanges"/>). The result equals what <see cref="ZoneState.Apply"/> and a full
/// compile give — same records in the same order, same answers — at a cost that does not grow with the zone, so a
/// burst of changes to a 100k-record zone does not take the edge's CPU away from answering.
/// </summary>
internal static class IncrementalApply
{
    /// <summary>
    /// The state after <paramref name="events"/> and the RRset updates that take the compiled zone there (the SOA with
    /// its new serial included), or false when that is not the cheap way: a creation or deletion, or a whole-zone event
    /// (replacement, rollback, confirmed change) that changes more than half of the zone's RRsets.
    /// <para>RRset changes patch the held records; a whole-zone event is applied with <see cref="ZoneState.Apply"/> and
    /// compared with the held records RRset by RRset. A fleet restore rolls back every zone, usually by a few RRsets
    /// each: recompiling each whole zone on every edge was most of the edges' CPU in the 10,000-zone restore.</para>
    /// </summary>
    public static bool TryPrepare(ZoneState state, IReadOnlyList<IZoneEvent> events, out ZoneState next, out List<RRsetUpdate> updates)
    {
        next = state;
        updates = new();
        if (events.Count == 0 || !state.Exists) return false;
        var apex = state.Id.Name;
        var records = state.Records;
        foreach (var e in events)
        {
            if (e is ZoneEvents.ZoneCreated or ZoneEvents.ZoneDeleted) return false;
            if (e is ZoneEvents.RRsetsChanged changed)
            {
                foreach (var change in changed.Changes)
                {
                    records = Remove(records, apex, change.Owner, change.Type);
                    if (change.Kind == RRsetChangeKind.Replace) records = Insert(records, apex, change.Records);
                    updates.Add(new RRsetUpdate(change.Owner, change.Type, change.Kind == RRsetChangeKind.Replace ? change.Records : []));
                }
                records = WithSerial(records, changed.Serial, out var soa);
                if (soa is not null) updates.Add(new RRsetUpdate(apex, RecordType.SOA, [soa]));
                continue;
            }
            // Any other event: what ZoneState.Apply makes of it, compared RRset by RRset with what is held.
            ZoneState after;
            try { after = (state with { Records = records, History = [], Recent = [] }).Apply(e); }
            catch (ArgumentException) { return false; }
            if (!after.Exists) return false;
            if (!Diff(records, after.Records, apex, updates)) return false;
            records = after.Records;
        }
        var last = events[^1];
        next = state with { Records = records, Version = last.Version, LastSerial = last.Serial };
        return true;
    }

    /// <summary>
    /// The common case without the zone's records: RRset changes only (<see cref="ZoneEvents.RRsetsChanged"/>,
    /// <see cref="DnssecChanged"/>), taken as RRset updates as they are, plus the SOA
    /// (read from <paramref name="current"/>, the compiled version served) with each event's serial. The state returned
    /// carries the new version and serial, no records. False for any other event, or a change that deletes the SOA:
    /// <see cref="TryPrepare"/> or the full path decide those.
    /// </summary>
    public static bool TryPrepareChanges(ZoneState state, CompiledZone current, IReadOnlyList<IZoneEvent> events, out ZoneState next, out List<RRsetUpdate> updates)
    {
        next = state;
        updates = new();
        if (events.Count == 0 || !state.Exists) return false;
        var apex = state.Id.Name;
        var soa = current.Soa;
        foreach (var e in events)
        {
            // A DNSSEC step (key rollover, signatures refreshed) is RRset changes too, as far as the records go.
            var (changes, serial) = e switch
            {
                ZoneEvents.RRsetsChanged c => (c.Changes, c.Serial),
                DnssecChanged d => (d.Changes, d.Serial),
                _ => (null!, 0u),
            };
            if (changes is null) return false;
            foreach (var change in changes)
            {
                bool isSoa = change.Type == RecordType.SOA && change.Owner.Equals(apex);
                if (isSoa && (change.Kind != RRsetChangeKind.Replace || change.Records.Count == 0)) return false;
                if (isSoa) soa = change.Records[0];
                updates.Add(new RRsetUpdate(change.Owner, change.Type, change.Kind == RRsetChangeKind.Replace ? change.Records : []));
            }
            soa = WithSerial(soa, serial);
            updates.Add(new RRsetUpdate(apex, RecordType.SOA, [soa]));
        }
        var last = events[^1];
        next = state with { Records = [], Version = last.Version, LastSerial = last.Serial };
        return true;
    }

    /// <summary>
    /// Adds an update for every RRset that differs between two lists in <see cref="ZoneState.Order"/> (new, changed:
    /// its new records; gone: empty). False when more than half of the RRsets differ: a full compile costs no more.
    /// </summary>
    private static bool Diff(ImmutableList<ResourceRecord> before, ImmutableList<ResourceRecord> after, DnsName apex, List<RRsetUpdate> updates)
    {
        int i = 0, j = 0, sets = 0, changed = 0;
        while (i < before.Count || j < after.Count)
        {
            int c = i >= before.Count ? 1 : j >= after.Count ? -1 : Compare(before[i], apex, after[j].Owner, after[j].Type);
            int iEnd = i, jEnd = j;
            if (c <= 0) iEnd = RunEnd(before, i);
            if (c >= 0) jEnd = RunEnd(after, j);
            sets++;
            if (c < 0) { updates.Add(new RRsetUpdate(before[i].Owner, before[i].Type, [])); changed++; }
            else if (c > 0 || !SameRun(before, i, iEnd, after, j, jEnd))
            {
                updates.Add(new RRsetUpdate(after[j].Owner, after[j].Type, after.GetRange(j, jEnd - j)));
                changed++;
            }
            i = iEnd; j = jEnd;
        }
        return changed * 2 <= sets;
    }

    /// <summary>The end (exclusive) of the RRset starting at <paramref name="start"/>.</summary>
    internal static int RunEnd(ImmutableList<ResourceRecord> records, int start)
    {
        int end = start + 1;
        while (end < records.Count && records[end].Type == records[start].Type && records[end].Owner.Equals(records[start].Owner)) end++;
        return end;
    }

    private static bool SameRun(ImmutableList<ResourceRecord> a, int aStart, int aEnd, ImmutableList<ResourceRecord> b, int bStart, int bEnd)
    {
        if (aEnd - aStart != bEnd - bStart) return false;
        for (int k = 0; k < aEnd - aStart; k++)
            if (!a[aStart + k].Equals(b[bStart + k])) return false; // TTL and data
        return true;
    }

    // The order of ZoneState.Order: the apex SOA first, then owner (canonical order), then type; an RRset's
    // records keep their order, so an RRset is one run of the list.
    internal static int Compare(ResourceRecord r, DnsName apex, DnsName owner, RecordType type)
    {
        int ra = r.Type == RecordType.SOA && r.Owner.Equals(apex) ? 0 : 1;
        int ka = type == RecordType.SOA && owner.Equals(apex) ? 0 : 1;
        if (ra != ka) return ra - ka;
        int c = r.Owner.CompareTo(owner);
        return c != 0 ? c : ((ushort)r.Type).CompareTo((ushort)type);
    }

    /// <summary>The first index whose record sorts at or after (owner, type) (<paramref name="after"/>: strictly after).</summary>
    internal static int Bound(ImmutableList<ResourceRecord> records, DnsName apex, DnsName owner, RecordType type, bool after)
    {
        int lo = 0, hi = records.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = Compare(records[mid], apex, owner, type);
            if (c < 0 || (after && c == 0)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static ImmutableList<ResourceRecord> Remove(ImmutableList<ResourceRecord> records, DnsName apex, DnsName owner, RecordType type)
    {
        int start = Bound(records, apex, owner, type, after: false), end = Bound(records, apex, owner, type, after: true);
        return end > start ? records.RemoveRange(start, end - start) : records;
    }

    private static ImmutableList<ResourceRecord> Insert(ImmutableList<ResourceRecord> records, DnsName apex, IReadOnlyList<ResourceRecord> rrset)
    {
        if (rrset.Count == 0) return records;
        int at = Bound(records, apex, rrset[0].Owner, rrset[0].Type, after: true);
        return records.InsertRange(at, rrset);
    }

    /// <summary>As <see cref="ZoneState"/> does after a change: the SOA record carries the event's serial.</summary>
    private static ImmutableList<ResourceRecord> WithSerial(ImmutableList<ResourceRecord> records, uint serial, out ResourceRecord? soa)
    {
        soa = null;
        if (records.Count == 0 || records[0].Type != RecordType.SOA || !SoaData.TryParse(records[0].RData, out _)) return records;
        soa = WithSerial(records[0], serial);
        return ReferenceEquals(soa, records[0]) ? records : records.SetItem(0, soa);
    }

    private static ResourceRecord WithSerial(ResourceRecord soa, uint serial) =>
        !SoaData.TryParse(soa.RData, out var data) || data!.Serial == serial
            ? soa
            : new ResourceRecord(soa.Owner, RecordType.SOA, soa.Ttl, (data with { Serial = serial }).ToRData());
}
