using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Node;

/// <summary>The `akkadns run` process itself: bad settings stop it at once; SIGTERM stops it gracefully.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task A_bad_setting_exits_2_naming_the_setting_before_anything_starts()
    {
        var data = TempDir.Create("akkadns-badrun");
        try
        {
            var result = await AkkaDnsCli.RunAsync(["run", "--data", data, "--dns", "127.0.0.1:0", "--api", "127.0.0.1:0", "--port", "0", "--roles", "zones,cache"]);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("unknown role 'cache'", result.Stderr);
            Assert.DoesNotContain("ready", result.Stdout);
        }
        finally { TempDir.Delete(data); }
    }

    [Fact]
    public async Task Prints_its_listeners_then_ready_and_stops_gracefully_on_SIGTERM()
    {
        var data = TempDir.Create("akkadns-run");
        try
        {
            await using var node = await NodeProcess.StartAsync(data);
            Assert.NotEqual(0, node.Dns.Port);
            Assert.NotEqual(0, node.Api.Port);
            Assert.True(File.Exists(Path.Combine(data, "api-key")));
            Assert.True(File.Exists(Path.Combine(data, "akkadns.db")));
            Assert.Contains("api-key", node.Stderr);

            var code = await node.TerminateAsync(TimeSpan.FromSeconds(30));
            Assert.True(code == 0, $"exit code {code}\n{node.Stderr}");
        }
        finally { TempDir.Delete(data); }
    }
}
