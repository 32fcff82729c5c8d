using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using Xunit.Abstractions;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>The journal database was deleted and recreated, and the zones restored from a backup: the zone starts a new
/// history at version 1 while the edge serves version 2 of the lost one. The edge keeps serving its version until the
/// zone holds content again, then takes that content whole (found by the incident drill: it was ignored as "older").</summary>
public sealed class EdgeLostHistorySpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    // A cluster node (the datacenter subscribes to pub-sub); probes stand in for the zone region and the catalog.
    public EdgeLostHistorySpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "edge-lost", output) { }

    private static readonly ZoneId Zone = ZoneId.Parse("lost.test.");

    private static IReadOnlyList<ResourceRecord> Content(string www) =>
        [Soa("lost.test.", 1), Ns("lost.test.", "ns1.lost.test."), A("ns1.lost.test.", "192.0.2.53"), A("www.lost.test.", www)];

    [Fact]
    public async Task A_zone_created_again_below_the_version_served_is_taken_whole_once_the_zone_says_so()
    {
        var region = CreateTestProbe();
        var catalog = CreateTestProbe();
        var table = new ZoneTable();
        var settings = DatacenterSettings.FromConfig(Sys.Settings.Config) with { ResyncInterval = TimeSpan.FromMinutes(5), SnapshotDirectory = null };
        var dc = Sys.ActorOf(DatacenterActor.PropsFor(settings, table, region.Ref, catalog.Ref));

        catalog.ExpectMsg<ListZones>(Timeout);
        catalog.Reply(new ZoneList([new CatalogEntry(Zone, 2, true)]));
        region.ExpectMsg<GetZoneChunked>(Timeout);
        region.Reply(new ZoneViewChunk(Zone, 2, 2, 0, 1, Content("192.0.2.2")));
        await AwaitAssertAsync(() => Assert.Equal(2, table.FindZone(N("www.lost.test."))?.Version), Timeout);

        // The journal is gone and recreated: the zone does not exist (version 0). Fail static: version 2 stays.
        dc.Tell(new ZoneNotFound(Zone, 0));
        var held = Assert.Single((await dc.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout)).Zones);
        Assert.Equal(2, held.Version);
        Assert.Contains("fail static", held.Problem);

        // The backup is imported: version 1 of a new history. Not patched onto version 2: fetched whole, then served.
        dc.Tell(new ZoneDelta(Zone, 0, 1, new ZoneEvents.ZoneCreated(Zone, 1, DateTimeOffset.UtcNow, "backup import", 1, Content("192.0.2.1"))));
        region.ExpectMsg<GetZoneChunked>(Timeout);
        Assert.Equal(2, table.FindZone(N("www.lost.test."))?.Version);
        region.Reply(new ZoneViewChunk(Zone, 1, 1, 0, 1, Content("192.0.2.1")));
        await AwaitAssertAsync(() => Assert.Equal(1, table.FindZone(N("www.lost.test."))?.Version), Timeout);
        held = Assert.Single((await dc.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout)).Zones);
        Assert.Null(held.Problem);

        // From there the new history's deltas apply as usual.
        dc.Tell(new ZoneDelta(Zone, 1, 2, new ZoneEvents.ZoneReplaced(Zone, 2, DateTimeOffset.UtcNow, "admin", 2, Content("192.0.2.3"))));
        await AwaitAssertAsync(() => Assert.Equal(2, table.FindZone(N("www.lost.test."))?.Version), Timeout);
    }

    [Fact]
    public async Task A_zone_that_reports_a_version_below_the_one_served_is_fetched_whole_and_taken()
    {
        var region = CreateTestProbe();
        var catalog = CreateTestProbe();
        var table = new ZoneTable();
        var settings = DatacenterSettings.FromConfig(Sys.Settings.Config) with { ResyncInterval = TimeSpan.FromMinutes(5), SnapshotDirectory = null };
        var dc = Sys.ActorOf(DatacenterActor.PropsFor(settings, table, region.Ref, catalog.Ref));
        catalog.ExpectMsg<ListZones>(Timeout);
        catalog.Reply(new ZoneList([new CatalogEntry(Zone, 5, true)]));
        region.ExpectMsg<GetZoneChunked>(Timeout);
        region.Reply(new ZoneViewChunk(Zone, 5, 5, 0, 1, Content("192.0.2.5")));
        await AwaitAssertAsync(() => Assert.Equal(5, table.FindZone(N("www.lost.test."))?.Version), Timeout);

        // The imported zone (version 1) announces itself: the edge asks for the changes since 5, and learns the zone is behind.
        dc.Tell(new ZoneDelta(Zone, 0, 1, new ZoneEvents.ZoneCreated(Zone, 1, DateTimeOffset.UtcNow, "backup import", 1, Content("192.0.2.1"))));
        Assert.Equal(5, region.ExpectMsg<GetChangesSince>(Timeout).FromVersion);
        region.Reply(new ZoneChanges(Zone, 1, 1, []));
        region.ExpectMsg<GetZoneChunked>(Timeout);
        region.Reply(new ZoneViewChunk(Zone, 1, 1, 0, 1, Content("192.0.2.1")));
        await AwaitAssertAsync(() => Assert.Equal(1, table.FindZone(N("www.lost.test."))?.Version), Timeout);
    }
}
