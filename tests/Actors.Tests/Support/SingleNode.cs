using Akka.Actor;
using Akka.Cluster;
using AkkaDns.Actors.Zones;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Actors.Tests.Support;

/// <summary>Brings an actor system up as a one-node cluster with the zone catalog and region.</summary>
internal static class SingleNode
{
    public static async Task JoinSelfAsync(ActorSystem system, TimeSpan? timeout = null)
    {
        var cluster = AkkaCluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        var done = await Task.WhenAny(up.Task, Task.Delay(timeout ?? TimeSpan.FromSeconds(15)));
        if (done != up.Task) throw new TimeoutException($"cluster member not Up (status {cluster.SelfMember.Status})");
    }

    public static (IActorRef Region, IActorRef Catalog, ZoneSettings Settings) StartZones(ActorSystem system,
        Func<ZoneSettings, ZoneSettings>? tweak = null)
    {
        var settings = ZoneSettings.FromConfig(system.Settings.Config);
        if (tweak is not null) settings = tweak(settings);
        var catalog = ZoneCatalogSingleton.Start(system, settings);
        var region = ZoneSharding.StartRegion(system, settings, catalog);
        return (region, catalog, settings);
    }
}
