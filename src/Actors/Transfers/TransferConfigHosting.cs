using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.Singleton;
using Akka.DistributedData;
using Akka.Hosting;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Transfers;

public static class TransferConfigHostingExtensions
{
    /// <summary>
    /// The <see cref="TransferConfigActor"/> singleton (hosted where <paramref name="hostSingleton"/>, the zones role;
    /// a proxy everywhere; inject <c>IRequiredActor&lt;TransferConfigActor&gt;</c>) and, on every node, the
    /// <see cref="TransferConfigReader"/> feeding <paramref name="view"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddTransferConfig(this AkkaConfigurationBuilder builder, ZoneSettings zones, bool hostSingleton, TransferConfigView view)
    {
        builder.AddHocon(DistributedData.DefaultConfig(), HoconAddMode.Append);
        var options = new ClusterSingletonOptions { Role = zones.Role };
        if (hostSingleton)
            builder.WithSingleton<TransferConfigActor>(TransferConfigActor.SingletonName, TransferConfigActor.PropsFor(zones.SnapshotEvery), options, createProxyToo: true);
        else
            builder.WithSingletonProxy<TransferConfigActor>(TransferConfigActor.SingletonName, options);
        return builder.WithActors((system, _) => system.ActorOf(TransferConfigReader.Props(view), "transfer-config-reader"));
    }

    /// <summary>Without Akka.Hosting (outside this class: analyzer AK1008 reads ActorOf inside an actor class as a child): the singleton manager here and a proxy to it.</summary>
    public static IActorRef StartSingleton(ActorSystem system, ZoneSettings zones)
    {
        system.ActorOf(ClusterSingletonManager.Props(TransferConfigActor.PropsFor(zones.SnapshotEvery), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole(zones.Role).WithSingletonName(TransferConfigActor.SingletonName)), TransferConfigActor.SingletonName);
        return system.ActorOf(ClusterSingletonProxy.Props($"/user/{TransferConfigActor.SingletonName}",
            ClusterSingletonProxySettings.Create(system).WithRole(zones.Role).WithSingletonName(TransferConfigActor.SingletonName)), TransferConfigActor.SingletonName + "-proxy");
    }
}
