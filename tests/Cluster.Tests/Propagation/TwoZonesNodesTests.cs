using System.Text;
using System.Text.Json;

namespace AkkaDns.Cluster.Tests.Propagation;

/// <summary>
/// Two zones nodes and one edge, real processes, PostgreSQL journal: the zone's shard lives on one zones node, the
/// other one reaches it across remoting (frame size!), and the shard moves when its node dies.
/// </summary>
[Collection("propagation-cluster")]
public sealed class TwoZonesNodesTests
{
    private static string Address(int i) => $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}";

    /// <summary>Creates <paramref name="zone"/> and returns (hosting node, other zones node), both 1-based.</summary>
    private static async Task<(int Host, int Other)> CreateAndLocate(LocalCluster cluster, string zone)
    {
        await cluster.CreateZone(zone, Zones.MasterFile(zone));
        int? host = null;
        await LocalCluster.Eventually(async () => (host = await cluster.NodeHostingZones(via: 1)) is not null,
            TimeSpan.FromSeconds(30), () => "no zones node reports the zone's entity in the shard statistics");
        Assert.InRange(host!.Value, 1, 2);
        return (host.Value, 3 - host.Value);
    }

    [Fact]
    public async Task A_100k_record_import_through_the_zones_node_not_hosting_the_shard_is_answered_completely_by_the_edge()
    {
        using var cluster = LocalCluster.Start(zones: 2, edges: 1, configOverlay: "akkadns.node.ask-timeout = 60s",
            env: new Dictionary<string, string> { ["AKKADNS_PROPAGATION_MAX_LAG"] = "30s" });
        var edge = cluster.EdgeDns[0];
        var (_, other) = await CreateAndLocate(cluster, "far.example.");

        const int n = 100_000;
        var text = new StringBuilder(Zones.MasterFile("far.example.")).Append('\n');
        for (int i = 0; i < n; i++) text.Append($"h{i} IN A {Address(i)}\n");
        Assert.True(text.Length > 10 * 128_000, "the master file must be many Akka.Remote frames large");

        // Through the other node: the command must cross remoting to the shard (one message would be dropped).
        var zone = await cluster.ReplaceZone("far.example.", text.ToString(), via: other);
        Assert.Equal(2, zone.GetProperty("version").GetInt64());

        await LocalCluster.Eventually(async () => (await LocalCluster.QueryA(edge, "h0.far.example.")) is ["10.0.0.0"],
            TimeSpan.FromSeconds(90), () => "the edge never answers the imported zone; log:\n" + cluster.Log(cluster.NodeOfEdge(1)));
        Assert.Equal([Address(n - 1)], await LocalCluster.QueryA(edge, $"h{n - 1}.far.example."));
        var random = new Random(11);
        for (int k = 0; k < 50; k++)
        {
            int i = random.Next(n);
            Assert.Equal([Address(i)], await LocalCluster.QueryA(edge, $"h{i}.far.example."));
        }
        Assert.Equal(["192.0.2.1"], await LocalCluster.QueryA(edge, "www.far.example."));
    }

    [Fact]
    public async Task Killing_the_zones_node_hosting_the_shard_moves_it_loses_no_acknowledged_change_and_propagation_goes_on()
    {
        using var cluster = LocalCluster.Start(zones: 2, edges: 1, configOverlay: "akkadns.node.ask-timeout = 15s");
        var edge = cluster.EdgeDns[0];
        const string zone = "move.example.";
        var (host, survivor) = await CreateAndLocate(cluster, zone);

        // Changes through both zones nodes' APIs; each returned 2xx, so each is journaled.
        const int changes = 20;
        for (int i = 1; i <= changes; i++)
            await cluster.SetA(zone, $"c{i}.{zone}", $"198.51.100.{i}", via: i % 2 == 0 ? host : survivor);
        var before = (await cluster.GetZone(zone, via: survivor))!.Value;
        long version = before.GetProperty("version").GetInt64();
        uint serial = before.GetProperty("serial").GetUInt32();
        Assert.Equal(1 + changes, version);

        cluster.Kill(host);
        await cluster.Down(host, via: survivor); // the operator's move; the split-brain resolver would do it after 20 s

        // The shard moves: the survivor answers the zone at the same version and serial, with every change.
        JsonElement after = default;
        await LocalCluster.Eventually(async () => (await cluster.GetZone(zone, via: survivor)) is { } z && (after = z).GetProperty("version").GetInt64() >= version,
            TimeSpan.FromSeconds(90), () => "the survivor never answers the zone after the kill; log:\n" + cluster.Log(survivor));
        Assert.Equal((version, serial), (after.GetProperty("version").GetInt64(), after.GetProperty("serial").GetUInt32()));
        var names = after.GetProperty("rrsets").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToHashSet();
        for (int i = 1; i <= changes; i++) Assert.Contains($"c{i}.{zone}", names);
        Assert.Equal(survivor, await cluster.NodeHostingZones(via: survivor));

        // The edge answers every acknowledged change...
        for (int i = 1; i <= changes; i++)
            Assert.Equal([$"198.51.100.{i}"], await LocalCluster.QueryA(edge, $"c{i}.{zone}"));
        // ...and changes made after the move reach it.
        await cluster.SetA(zone, $"www.{zone}", "203.0.113.77", via: survivor);
        await cluster.SetA(zone, $"late.{zone}", "203.0.113.78", via: survivor);
        await LocalCluster.Eventually(async () => (await LocalCluster.QueryA(edge, $"late.{zone}")) is ["203.0.113.78"],
            TimeSpan.FromSeconds(30), () => "a change after the move never reaches the edge; log:\n" + cluster.Log(cluster.NodeOfEdge(1)));
        Assert.Equal(["203.0.113.77"], await LocalCluster.QueryA(edge, $"www.{zone}"));
        Assert.Equal(version + 2, (await cluster.GetZone(zone, via: survivor))!.Value.GetProperty("version").GetInt64());
    }
}
