using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Update;

/// <summary>
/// The RFC 2136 rules over a zone's records, pure: <see cref="CheckPrerequisites"/> (§3.2) and <see cref="Apply"/>
/// (§3.4.2). The caller (the zone's state) validates the result and stores it as one change.
/// </summary>
/// <remarks>
/// Choices the RFC leaves open (BIND 9 and Knot DNS 3 where they agree):
/// <list type="bullet">
/// <item>RDATA compares byte for byte (names inside RDATA as stored, so an owner differing only in case still matches;
/// RDATA names in another case do not).</item>
/// <item>An added record joins its RRset and the whole RRset takes the added record's TTL (RFC 2181 §5.2 wants one TTL
/// per RRset; BIND does the same). Adding a record already present only changes the TTL; nothing else happens.</item>
/// <item>SOA added: replaces the apex SOA only when its serial is newer (RFC 1982); elsewhere, or older, ignored. The
/// zone then steps the serial once for the whole update as for any change.</item>
/// <item>CNAME added beside other data, or other data beside a CNAME: ignored (§3.4.2.2); DNSSEC types do not count.</item>
/// <item>At the apex, deleting the SOA or NS RRset, the whole name, or the last NS record is ignored (§3.4.2.3, §3.4.2.4).</item>
/// </list>
/// </remarks>
public static class UpdateRules
{
    /// <summary>Checks §3.2.5 in message order; the value-dependent ones last, each RRset compared whole.</summary>
    public static UpdateFailure? CheckPrerequisites(IReadOnlyList<ResourceRecord> records, IReadOnlyList<UpdatePrerequisite> prerequisites)
    {
        var expected = new Dictionary<(DnsName, RecordType), List<ResourceRecord>>();
        foreach (var p in prerequisites)
        {
            switch (p.Kind)
            {
                case PrerequisiteKind.RRsetExists when !records.Any(r => r.Type == p.Type && r.Owner.Equals(p.Name)):
                    return new(Rcode.NXRRset, $"prerequisite failed: no {RecordTypes.ToText(p.Type)} RRset at {p.Name}");
                case PrerequisiteKind.RRsetDoesNotExist when records.Any(r => r.Type == p.Type && r.Owner.Equals(p.Name)):
                    return new(Rcode.YXRRset, $"prerequisite failed: {p.Name} has a {RecordTypes.ToText(p.Type)} RRset");
                case PrerequisiteKind.NameInUse when !records.Any(r => r.Owner.Equals(p.Name)):
                    return new(Rcode.NXDomain, $"prerequisite failed: {p.Name} owns no records");
                case PrerequisiteKind.NameNotInUse when records.Any(r => r.Owner.Equals(p.Name)):
                    return new(Rcode.YXDomain, $"prerequisite failed: {p.Name} owns records");
                case PrerequisiteKind.RRsetExistsValue:
                    var key = (p.Name, p.Type);
                    if (!expected.TryGetValue(key, out var set)) expected[key] = set = [];
                    if (!set.Any(x => x.SameData(p.Record!))) set.Add(p.Record!);
                    break;
            }
        }
        foreach (var ((name, type), set) in expected)
        {
            var actual = records.Where(r => r.Type == type && r.Owner.Equals(name)).ToList();
            if (actual.Count != set.Count || !set.All(e => actual.Any(a => a.RData.AsSpan().SequenceEqual(e.RData))))
                return new(Rcode.NXRRset, $"prerequisite failed: the {RecordTypes.ToText(type)} RRset at {name} is not the one given ({actual.Count} record(s) there, {set.Count} given)");
        }
        return null;
    }

    /// <summary>The zone's records after the updates, in order (§3.4.2). Records keep their order; added ones go last.</summary>
    public static List<ResourceRecord> Apply(DnsName zone, IReadOnlyList<ResourceRecord> records, IReadOnlyList<UpdateOperation> updates)
    {
        var result = records.ToList();
        foreach (var u in updates)
        {
            bool apex = u.Name.Equals(zone);
            switch (u.Kind)
            {
                case UpdateOperationKind.Add: Add(result, apex, u.Record!); break;
                case UpdateOperationKind.DeleteRRset:
                    if (apex && u.Type is RecordType.SOA or RecordType.NS) break;
                    result.RemoveAll(r => r.Type == u.Type && r.Owner.Equals(u.Name));
                    break;
                case UpdateOperationKind.DeleteName:
                    result.RemoveAll(r => r.Owner.Equals(u.Name) && !(apex && r.Type is RecordType.SOA or RecordType.NS));
                    break;
                case UpdateOperationKind.DeleteRecord:
                    if (u.Type == RecordType.SOA) break;
                    if (apex && u.Type == RecordType.NS && result.Count(r => r.Type == RecordType.NS && r.Owner.Equals(zone)) <= 1) break;
                    result.RemoveAll(r => r.SameData(u.Record!));
                    break;
            }
        }
        return result;
    }

    private static void Add(List<ResourceRecord> zone, bool apex, ResourceRecord rr)
    {
        if (rr.Type == RecordType.SOA)
        {
            int i = zone.FindIndex(r => r.Type == RecordType.SOA && r.Owner.Equals(rr.Owner));
            if (!apex || i < 0 || rr.RData.Length < 20 || zone[i].RData.Length < 20
                || !SerialNumber.IsNewer(SerialNumber.OfSoaRData(rr.RData), SerialNumber.OfSoaRData(zone[i].RData))) return;
            zone[i] = rr;
            return;
        }
        bool hasCname = zone.Any(r => r.Type == RecordType.CNAME && r.Owner.Equals(rr.Owner));
        if (rr.Type == RecordType.CNAME)
        {
            if (zone.Any(r => r.Owner.Equals(rr.Owner) && r.Type != RecordType.CNAME && !IsDnssec(r.Type))) return;
            zone.RemoveAll(r => r.Type == RecordType.CNAME && r.Owner.Equals(rr.Owner)); // a CNAME replaces the CNAME
            zone.Add(rr);
            return;
        }
        if (hasCname && !IsDnssec(rr.Type)) return;
        bool present = false;
        for (int i = 0; i < zone.Count; i++)
        {
            var r = zone[i];
            if (r.Type != rr.Type || !r.Owner.Equals(rr.Owner)) continue;
            if (r.RData.AsSpan().SequenceEqual(rr.RData)) present = true;
            if (r.Ttl != rr.Ttl) zone[i] = r.WithTtl(rr.Ttl); // one TTL per RRset: the added record's
        }
        if (!present) zone.Add(rr);
    }

    private static bool IsDnssec(RecordType t) => t is RecordType.RRSIG or RecordType.NSEC or RecordType.NSEC3;
}
