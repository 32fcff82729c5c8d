using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Persistence;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The list of all zones: a persistent cluster singleton on the zones role, told by each zone actor when the zone is
/// created or deleted (at least once: the zone actor retries until acked).
/// <para>Why an actor rather than Akka.Persistence.Query's CurrentPersistenceIds: the list is needed by every
/// datacenter at start-up, and edge nodes in other datacenters should not need a connection to the journal
/// database; persistence ids also include deleted zones and other actors' streams, and listing them scans the
/// journal. The catalog answers from memory, over the cluster, with only the zones that exist.</para>
/// <para>It also carries the <see cref="FleetGuard"/> as a child (fleet-wide window, held fleet restores, held-change
/// count): one singleton that every zone actor and every node already knows, so the guard needs no wiring of its own.</para>
/// </summary>
public sealed class ZoneCatalog : ReceivePersistentActor
{
    public const string PersistenceIdValue = "zone-catalog";

    private readonly ZoneSettings _settings;
    private readonly IActorRef _fleetGuard;
    private ImmutableSortedDictionary<ZoneId, CatalogEntry> _entries = ImmutableSortedDictionary<ZoneId, CatalogEntry>.Empty;

    private readonly int _chunkSize = AkkaDns.Actors.Propagation.PropagationSettings.From(Context.System.Settings.Config).ChunkSize;

    public ZoneCatalog(ZoneSettings settings)
    {
        _settings = settings;
        _fleetGuard = Context.ActorOf(FleetGuard.PropsFor(settings.Guard), "fleet-guard");
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is CatalogSnapshot s)
                _entries = s.Entries.ToImmutableSortedDictionary(e => e.ZoneId, e => e);
        });
        Recover<CatalogEntryChanged>(e => _entries = _entries.SetItem(e.Entry.ZoneId, e.Entry));

        Command<RegisterZone>(r =>
        {
            var known = _entries.GetValueOrDefault(r.ZoneId);
            // Store only a change of existence at a newer version: re-registrations after recovery, retries and
            // stale (reordered) registrations are acked without a write.
            if (known is not null && (known.Version >= r.Version || known.Exists == r.Exists))
            {
                Sender.Tell(new ZoneRegistered(r.ZoneId, Math.Max(known.Version, r.Version)));
                return;
            }
            var replyTo = Sender;
            Persist(new CatalogEntryChanged(new CatalogEntry(r.ZoneId, r.Version, r.Exists)), e =>
            {
                _entries = _entries.SetItem(e.Entry.ZoneId, e.Entry);
                replyTo.Tell(new ZoneRegistered(r.ZoneId, r.Version));
                if (LastSequenceNr % _settings.SnapshotEvery == 0) SaveSnapshot(new CatalogSnapshot([.. _entries.Values]));
            });
        });
        Command<IFleetGuardMessage>(m => _fleetGuard.Forward(m));
        // Thousands of zones make a list larger than one frame: it goes in chunks then (ChunkedReply.Ask, or the
        // datacenter's chunk inbox, put it together again).
        Command<ListZones>(_ => AkkaDns.Actors.Propagation.Chunking.ChunkedTransport.Tell(Context.System, Sender,
            new ZoneList([.. _entries.Values.Where(e => e.Exists)]), Self, _chunkSize));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => PersistenceIdValue;

    public static Props PropsFor(ZoneSettings settings) => Props.Create(() => new ZoneCatalog(settings));

    /// <summary>Without Akka.Hosting: starts the singleton manager (on zones nodes) and returns a proxy to it.</summary>
    public static IActorRef StartSingleton(ActorSystem system, ZoneSettings settings, bool hostHere = true)
    {
        if (hostHere)
            system.ActorOf(ClusterSingletonManager.Props(PropsFor(settings), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(settings.Role).WithSingletonName(ZoneSettings.CatalogName)),
                ZoneSettings.CatalogName);
        return system.ActorOf(ClusterSingletonProxy.Props($"/user/{ZoneSettings.CatalogName}",
            ClusterSingletonProxySettings.Create(system).WithRole(settings.Role).WithSingletonName(ZoneSettings.CatalogName)),
            ZoneSettings.CatalogName + "-proxy");
    }
}
