using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>One history per zone, on the edge, without an actor: what it does with a delta, a change list, a whole zone,
/// a "not found" or a catalog listing of another lineage than the one it holds.</summary>
public sealed class EdgeLineageTests
{
    private static readonly ZoneId Zone = ZoneId.Parse("example.com.");
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private const string Old = "00000000000000aa";
    private const string New = "00000000000000bb";

    private static IReadOnlyList<ResourceRecord> Content(int www) =>
        [Soa("example.com.", (uint)www), Ns("example.com.", "ns1.example.com."), A("www.example.com.", $"192.0.2.{www}")];

    private static ServedZone ServedAt(long version, string lineage, string? problem = null) =>
        new(new ZoneState { Id = Zone, Exists = true, Version = version, LastSerial = (uint)version, Records = [.. Content((int)version)], Lineage = lineage }, problem);

    private static IZoneEvent Replaced(long version) => new ZoneEvents.ZoneReplaced(Zone, version, T0, "admin", (uint)version, Content((int)version));

    private static ZoneDelta Delta(long version, string lineage) => ZoneDelta.Of(Replaced(version), lineage);

    private static ZoneView View(long version, string lineage) => new(Zone, version, (uint)version, Content((int)version)) { Lineage = lineage };

    [Fact]
    public void A_delta_of_another_lineage_is_never_applied_even_when_its_versions_continue_the_one_held()
    {
        // Held: version 5 of the old history. The new history also reached 5, and its 5 -> 6 would "fit".
        var (s, step) = EdgeSyncState.Empty.Delta(Delta(6, New), ServedAt(5, Old), inFlight: false);
        Assert.Equal(new EdgeStep.Fetch(Full: true), step);
        Assert.Equal(New, s.AnnouncedLineage(Zone));
        Assert.Equal(6, s.AnnouncedVersion(Zone));
    }

    [Theory]
    [InlineData(1)]   // lower than held: would be ignored as "older" by versions alone
    [InlineData(5)]   // equal
    [InlineData(9)]   // higher: would be a gap
    public void A_creation_of_another_lineage_fetches_the_zone_whole_whatever_its_version(long version)
    {
        var created = new ZoneEvents.ZoneCreated(Zone, version, T0, "restore", (uint)version, Content((int)version)) { Lineage = New };
        var (_, step) = EdgeSyncState.Empty.Delta(ZoneDelta.Of(created, New), ServedAt(5, Old), inFlight: false);
        Assert.Equal(new EdgeStep.Fetch(Full: true), step);
    }

    [Fact]
    public void The_same_lineage_keeps_the_version_rules()
    {
        var held = ServedAt(5, Old);
        Assert.IsType<EdgeStep.Apply>(EdgeSyncState.Empty.Delta(Delta(6, Old), held, inFlight: false).Step);
        Assert.Same(EdgeStep.Ignore.Instance, EdgeSyncState.Empty.Delta(Delta(4, Old), held, inFlight: false).Step);
        Assert.Equal(new EdgeStep.Fetch(Full: false), EdgeSyncState.Empty.Delta(Delta(8, Old), held, inFlight: false).Step);
        Assert.Same(EdgeStep.Ignore.Instance, EdgeSyncState.Empty.View(View(5, Old), held).Step);
    }

    [Fact]
    public void A_new_zone_starts_in_the_lineage_of_its_creation()
    {
        var created = new ZoneEvents.ZoneCreated(Zone, 1, T0, "admin", 1, Content(1)) { Lineage = New };
        var apply = Assert.IsType<EdgeStep.Apply>(EdgeSyncState.Empty.Delta(ZoneDelta.Of(created, New), null, inFlight: false).Step);
        Assert.Equal(New, apply.From.Lineage);
        Assert.Equal(New, apply.Events.Aggregate(apply.From, (st, e) => st.Apply(e)).Lineage);
    }

    [Fact]
    public void A_delta_too_large_of_another_lineage_fetches_the_zone_whole_even_when_older()
    {
        var (_, step) = EdgeSyncState.Empty.DeltaTooLarge(new ZoneDeltaTooLarge(Zone, 1, 2) { Lineage = New }, ServedAt(5, Old));
        Assert.Equal(new EdgeStep.Fetch(Full: true), step);
        Assert.Same(EdgeStep.Ignore.Instance,
            EdgeSyncState.Empty.DeltaTooLarge(new ZoneDeltaTooLarge(Zone, 1, 2) { Lineage = Old }, ServedAt(5, Old)).Step);
    }

    [Fact]
    public void Changes_of_another_lineage_are_never_applied_even_when_they_continue_the_version_held()
    {
        var changes = new ZoneChanges(Zone, 5, 7, [Replaced(6), Replaced(7)]) { Lineage = New };
        var (_, step) = EdgeSyncState.Empty.Changes(changes, ServedAt(5, Old));
        Assert.Equal(new EdgeStep.Fetch(Full: true), step);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    public void A_whole_zone_of_another_lineage_replaces_the_one_held_whatever_its_version(long version)
    {
        var (s, step) = EdgeSyncState.Empty.View(View(version, New), ServedAt(5, Old));
        var serve = Assert.IsType<EdgeStep.Serve>(step);
        Assert.True(serve.Adopted); // a new history: the edge's IXFR history restarts
        Assert.Equal(5, serve.HeldVersion);
        Assert.Equal(New, serve.State.Lineage);
        Assert.Equal(version, serve.State.Version);
        Assert.False(s.IsLost(Zone));

        // From there the new lineage's deltas apply as usual, and the old one's are fetched whole again.
        var held = new ServedZone(serve.State, null);
        Assert.IsType<EdgeStep.Apply>(s.Delta(Delta(version + 1, New), held, inFlight: false).Step);
        Assert.Equal(new EdgeStep.Fetch(Full: true), s.Delta(Delta(version + 1, Old), held, inFlight: false).Step);
    }

    [Fact]
    public void A_deletion_in_another_lineage_removes_nothing_fail_static()
    {
        var (s, step) = EdgeSyncState.Empty.NotFound(new ZoneNotFound(Zone, 9) { Lineage = New }, ServedAt(5, Old));
        var keep = Assert.IsType<EdgeStep.KeepServing>(step);
        Assert.Contains("another history", keep.Problem);
        Assert.True(s.IsLost(Zone)); // the next content the zone holds is taken whole

        // In the lineage held, a newer deletion still removes, an older one still does not.
        Assert.IsType<EdgeStep.Remove>(EdgeSyncState.Empty.NotFound(new ZoneNotFound(Zone, 6) { Lineage = Old }, ServedAt(5, Old)).Step);
        Assert.IsType<EdgeStep.KeepServing>(EdgeSyncState.Empty.NotFound(new ZoneNotFound(Zone, 0) { Lineage = Old }, ServedAt(5, Old)).Step);
    }

    [Fact]
    public void After_a_catch_up_an_announcement_of_another_lineage_fetches_the_zone_whole_and_never_loops()
    {
        var held = ServedAt(5, Old);
        var (s, _) = EdgeSyncState.Empty.Delta(Delta(2, New), held, inFlight: true); // dropped: an ask was in flight
        Assert.Equal(new FetchRequest(Zone, Full: true), s.FollowUp(Zone, held));
        Assert.Null(s.FollowUp(Zone, ServedAt(5, Old, problem: "version 2 not applied")));

        // The zone's content says which lineage it is in: once served, nothing more to chase.
        (s, var step) = s.View(View(2, New), held);
        var served = new ServedZone(Assert.IsType<EdgeStep.Serve>(step).State, null);
        Assert.Null(s.FollowUp(Zone, served));

        // A late announcement of the old lineage is answered by the zone's changes, which name the lineage: no loop.
        (s, _) = s.Delta(Delta(6, Old), served, inFlight: false);
        Assert.Equal(new FetchRequest(Zone, Full: true), s.FollowUp(Zone, served));
        (s, step) = s.Changes(new ZoneChanges(Zone, 2, 2, []) { Lineage = New }, served);
        Assert.Same(EdgeStep.Ignore.Instance, step);
        Assert.Null(s.FollowUp(Zone, served));
    }

    [Fact]
    public void A_lost_history_under_the_legacy_lineage_does_not_leave_its_old_versions_to_chase()
    {
        // Legacy on both sides (a zone from before lineages whose journal was lost): announced 8 of the lost history,
        // then the zone holds version 2 again. Once that is taken whole, version 8 is not asked for.
        var held = ServedAt(7, ZoneLineage.Legacy);
        var (s, _) = EdgeSyncState.Empty.Delta(Delta(8, ZoneLineage.Legacy), held, inFlight: true);
        (s, _) = s.Changes(new ZoneChanges(Zone, 2, 2, []), held); // behind the version served: lost
        Assert.True(s.IsLost(Zone));
        (s, var step) = s.View(View(2, ZoneLineage.Legacy), held);
        var served = new ServedZone(Assert.IsType<EdgeStep.Serve>(step).State, null);
        Assert.Null(s.FollowUp(Zone, served));
        Assert.Equal(2, s.AnnouncedVersion(Zone));
    }

    [Fact]
    public void A_listing_that_shows_another_lineage_fetches_the_zone_whole_at_once()
    {
        var z = ZoneId.Parse("z0.resync.test.");
        var served = new Dictionary<ZoneId, ServedZone> { [z] = new(ZoneState.Empty(z) with { Exists = true, Version = 5, Lineage = Old }, null) };
        var planner = new ResyncPlanner(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5));
        ZoneList List(long latest, string? lineage) => new([new CatalogEntry(z, 1, true)])
        { Latest = [latest], Lineages = [lineage], Incarnation = "one" };
        (planner, _) = planner.Listed(List(5, Old), served, EdgeSyncState.Empty, T0); // the first listing sweeps

        var plan = planner.Listed(List(1, New), served, EdgeSyncState.Empty, T0.AddMinutes(1)).Plan;
        Assert.Equal([new FetchRequest(z, Full: true)], plan.Fetches);
        Assert.Empty(plan.Recheck);

        // Same lineage, or a catalog that has not heard: today's version rules.
        Assert.Empty(planner.Listed(List(5, Old), served, EdgeSyncState.Empty, T0.AddMinutes(1)).Plan.Fetches);
        Assert.Empty(planner.Listed(List(5, null), served, EdgeSyncState.Empty, T0.AddMinutes(1)).Plan.Fetches);
        Assert.Empty(planner.Listed(List(5, Old) with { Lineages = null }, served, EdgeSyncState.Empty, T0.AddMinutes(1)).Plan.Fetches);
    }

    [Fact]
    public void Chunks_of_another_lineage_start_the_zone_over_and_the_whole_zone_keeps_the_lineage()
    {
        ZoneViewChunk Chunk(int index, string lineage) => new(Zone, 3, 3, index, 2, [Content(3)[index]]) { Lineage = lineage };
        var (chunks, view) = ZoneViewChunks.Empty.Add(Chunk(0, Old));
        Assert.Null(view);
        (chunks, view) = chunks.Add(Chunk(1, New)); // same version, another history: not mixed with the first part
        Assert.Null(view);
        (_, view) = chunks.Add(Chunk(0, New));
        Assert.NotNull(view);
        Assert.Equal(New, view!.Lineage);
    }
}
