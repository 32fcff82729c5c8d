using Akka.Actor;
using Akka.TestKit;
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

/// <summary>
/// How an edge reconciles with the zones at 10,000 zones without flooding them (issue 5's restore benchmark): the
/// catalog's list carries each zone's latest version, so a resync asks only the zones that moved; a full sweep at start,
/// when the catalog restarted, and at the full-resync interval; at most N asks in flight. Probes stand in for the zone
/// region and the catalog, so every ask the edge makes is seen.
/// </summary>
public sealed class DatacenterResyncSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);
    private readonly ZoneTable _table = new();
    private readonly TestProbe _region;
    private readonly TestProbe _catalog;

    public DatacenterResyncSpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "edge-resync", output)
    {
        _region = CreateTestProbe();
        _catalog = CreateTestProbe();
    }

    private static ZoneId Zone(int i) => ZoneId.Parse($"z{i}.resync.test.");

    private static IReadOnlyList<ResourceRecord> Content(int i, int www) =>
    [
        Soa(Zone(i).Value, (uint)www), Ns(Zone(i).Value, "ns1." + Zone(i).Value), A("ns1." + Zone(i).Value, "192.0.2.53"),
        A("www." + Zone(i).Value, $"192.0.2.{www}"),
    ];

    private static ZoneList List(IEnumerable<(int Zone, long Latest)> zones, string incarnation)
    {
        var z = zones.ToList();
        return new ZoneList(z.Select(x => new CatalogEntry(Zone(x.Zone), 1, true)).ToList())
        { Latest = z.Select(x => x.Latest).ToList(), Incarnation = incarnation };
    }

    private IActorRef Start(DatacenterSettings settings) =>
        Sys.ActorOf(DatacenterActor.PropsFor(settings with { SnapshotDirectory = null }, _table, _region.Ref, _catalog.Ref));

    private DatacenterSettings Settings => DatacenterSettings.FromConfig(Sys.Settings.Config);

    /// <summary>Answers the first listing's fetches: every zone at version 1.</summary>
    private async Task LoadAtVersion1(int zones)
    {
        for (int k = 0; k < zones; k++)
        {
            var ask = _region.ExpectMsg<GetZoneChunked>(Timeout);
            var i = int.Parse(ask.ZoneId.Value[1..ask.ZoneId.Value.IndexOf('.')]);
            _region.Reply(new ZoneViewChunk(ask.ZoneId, 1, 1, 0, 1, Content(i, 1)));
        }
        await AwaitAssertAsync(() => Assert.All(Enumerable.Range(0, zones), i => Assert.Equal(1, _table.FindZone(N("www." + Zone(i).Value))?.Version)), Timeout);
    }

    [Fact]
    public async Task A_resync_asks_only_the_zones_whose_latest_version_differs_from_the_one_served()
    {
        var dc = Start(Settings with { ResyncInterval = TimeSpan.FromSeconds(1), FullResyncInterval = TimeSpan.FromHours(1), RequestTimeout = TimeSpan.FromSeconds(30) });
        _catalog.ExpectMsg<ListZones>(Timeout);
        _catalog.Reply(List(Enumerable.Range(0, 5).Select(i => (i, 1L)), "one"));
        await LoadAtVersion1(5);

        // Zones 3 and 4 moved to version 2: zone 4's delta arrives just after the listing, zone 3's was lost. The others
        // did not move. Only zone 3 is asked, a moment after the listing.
        _catalog.ExpectMsg<ListZones>(Timeout);
        _catalog.Reply(List(Enumerable.Range(0, 5).Select(i => (i, i >= 3 ? 2L : 1L)), "one"));
        dc.Tell(new ZoneDelta(Zone(4), 1, 2, new ZoneEvents.ZoneReplaced(Zone(4), 2, DateTimeOffset.UtcNow, "admin", 2, Content(4, 2))));
        var ask = _region.ExpectMsg<GetChangesSince>(Timeout);
        Assert.Equal((Zone(3), 1L), (ask.ZoneId, ask.FromVersion));
        _region.ExpectNoMsg(Quiet);
        dc.Tell(new ZoneChanges(Zone(3), 1, 2, [new ZoneEvents.ZoneReplaced(Zone(3), 2, DateTimeOffset.UtcNow, "admin", 2, Content(3, 2))]));
        await AwaitAssertAsync(() => Assert.Equal(2, _table.FindZone(N("www." + Zone(3).Value))?.Version), Timeout);

        // Unknown versions (-1: the catalog has not heard from the zone) are left to the full sweep.
        _catalog.ExpectMsg<ListZones>(Timeout);
        _catalog.Reply(List(Enumerable.Range(0, 5).Select(i => (i, i == 3 ? 2L : -1L)), "one"));
        _region.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_restarted_catalog_makes_the_next_resync_a_full_sweep()
    {
        Start(Settings with { ResyncInterval = TimeSpan.FromSeconds(1), FullResyncInterval = TimeSpan.FromHours(1), RequestTimeout = TimeSpan.FromSeconds(30) });
        _catalog.ExpectMsg<ListZones>(Timeout);
        _catalog.Reply(List(Enumerable.Range(0, 3).Select(i => (i, 1L)), "one"));
        await LoadAtVersion1(3);

        _catalog.ExpectMsg<ListZones>(Timeout);
        _catalog.Reply(List(Enumerable.Range(0, 3).Select(i => (i, -1L)), "two")); // a new incarnation: versions unknown
        var asked = Enumerable.Range(0, 3).Select(_ => _region.ExpectMsg<GetChangesSince>(Timeout).ZoneId).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 3).Select(Zone).ToHashSet(), asked);
    }

    [Fact]
    public async Task At_most_the_configured_number_of_asks_are_in_flight_and_an_unanswered_one_is_asked_again()
    {
        var dc = Start(Settings with { MaxConcurrentRequests = 2, RequestTimeout = TimeSpan.FromSeconds(2), ResyncInterval = TimeSpan.FromMinutes(5) });
        _catalog.ExpectMsg<ListZones>(Timeout);
        _catalog.Reply(List(Enumerable.Range(0, 3).Select(i => (i, 1L)), "one"));

        var first = _region.ExpectMsg<GetZoneChunked>(Timeout);
        var second = _region.ExpectMsg<GetZoneChunked>(Timeout);
        _region.ExpectNoMsg(Quiet); // two in flight, one queued

        // One answer frees one slot: exactly one more ask.
        _region.Send(dc, new ZoneViewChunk(first.ZoneId, 1, 1, 0, 1, Content(int.Parse(first.ZoneId.Value[1..first.ZoneId.Value.IndexOf('.')]), 1)));
        var third = _region.ExpectMsg<GetZoneChunked>(Timeout);
        Assert.DoesNotContain(third.ZoneId, new[] { first.ZoneId, second.ZoneId });
        _region.ExpectNoMsg(Quiet);

        // Never answered: after the request timeout both are asked again, still two at a time.
        var again = new[] { _region.ExpectMsg<GetZoneChunked>(Timeout).ZoneId, _region.ExpectMsg<GetZoneChunked>(Timeout).ZoneId }.ToHashSet();
        Assert.Equal(new[] { second.ZoneId, third.ZoneId }.ToHashSet(), again);
    }

    [Fact]
    public async Task A_delta_dropped_while_a_catch_up_was_in_flight_is_fetched_once_the_reply_comes()
    {
        var dc = Start(Settings with { ResyncInterval = TimeSpan.FromMinutes(5) });
        _catalog.ExpectMsg<ListZones>(Timeout);
        _catalog.Reply(List([(0, 1L)], "one"));
        await LoadAtVersion1(1);

        // A catch-up is in flight (a lost-delta check) when the delta 1 -> 2 arrives: it waits for the reply.
        dc.Tell(new ZoneDelta(Zone(0), 5, 6, new ZoneEvents.ZoneReplaced(Zone(0), 6, DateTimeOffset.UtcNow, "admin", 6, Content(0, 6))));
        var gap = _region.ExpectMsg<GetChangesSince>(Timeout); // 1 -> 6 is a gap: ask for the range
        dc.Tell(new ZoneDelta(Zone(0), 6, 7, new ZoneEvents.ZoneReplaced(Zone(0), 7, DateTimeOffset.UtcNow, "admin", 7, Content(0, 7))));
        _region.ExpectNoMsg(Quiet); // one ask per zone in flight
        // The reply was computed before versions 2..7 existed: nothing new. The edge asks again after the announced version.
        dc.Tell(new ZoneChanges(Zone(0), gap.FromVersion, 1, []));
        Assert.Equal(1, _region.ExpectMsg<GetChangesSince>(Timeout).FromVersion);
    }
}
