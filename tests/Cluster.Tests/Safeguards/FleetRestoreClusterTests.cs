using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using AkkaDns.Cluster.Tests.Propagation;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Safeguards;

/// <summary>A held fleet restore is cluster state: asked on one zones node, listed and confirmed on the other,
/// run once (a second confirmation on the first node finds nothing). Two zones nodes, PostgreSQL journal.</summary>
[Collection("propagation-cluster")]
public sealed class FleetRestoreClusterTests
{
    [Fact]
    public async Task A_restore_held_on_one_node_is_listed_and_confirmed_on_another_and_runs_once()
    {
        using var cluster = LocalCluster.Start(zones: 2, edges: 0);
        Task<AkkaDnsCli.Result> Cli(Uri node, params string[] args) =>
            AkkaDnsCli.RunAsync([.. args, "--node", node.ToString(), "--api-key", cluster.ApiKey]);
        var (first, second) = (cluster.NodeApis[0], cluster.NodeApis[1]);

        var zone = SharedNode.UniqueZone("fleetrestore");
        await cluster.CreateZone(zone, MasterFile(zone, "192.0.2.1"));
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await cluster.SetA(zone, "www." + zone, "192.0.2.2");

        using var http = new HttpClient { BaseAddress = first, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", cluster.ApiKey);
        var held = await AssertOk(await http.PostAsync("api/v1/restore", Json(JsonSerializer.Serialize(new { toTime = before }))), HttpStatusCode.Accepted);
        var id = held.GetProperty("id").GetString()!;

        var list = await Cli(second, "change", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(id, list.Stdout);

        var confirm = await Cli(second, "change", "confirm", id);
        Assert.True(confirm.ExitCode == 0, confirm.ToString());
        Assert.Contains($"confirmed {id}: 1 zones rolled back", confirm.Stdout);
        var twice = await Cli(first, "change", "confirm", id);
        Assert.True(twice.ExitCode == 4, twice.ToString());
        Assert.Equal(["192.0.2.1"], Contents(await AssertOk(await http.GetAsync($"{ZonesPath}/{zone}")), "www." + zone, "A"));
    }
}
