using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.DistributedData;
using Akka.Hosting;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Actors.Propagation;

/// <summary>What an edge node brings to propagation: its datacenter name, its serving table, its DNS front end.</summary>
/// <param name="Lease">The front end's lease, moved by the edge fence (null: the edge never fences).</param>
/// <param name="ServingCache">Finds this edge's DatacenterActor in the actor registry, for the fault switch (null: no
/// fault switch on this edge).</param>
public sealed record EdgePropagation(DatacenterName Datacenter, ZoneTable Table, IServingControl FrontEnd,
    AkkaDns.Resolver.FrontEnd.ServingLease? Lease = null, Func<IActorRegistry, IActorRef>? ServingCache = null);

/// <summary>Marker for the edge actors in the registry.</summary>
internal sealed class EdgeAckReporterKey;

public static class PropagationHostingExtensions
{
    public const string SupervisorName = "delivery-supervisor";

    /// <summary>config/propagation.conf (next to the binary) under <paramref name="overlay"/>: the overlay wins.</summary>
    public static Config LoadConfig(string configDir, Config overlay)
    {
        var file = PropagationSettings.ConfigFile(configDir);
        return File.Exists(file) ? overlay.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(file))) : overlay;
    }

    /// <summary>
    /// The DeliverySupervisor singleton (hosted on role <c>zones</c>, a proxy everywhere; inject it as
    /// <c>IRequiredActor&lt;DeliverySupervisor&gt;</c>) and, on an edge node, its ack reporter and serving gate.
    /// <paramref name="config"/> must hold <c>akkadns.propagation</c> (see <see cref="LoadConfig"/>).
    /// </summary>
    public static AkkaConfigurationBuilder AddPropagation(this AkkaConfigurationBuilder builder, Config config,
        ZoneSettings zones, bool hostSupervisor, EdgePropagation? edge)
    {
        var settings = PropagationSettings.From(config);
        // Serializer binding for our messages, DData and pub-sub defaults: lowest priority, files and options win.
        builder.AddHocon(config, HoconAddMode.Append)
            .AddHocon(DistributedData.DefaultConfig(), HoconAddMode.Append)
            .AddHocon(DistributedPubSub.DefaultConfig(), HoconAddMode.Append);

        var options = new ClusterSingletonOptions { Role = zones.Role };
        if (hostSupervisor)
            builder.WithSingleton<DeliverySupervisor>(SupervisorName,
                DeliverySupervisor.Props(settings, zones.Topic, ZoneChangeOf), options, createProxyToo: true);
        else
            builder.WithSingletonProxy<DeliverySupervisor>(SupervisorName, options);

        if (edge is not null)
        {
            builder.WithActors((system, registry) =>
            {
                var supervisor = registry.Get<DeliverySupervisor>();
                var reporter = system.ActorOf(EdgeAckReporter.Props(edge.Datacenter, ServedVersionsOf(edge.Table), supervisor, settings), "edge-ack-reporter");
                registry.Register<EdgeAckReporterKey>(reporter);
                system.ActorOf(ServingGate.Props(edge.Datacenter, edge.FrontEnd), "serving-gate");
                if (edge.Lease is { } lease)
                {
                    if (settings.Fence.Enabled)
                        system.ActorOf(Fencing.EdgeFence.Props(edge.Datacenter, supervisor, lease, settings.Fence, zonesRole: zones.Role), Fencing.EdgeFence.Name);
                    else
                        lease.ExtendTo(long.MaxValue); // fencing off: the lease never lapses
                }
                if (settings.Fault != FaultMode.None && edge.ServingCache is { } cache)
                    system.ActorOf(FaultInjector.Props(settings.Fault, settings.FaultDelay, zones.Topic, cache(registry)), "fault-injector");
            });
        }
        return builder;
    }

    /// <summary>A zone delta from the zone-changes topic, as the supervisor counts it.</summary>
    public static ZoneVersionPublished? ZoneChangeOf(object message) => message switch
    {
        ZoneDelta d => new ZoneVersionPublished(d.ZoneId, d.ToVersion, d.Event is ZoneEvents.ZoneDeleted, d.Event.At),
        // A change too large for one message is announced, not sent (the edges fetch it in chunks); it counts the same.
        ZoneDeltaTooLarge t => new ZoneVersionPublished(t.ZoneId, t.ToVersion, false, DateTimeOffset.UtcNow),
        _ => null,
    };

    /// <summary>
    /// <see cref="ServedVersions"/> for the ack reporter, read every ack interval: the same dictionary instance while
    /// the table did not change (the reporter then skips it), and zone names computed once per compiled zone.
    /// </summary>
    public static Func<IReadOnlyDictionary<ZoneId, long>> ServedVersionsOf(ZoneTable table)
    {
        IReadOnlyCollection<CompiledZone>? seen = null;
        IReadOnlyDictionary<ZoneId, long> last = new Dictionary<ZoneId, long>();
        var names = new Dictionary<CompiledZone, ZoneId>(ReferenceEqualityComparer.Instance);
        return () =>
        {
            var zones = table.Zones;
            if (ReferenceEquals(zones, seen)) return last;
            var served = new Dictionary<ZoneId, long>(zones.Count);
            var nextNames = new Dictionary<CompiledZone, ZoneId>(zones.Count, ReferenceEqualityComparer.Instance);
            foreach (var z in zones)
            {
                if (!names.TryGetValue(z, out var name)) name = ZoneId.From(z.Origin);
                nextNames[z] = name;
                served[name] = z.Version;
            }
            (seen, last, names) = (zones, served, nextNames);
            return served;
        };
    }

    /// <summary>Zone → version as the edge serves it now (keyed by <see cref="ZoneId"/>, like the deltas).</summary>
    public static IReadOnlyDictionary<ZoneId, long> ServedVersions(ZoneTable table) => ServedVersionsOf(table)();
}
