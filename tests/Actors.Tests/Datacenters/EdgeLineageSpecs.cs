using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using Xunit.Abstractions;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>One history per zone, on a real DatacenterActor (probes stand in for the zone region and the catalog): a
/// zone rebuilt in a new lineage is never patched onto the old one's content; it is taken whole, even at a lower
/// version, the IXFR history starts again, and the local copy keeps the new lineage.</summary>
public sealed class EdgeLineageSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly ZoneId Zone = ZoneId.Parse("lineage.test.");
    private const string Old = "00000000000000aa";
    private const string New = "00000000000000bb";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"akkadns-edge-lineage-{Guid.NewGuid():N}");

    public EdgeLineageSpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "edge-lineage", output) { }

    /// <summary>The local copy goes after the actor system and the journal.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>What the zone transfers are told: whether each new version came with a difference (IXFR) or not.</summary>
    private sealed class Transfers : IServedZoneObserver
    {
        public ConcurrentQueue<(uint Serial, bool HasDiff)> Seen { get; } = new();
        public void Serving(DnsName origin, uint serial, ServedDiff? diff) => Seen.Enqueue((serial, diff is not null));
        public void Served(DnsName origin, uint serial, bool changed) { }
        public void Removed(DnsName origin) { }
    }

    private static IReadOnlyList<ResourceRecord> Content(uint serial, string www) =>
        [Soa("lineage.test.", serial), Ns("lineage.test.", "ns1.lineage.test."), A("ns1.lineage.test.", "192.0.2.53"), A("www.lineage.test.", www)];

    private static ZoneViewChunk Whole(long version, string lineage, string www) =>
        new(Zone, version, (uint)version, 0, 1, Content((uint)version, www)) { Lineage = lineage };

    private static ZoneList Listing(long latest, string lineage) =>
        new([new CatalogEntry(Zone, 1, true)]) { Latest = [latest], Lineages = [lineage], Incarnation = "one" };

    private (IActorRef Dc, Akka.TestKit.TestProbe Region, Akka.TestKit.TestProbe Catalog, ZoneTable Table, Transfers Transfers) Start()
    {
        var region = CreateTestProbe();
        var catalog = CreateTestProbe();
        var table = new ZoneTable();
        var transfers = new Transfers();
        var settings = DatacenterSettings.FromConfig(Sys.Settings.Config) with { ResyncInterval = TimeSpan.FromMinutes(5), SnapshotDirectory = _dir };
        var dc = Sys.ActorOf(DatacenterActor.PropsFor(settings, table, region.Ref, catalog.Ref, transfers));
        return (dc, region, catalog, table, transfers);
    }

    [Fact]
    public async Task A_delta_of_a_new_lineage_is_not_patched_on_the_old_content_the_new_lineage_is_taken_whole_even_lower()
    {
        var (dc, region, catalog, table, transfers) = Start();
        catalog.ExpectMsg<ListZones>(Timeout);
        catalog.Reply(Listing(5, Old));
        region.ExpectMsg<GetZoneChunked>(Timeout);
        region.Reply(Whole(5, Old, "192.0.2.5"));
        await AwaitAssertAsync(() => Assert.Equal(5, table.FindZone(N("www.lineage.test."))?.Version), Timeout);

        // The zone was rebuilt after its history was lost, and its new history is at 2: by versions alone its 1 -> 2
        // is "older" and ignored. Another lineage: it is not applied on top of the old content, the zone is asked whole.
        var change = new ZoneEvents.RRsetsChanged(Zone, 2, DateTimeOffset.UtcNow, "admin", 2, [ReplaceA("www.lineage.test.", "192.0.2.2")]);
        dc.Tell(ZoneDelta.Of(change, New));
        region.ExpectMsg<GetZoneChunked>(Timeout);
        Assert.Equal(5, table.FindZone(N("www.lineage.test."))?.Version); // still the old content, unpatched

        // The zone answers with the new lineage, lower than the version held: taken whole, the IXFR history starts again.
        region.Reply(Whole(2, New, "192.0.2.2"));
        await AwaitAssertAsync(() => Assert.Equal(2, table.FindZone(N("www.lineage.test."))?.Version), Timeout);
        Assert.Equal((2u, false), transfers.Seen.Last());

        // From there the new lineage's deltas apply as usual (with a difference for IXFR).
        var next = new ZoneEvents.RRsetsChanged(Zone, 3, DateTimeOffset.UtcNow, "admin", 3, [ReplaceA("www.lineage.test.", "192.0.2.3")]);
        dc.Tell(ZoneDelta.Of(next, New));
        await AwaitAssertAsync(() => Assert.Equal(3, table.FindZone(N("www.lineage.test."))?.Version), Timeout);
        Assert.Equal((3u, true), transfers.Seen.Last());
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // The local copy keeps the new lineage, so a restart does not go back to comparing versions across histories.
        await dc.GracefulStop(Timeout);
        var copy = Assert.Single(new EdgeSnapshotStore(_dir).LoadAll(out var problems));
        Assert.Empty(problems);
        Assert.Equal((3L, New), (copy.Version, copy.Lineage));
    }

    [Fact]
    public async Task A_listing_of_another_lineage_fetches_the_zone_whole_and_a_deletion_in_it_removes_nothing()
    {
        var (dc, region, catalog, table, _) = Start();
        catalog.ExpectMsg<ListZones>(Timeout);
        catalog.Reply(Listing(5, Old));
        region.ExpectMsg<GetZoneChunked>(Timeout);
        region.Reply(Whole(5, Old, "192.0.2.5"));
        await AwaitAssertAsync(() => Assert.Equal(5, table.FindZone(N("www.lineage.test."))?.Version), Timeout);

        // The second listing (once this edge's subscription has spread) shows the zone in another lineage.
        catalog.ExpectMsg<ListZones>(Timeout);
        catalog.Reply(Listing(9, New));
        region.ExpectMsg<GetZoneChunked>(Timeout);

        // Meanwhile the new lineage deleted it: not a deletion newer than ours in our history. Fail static.
        region.Reply(new ZoneNotFound(Zone, 10) { Lineage = New });
        var held = Assert.Single((await dc.Ask<DatacenterProtocol.EdgeZones>(DatacenterProtocol.GetEdgeZones.Instance, Timeout)).Zones);
        Assert.Equal(5, held.Version);
        Assert.Contains("another history", held.Problem);
        Assert.Equal(5, table.FindZone(N("www.lineage.test."))?.Version);
    }
}
