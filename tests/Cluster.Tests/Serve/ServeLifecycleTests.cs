using AkkaDns.Cluster.Tests.Support;

namespace AkkaDns.Cluster.Tests.Serve;

/// <summary>How <c>akkadns serve</c> starts and stops: bad zones stop start-up with file:line, signals stop it cleanly.</summary>
public sealed class ServeLifecycleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Bad_zone_file_exits_1_with_file_and_line_on_stderr()
    {
        using var zone = new ServeZone(ServeZone.Text + "\nbroken  IN  A  not-an-address\n");
        using var p = ProcessRunner.StartAkkaDns("serve", "--zone", zone.Path, "--listen", "127.0.0.1:0");
        Assert.Equal(1, await p.WaitForExitAsync(Wait));
        int line = ServeZone.Text.Split('\n').Length + 1;
        Assert.Contains($"{zone.Path}:{line}", p.Stderr);
        Assert.DoesNotContain(p.StdoutLines, l => l.StartsWith(ProcessRunner.ListeningPrefix));
    }

    [Fact]
    public async Task Zone_breaking_a_rule_exits_1_naming_the_record()
    {
        using var zone = new ServeZone(ServeZone.Text + "\nwww IN CNAME elsewhere.example.\n");
        using var p = ProcessRunner.StartAkkaDns("serve", "--zone", zone.Path, "--listen", "127.0.0.1:0");
        Assert.Equal(1, await p.WaitForExitAsync(Wait));
        Assert.Contains(zone.Path, p.Stderr);
        Assert.Contains("CNAME", p.Stderr);
    }

    [Fact]
    public async Task Missing_zone_file_exits_1()
    {
        using var p = ProcessRunner.StartAkkaDns("serve", "--zone", "/nonexistent/zone.file", "--listen", "127.0.0.1:0");
        Assert.Equal(1, await p.WaitForExitAsync(Wait));
        Assert.Contains("/nonexistent/zone.file", p.Stderr);
    }

    [Theory]
    [InlineData(ProcessRunner.SIGTERM)]
    [InlineData(ProcessRunner.SIGINT)]
    public async Task Signal_stops_the_server_cleanly_with_exit_0(int signal)
    {
        using var zone = new ServeZone();
        var (p, endpoint) = await ProcessRunner.StartServeAsync([$"{ServeZone.Origin}={zone.Path}"]);
        using (p)
        {
            Assert.Single(p.StdoutLines, l => l.StartsWith(ProcessRunner.ListeningPrefix)); // exactly one line
            Assert.Equal("127.0.0.1", endpoint.Address.ToString());
            p.Signal(signal);
            Assert.Equal(0, await p.WaitForExitAsync(Wait));
            Assert.Contains("stopped", p.Stderr);
        }
    }
}
