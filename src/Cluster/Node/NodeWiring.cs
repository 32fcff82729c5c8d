using Akka.Hosting;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// The actors this node hosts, by role: the zone shard region and catalog singleton (proxies on nodes without the
/// zones role) and, on edge nodes, the DatacenterActor publishing into the node's ZoneTable. The actors' own
/// hosting extensions do the work; this only decides which ones a node gets.
/// </summary>
internal static class NodeWiring
{
    public static void AddZonesAndDatacenter(AkkaConfigurationBuilder akka, IServiceProvider sp, NodeSettings settings, Akka.Configuration.Config hocon)
    {
        var zones = ZoneSettings.FromConfig(hocon);
        akka.AddZoneSharding(zones, hostZones: settings.HasRole(zones.Role));
    }
}
