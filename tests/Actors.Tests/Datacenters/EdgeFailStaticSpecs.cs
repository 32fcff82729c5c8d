using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using Xunit.Abstractions;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Tests.Support.Records;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>Fail static, edge side: a datacenter writes a local copy of what it serves, and a datacenter started
/// while no zone actor or catalog answers (journal down) serves that copy.</summary>
public sealed class EdgeFailStaticSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"akkadns-edge-{Guid.NewGuid():N}");
    private IActorRef _region = ActorRefs.Nobody;
    private IActorRef _catalog = ActorRefs.Nobody;

    public EdgeFailStaticSpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "edge", output) { }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_region, _catalog, _) = SingleNode.StartZones(Sys);
    }

    /// <summary>The local copy goes after the actor system and the journal.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task An_edge_restarted_while_nothing_upstream_answers_serves_its_local_copy()
    {
        var settings = DatacenterSettings.FromConfig(Sys.Settings.Config) with { SnapshotDirectory = _dir, ResyncInterval = TimeSpan.FromMinutes(5) };
        Assert.IsType<ZoneCommandResult.Accepted>(await _region.Ask<ZoneCommandResult>(Create("static.test.", A("www.static.test.", "192.0.2.1")), Timeout));
        Assert.IsType<ZoneCommandResult.Accepted>(await _region.Ask<ZoneCommandResult>(Change("static.test.", ReplaceA("www.static.test.", "192.0.2.2")), Timeout));

        var first = new ZoneTable();
        var dc1 = Sys.ActorOf(DatacenterActor.PropsFor(settings, first, _region, _catalog), "dc1");
        await AwaitAssertAsync(async () =>
        {
            var status = await dc1.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout);
            Assert.Equal(2, Assert.Single(status.Zones).Version);
        }, Timeout);
        await AwaitAssertAsync(() => Assert.True(File.Exists(Path.Combine(_dir, "static.test.zsnap"))), Timeout);
        Watch(dc1);
        Sys.Stop(dc1);
        ExpectTerminated(dc1);

        // upstream is gone: probes that never answer stand in for the zone region and the catalog
        var second = new ZoneTable();
        var silent = CreateTestProbe();
        var dc2 = Sys.ActorOf(DatacenterActor.PropsFor(settings, second, silent.Ref, silent.Ref), "dc2");
        var held = Assert.Single((await dc2.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout)).Zones);
        Assert.Equal((2L, "static.test."), (held.Version, held.ZoneId.Value));
        var zone = second.FindZone(N("www.static.test."));
        Assert.NotNull(zone);
        Assert.Equal(2, zone!.Version);
    }
}
