using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Cluster.Tests.Support;
using AkkaDns.Resolver.Wire;
using DnsClient;
using DnsClient.Protocol;

namespace AkkaDns.Cluster.Tests.Serve;

/// <summary>One <c>akkadns serve</c> process for the class (starting one costs about a second).</summary>
public sealed class ServeProcessFixture : IAsyncLifetime
{
    private readonly ServeZone _zone = new();
    public ProcessRunner Process { get; private set; } = null!;
    public IPEndPoint Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
        => (Process, Endpoint) = await ProcessRunner.StartServeAsync([_zone.Path], ["--tcp-idle-timeout", "0.5"]);

    public Task DisposeAsync()
    {
        Process?.Dispose();
        _zone.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>A live <c>akkadns serve</c> answers independent clients (DnsClient, dig, raw sockets) over UDP and TCP.</summary>
public sealed class ServeQueryTests(ServeProcessFixture server) : IClassFixture<ServeProcessFixture>
{
    private LookupClient Client(bool tcp) => new(new LookupClientOptions(new NameServer(server.Endpoint))
    {
        UseCache = false, Recursion = false, UseTcpOnly = tcp, UseTcpFallback = false,
        Timeout = TimeSpan.FromSeconds(2), Retries = 0, ThrowDnsErrors = false, ContinueOnDnsError = false,
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DnsClient_gets_an_authoritative_answer(bool tcp)
    {
        var r = await Client(tcp).QueryAsync("www.example.test", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.True(r.Header.HasAuthorityAnswer);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(r.Answers.ARecords()).Address);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DnsClient_sees_nxdomain_with_the_soa(bool tcp)
    {
        var r = await Client(tcp).QueryAsync("nothing.example.test", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, r.Header.ResponseCode);
        Assert.Single(r.Authorities.SoaRecords());
    }

    [Fact]
    public async Task DnsClient_follows_the_cname_and_sees_referrals()
    {
        var cname = await Client(false).QueryAsync("alias.example.test", QueryType.A);
        Assert.Single(cname.Answers.CnameRecords());
        Assert.Single(cname.Answers.ARecords());

        var referral = await Client(false).QueryAsync("host.sub.example.test", QueryType.A);
        Assert.False(referral.Header.HasAuthorityAnswer);
        Assert.Empty(referral.Answers);
        Assert.Equal("ns.sub.example.test.", Assert.Single(referral.Authorities.NsRecords()).NSDName.Value);
        Assert.Single(referral.Additionals.ARecords());
    }

    [Fact]
    public async Task Name_outside_every_zone_is_refused()
    {
        var r = await Client(false).QueryAsync("www.example.org", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.Refused, r.Header.ResponseCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+tcp")]
    public async Task Dig_gets_the_answer(string transport)
    {
        var output = await Dig("www.example.test", "A", transport);
        Assert.Contains("status: NOERROR", output);
        Assert.Matches(@"flags: qr aa[; ]", output);
        Assert.Matches(@"www\.example\.test\.\s+3600\s+IN\s+A\s+192\.0\.2\.1", output);
    }

    [Fact]
    public async Task Dig_sees_nxdomain_and_mx_additional_data()
    {
        Assert.Contains("status: NXDOMAIN", await Dig("nope.example.test", "A"));
        var mx = await Dig("example.test", "MX");
        Assert.Matches(@"example\.test\.\s+3600\s+IN\s+MX\s+10 mail\.example\.test\.", mx);
        Assert.Matches(@"mail\.example\.test\.\s+3600\s+IN\s+A\s+192\.0\.2\.25", mx);
    }

    private async Task<string> Dig(string name, string type, string extra = "")
    {
        var args = new List<string> { "@" + server.Endpoint.Address, "-p", server.Endpoint.Port.ToString(), name, type, "+norec", "+time=2", "+tries=1" };
        if (extra.Length > 0) args.Add(extra);
        var psi = new ProcessStartInfo("/usr/bin/dig") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await p.WaitForExitAsync(cts.Token);
        var text = await stdout;
        Assert.True(p.ExitCode == 0, $"dig exited {p.ExitCode}: {text}{await p.StandardError.ReadToEndAsync()}");
        return text;
    }

    [Fact]
    public async Task Several_queries_on_one_tcp_connection_are_answered_in_order()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(server.Endpoint);
        string[] names = ["www.example.test.", "mail.example.test.", "ns1.example.test.", "nope.example.test."];
        // all four in one write (pipelined), then read the four answers back
        var batch = new List<byte>();
        for (int i = 0; i < names.Length; i++)
        {
            var q = DnsMessage.CreateQuery(DnsName.Parse(names[i]), RecordType.A, id: (ushort)(100 + i)).Encode();
            batch.AddRange([(byte)(q.Length >> 8), (byte)q.Length, .. q]);
        }
        await tcp.SendAsync(batch.ToArray());
        for (int i = 0; i < names.Length; i++)
        {
            var r = DnsMessage.Parse(await ReadFrame(tcp) ?? throw new Xunit.Sdk.XunitException($"connection closed before answer {i + 1}"));
            Assert.Equal(100 + i, r.Id);
            Assert.Equal(names[i], r.Questions[0].Name.ToString());
            Assert.Equal(i == 3 ? Rcode.NXDomain : Rcode.NoError, r.Rcode);
        }
    }

    [Fact]
    public async Task Idle_tcp_connection_is_closed_after_the_configured_timeout()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(server.Endpoint);
        var sw = Stopwatch.StartNew();
        Assert.Null(await ReadFrame(tcp)); // server closes after 0.5 s of silence
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Udp_query_with_our_codec_round_trips()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(server.Endpoint);
        var query = DnsMessage.CreateQuery(DnsName.Parse("WwW.ExAmPlE.TeSt."), RecordType.AAAA, id: 4242, ednsPayload: 1232);
        await udp.SendAsync(query.Encode());
        var buf = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        int n = await udp.ReceiveAsync(buf, SocketFlags.None, cts.Token);
        var r = DnsMessage.Parse(buf.AsSpan(0, n));
        Assert.Equal(4242, r.Id);
        Assert.Equal("WwW.ExAmPlE.TeSt.", r.Questions[0].Name.ToString()); // question echoed as sent (0x20)
        Assert.NotNull(r.Edns);
        Assert.Equal(IPAddress.Parse("2001:db8::1").GetAddressBytes(), Assert.Single(r.Answers).RData);
    }

    private static async Task<byte[]?> ReadFrame(Socket s)
    {
        var len = new byte[2];
        if (!await ReadExactly(s, len)) return null;
        var msg = new byte[len[0] << 8 | len[1]];
        return await ReadExactly(s, msg) ? msg : null;
    }

    private static async Task<bool> ReadExactly(Socket s, byte[] buf)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int read = 0;
        while (read < buf.Length)
        {
            int n;
            try { n = await s.ReceiveAsync(buf.AsMemory(read), SocketFlags.None, cts.Token); }
            catch (SocketException) { return false; }
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
