using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Secondaries;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// The actors this node hosts, by role: the zone shard region, the catalog and transfer-config singletons (proxies
/// on nodes without the zones role), the transfer-config reader on every node and, on edge nodes, the DatacenterActor publishing into the node's ZoneTable. The actors' own
/// hosting extensions do the work; this only decides which ones a node gets.
/// </summary>
internal static class NodeWiring
{
    public static void AddZonesAndDatacenter(AkkaConfigurationBuilder akka, IServiceProvider sp, NodeSettings settings, Akka.Configuration.Config hocon)
    {
        var zones = ZoneSettings.FromConfig(hocon);
        // DNSSEC: only the zones nodes sign, so only they read the key-encryption key (configured, or DATA/dnssec-kek made
        // on first start); an edge never has one, and never sees a key.
        if (settings.HasRole(zones.Role))
            zones = zones with
            {
                KeyProtector = (Environment.GetEnvironmentVariable("AKKADNS_DNSSEC_KEK") is { Length: > 0 } envKek ? envKek : zones.Dnssec.Kek) is { } kek
                    ? KeyProtector.FromBase64(kek, "AKKADNS_DNSSEC_KEK / " + DnssecSettings.ConfigPath + ".kek")
                    : KeyProtector.ReadOrCreate(settings.DataDir, out _),
            };
        akka.AddZoneSharding(zones, hostZones: settings.HasRole(zones.Role));
        // TSIG keys and transfer metadata: the singleton beside the catalog, a reader feeding the view on every node.
        akka.AddTransferConfig(zones, hostSingleton: settings.HasRole(zones.Role), sp.GetRequiredService<TransferConfigView>());
        if (settings.HasRole(NodeRoles.Edge))
        {
            // The node's --datacenter / AKKADNS_DATACENTER wins over akkadns.datacenter.name.
            // Fail static: the edge keeps a local copy of what it serves under the node's data folder.
            var datacenter = DatacenterSettings.FromConfig(hocon) with
            {
                Name = settings.Datacenter,
                SnapshotDirectory = Path.Combine(settings.DataDir, "edge-" + settings.Datacenter),
            };
            akka.AddDatacenter(datacenter, sp.GetRequiredService<ZoneTable>(), sp.GetService<Transfers.EdgeTransfers>());
        }
        // Secondary zones: the refresher singleton beside the zones (transfers from the primaries, commits through
        // the zone service); edges hand it the NOTIFYs they accept.
        var view = sp.GetRequiredService<TransferConfigView>();
        akka.AddSecondaryRefresher(zones, hostSingleton: settings.HasRole(zones.Role), () => new Secondaries.SecondaryWork(
                new Lazy<ZoneService.IZoneService>(sp.GetRequiredService<ZoneService.IZoneService>), view,
                new AkkaDns.Resolver.Transfer.TransferClient(new AkkaDns.Resolver.Transfer.TransferClientOptions(), TimeProvider.System),
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("AkkaDns.Secondaries")),
            view, SecondarySettings.FromConfig(hocon));
        if (sp.GetService<Transfers.EdgeTransfers>() is { } edge)
            akka.WithActors((_, registry) => { var refresher = registry.Get<SecondaryRefresher>(); edge.NotifySink = n => refresher.Tell(n); });
        PropagationWiring.Add(akka, sp, settings, hocon, zones);
    }
}
