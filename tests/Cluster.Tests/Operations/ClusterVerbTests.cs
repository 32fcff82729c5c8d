using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>The Petabridge.Cmd-style verbs through the real CLI against one real node.</summary>
[Collection(OpsNodeCollection.Name)]
public sealed class ClusterVerbTests(OpsNode ops)
{
    [Fact]
    public async Task Cluster_show_lists_the_one_up_member_with_its_roles_and_the_count()
    {
        var r = await ops.Cli("cluster", "show");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal([$"{ops.Node.ClusterAddress} | [edge,zones] | Up", "Count: 1 nodes"], lines);
    }

    [Fact]
    public async Task Cluster_show_json_status_and_leader_agree_on_the_node()
    {
        var show = await ops.Cli("cluster", "show", "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        var json = JsonDocument.Parse(show.Stdout).RootElement;
        Assert.Equal(1, json.GetProperty("count").GetInt32());
        var member = json.GetProperty("members")[0];
        Assert.Equal(ops.Node.ClusterAddress, member.GetProperty("address").GetString());
        Assert.True(member.GetProperty("reachable").GetBoolean());

        var leader = await ops.Cli("cluster", "leader");
        Assert.Equal(ops.Node.ClusterAddress, leader.Stdout.Trim());
        var status = await ops.Cli("cluster", "status");
        Assert.StartsWith($"{ops.Node.ClusterAddress} | [edge,zones] | Up", status.Stdout);
        Assert.Contains("(this node)", status.Stdout);
    }

    [Fact]
    public async Task Down_of_an_unknown_or_malformed_address_is_refused_and_down_unreachable_has_nothing_to_do()
    {
        var unknown = await ops.Cli("cluster", "down", "akka.tcp://akkadns@127.0.0.1:1");
        Assert.True(unknown.ExitCode == 4, unknown.ToString());
        Assert.Contains("not a member", unknown.Stderr);
        var bad = await ops.Cli("cluster", "down", "not-an-address");
        Assert.True(bad.ExitCode == 1, bad.ToString());
        var none = await ops.Cli("cluster", "down-unreachable");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal("no unreachable members", none.Stdout.Trim());
    }

    [Fact]
    public async Task Membership_routes_need_the_api_key()
    {
        var r = await ops.Anonymous.GetAsync("api/v1/cluster/members");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task Actor_system_names_the_system_its_address_and_versions()
    {
        var r = await ops.Cli("actor", "system");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Name: akkadns", r.Stdout);
        Assert.Contains($"Address: {ops.Node.ClusterAddress}", r.Stdout);
        Assert.Matches(@"Uptime: \d+\.?\d*:\d\d:\d\d", r.Stdout);
        Assert.Matches(@"Akka.NET: 1\.5\.\d+", r.Stdout);
    }

    [Fact]
    public async Task Region_stats_counts_the_zones_as_entities()
    {
        var regions = await ops.Cli("cluster-sharding", "regions");
        Assert.Contains("zone", regions.Stdout.Split('\n').Select(l => l.Trim()));

        var before = await Entities();
        for (int i = 0; i < 3; i++)
            await AssertOk(await ops.Http.PostAsync(ZonesPath, Json(CreateBody(SharedNode.UniqueZone($"stats{i}")))), HttpStatusCode.Created);
        var after = await Poll.Until(Entities, n => n >= before + 3, TimeSpan.FromSeconds(10));
        Assert.Equal(before + 3, after);

        var text = await ops.Cli("cluster-sharding", "region-stats", "-r", "zone");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"{ops.Node.ClusterAddress}", text.Stdout);
        Assert.Matches($@"Region zone: \d+ shards, {after} entities on 1 nodes", text.Stdout);

        var missing = await ops.Cli("cluster-sharding", "region-stats", "-r", "nosuch");
        Assert.True(missing.ExitCode == 4, missing.ToString());
    }

    private async Task<int> Entities()
    {
        var r = await ops.Cli("cluster-sharding", "region-stats", "-r", "zone", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(1, json.GetProperty("nodes").GetArrayLength());
        return json.GetProperty("entities").GetInt32();
    }

    [Fact]
    public async Task Cli_tail_prints_the_up_member_then_runs_until_stopped()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { NodeProcess.AkkaDnsDll, "cluster", "tail", "--node", ops.Node.Api.ToString(), "--api-key", ops.Node.ApiKey }) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.Matches($@"^\[\d\d:\d\d:\d\d\.\d{{3}}\] up: {System.Text.RegularExpressions.Regex.Escape(ops.Node.ClusterAddress)} \| \[edge,zones\] \| Up$", line);
            Assert.False(process.HasExited, "tail keeps running until stopped");
        }
        finally
        {
            process.Kill(true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Tail_streams_the_current_members_as_events()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/cluster/tail");
        using var response = await ops.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        string? line;
        while ((line = await reader.ReadLineAsync(cts.Token)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        var e = JsonDocument.Parse(line!["data: ".Length..]).RootElement;
        Assert.Equal("up", e.GetProperty("event").GetString());
        Assert.Equal(ops.Node.ClusterAddress, e.GetProperty("address").GetString());
    }
}
