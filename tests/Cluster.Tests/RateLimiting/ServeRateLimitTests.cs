using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AkkaDns.Cluster.Tests.Serve;
using AkkaDns.Cluster.Tests.Support;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.Tests.RateLimiting;

/// <summary>
/// Response rate limiting in a real <c>akkadns serve</c> process: a UDP flood from 127.0.0.2 gets its rate's worth of
/// full answers plus every 2nd limited answer as a truncated slip, while 127.0.0.3, querying at the same time, is
/// answered in full. Bounds come from the rate and the measured elapsed time, so a slow machine cannot fail the test
/// (it only widens the allowed number of full answers).
/// </summary>
public sealed class ServeRateLimitTests
{
    private const int Rate = 5, Slip = 2, Flood = 300, Quiet = 5;

    [Fact]
    public async Task A_flood_from_one_source_is_limited_and_slipped_while_another_source_is_answered_in_full()
    {
        using var zone = new ServeZone();
        var (p, endpoint) = await ProcessRunner.StartServeAsync([zone.Path],
            ["--rrl-rate", $"{Rate}", "--rrl-slip", $"{Slip}", "--rrl-window", "1", "--rrl-ipv4-prefix", "32", "--rrl-limit-loopback"]);
        using var _ = p;
        using var flooder = Bound("127.0.0.2");
        using var quiet = Bound("127.0.0.3");
        byte[] query = DnsMessage.CreateQuery(DnsName.Parse("www.example.test."), RecordType.A, id: 7).Encode();

        var clock = Stopwatch.StartNew();
        var floodReplies = Task.Run(() => Collect(flooder));
        var quietReplies = Task.Run(() => Collect(quiet));
        for (int i = 0; i < Flood; i++)
        {
            flooder.SendTo(query, endpoint);
            // The quiet source sends its few queries spread through the flood (never more than its bucket holds).
            if (i % (Flood / Quiet) == 0) quiet.SendTo(query, endpoint);
        }
        var (full, slipped) = await floodReplies;
        var (quietFull, quietSlipped) = await quietReplies;
        double elapsed = clock.Elapsed.TotalSeconds;

        // 127.0.0.3: every query answered in full.
        Assert.Equal(Quiet, quietFull);
        Assert.Equal(0, quietSlipped);

        // 127.0.0.2: the bucket starts with rate × window tokens and earns `Rate` per whole second that passed.
        int maxFull = Rate * (1 + (int)Math.Ceiling(elapsed));
        Assert.InRange(full, Rate, maxFull);
        int limited = Flood - full;
        Assert.Equal(limited / Slip, slipped); // every 2nd limited response slips, the rest are dropped

        // The server's own counters agree with what the clients saw.
        p.Signal(ProcessRunner.SIGTERM);
        Assert.Equal(0, await p.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        var line = p.StderrLines.Single(l => l.Contains("counters ", StringComparison.Ordinal));
        Assert.Equal(Flood + Quiet, Counter(line, "udp-queries"));
        Assert.Equal(full + Quiet, Counter(line, "udp-responses"));
        Assert.Equal(slipped, Counter(line, "udp-slipped"));
        Assert.Equal(limited - slipped, Counter(line, "udp-rate-limited"));
    }

    [Theory]
    [InlineData("--rrl-rate", "0")]
    [InlineData("--rrl-slip", "-1")]
    [InlineData("--rrl-window", "0")]
    [InlineData("--rrl-ipv4-prefix", "33")]
    [InlineData("--udp-batch", "0")]
    public async Task A_bad_rate_limit_setting_stops_start_up_naming_the_option(string option, string value)
    {
        using var zone = new ServeZone();
        using var p = ProcessRunner.StartAkkaDns("serve", "--zone", zone.Path, "--listen", "127.0.0.1:0", option, value);
        Assert.Equal(2, await p.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"{option} {value}", p.Stderr);
    }

    private static Socket Bound(string address)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        s.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return s;
    }

    /// <summary>Reads replies until none comes for a second (bounded overall): full answers vs TC=1 slips.</summary>
    private static (int Full, int Slipped) Collect(Socket socket)
    {
        socket.ReceiveTimeout = 1000;
        var buffer = new byte[4096];
        int full = 0, slipped = 0;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            int n;
            try { n = socket.Receive(buffer); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut) { break; }
            var r = DnsMessage.Parse(buffer.AsSpan(0, n));
            if (r.Truncated)
            {
                Assert.Empty(r.Answers);       // a slip carries the question only
                Assert.Single(r.Questions);
                slipped++;
            }
            else
            {
                Assert.Single(r.Answers);
                full++;
            }
        }
        return (full, slipped);
    }

    private static long Counter(string line, string name)
    {
        var m = Regex.Match(line, $@"\b{Regex.Escape(name)}=(\d+)");
        Assert.True(m.Success, $"no {name} in '{line}'");
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
