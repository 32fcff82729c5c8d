using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using AkkaDns.Cluster.Tests.Propagation;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>
/// The membership verbs against a live 3-node cluster from scripts/cluster-up.sh (2 zones nodes, 1 edge, PostgreSQL):
/// show lists 3 Up; kill -9 of the edge is marked unreachable and down-unreachable removes it (before the split-brain
/// resolver's stable-after of 20 s would); leave of a zones node makes it exit and its zones stay intact on the other.
/// </summary>
[Collection("propagation-cluster")]
public sealed class MultiNodeMembershipTests
{
    [Fact]
    public async Task Show_kill_down_unreachable_and_leave_on_a_live_cluster()
    {
        using var cluster = LocalCluster.Start(zones: 2, edges: 1);
        Task<AkkaDnsCli.Result> Cli(Uri node, params string[] args) =>
            AkkaDnsCli.RunAsync([.. args, "--node", node.ToString(), "--api-key", cluster.ApiKey]);
        async Task<List<string>> Show(Uri node)
        {
            var r = await Cli(node, "cluster", "show");
            Assert.True(r.ExitCode == 0, r.ToString());
            return r.Stdout.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        }
        async Task<string> AddressOf(Uri node) =>
            JsonDocument.Parse((await Cli(node, "cluster", "status", "--json")).Stdout).RootElement.GetProperty("self").GetProperty("address").GetString()!;

        var zones1 = cluster.NodeApis[0];
        var zones2 = cluster.NodeApis[1];
        var edgeAddress = await AddressOf(cluster.NodeApis[2]);
        var zones2Address = await AddressOf(zones2);

        // 1. Three Up members, the same list from any node.
        await LocalCluster.Eventually(async () => (await Show(zones1)).Count(l => l.EndsWith("| Up", StringComparison.Ordinal)) == 3,
            TimeSpan.FromSeconds(20), () => "3 Up members");
        var show = await Show(zones1);
        Assert.Equal("Count: 3 nodes", show[^1]);
        Assert.Contains($"{edgeAddress} | [edge] | Up", show);
        Assert.Equal(show, await Show(zones2));

        // Zones spread over both zones nodes, so the leave below must move some.
        var names = Enumerable.Range(0, 6).Select(i => SharedNode.UniqueZone($"ops{i}")).ToList();
        foreach (var z in names) await cluster.CreateZone(z, Api.ApiTestHelpers.MasterFile(z));
        var stats = await Cli(zones1, "cluster-sharding", "region-stats", "-r", "zone", "--json");
        Assert.True(stats.ExitCode == 0, stats.ToString());
        Assert.Equal(names.Count, JsonDocument.Parse(stats.Stdout).RootElement.GetProperty("entities").GetInt32());

        // 2. kill -9 the edge: unreachable, then down-unreachable removes it.
        cluster.Kill(cluster.NodeOfEdge(1));
        await LocalCluster.Eventually(async () => (await Show(zones1)).Contains($"{edgeAddress} | [edge] | Up | unreachable"),
            TimeSpan.FromSeconds(15), () => "edge marked unreachable");
        var down = await Cli(zones1, "cluster", "down-unreachable");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains($"Downed {edgeAddress}", down.Stdout);
        await LocalCluster.Eventually(async () => (await Show(zones1))[^1] == "Count: 2 nodes", TimeSpan.FromSeconds(15), () => "edge removed");

        // 3. leave the second zones node: it exits by itself, its shards move, every zone keeps its version.
        var versions = new Dictionary<string, long>();
        foreach (var z in names) versions[z] = (await ZoneJson(cluster.Http, z)).GetProperty("serial").GetInt64();
        var pid = cluster.Pid(2);
        var leave = await Cli(zones1, "cluster", "leave", zones2Address);
        Assert.True(leave.ExitCode == 0, leave.ToString());
        await LocalCluster.Eventually(() => Task.FromResult(Exited(pid)), TimeSpan.FromSeconds(30), () => "node2 exited after leave");
        await LocalCluster.Eventually(async () => (await Show(zones1)).SequenceEqual([$"{await AddressOf(zones1)} | [zones] | Up", "Count: 1 nodes"]),
            TimeSpan.FromSeconds(15), () => "only zones1 left");
        foreach (var z in names) Assert.Equal(versions[z], (await ZoneJson(cluster.Http, z)).GetProperty("serial").GetInt64());
    }

    private static async Task<JsonElement> ZoneJson(HttpClient http, string zone)
    {
        using var r = await http.GetAsync($"api/v1/servers/localhost/zones/{zone}");
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{zone}: {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static bool Exited(int pid)
    {
        try { return Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return true; }
    }
}
