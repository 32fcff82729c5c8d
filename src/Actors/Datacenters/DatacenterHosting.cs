using Akka.Hosting;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;

namespace AkkaDns.Actors.Datacenters;

public static class DatacenterHostingExtensions
{
    /// <summary>
    /// Adds this node's <see cref="DatacenterActor"/> (nodes with role edge), publishing into <paramref name="table"/>.
    /// Call after <see cref="ZoneHostingExtensions.AddZoneSharding"/> (it needs the zone region and catalog).
    /// Inject it as <c>IRequiredActor&lt;DatacenterActor&gt;</c>; ask it <see cref="GetEdgeZones"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddDatacenter(this AkkaConfigurationBuilder builder, DatacenterSettings settings, ZoneTable table,
        IServedZoneObserver? observer = null) =>
        builder.WithActors((system, registry, _) =>
        {
            var actor = system.ActorOf(DatacenterActor.PropsFor(settings, table, registry.Get<ZoneActor>(), registry.Get<ZoneCatalog>(), observer), "datacenter");
            registry.Register<DatacenterActor>(actor);
        });
}
