using System.Text;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.ZoneService;

/// <summary>A zone as RFC 1035 master-file text: $ORIGIN, then one record per line with absolute names, SOA first,
/// so that the export reads back (import, knotc, named-checkzone) to the same records.</summary>
internal static class MasterFileText
{
    public static string Write(ZoneView zone)
    {
        var sb = new StringBuilder();
        sb.Append("; zone ").Append(zone.Name).Append(" serial ").Append(zone.Serial).Append(" version ").Append(zone.Version).Append('\n');
        sb.Append("$ORIGIN ").Append(zone.Name).Append('\n');
        foreach (var r in zone.Records.Where(r => r.Type == RecordType.SOA).Concat(zone.Records.Where(r => r.Type != RecordType.SOA)))
            sb.Append(r.Owner).Append('\t').Append(r.Ttl).Append("\tIN\t").Append(RecordTypes.ToText(r.Type)).Append('\t')
              .Append(RData.Format(r.Type, r.RData)).Append('\n');
        return sb.ToString();
    }
}
