using Akka.Actor;
using Akka.Configuration;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>
/// Two real nodes over loopback remoting: a zones node holding the zone, an edge node serving it. The zone is several
/// times Akka.Remote's 128000-byte frame, so it only gets across in bounded chunks (a single message would be dropped
/// silently by the sender), and every message goes through our serializer.
/// </summary>
public sealed class TwoNodeTransferSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly SqliteTestJournal _journal = new();
    private ActorSystem _zonesNode = null!;
    private ActorSystem _edgeNode = null!;

    public async Task InitializeAsync()
    {
        var baseConfig = _journal.ActorSystemConfig();
        _zonesNode = ActorSystem.Create("two", ConfigurationFactory.ParseString("akka.cluster.roles = [zones]").WithFallback(baseConfig));
        await SingleNode.JoinSelfAsync(_zonesNode);
        _edgeNode = ActorSystem.Create("two", ConfigurationFactory.ParseString("akka.cluster.roles = [edge]").WithFallback(baseConfig));
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        AkkaCluster.Get(_edgeNode).RegisterOnMemberUp(() => up.TrySetResult());
        AkkaCluster.Get(_edgeNode).Join(AkkaCluster.Get(_zonesNode).SelfAddress);
        if (await Task.WhenAny(up.Task, Task.Delay(Timeout)) != up.Task) throw new TimeoutException("edge node never Up");
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_edgeNode.Terminate(), _zonesNode.Terminate()).WaitAsync(Timeout);
        _journal.Dispose();
    }

    [Fact]
    public async Task A_zone_many_frames_large_reaches_the_other_node_in_chunks_and_later_changes_follow()
    {
        var (region, _, settings) = SingleNode.StartZones(_zonesNode);
        const int count = 10_000;
        var records = Enumerable.Range(0, count)
            .Select(i => A($"a-rather-long-host-name-{i}.example.com.", $"10.{i / 65536}.{i / 256 % 256}.{i % 256}")).ToArray();
        Assert.True(MessageSize.Of(records) > 3 * 128_000, "the zone must be several frames large");
        Assert.IsType<ZoneCommandResult.Accepted>(await region.Ask<ZoneCommandResult>(Create("example.com.", records), Timeout));

        var catalogProxy = ZoneCatalogSingleton.Start(_edgeNode, settings, hostHere: false);
        var regionProxy = ZoneSharding.StartProxy(_edgeNode, settings);
        var table = new ZoneTable();
        var dc = _edgeNode.ActorOf(DatacenterActor.PropsFor(DatacenterSettings.FromConfig(_edgeNode.Settings.Config), table, regionProxy, catalogProxy), "datacenter");

        await Until(() => table.FindZone(N("example.com."))?.Version == 1);
        var status = await dc.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout);
        Assert.Equal(count + 3, Assert.Single(status.Zones).RecordCount);
        Assert.NotNull(table.FindZone(N("example.com."))!.FindNode(N($"a-rather-long-host-name-{count - 1}.example.com.")));

        // A small change travels as a delta (or a catch-up) from the zones node.
        await region.Ask<ZoneCommandResult>(Change("example.com.", ReplaceA("www.example.com.", "192.0.2.1")), Timeout);
        await Until(() => table.FindZone(N("example.com."))?.Version == 2);

        // A change far above the message limit is announced, then fetched in chunks.
        var big = Enumerable.Range(0, 3000).Select(i => A("pool.example.com.", $"10.200.{i / 256}.{i % 256}")).ToList();
        await region.Ask<ZoneCommandResult>(Change("example.com.", RRsetChange.Replace(N("pool.example.com."), RecordType.A, big)), Timeout);
        await Until(() => table.FindZone(N("example.com."))?.Version == 3);
        status = await dc.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout);
        Assert.Equal(count + 4 + 3000, Assert.Single(status.Zones).RecordCount);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }
}
