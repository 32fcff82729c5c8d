using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>How the edge follows a zone's versions, without an actor: what it does with each delta and reply.</summary>
public sealed class EdgeSyncStateTests
{
    private static readonly ZoneId Zone = ZoneId.Parse("example.com.");
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<ResourceRecord> Content(int www) =>
        [Soa("example.com.", (uint)www), Ns("example.com.", "ns1.example.com."), A("www.example.com.", $"192.0.2.{www}")];

    private static ServedZone ServedAt(long version, string? problem = null) =>
        new(new ZoneState { Id = Zone, Exists = true, Version = version, LastSerial = (uint)version, Records = [.. Content((int)version)] }, problem);

    private static IZoneEvent Replaced(long version) => new ZoneEvents.ZoneReplaced(Zone, version, T0, "admin", (uint)version, Content((int)version));

    private static ZoneDelta Delta(long version) => ZoneDelta.Of(Replaced(version));

    [Fact]
    public void The_next_delta_applies_on_top_of_the_version_served()
    {
        var held = ServedAt(3);
        var (_, step) = EdgeSyncState.Empty.Delta(Delta(4), held, inFlight: false);
        var apply = Assert.IsType<EdgeStep.Apply>(step);
        Assert.Same(held.State, apply.From);
        Assert.Equal([4L], apply.Events.Select(e => e.Version));
    }

    [Fact]
    public void A_gap_in_versions_fetches_the_changes_since_the_version_served()
    {
        var (_, step) = EdgeSyncState.Empty.Delta(Delta(6), ServedAt(3), inFlight: false);
        Assert.Equal(new EdgeStep.Fetch(Full: false), step);
    }

    [Fact]
    public void The_next_delta_waits_for_a_catch_up_in_flight()
    {
        var (_, step) = EdgeSyncState.Empty.Delta(Delta(4), ServedAt(3), inFlight: true);
        Assert.Equal(new EdgeStep.Fetch(Full: false), step); // merged into the ask in flight by the queue
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void A_duplicate_or_older_delta_is_ignored(long version)
    {
        var (_, step) = EdgeSyncState.Empty.Delta(Delta(version), ServedAt(3), inFlight: false);
        Assert.Same(EdgeStep.Ignore.Instance, step);
    }

    [Fact]
    public void A_zone_created_again_at_a_version_already_passed_is_checked_with_the_zone()
    {
        var created = new ZoneEvents.ZoneCreated(Zone, 1, T0, "admin", 1, Content(1));
        var (_, step) = EdgeSyncState.Empty.Delta(ZoneDelta.Of(created), ServedAt(7), inFlight: false);
        Assert.Equal(new EdgeStep.Fetch(Full: false), step);
    }

    [Fact]
    public void A_new_zone_starts_from_its_creation_and_any_other_delta_of_an_unknown_zone_fetches_it_whole()
    {
        var created = new ZoneEvents.ZoneCreated(Zone, 1, T0, "admin", 1, Content(1));
        var (_, step) = EdgeSyncState.Empty.Delta(ZoneDelta.Of(created), null, inFlight: false);
        var apply = Assert.IsType<EdgeStep.Apply>(step);
        Assert.False(apply.From.Exists);
        Assert.Equal(Zone, apply.From.Id);

        (_, step) = EdgeSyncState.Empty.Delta(Delta(5), null, inFlight: false);
        Assert.Equal(new EdgeStep.Fetch(Full: true), step);
    }

    [Fact]
    public void A_delta_too_large_fetches_the_zone_whole_only_when_newer_than_the_one_served()
    {
        Assert.Equal(new EdgeStep.Fetch(Full: true), EdgeSyncState.Empty.DeltaTooLarge(new ZoneDeltaTooLarge(Zone, 3, 4), ServedAt(3)).Step);
        Assert.Equal(new EdgeStep.Fetch(Full: true), EdgeSyncState.Empty.DeltaTooLarge(new ZoneDeltaTooLarge(Zone, 0, 1), null).Step);
        Assert.Same(EdgeStep.Ignore.Instance, EdgeSyncState.Empty.DeltaTooLarge(new ZoneDeltaTooLarge(Zone, 2, 3), ServedAt(3)).Step);
    }

    [Fact]
    public void Changes_that_continue_the_version_served_are_applied_in_order_skipping_those_already_held()
    {
        var held = ServedAt(3);
        var (_, step) = EdgeSyncState.Empty.Changes(new ZoneChanges(Zone, 2, 5, [Replaced(5), Replaced(3), Replaced(4)]), held);
        var apply = Assert.IsType<EdgeStep.Apply>(step);
        Assert.Same(held.State, apply.From);
        Assert.Equal([4L, 5L], apply.Events.Select(e => e.Version));
    }

    [Fact]
    public void Changes_with_a_hole_fetch_the_zone_whole()
    {
        var (_, step) = EdgeSyncState.Empty.Changes(new ZoneChanges(Zone, 3, 6, [Replaced(4), Replaced(6)]), ServedAt(3));
        Assert.Equal(new EdgeStep.Fetch(Full: true), step);
    }

    [Fact]
    public void Changes_for_a_zone_not_served_fetch_it_whole()
    {
        var (_, step) = EdgeSyncState.Empty.Changes(new ZoneChanges(Zone, 0, 1, [Replaced(1)]), null);
        Assert.Equal(new EdgeStep.Fetch(Full: true), step);
    }

    [Fact]
    public void A_delta_dropped_while_a_catch_up_was_in_flight_is_fetched_after_the_reply()
    {
        var held = ServedAt(1);
        var (s, _) = EdgeSyncState.Empty.Delta(Delta(6), held, inFlight: false);
        (s, _) = s.Delta(Delta(7), held, inFlight: true);
        Assert.Equal(7, s.AnnouncedVersion(Zone));

        (s, var step) = s.Changes(new ZoneChanges(Zone, 1, 1, []), held); // computed before versions 2..7 existed
        Assert.Same(EdgeStep.Ignore.Instance, step);
        Assert.Equal(new FetchRequest(Zone, Full: false), s.FollowUp(Zone, held));
        Assert.Null(s.FollowUp(Zone, ServedAt(7)));
        Assert.Null(s.FollowUp(Zone, ServedAt(1, problem: "version 2 not applied"))); // no loop on a version that fails
    }

    [Fact]
    public void A_zone_behind_the_version_served_lost_its_history_and_its_whole_content_is_then_taken_whatever_its_version()
    {
        var (s, step) = EdgeSyncState.Empty.Changes(new ZoneChanges(Zone, 7, 2, []), ServedAt(7));
        Assert.Equal(new EdgeStep.HistoryLost(2, 7), step);
        Assert.True(s.IsLost(Zone));

        // Its new history's deltas never patch the version served: the zone is fetched whole.
        Assert.Equal(new EdgeStep.Fetch(Full: true), s.Delta(Delta(8), ServedAt(7), inFlight: false).Step);
        Assert.Equal(new EdgeStep.Fetch(Full: true), s.DeltaTooLarge(new ZoneDeltaTooLarge(Zone, 1, 2), ServedAt(7)).Step);

        (s, step) = s.View(new ZoneView(Zone, 2, 2, Content(2)), ServedAt(7));
        var serve = Assert.IsType<EdgeStep.Serve>(step);
        Assert.True(serve.Adopted);
        Assert.Equal((2L, 7L, 2u), (serve.State.Version, serve.HeldVersion, serve.State.Serial));
        Assert.False(s.IsLost(Zone));
    }

    [Fact]
    public void Whole_content_is_served_only_when_newer_than_the_version_served()
    {
        var view = new ZoneView(Zone, 4, 4, Content(4));
        var serve = Assert.IsType<EdgeStep.Serve>(EdgeSyncState.Empty.View(view, ServedAt(3)).Step);
        Assert.False(serve.Adopted);
        Assert.True(serve.State.Exists);
        Assert.Equal(3, serve.State.Records.Count);
        Assert.Equal(-1, Assert.IsType<EdgeStep.Serve>(EdgeSyncState.Empty.View(view, null).Step).HeldVersion);
        Assert.Same(EdgeStep.Ignore.Instance, EdgeSyncState.Empty.View(view, ServedAt(4)).Step);
    }

    [Fact]
    public void A_zone_deleted_at_a_newer_version_is_removed()
    {
        var (_, step) = EdgeSyncState.Empty.NotFound(new ZoneNotFound(Zone, 4), ServedAt(3));
        Assert.Equal(new EdgeStep.Remove("deleted at version 4"), step);
        Assert.Same(EdgeStep.Ignore.Instance, EdgeSyncState.Empty.NotFound(new ZoneNotFound(Zone, 4), null).Step);
    }

    [Fact]
    public void A_zone_that_forgot_the_zone_does_not_empty_the_cache()
    {
        var (s, step) = EdgeSyncState.Empty.NotFound(new ZoneNotFound(Zone, 0), ServedAt(3));
        Assert.Contains("keeping it (fail static)", Assert.IsType<EdgeStep.KeepServing>(step).Problem);
        Assert.True(s.IsLost(Zone));
    }

    [Fact]
    public void A_removed_zone_is_forgotten()
    {
        var (s, _) = EdgeSyncState.Empty.NotFound(new ZoneNotFound(Zone, 0), ServedAt(3));
        (s, _) = s.Delta(Delta(9), ServedAt(3), inFlight: false);
        s = s.Forget(Zone);
        Assert.False(s.IsLost(Zone));
        Assert.Equal(0, s.AnnouncedVersion(Zone));
    }
}
