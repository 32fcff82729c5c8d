using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using Xunit.Abstractions;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>The catalog alone (no cluster needed): idempotent, ordered by version, persisted.</summary>
public sealed class ZoneCatalogSpecs : JournalSpec
{
    public ZoneCatalogSpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "catalog", output, joinCluster: false) { }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly ZoneId A = ZoneId.Parse("a.example.");

    [Fact]
    public async Task Registrations_are_idempotent_and_a_stale_one_never_resurrects_a_deleted_zone()
    {
        var catalog = Sys.ActorOf(ZoneCatalog.PropsFor(new ZoneSettings()));
        Assert.Equal(1, (await catalog.Ask<ZoneRegistered>(new RegisterZone(A, 1, true), Timeout)).Version);
        await catalog.Ask<ZoneRegistered>(new RegisterZone(A, 1, true), Timeout);          // retry: no second write
        await catalog.Ask<ZoneRegistered>(new RegisterZone(A, 3, false), Timeout);         // deleted at 3
        await catalog.Ask<ZoneRegistered>(new RegisterZone(A, 1, true), Timeout);          // late retry of the creation
        Assert.Empty((await catalog.Ask<ZoneList>(ListZones.Instance, Timeout)).Zones);

        await catalog.Ask<ZoneRegistered>(new RegisterZone(A, 4, true), Timeout);          // re-created at 4
        var list = await catalog.Ask<ZoneList>(ListZones.Instance, Timeout);
        Assert.Equal([(A, 4L)], list.Zones.Select(z => (z.ZoneId, z.Version)));
        var writes = Journal.Query("SELECT COUNT(*) FROM journal WHERE persistence_id = 'zone-catalog'");
        Assert.Equal(3L, Convert.ToInt64(writes[0][0]));

        // A new incarnation recovers the same list.
        Watch(catalog); // the next incarnation starts once this one has stopped (one writer per persistence id)
        Sys.Stop(catalog);
        ExpectTerminated(catalog, Timeout);
        var again = Sys.ActorOf(ZoneCatalog.PropsFor(new ZoneSettings()));
        Assert.Equal([(A, 4L)], (await again.Ask<ZoneList>(ListZones.Instance, Timeout)).Zones.Select(z => (z.ZoneId, z.Version)));
    }

    [Fact]
    public async Task A_flood_of_registrations_and_their_retries_is_stored_once_each_and_every_one_is_acked()
    {
        var catalog = Sys.ActorOf(ZoneCatalog.PropsFor(new ZoneSettings()));
        var zones = Enumerable.Range(0, 500).Select(i => ZoneId.Parse($"flood-{i}.example.")).ToList();
        foreach (var z in zones) catalog.Tell(new RegisterZone(z, 1, true));
        foreach (var z in zones) catalog.Tell(new RegisterZone(z, 1, true)); // the zone actors' retries
        var acked = new HashSet<ZoneId>();
        while (acked.Count < zones.Count) acked.Add(ExpectMsg<ZoneRegistered>(Timeout).ZoneId);

        Assert.Equal(zones.Count, (await catalog.Ask<ZoneList>(ListZones.Instance, Timeout)).Zones.Count);
        var writes = Journal.Query("SELECT COUNT(*) FROM journal WHERE persistence_id = 'zone-catalog'");
        Assert.Equal(500L, Convert.ToInt64(writes[0][0]));
    }

    [Fact]
    public async Task The_list_carries_the_latest_version_each_zone_reported_and_the_catalog_incarnation()
    {
        var b = ZoneId.Parse("b.example.");
        var catalog = Sys.ActorOf(ZoneCatalog.PropsFor(new ZoneSettings()));
        await catalog.Ask<ZoneRegistered>(new RegisterZone(A, 1, true), Timeout);
        await catalog.Ask<ZoneRegistered>(new RegisterZone(b, 1, true), Timeout);
        catalog.Tell(new ZoneVersionReport(A, 5));
        await catalog.Ask<ZoneRegistered>(new RegisterZone(A, 1, true), Timeout); // a late retry never moves it back
        var list = await catalog.Ask<ZoneList>(ListZones.Instance, Timeout);
        Assert.Equal([(A, 5L), (b, 1L)], list.Zones.Select((z, i) => (z.ZoneId, list.Latest![i])));
        Assert.NotEmpty(list.Incarnation);

        // A zone's own report is the truth, even lower (its journal was lost and it started again).
        catalog.Tell(new ZoneVersionReport(A, 1));
        list = await catalog.Ask<ZoneList>(ListZones.Instance, Timeout);
        Assert.Equal(1L, list.Latest![0]);

        // Versions live in memory: a new incarnation knows only the persisted registrations, and says so.
        Watch(catalog); // the next incarnation starts once this one has stopped (one writer per persistence id)
        Sys.Stop(catalog);
        ExpectTerminated(catalog, Timeout);
        var again = await Sys.ActorOf(ZoneCatalog.PropsFor(new ZoneSettings())).Ask<ZoneList>(ListZones.Instance, Timeout);
        Assert.Equal([-1L, -1L], again.Latest);
        Assert.NotEqual(list.Incarnation, again.Incarnation);
    }
}
