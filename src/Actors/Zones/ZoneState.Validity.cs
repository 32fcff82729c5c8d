using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// Checking a change against what it touches instead of the whole zone, with the same outcome: a record list known to
/// pass <see cref="ZoneRules.Check"/> and to be normalized (<see cref="ZoneRules.Normalize"/> leaves it as it is) stays so
/// after RRset changes when the names the changes touch pass the same check on their own (with the apex and the NS and
/// DNAME records above them), as long as no change adds or removes a zone cut or a DNAME (which change what every name
/// below them may hold: those changes take the whole-zone check).
/// </summary>
/// <remarks>What is known is remembered per record list (immutable, so its identity is its content) in a weak table:
/// a memo of a pure function, not state. The first change after a start or a whole-zone event checks the whole zone once.</remarks>
public sealed partial record ZoneState
{
    private sealed record Known(DnsName Apex, bool Valid);

    private static readonly ConditionalWeakTable<ImmutableList<ResourceRecord>, Known> Checked = new();

    /// <summary>Whether <paramref name="records"/> pass the zone rules and are normalized, checking the whole list once.</summary>
    internal static bool IsValidAndNormalized(ImmutableList<ResourceRecord> records, DnsName apex)
    {
        if (Checked.TryGetValue(records, out var known) && known.Apex.Equals(apex)) return known.Valid;
        var zone = new Zone(apex, records);
        bool valid = ZoneRules.Check(zone).Count == 0 && ZoneRules.Normalize(zone).Records.SequenceEqual(records);
        Checked.AddOrUpdate(records, new Known(apex, valid));
        return valid;
    }

    internal static bool KnownValid(ImmutableList<ResourceRecord> records, DnsName apex) =>
        Checked.TryGetValue(records, out var known) && known.Valid && known.Apex.Equals(apex);

    private static void RememberValid(ImmutableList<ResourceRecord> records, DnsName apex) =>
        Checked.AddOrUpdate(records, new Known(apex, true));

    /// <summary>Given a valid, normalized zone before, whether <paramref name="after"/> (it with <paramref name="changes"/>
    /// applied in order, serial set or not) is valid and normalized too; false also when only the whole zone can tell.</summary>
    internal static bool StaysValid(ImmutableList<ResourceRecord> after, IReadOnlyList<RRsetChange> changes, DnsName apex)
    {
        var owners = new HashSet<DnsName> { apex };
        foreach (var c in changes)
        {
            if (c.Type == RecordType.DNAME || (c.Type == RecordType.NS && !c.Owner.Equals(apex))) return false;
            if (!c.Owner.IsSubdomainOf(apex)) return false;
            owners.Add(c.Owner);
        }
        var part = new List<ResourceRecord>();
        foreach (var owner in owners) part.AddRange(At(after, apex, owner, null));
        var above = new HashSet<DnsName>();
        foreach (var owner in owners)
            for (var p = owner; p.LabelCount > apex.LabelCount;)
            {
                p = p.Parent();
                if (owners.Contains(p) || !above.Add(p)) continue;
                part.AddRange(At(after, apex, p, RecordType.NS));
                part.AddRange(At(after, apex, p, RecordType.DNAME));
            }
        // The changed RRsets normalized: no duplicate, one TTL (RRSIGs keep the TTL of what they cover).
        foreach (var c in changes)
        {
            var set = At(after, apex, c.Owner, c.Type).ToList();
            if (set.Count == 0) continue;
            if (c.Type != RecordType.RRSIG && set.Any(r => r.Ttl != set[0].Ttl)) return false;
            if (set.DistinctBy(r => Convert.ToHexString(r.RData)).Count() != set.Count) return false;
        }
        return ZoneRules.Check(new Zone(apex, part)).Count == 0;
    }

    /// <summary>The records of one RRset in ordered <paramref name="records"/>, in their order.</summary>
    internal static List<ResourceRecord> RRsetIn(ImmutableList<ResourceRecord> records, DnsName apex, DnsName owner, RecordType type) =>
        At(records, apex, owner, type).ToList();

    private static IEnumerable<ResourceRecord> At(ImmutableList<ResourceRecord> records, DnsName apex, DnsName owner, RecordType? type)
    {
        if (type is { } t)
        {
            for (int i = Bound(records, apex, owner, t, after: false), end = Bound(records, apex, owner, t, after: true); i < end; i++) yield return records[i];
            yield break;
        }
        // Every type: the apex SOA sorts first, the owner's other records form one run (type 0 starts it).
        if (owner.Equals(apex) && records.Count > 0 && records[0].Type == RecordType.SOA && records[0].Owner.Equals(apex)) yield return records[0];
        for (int i = Bound(records, apex, owner, 0, after: false); i < records.Count && records[i].Owner.Equals(owner); i++)
            if (!(i == 0 && records[i].Type == RecordType.SOA)) yield return records[i];
    }
}
