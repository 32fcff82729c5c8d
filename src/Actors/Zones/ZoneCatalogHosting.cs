using Akka.Actor;
using Akka.Cluster.Tools.Singleton;

namespace AkkaDns.Actors.Zones;

/// <summary>The <see cref="ZoneCatalog"/> singleton without Akka.Hosting (tests and tools). Outside the actor class:
/// code there that calls <c>ActorSystem.ActorOf</c> reads as an actor making a top-level actor instead of a child
/// (analyzer AK1008), and this runs from outside any actor.</summary>
internal static class ZoneCatalogSingleton
{
    /// <summary>Starts the singleton manager (on zones nodes, <paramref name="hostHere"/>) and returns a proxy to it.</summary>
    public static IActorRef Start(ActorSystem system, ZoneSettings settings, bool hostHere = true)
    {
        if (hostHere)
            system.ActorOf(ClusterSingletonManager.Props(ZoneCatalog.PropsFor(settings), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(settings.Role).WithSingletonName(ZoneSettings.CatalogName)),
                ZoneSettings.CatalogName);
        return system.ActorOf(ClusterSingletonProxy.Props($"/user/{ZoneSettings.CatalogName}",
            ClusterSingletonProxySettings.Create(system).WithRole(settings.Role).WithSingletonName(ZoneSettings.CatalogName)),
            ZoneSettings.CatalogName + "-proxy");
    }
}
