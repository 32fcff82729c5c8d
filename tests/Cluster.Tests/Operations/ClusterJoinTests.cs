using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>
/// <c>akkadns cluster join ADDRESS</c> with real processes: node B starts with a seed list that names no live node
/// (a misconfigured seed), so it waits outside any cluster; joining it to node A through B's admin API makes it a
/// member, B finishes its start-up, and <c>cluster show</c> on A lists it Up.
/// </summary>
public sealed partial class ClusterJoinTests : IAsyncLifetime
{
    private readonly string _dir = TempDir.Create("akkadns-join");
    private NodeProcess? _a;
    private NodeProcess? _bProcess;
    private Task<NodeProcess>? _b;

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_node_outside_the_cluster_joins_through_its_admin_API_and_shows_up_on_the_other_node()
    {
        _a = await NodeProcess.StartAsync(Path.Combine(_dir, "a"));
        var deadSeed = $"akka.tcp://akkadns@127.0.0.1:{UnusedPort()}";
        var dataB = Path.Combine(_dir, "b");
        _b = NodeProcess.StartAsync(dataB, ["--roles", "edge", "--datacenter", "dc-join", "--seed", deadSeed],
            timeout: TimeSpan.FromSeconds(90), started: p => _bProcess = p);

        // B never becomes ready on its own: find its admin API in its log (Kestrel listens before the cluster is joined).
        Uri? apiB = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (apiB is null)
        {
            Assert.False(_b.IsCompleted && _b.IsFaulted, "node B failed to start: " + _b.Exception?.InnerException?.Message);
            Assert.True(DateTime.UtcNow < deadline, "node B's admin API did not start within 60 s");
            apiB = ListeningOn(_bProcess?.Stderr);
            if (apiB is null) await Task.Delay(200);
        }
        Assert.False(_b.IsCompleted, "node B must not be ready before it joins (its only seed is dead)");

        var keyB = (await File.ReadAllTextAsync(Path.Combine(dataB, "api-key"))).Trim();
        var join = await AkkaDnsCli.RunAsync(["cluster", "join", _a.ClusterAddress, "--node", apiB.ToString(), "--api-key", keyB]);
        Assert.True(join.ExitCode == 0, join.ToString());

        var b = await _b.WaitAsync(TimeSpan.FromSeconds(90));                        // start-up completes once a member
        Assert.Equal(apiB, b.Api);
        List<string> show = [];
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(300))
        {
            var r = await AkkaDnsCli.RunAsync(["cluster", "show", "--node", _a.Api.ToString(), "--api-key", _a.ApiKey]);
            Assert.True(r.ExitCode == 0, r.ToString());
            show = r.Stdout.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            if (show.Contains($"{b.ClusterAddress} | [edge] | Up")) break;
        }
        Assert.Contains($"{b.ClusterAddress} | [edge] | Up", show);
        Assert.Contains(show, l => l.StartsWith(_a.ClusterAddress + " | ", StringComparison.Ordinal) && l.EndsWith("| Up", StringComparison.Ordinal));
        Assert.Equal("Count: 2 nodes", show[^1]);
    }

    /// <summary>B's API address from "Now listening on: …" in its log, which NodeProcess collects from stderr.</summary>
    private static Uri? ListeningOn(string? stderr)
    {
        var m = stderr is null ? null : Listening().Match(stderr);
        return m is { Success: true } ? new Uri(m.Groups[1].Value.TrimEnd('/') + "/") : null;
    }

    private static int UnusedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async Task DisposeAsync()
    {
        if (_bProcess is not null) await _bProcess.DisposeAsync(); // also when B never became ready
        if (_b is not null) try { await _b; } catch (InvalidOperationException) { }
        if (_a is not null) await _a.DisposeAsync();
        TempDir.Delete(_dir);
    }
}
