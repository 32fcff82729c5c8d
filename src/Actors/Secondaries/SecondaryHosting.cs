using Akka.Cluster.Hosting;
using Akka.Hosting;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Secondaries;

public static class SecondaryHostingExtensions
{
    /// <summary>The refresher singleton on the zones nodes (and a proxy to it, for the API and the edges' NOTIFYs);
    /// a proxy elsewhere. Inject it as <c>IRequiredActor&lt;SecondaryRefresher&gt;</c>.</summary>
    public static AkkaConfigurationBuilder AddSecondaryRefresher(this AkkaConfigurationBuilder builder, ZoneSettings zones, bool hostSingleton,
        Func<ISecondaryWork> work, TransferConfigView view, SecondarySettings settings)
    {
        var options = new ClusterSingletonOptions { Role = zones.Role };
        return hostSingleton
            ? builder.WithSingleton<SecondaryRefresher>(SingletonNameOf, (_, registry, _) =>
                SecondaryRefresher.PropsFor(work(), view, settings, TimeProvider.System, registry.Get<TransferConfigActor>()), options, createProxyToo: true)
            : builder.WithSingletonProxy<SecondaryRefresher>(SingletonNameOf, options);
    }

    private const string SingletonNameOf = SecondaryRefresher.SingletonName;
}
