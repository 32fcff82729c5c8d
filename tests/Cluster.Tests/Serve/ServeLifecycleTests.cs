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

    private const string OtherZone = """
        $TTL 60
        @    IN SOA ns hostmaster 1 7200 3600 1209600 60
        @    IN NS  ns
        ns   IN A   198.51.100.53
        """;

    [Fact]
    public async Task Several_zones_are_served_side_by_side()
    {
        using var first = new ServeZone();
        using var other = new ServeZone(OtherZone, "other.test.zone"); // origin from the file name
        var (p, endpoint) = await ProcessRunner.StartServeAsync([first.Path, other.Path]);
        using (p)
        {
            var client = new DnsClient.LookupClient(new DnsClient.LookupClientOptions(new DnsClient.NameServer(endpoint))
            { UseCache = false, Recursion = false, Timeout = TimeSpan.FromSeconds(2), Retries = 0, ThrowDnsErrors = false });
            var a = await client.QueryAsync("ns.other.test", DnsClient.QueryType.A);
            Assert.Equal("198.51.100.53", a.Answers.ARecords().Single().Address.ToString());
            var b = await client.QueryAsync("www.example.test", DnsClient.QueryType.A);
            Assert.Equal("192.0.2.1", b.Answers.ARecords().Single().Address.ToString());
        }
    }

    [Fact]
    public async Task The_same_origin_twice_exits_1()
    {
        using var zone = new ServeZone();
        using var p = ProcessRunner.StartAkkaDns("serve", "--zone", zone.Path, "--zone", $"example.test={zone.Path}", "--listen", "127.0.0.1:0");
        Assert.Equal(1, await p.WaitForExitAsync(Wait));
        Assert.Contains("already loaded", p.Stderr);
    }

    [Fact]
    public async Task Bad_listen_address_exits_with_usage_error()
    {
        using var zone = new ServeZone();
        using var p = ProcessRunner.StartAkkaDns("serve", "--zone", zone.Path, "--listen", "localhost");
        Assert.Equal(2, await p.WaitForExitAsync(Wait));
        Assert.Contains("ADDRESS:PORT", p.Stderr);
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
