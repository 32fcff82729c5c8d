using Akka.Hosting;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// The actors this node hosts, by role: the zone shard region (proxy on non-zones nodes) and, on edge nodes,
/// the DatacenterActor publishing into the node's ZoneTable. The actors' own hosting extensions do the work.
/// </summary>
internal static class NodeWiring
{
    public static void AddZonesAndDatacenter(AkkaConfigurationBuilder akka, IServiceProvider sp, NodeSettings settings)
    {
        // Filled in once src/Actors lands (ZoneActor shard region + DatacenterActor hosting extensions).
    }
}
