using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using AkkaDns.Actors.Chunking;
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
    private readonly IActorRef _dnssecWatch;
    private ImmutableSortedDictionary<ZoneId, CatalogEntry> _entries = ImmutableSortedDictionary<ZoneId, CatalogEntry>.Empty;
    /// <summary>The newest version each zone reported since this incarnation started (memory only: a version per
    /// change is not worth a journal write; after a restart the datacenters do one full sweep instead).</summary>
    private readonly Dictionary<ZoneId, long> _latest = new();
    /// <summary>The lineage of each <see cref="_latest"/> version, from the zones' reports (memory only, like it).</summary>
    private readonly Dictionary<ZoneId, string> _lineages = new();
    /// <summary>Registrations written but not yet confirmed by the journal.</summary>
    private readonly Dictionary<ZoneId, CatalogEntry> _storing = new();
    private readonly string _incarnation = Guid.NewGuid().ToString("N");

    private readonly int _chunkSize = ChunkingSettings.From(Context.System.Settings.Config).ChunkSize;

    public ZoneCatalog(ZoneSettings settings)
    {
        _settings = settings;
        _fleetGuard = Context.ActorOf(FleetGuard.PropsFor(settings.Guard), "fleet-guard");
        _dnssecWatch = Context.ActorOf(DnssecWatch.PropsFor(settings, settings.DnssecWatchInterval), "dnssec-watch");
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is CatalogSnapshot s)
                _entries = s.Entries.ToImmutableSortedDictionary(e => e.ZoneId, e => e);
        });
        Recover<CatalogEntryChanged>(e => _entries = _entries.SetItem(e.Entry.ZoneId, e.Entry));
        Recover<RecoveryCompleted>(_ => _dnssecWatch.Tell(new DnssecWatch.PokeAll([.. _entries.Values.Where(e => e.Exists).Select(e => e.ZoneId)])));

        Command<RegisterZone>(r =>
        {
            // A registration may be a late retry: it never moves the reported version back.
            _latest[r.ZoneId] = Math.Max(r.Version, _latest.GetValueOrDefault(r.ZoneId, -1));
            var known = _entries.GetValueOrDefault(r.ZoneId);
            // Store only a change of existence at a newer version: re-registrations after recovery, retries and
            // stale (reordered) registrations are acked without a write.
            if (known is not null && (known.Version >= r.Version || known.Exists == r.Exists))
            {
                Sender.Tell(new ZoneRegistered(r.ZoneId, Math.Max(known.Version, r.Version)));
                return;
            }
            // Already being stored (a retry while the write is in flight): that write's ack answers it.
            if (_storing.TryGetValue(r.ZoneId, out var storing) && (storing.Version >= r.Version || storing.Exists == r.Exists)) return;
            var entry = new CatalogEntry(r.ZoneId, r.Version, r.Exists);
            _storing[r.ZoneId] = entry;
            var replyTo = Sender;
            // PersistAsync: commands are not stashed while the write is in flight, and the journal batches the writes
            // of many registrations. With Persist, 10,000 zones created in a minute queued their registrations (and
            // their retries every catalog-retry) for half a minute more, and everything else the catalog answers,
            // the fleet guard's held restores and the edges' listings included, waited behind them.
            PersistAsync(new CatalogEntryChanged(entry), e =>
            {
                if (_storing.TryGetValue(e.Entry.ZoneId, out var s) && s == e.Entry) _storing.Remove(e.Entry.ZoneId);
                if (_entries.GetValueOrDefault(e.Entry.ZoneId) is not { } had || had.Version < e.Entry.Version)
                    _entries = _entries.SetItem(e.Entry.ZoneId, e.Entry);
                replyTo.Tell(new ZoneRegistered(e.Entry.ZoneId, e.Entry.Version));
                if (LastSequenceNr % _settings.SnapshotEvery == 0) SaveSnapshot(new CatalogSnapshot([.. _entries.Values]));
            });
        });
        // The zone's own report is the truth, lower or not (a zone recreated after its journal was lost starts again at 1).
        Command<ZoneVersionReport>(r =>
        {
            _latest[r.ZoneId] = r.Version;
            _lineages[r.ZoneId] = r.Lineage;
        });
        Command<IFleetGuardMessage>(m => _fleetGuard.Forward(m));
        Command<DnssecWatchProtocol.IDnssecWatchMessage>(m => _dnssecWatch.Forward(m));
        // Thousands of zones make a list larger than one frame: it goes in chunks then (ChunkedReply.Ask, or the
        // datacenter's chunk inbox, put it together again).
        Command<ListZones>(_ => ChunkedTransport.Tell(Context.System, Sender, List(), Self, _chunkSize));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => PersistenceIdValue;

    private ZoneList List()
    {
        // Registrations still being written count already: an edge listing now must not miss a zone that exists in
        // its zone actor (with Persist, a listing waited for them; with PersistAsync it does not).
        var zones = (_storing.Count == 0 ? _entries : _entries.SetItems(_storing)).Values.Where(e => e.Exists).ToList();
        return new ZoneList(zones)
        {
            Latest = zones.Select(e => _latest.TryGetValue(e.ZoneId, out var v) ? v : -1L).ToList(),
            Lineages = zones.Select(e => _lineages.GetValueOrDefault(e.ZoneId)).ToList(),
            Incarnation = _incarnation,
        };
    }

    public static Props PropsFor(ZoneSettings settings) => Props.Create(() => new ZoneCatalog(settings));
}
