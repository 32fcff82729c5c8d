using Akka.Hosting;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaDns.Cluster.Node;

/// <summary>Propagation on this node: the DeliverySupervisor (hosted on zones nodes, proxied elsewhere) and, on an edge, the ack reporter and the serving gate driving the DNS front end.</summary>
internal static class PropagationWiring
{
    public static void Add(AkkaConfigurationBuilder akka, IServiceProvider sp, NodeSettings settings, Akka.Configuration.Config hocon, ZoneSettings zones)
    {
        var config = PropagationHostingExtensions.LoadConfig(NodeSettingsLoader.ConfigDir, hocon);
        var edge = settings.HasRole(NodeRoles.Edge)
            ? new EdgePropagation(settings.Datacenter, sp.GetRequiredService<ZoneTable>(), sp.GetRequiredService<DnsFrontEnd>(),
                sp.GetRequiredService<AkkaDns.Resolver.FrontEnd.ServingLease>(),
                // The datacenter actor is registered before this runs (NodeWiring adds it first).
                ServingCache: registry => registry.Get<DatacenterActor>())
            : null;
        akka.AddPropagation(config, zones, hostSupervisor: settings.HasRole(zones.Role), edge);
    }
}
