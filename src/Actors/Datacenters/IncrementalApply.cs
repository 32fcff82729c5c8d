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
    /// its new serial included), or false when the events are not all RRset changes (creation, replacement, deletion
    /// and safeguard events go the full way).
    /// </summary>
    public static bool TryPrepare(ZoneState state, IReadOnlyList<IZoneEvent> events, out ZoneState next, out List<RRsetUpdate> updates)
    {
        next = state;
        updates = new();
        if (events.Count == 0 || events.Any(e => e is not ZoneEvents.RRsetsChanged)) return false;
        var apex = state.Id.Name;
        var records = state.Records;
        foreach (ZoneEvents.RRsetsChanged e in events)
        {
            foreach (var change in e.Changes)
            {
                records = Remove(records, apex, change.Owner, change.Type);
                if (change.Kind == RRsetChangeKind.Replace) records = Insert(records, apex, change.Records);
                updates.Add(new RRsetUpdate(change.Owner, change.Type, change.Kind == RRsetChangeKind.Replace ? change.Records : []));
            }
            records = WithSerial(records, e.Serial, out var soa);
            if (soa is not null) updates.Add(new RRsetUpdate(apex, RecordType.SOA, [soa]));
        }
        var last = events[^1];
        next = state with { Records = records, Version = last.Version, LastSerial = last.Serial };
        return true;
    }

    // The order of ZoneState.Order: the apex SOA first, then owner (canonical order), then type; an RRset's
    // records keep their order, so an RRset is one run of the list.
    private static int Compare(ResourceRecord r, DnsName apex, DnsName owner, RecordType type)
    {
        int ra = r.Type == RecordType.SOA && r.Owner.Equals(apex) ? 0 : 1;
        int ka = type == RecordType.SOA && owner.Equals(apex) ? 0 : 1;
        if (ra != ka) return ra - ka;
        int c = r.Owner.CompareTo(owner);
        return c != 0 ? c : ((ushort)r.Type).CompareTo((ushort)type);
    }

    /// <summary>The first index whose record sorts at or after (owner, type) (<paramref name="after"/>: strictly after).</summary>
    private static int Bound(ImmutableList<ResourceRecord> records, DnsName apex, DnsName owner, RecordType type, bool after)
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
        if (records.Count == 0 || records[0].Type != RecordType.SOA || !SoaData.TryParse(records[0].RData, out var data)) return records;
        soa = records[0];
        if (data!.Serial == serial) return records;
        soa = new ResourceRecord(records[0].Owner, RecordType.SOA, records[0].Ttl, (data with { Serial = serial }).ToRData());
        return records.SetItem(0, soa);
    }
}
