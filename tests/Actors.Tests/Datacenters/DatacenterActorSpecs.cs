using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using Xunit.Abstractions;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>The datacenter actor against real zone actors on a real journal (SQLite and PostgreSQL below).</summary>
public abstract class DatacenterActorSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ZoneTable _table = new();
    private IActorRef _region = ActorRefs.Nobody;
    private IActorRef _catalog = ActorRefs.Nobody;
    private DatacenterSettings _dc = new();

    protected DatacenterActorSpecs(TestJournal journal, ITestOutputHelper output) : base(journal, "dc", output) { }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_region, _catalog, _) = SingleNode.StartZones(Sys);
        // Long resync: these tests must see the delta and catch-up paths, not the periodic repair.
        _dc = DatacenterSettings.FromConfig(Sys.Settings.Config) with { ResyncInterval = TimeSpan.FromMinutes(5) };
    }

    private async Task<long> Accept(IZoneCommand command) =>
        Assert.IsType<ZoneCommandResult.Accepted>(await _region.Ask<ZoneCommandResult>(command, Timeout)).Version;

    private IActorRef StartDatacenter(DatacenterSettings settings) =>
        Sys.ActorOf(DatacenterActor.PropsFor(settings, _table, _region, _catalog), "datacenter");

    private async Task<EdgeZones> StatusOf(IActorRef dc) => await dc.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout);

    private async Task<EdgeZones> Loaded(IActorRef dc)
    {
        EdgeZones? status = null;
        await AwaitAssertAsync(async () => Assert.True((status = await StatusOf(dc)).Loaded), Timeout);
        return status!;
    }

    private Task Served(string zone, long version) => AwaitAssertAsync(() =>
        Assert.Equal(version, _table.FindZone(N(zone))?.Version), Timeout);

    /// <summary>The delta the zone published for <paramref name="version"/>, in the zone's lineage.</summary>
    private async Task<ZoneDelta> DeltaAt(string zone, long version)
    {
        var changes = await _region.Ask<ZoneChanges>(new GetChangesSince(ZoneId.Parse(zone), version - 1), Timeout);
        return ZoneDelta.Of(changes.Events.Single(e => e.Version == version), changes.Lineage);
    }

    private async Task<string> LineageOf(string zone) => (await _region.Ask<ZoneView>(new GetZone(ZoneId.Parse(zone)), Timeout)).Lineage;

    [Fact]
    public async Task Loads_every_existing_zone_at_start()
    {
        await Accept(Create("a.example.", A("www.a.example.", "192.0.2.1")));
        await Accept(Change("a.example.", ReplaceA("www.a.example.", "192.0.2.2")));
        await Accept(Create("b.example."));

        var dc = StartDatacenter(_dc with { Topic = "not-listening" }); // only the start-up load can fill it
        var status = await Loaded(dc);
        Assert.Equal([("a.example.", 2L), ("b.example.", 1L)], status.Zones.Select(z => (z.ZoneId.Value, z.Version)));
        Assert.Equal(2, _table.FindZone(N("www.a.example."))!.Version);
        Assert.Equal(1, _table.FindZone(N("b.example."))!.Version);
    }

    [Fact]
    public async Task Applies_deltas_from_the_topic_and_removes_deleted_zones()
    {
        var dc = StartDatacenter(_dc);
        await Loaded(dc);
        await AwaitAssertAsync(async () => Assert.Contains(_dc.Topic,
            (await DistributedPubSub.Get(Sys).Mediator.Ask<CurrentTopics>(GetTopics.Instance, Timeout)).Topics), Timeout);

        await Accept(Create("example.com."));
        await Served("example.com.", 1);
        await Accept(Change("example.com.", ReplaceA("www.example.com.", "192.0.2.7")));
        await Served("example.com.", 2);
        Assert.NotNull(_table.FindZone(N("example.com."))!.FindNode(N("www.example.com.")));

        await Accept(new DeleteZone(ZoneId.Parse("example.com."), "test"));
        await AwaitAssertAsync(() => Assert.Null(_table.FindZone(N("example.com."))), Timeout);
        Assert.Empty((await StatusOf(dc)).Zones);
    }

    [Fact]
    public async Task A_zone_too_large_for_one_message_arrives_in_chunks_and_is_served_whole()
    {
        var dc = StartDatacenter(_dc);
        await Loaded(dc);
        await AwaitAssertAsync(async () => Assert.Contains(_dc.Topic,
            (await DistributedPubSub.Get(Sys).Mediator.Ask<CurrentTopics>(GetTopics.Instance, Timeout)).Topics), Timeout);

        var many = Enumerable.Range(0, 400).Select(i => A($"host{i}.example.com.", $"10.0.{i / 250}.{i % 250}")).ToArray();
        await Accept(Create("example.com.", many));
        await Served("example.com.", 1);
        Assert.Equal(403, Assert.Single((await StatusOf(dc)).Zones).RecordCount);
        Assert.NotNull(_table.FindZone(N("example.com."))!.FindNode(N("host399.example.com.")));
    }

    [Fact]
    public async Task On_a_gap_it_fetches_the_missing_versions()
    {
        await Accept(Create("example.com."));
        var dc = StartDatacenter(_dc with { Topic = "not-listening" }); // deltas v2, v3 never reach it
        await Loaded(dc);
        await Served("example.com.", 1);
        for (int i = 2; i <= 4; i++) await Accept(Change("example.com.", ReplaceA("www.example.com.", $"192.0.2.{i}")));

        dc.Tell(await DeltaAt("example.com.", 4)); // 3 -> 4, while it holds 1
        await Served("example.com.", 4);
        var held = Assert.Single((await StatusOf(dc)).Zones);
        Assert.Null(held.Problem);
        Assert.Equal(4, held.Version);
    }

    [Fact]
    public async Task A_delta_that_does_not_compile_leaves_the_last_good_version_serving()
    {
        await Accept(Create("example.com.", A("www.example.com.", "192.0.2.1")));
        var dc = StartDatacenter(_dc with { Topic = "not-listening" });
        await Loaded(dc);
        await Served("example.com.", 1);

        // A broken change (no SOA left) as if it came from upstream.
        var bad = new ZoneEvents.RRsetsChanged(ZoneId.Parse("example.com."), 2, DateTimeOffset.UtcNow, "test", 2,
            [RRsetChange.Delete(N("example.com."), RecordType.SOA)]);
        dc.Tell(ZoneDelta.Of(bad, await LineageOf("example.com.")));
        await AwaitAssertAsync(async () => Assert.NotNull(Assert.Single((await StatusOf(dc)).Zones).Problem), Timeout);
        Assert.Equal(1, _table.FindZone(N("example.com."))!.Version);
        Assert.NotNull(_table.FindZone(N("example.com."))!.FindNode(N("www.example.com.")));

        // The real version 2 then applies normally and clears the problem.
        await Accept(Change("example.com.", ReplaceA("mail.example.com.", "192.0.2.25")));
        dc.Tell(await DeltaAt("example.com.", 2));
        await Served("example.com.", 2);
        Assert.Null(Assert.Single((await StatusOf(dc)).Zones).Problem);
    }

    [Fact]
    public async Task A_zone_actor_that_forgot_the_zone_does_not_empty_the_cache()
    {
        await Accept(Create("example.com."));
        var dc = StartDatacenter(_dc with { Topic = "not-listening" });
        await Loaded(dc);
        await Served("example.com.", 1);

        dc.Tell(new ZoneNotFound(ZoneId.Parse("example.com."), 0)); // as if the journal had been wiped
        await AwaitAssertAsync(async () => Assert.NotNull(Assert.Single((await StatusOf(dc)).Zones).Problem), Timeout);
        Assert.Equal(1, _table.FindZone(N("example.com."))!.Version);
    }
}

public sealed class DatacenterActorSqliteSpecs(ITestOutputHelper output) : DatacenterActorSpecs(new SqliteTestJournal(), output);

public sealed class DatacenterActorPostgreSqlSpecs(ITestOutputHelper output) : DatacenterActorSpecs(new PostgreSqlTestJournal(), output);
