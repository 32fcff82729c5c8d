using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The checks a zone must pass before any event is written: the Resolver's <see cref="ZoneValidator"/> (RFC rules,
/// each with a stable rule id), plus what the zone actor itself relies on (a well-formed SOA at the apex, whose
/// serial it owns), and the Public Suffix List at creation (no zone at or above co.nz).
/// </summary>
public static class ZoneRules
{
    public const string PublicSuffix = "public-suffix";
    public const string SoaRData = "soa-rdata";

    /// <summary>Duplicate records dropped and RRset TTLs unified (RFC 2181 §5, §5.2), as the Resolver's loader does.</summary>
    public static Zone Normalize(Zone zone) => ZoneValidator.Normalize(zone);

    public static IReadOnlyList<ZoneProblem> Check(Zone zone)
    {
        var problems = ZoneValidator.Validate(zone);
        if (problems.Count > 0) return problems;
        var soa = zone.Records.FirstOrDefault(r => r.Type == RecordType.SOA);
        if (soa is not null && !SoaData.TryParse(soa.RData, out _))
            return [new ZoneProblem(SoaRData, "malformed SOA RDATA", Describe(soa))];
        return [];
    }

    /// <summary>A zone may not be created at a public suffix or above one (the co.nz incident).</summary>
    public static ZoneProblem? CheckApex(DnsName apex, PublicSuffixList? list = null) =>
        (list ?? PublicSuffixList.Default).IsPublicSuffixOrAbove(apex, out var rule)
            ? new ZoneProblem(PublicSuffix, $"zone {apex} refused: {rule}; no zone may be created at or above a public suffix")
            : null;

    /// <summary>Reads master-file text into a zone. Throws <see cref="MasterFileException"/> naming file:line;
    /// <c>$INCLUDE</c> is refused (the text comes over the API, not from the node's disk).</summary>
    public static Zone ReadMasterFile(string text, DnsName origin, string sourceName) =>
        MasterFileReader.ReadText(text, origin, sourceName);

    /// <summary>The zone as RFC 1035 master-file text (export).</summary>
    public static string WriteMasterFile(Zone zone) => MasterFileWriter.Write(zone);

    /// <summary>The record in presentation form.</summary>
    internal static string Describe(ResourceRecord r)
    {
        try { return r.ToString(); }
        catch (Exception e) when (e is NotImplementedException or FormatException) { return $"{r.Owner} {r.Ttl} IN {RecordTypes.ToText(r.Type)}"; }
    }
}
