using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;

namespace AkkaDns.Actors.Zones;

/// <summary>Starting the zone shard region and the catalog without Akka.Hosting (tests, tools).</summary>
internal static class ZoneSharding
{
    public static Func<string, Props> EntityProps(ZoneSettings settings, IActorRef catalog) =>
        entityId => ZoneActor.PropsFor(ZoneId.Parse(entityId), settings, catalog);

    /// <summary>Starts the shard region on a node with role <see cref="ZoneSettings.Role"/>.</summary>
    public static IActorRef StartRegion(ActorSystem system, ZoneSettings settings, IActorRef catalog) =>
        ClusterSharding.Get(system).Start(settings.TypeName, EntityProps(settings, catalog),
            ClusterShardingSettings.Create(system).WithRole(settings.Role).WithRememberEntities(false),
            new ZoneMessageExtractor(settings.ShardCount));

    /// <summary>Starts a proxy to the region, for nodes without the zones role.</summary>
    public static IActorRef StartProxy(ActorSystem system, ZoneSettings settings) =>
        ClusterSharding.Get(system).StartProxy(settings.TypeName, settings.Role, new ZoneMessageExtractor(settings.ShardCount));
}

public static class ZoneHostingExtensions
{
    /// <summary>
    /// Adds the zones: on a node with role <see cref="ZoneSettings.Role"/> (<paramref name="hostZones"/>) the shard
    /// region of <see cref="ZoneActor"/> and the <see cref="ZoneCatalog"/> singleton; elsewhere proxies to both.
    /// Inject them as <c>IRequiredActor&lt;ZoneActor&gt;</c> (send any <see cref="IWithZoneId"/> message) and
    /// <c>IRequiredActor&lt;ZoneCatalog&gt;</c>.
    /// </summary>
    public static AkkaConfigurationBuilder AddZoneSharding(this AkkaConfigurationBuilder builder, ZoneSettings settings, bool hostZones = true)
    {
        var extractor = new ZoneMessageExtractor(settings.ShardCount);
        var singletonOptions = new ClusterSingletonOptions { Role = settings.Role };
        if (!hostZones)
            return builder
                .WithSingletonProxy<ZoneCatalog>(ZoneSettings.CatalogName, singletonOptions)
                .WithShardRegionProxy<ZoneActor>(settings.TypeName, settings.Role, extractor);

        return builder
            .WithSingleton<ZoneCatalog>(ZoneSettings.CatalogName, ZoneCatalog.PropsFor(settings), singletonOptions)
            .WithShardRegion<ZoneActor>(settings.TypeName,
                (_, registry, _) => ZoneSharding.EntityProps(settings, registry.Get<ZoneCatalog>()),
                extractor,
                new ShardOptions
                {
                    Role = settings.Role,
                    RememberEntities = false,
                    StateStoreMode = StateStoreMode.DData,
                });
    }
}
