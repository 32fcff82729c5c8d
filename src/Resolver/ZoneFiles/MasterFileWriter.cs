using System.Text;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>
/// Writes a <see cref="Zone"/> as an RFC 1035 master file that <see cref="MasterFileReader.ReadText"/> reads back to
/// the same records (owners, types, TTLs and RDATA octets, case included): <c>$ORIGIN</c>, <c>$TTL</c>, the apex SOA
/// first, then canonical name order; names relative to the origin where that is exact; a TTL only where it differs.
/// </summary>
public static class MasterFileWriter
{
    public static string Write(Zone zone)
    {
        var origin = zone.Origin;
        var soa = zone.Records.FirstOrDefault(r => r.Type == RecordType.SOA && r.Owner.Equals(origin));
        uint defaultTtl = soa?.Ttl ?? MostCommonTtl(zone.Records);

        var sb = new StringBuilder(zone.Records.Count * 48 + 64);
        sb.Append("$ORIGIN ").Append(origin).Append('\n');
        sb.Append("$TTL ").Append(defaultTtl).Append('\n');

        // Stable sort: SOA of the apex first, then owner in canonical order, then type; RRset order kept.
        var keys = new Dictionary<DnsName, ushort[]>();
        var ordered = zone.Records
            .OrderBy(r => ReferenceEquals(r, soa) ? 0 : 1)
            .ThenBy(r => keys.TryGetValue(r.Owner, out var k) ? k : keys[r.Owner] = RecordKeys.Canonical(r.Owner),
                    Comparer<ushort[]>.Create(RecordKeys.Compare))
            .ThenBy(r => (ushort)r.Type);
        foreach (var r in ordered) AppendRecord(sb, r, origin, defaultTtl);
        return sb.ToString();
    }

    /// <summary>The TTL most records carry (the smallest of equally common ones); 3600 for an empty zone.</summary>
    private static uint MostCommonTtl(IReadOnlyList<ResourceRecord> records) =>
        records.Count == 0 ? 3600 : records.GroupBy(r => r.Ttl).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    private static void AppendRecord(StringBuilder sb, ResourceRecord r, DnsName origin, uint defaultTtl)
    {
        int start = sb.Length;
        PresentationText.AppendName(sb, r.Owner.Wire, origin);
        Pad(sb, start, 24);
        if (r.Ttl != defaultTtl) sb.Append(r.Ttl).Append(' ');
        // Meta types (ANY, …) as TYPEnnn: "ANY" would read back as a class.
        string type = RecordTypes.IsMetaOrQuestionOnly(r.Type) ? "TYPE" + (ushort)r.Type : RecordTypes.ToText(r.Type);
        sb.Append("IN ").Append(type).Append(' ');
        // Known types in their own syntax; types without a descriptor (and malformed data) as RFC 3597 \#.
        sb.Append(RData.Format(r.Type, r.RData, origin)).Append('\n');
    }

    private static void Pad(StringBuilder sb, int start, int width)
    {
        int used = sb.Length - start;
        sb.Append(' ', used < width ? width - used : 1);
    }
}
