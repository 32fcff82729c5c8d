using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.Zones;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The checks a zone must pass before any event is written. The zone actor's own invariants (it owns the SOA
/// serial, so exactly one well-formed SOA at the apex; every record inside the zone; apex NS present) are checked
/// here; the DNS rules themselves (RFC 1034/2181 and friends) come from the Resolver's ZoneValidator.
/// </summary>
public static class ZoneRules
{
    public static IReadOnlyList<ZoneProblem> Check(Zone zone)
    {
        var problems = new List<ZoneProblem>();
        var apex = zone.Origin;
        int soaCount = 0;
        bool apexNs = false;
        foreach (var r in zone.Records)
        {
            if (!r.Owner.IsSubdomainOf(apex))
                problems.Add(new ZoneProblem("out-of-zone", $"{r.Owner} is outside zone {apex}", Describe(r)));
            if (r.Type == RecordType.SOA)
            {
                soaCount++;
                if (!r.Owner.Equals(apex))
                    problems.Add(new ZoneProblem("soa-at-apex", $"SOA at {r.Owner}, not at the apex {apex}", Describe(r)));
                else if (!SoaData.TryParse(r.RData, out _))
                    problems.Add(new ZoneProblem("soa-rdata", "malformed SOA RDATA", Describe(r)));
            }
            if (r.Type == RecordType.NS && r.Owner.Equals(apex)) apexNs = true;
        }
        if (soaCount == 0) problems.Add(new ZoneProblem("soa-required", $"zone {apex} has no SOA record at its apex"));
        if (soaCount > 1) problems.Add(new ZoneProblem("one-soa", $"zone {apex} has {soaCount} SOA records; exactly one is allowed"));
        if (!apexNs) problems.Add(new ZoneProblem("apex-ns-required", $"zone {apex} has no NS record at its apex"));
        return problems;
    }

    /// <summary>Reads master-file text into a zone. Throws <see cref="MasterFileException"/> naming file:line.</summary>
    public static Zone ReadMasterFile(string text, DnsName origin, string sourceName) =>
        throw new NotSupportedException("master-file reading arrives with the Resolver's MasterFileReader");

    /// <summary>The record in presentation form when RDATA formatting is available, else owner and type.</summary>
    internal static string Describe(ResourceRecord r)
    {
        try { return r.ToString(); }
        catch (NotImplementedException) { return $"{r.Owner} {r.Ttl} IN {RecordTypes.ToText(r.Type)}"; }
    }
}
