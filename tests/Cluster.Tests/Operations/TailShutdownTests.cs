using System.Diagnostics;
using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>An open <c>cluster tail</c> never ends by itself; it must not hold up a node's graceful stop.</summary>
public sealed class TailShutdownTests
{
    [Fact]
    public async Task Sigterm_with_a_tail_open_stops_the_node_promptly_and_ends_the_stream()
    {
        var data = TempDir.Create("akkadns-tail");
        try
        {
            await using var node = await NodeProcess.StartAsync(data);
            using var http = new HttpClient { BaseAddress = node.Api, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Add("X-API-Key", node.ApiKey);
            using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/v1/cluster/tail"), HttpCompletionOption.ResponseHeadersRead);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(25));
            while (await reader.ReadLineAsync(cts.Token) is { } line && !line.StartsWith("data: ", StringComparison.Ordinal)) { }

            var stopwatch = Stopwatch.StartNew();
            var exit = await node.TerminateAsync(TimeSpan.FromSeconds(25));
            // The host's shutdown timeout is 30 s: a tail holding the request open would take that long.
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"stopped after {stopwatch.Elapsed.TotalSeconds:0.0} s\n{node.Stderr}");
            Assert.Equal(0, exit);
            try { while (await reader.ReadLineAsync(cts.Token) is not null) { } }
            catch (IOException) { /* the connection closed under us: also an end */ }
        }
        finally { TempDir.Delete(data); }
    }
}
