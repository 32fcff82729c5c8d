using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>Resync against the catalog, without an actor: what a listing makes the edge ask, on a given clock.</summary>
public sealed class ResyncPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResyncPlanner Fresh = new(fullResyncInterval: TimeSpan.FromMinutes(10), recheckDelay: TimeSpan.FromSeconds(5));

    private static ZoneId Z(int i) => ZoneId.Parse($"z{i}.resync.test.");

    private static ZoneList List(string incarnation, params (int Zone, long Latest)[] zones) =>
        new(zones.Select(z => new CatalogEntry(Z(z.Zone), 1, true)).ToList()) { Latest = zones.Select(z => z.Latest).ToList(), Incarnation = incarnation };

    private static Dictionary<ZoneId, ServedZone> Served(params (int Zone, long Version)[] zones) =>
        zones.ToDictionary(z => Z(z.Zone), z => new ServedZone(ZoneState.Empty(Z(z.Zone)) with { Exists = true, Version = z.Version }, null));

    /// <summary>A planner past its first listing (incarnation "one", next full sweep ten minutes after T0).</summary>
    private static ResyncPlanner Listed(Dictionary<ZoneId, ServedZone> served)
    {
        var (p, _) = Fresh.Listed(List("one", served.Keys.Select(k => (int.Parse(k.Value[1..k.Value.IndexOf('.')]), 1L)).ToArray()), served, EdgeSyncState.Empty, T0);
        return p;
    }

    [Fact]
    public void The_first_listing_fetches_every_zone_not_served_whole_and_sweeps_those_served()
    {
        var served = Served((0, 1));
        var (p, plan) = Fresh.Listed(List("one", (0, 1), (1, 1), (2, 1)), served, EdgeSyncState.Empty, T0);
        Assert.True(plan.First);
        Assert.False(plan.LoadedNow);
        Assert.Equal([new FetchRequest(Z(0), false, Urgent: false), new FetchRequest(Z(1), true), new FetchRequest(Z(2), true)],
            plan.Fetches.OrderBy(f => f.ZoneId));
        Assert.Empty(plan.Recheck);
        Assert.False(p.Loaded);
        Assert.Equal(T0.AddMinutes(10), p.NextFullSweep);

        // The start-up load completes when every zone of the first listing has arrived (content or "not found").
        (p, var loaded) = p.Arrived(Z(1));
        Assert.False(loaded);
        (p, loaded) = p.Arrived(Z(0)); // was served already: not awaited
        Assert.False(loaded);
        (p, loaded) = p.Arrived(Z(2));
        Assert.True(loaded);
        Assert.True(p.Loaded);
        Assert.False(p.Arrived(Z(2)).LoadedNow);
    }

    [Fact]
    public void A_first_listing_of_zones_all_served_already_is_the_whole_start_up_load()
    {
        var (p, plan) = Fresh.Listed(List("one", (0, 1)), Served((0, 1)), EdgeSyncState.Empty, T0);
        Assert.True(plan.LoadedNow);
        Assert.True(p.Loaded);
        Assert.False(Fresh.Loaded);
    }

    [Fact]
    public void Between_sweeps_only_zones_whose_latest_version_differs_are_asked_those_ahead_a_moment_later()
    {
        var served = Served((0, 1), (1, 1), (2, 5), (3, 1));
        var p = Listed(served);
        var (_, plan) = p.Listed(List("one", (0, 1), (1, 2), (2, 3), (3, -1), (4, 1)), served, EdgeSyncState.Empty, T0.AddSeconds(30));
        Assert.False(plan.First);
        Assert.Equal([new FetchRequest(Z(2), false)], plan.Fetches); // its history went back: ask now
        Assert.Equal([new ListedAhead(Z(1), 2, WasHeld: true), new ListedAhead(Z(4), 1, WasHeld: false)], plan.Recheck);

        // A moment later: zone 1's delta came meanwhile, zone 4 is still not served.
        served[Z(1)] = served[Z(1)] with { State = served[Z(1)].State with { Version = 2 } };
        Assert.Equal([new FetchRequest(Z(4), true)], ResyncPlanner.Recheck(plan.Recheck, served));
        served.Remove(Z(1)); // deleted meanwhile: asking costs a "not found"
        Assert.Contains(new FetchRequest(Z(1), true), ResyncPlanner.Recheck(plan.Recheck, served));
    }

    [Fact]
    public void A_restarted_catalog_makes_the_next_listing_a_full_sweep()
    {
        var served = Served((0, 1), (1, 1));
        var (_, plan) = Listed(served).Listed(List("two", (0, -1), (1, -1)), served, EdgeSyncState.Empty, T0.AddSeconds(30));
        Assert.Equal([new FetchRequest(Z(0), false, Urgent: false), new FetchRequest(Z(1), false, Urgent: false)], plan.Fetches);
        Assert.Empty(plan.Recheck);
    }

    [Fact]
    public void Every_full_resync_interval_the_listing_is_a_full_sweep()
    {
        var served = Served((0, 1));
        var p = Listed(served);
        (p, var plan) = p.Listed(List("one", (0, 1)), served, EdgeSyncState.Empty, T0.AddMinutes(9));
        Assert.Empty(plan.Fetches);
        (p, plan) = p.Listed(List("one", (0, 1)), served, EdgeSyncState.Empty, T0.AddMinutes(10));
        Assert.Equal([new FetchRequest(Z(0), false, Urgent: false)], plan.Fetches);
        Assert.Equal(T0.AddMinutes(20), p.NextFullSweep);
    }

    [Fact]
    public void A_listing_without_versions_is_a_full_sweep()
    {
        var served = Served((0, 1));
        var list = new ZoneList([new CatalogEntry(Z(0), 1, true)]) { Incarnation = "one" };
        var (_, plan) = Listed(served).Listed(list, served, EdgeSyncState.Empty, T0.AddSeconds(30));
        Assert.Equal([new FetchRequest(Z(0), false, Urgent: false)], plan.Fetches);
    }

    [Fact]
    public void A_zone_served_but_not_listed_is_asked_whole_only_the_zone_may_say_it_was_deleted()
    {
        var served = Served((0, 1), (1, 1));
        var (_, plan) = Listed(served).Listed(List("one", (0, 1)), served, EdgeSyncState.Empty, T0.AddSeconds(30));
        Assert.Equal([new FetchRequest(Z(1), true)], plan.Fetches);
    }

    [Fact]
    public void A_zone_whose_history_was_lost_is_always_asked_whole()
    {
        var served = Served((0, 5));
        var (lost, _) = EdgeSyncState.Empty.NotFound(new ZoneNotFound(Z(0), 0), served[Z(0)]);
        var (_, plan) = Listed(served).Listed(List("one", (0, 5)), served, lost, T0.AddSeconds(30));
        Assert.Equal([new FetchRequest(Z(0), true)], plan.Fetches);
    }

    [Fact]
    public void The_recheck_delay_is_the_request_timeout_at_most_half_the_resync_interval()
    {
        var s = new DatacenterSettings { RequestTimeout = TimeSpan.FromSeconds(5), ResyncInterval = TimeSpan.FromSeconds(30) };
        Assert.Equal(TimeSpan.FromSeconds(5), ResyncPlanner.For(s).RecheckDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), ResyncPlanner.For(s with { ResyncInterval = TimeSpan.FromSeconds(4) }).RecheckDelay);
    }
}
