using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using Xunit.Abstractions;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>The catalog alone (no cluster needed): idempotent, ordered by version, persisted.</summary>
public sealed class ZoneCatalogSpecs : TestKit
{
    private readonly SqliteTestJournal Journal;

    public ZoneCatalogSpecs(ITestOutputHelper output) : this(new SqliteTestJournal(), output) { }

    private ZoneCatalogSpecs(SqliteTestJournal journal, ITestOutputHelper output) : base(journal.ActorSystemConfig(), "catalog", output)
    {
        Journal = journal;
    }

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
        Sys.Stop(catalog);
        await Task.Delay(200);
        var again = Sys.ActorOf(ZoneCatalog.PropsFor(new ZoneSettings()));
        Assert.Equal([(A, 4L)], (await again.Ask<ZoneList>(ListZones.Instance, Timeout)).Zones.Select(z => (z.ZoneId, z.Version)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Journal.Dispose();
    }
}
