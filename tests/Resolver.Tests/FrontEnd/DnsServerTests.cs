using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.FrontEnd;

// Not "...Tests.FrontEnd": that namespace would shadow AkkaDns.Resolver.FrontEnd for "FrontEnd.X" references in sibling test namespaces.
namespace AkkaDns.Resolver.Tests.FrontEndTests;

/// <summary>
/// Answers by echoing the query with QR set. First byte 0xFF: drop (return -1); 0xEE: throw, to prove a bad
/// packet never kills a loop. Records, per call, the bytes its thread has allocated so far.
/// </summary>
internal sealed class EchoHandler : IQueryHandler
{
    public readonly long[] AllocatedAtCall = new long[4096];
    public readonly int[] ThreadAtCall = new int[4096];
    public int Calls;
    public volatile Transport LastTransport;
    public volatile bool SawRemoteAddress;

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context)
    {
        int i = Interlocked.Increment(ref Calls) - 1;
        if (i < AllocatedAtCall.Length)
        {
            AllocatedAtCall[i] = GC.GetAllocatedBytesForCurrentThread();
            ThreadAtCall[i] = Environment.CurrentManagedThreadId;
        }
        LastTransport = context.Transport;
        SawRemoteAddress = context.RemoteAddress is { Size: > 0 };
        if (query.Length >= 1 && query[0] == 0xFF) return -1;
        if (query.Length >= 1 && query[0] == 0xEE) throw new InvalidOperationException("handler bug");
        query.CopyTo(response);
        if (query.Length > 2) response[2] |= 0x80;
        return query.Length;
    }
}

public sealed class DnsServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly EchoHandler _handler = new();
    private DnsServer _server = null!;
    private DnsServerOptions _options = new() { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 2 };

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() { if (_server is not null) await _server.DisposeAsync(); }

    private async Task<IPEndPoint> Start(Func<DnsServerOptions, DnsServerOptions>? tweak = null)
    {
        if (tweak is not null) _options = tweak(_options);
        _server = new DnsServer(_handler, _options);
        await _server.StartAsync();
        return _server.LocalEndPoint;
    }

    private static byte[] Query(ushort id, byte first = 0x12, int length = 17)
    {
        var q = new byte[length];
        q[0] = first; q[1] = (byte)id; // first byte doubles as the control byte of EchoHandler
        q[length - 1] = 0x5A;
        return q;
    }

    private static Socket UdpClient(IPEndPoint server)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        s.Connect(server);
        return s;
    }

    private static byte[]? UdpAsk(Socket s, byte[] query, int timeoutMs = 1000)
    {
        s.ReceiveTimeout = timeoutMs;
        var buf = new byte[65535];
        try { s.Send(query); int n = s.Receive(buf); return buf[..n]; }
        // no answer: timed out, or nobody listens any more (ICMP port unreachable on a connected socket)
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionRefused) { return null; }
    }

    private static async Task<Socket> TcpConnect(IPEndPoint server)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(server).WaitAsync(Timeout);
        return s;
    }

    private static byte[] Frame(byte[] q) => [(byte)(q.Length >> 8), (byte)q.Length, .. q];

    /// <summary>Reads one framed message, or null when the server closed the connection.</summary>
    private static async Task<byte[]?> ReadFrame(Socket s)
    {
        var len = new byte[2];
        if (!await ReadExactly(s, len)) return null;
        var msg = new byte[len[0] << 8 | len[1]];
        return await ReadExactly(s, msg) ? msg : null;
    }

    private static async Task<bool> ReadExactly(Socket s, byte[] buf)
    {
        int read = 0;
        using var cts = new CancellationTokenSource(Timeout);
        while (read < buf.Length)
        {
            int n;
            try { n = await s.ReceiveAsync(buf.AsMemory(read), SocketFlags.None, cts.Token); }
            catch (SocketException) { return false; } // reset by the server counts as closed
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private static byte[] Echo(byte[] q) { var r = (byte[])q.Clone(); r[2] |= 0x80; return r; }

    [Fact]
    public async Task Udp_and_tcp_share_one_port_chosen_by_the_os()
    {
        var ep = await Start();
        Assert.NotEqual(0, ep.Port);
        using var udp = UdpClient(ep);
        Assert.Equal(Echo(Query(1)), UdpAsk(udp, Query(1)));
        Assert.Equal(Transport.Udp, _handler.LastTransport);
        Assert.True(_handler.SawRemoteAddress);
        using var tcp = await TcpConnect(ep);
        await tcp.SendAsync(Frame(Query(2)));
        Assert.Equal(Echo(Query(2)), await ReadFrame(tcp));
        Assert.Equal(Transport.Tcp, _handler.LastTransport);
    }

    [Fact]
    public async Task Udp_loop_survives_dropped_and_throwing_packets()
    {
        var ep = await Start();
        using var udp = UdpClient(ep);
        Assert.Null(UdpAsk(udp, Query(1, first: 0xFF), 300));
        Assert.Null(UdpAsk(udp, Query(2, first: 0xEE), 300));
        Assert.Equal(Echo(Query(3)), UdpAsk(udp, Query(3)));
        await WaitUntil(() => _server.Counters.UdpResponses == 1); // counted just after the send, so maybe after we read
        var c = _server.Counters;
        Assert.Equal(3, c.UdpQueries);
        Assert.Equal(1, c.UdpResponses);
        Assert.Equal(1, c.UdpDropped);
        Assert.Equal(1, c.UdpErrors);
    }

    [Fact]
    public async Task Udp_steady_state_allocates_nothing_per_packet()
    {
        var ep = await Start(o => o with { UdpLoops = 1 });
        using var udp = UdpClient(ep);
        const int warmup = 200, measured = 500;
        for (int i = 0; i < warmup + measured; i++) Assert.NotNull(UdpAsk(udp, Query((ushort)i)));
        Assert.All(_handler.ThreadAtCall[..(warmup + measured)], t => Assert.Equal(_handler.ThreadAtCall[0], t));
        long allocated = _handler.AllocatedAtCall[warmup + measured - 1] - _handler.AllocatedAtCall[warmup];
        Assert.True(allocated < measured, $"the UDP loop allocated {allocated} bytes over {measured} packets");
    }

    [Theory]
    [InlineData(1)]   // the portable one-packet loop
    [InlineData(32)]  // the recvmmsg batch loop
    public async Task A_lapsed_lease_drops_every_query_on_udp_and_tcp_until_it_is_extended_again(int batch)
    {
        var lease = new ServingLease(TimeSpan.FromMinutes(1));
        var ep = await Start(o => o with { Lease = lease, UdpBatch = batch, UdpLoops = 1 });
        using var udp = UdpClient(ep);
        Assert.Equal(Echo(Query(1)), UdpAsk(udp, Query(1)));
        using (var tcp = await TcpConnect(ep))
        {
            await tcp.SendAsync(Frame(Query(2)));
            Assert.Equal(Echo(Query(2)), await ReadFrame(tcp));

            lease.Revoke();
            int calls = _handler.Calls;
            Assert.Null(UdpAsk(udp, Query(3), timeoutMs: 300));
            await tcp.SendAsync(Frame(Query(4)));
            Assert.Null(await ReadFrame(tcp)); // fenced: the connection is closed, nothing answered
            Assert.Equal(calls, _handler.Calls); // the handler never saw the fenced queries
        }

        // A lease that ran out by the clock (a process waking from a freeze) drops too, without anyone revoking it.
        lease.ExtendTo(ServingLease.Now + ServingLease.Ticks(TimeSpan.FromMilliseconds(50)));
        await Task.Delay(100);
        Assert.False(lease.IsValid);
        Assert.Null(UdpAsk(udp, Query(5), timeoutMs: 300));

        lease.ExtendTo(ServingLease.Now + ServingLease.Ticks(TimeSpan.FromMinutes(1)));
        Assert.Equal(Echo(Query(6)), UdpAsk(udp, Query(6)));
    }

    [Fact]
    public void A_lease_is_never_shortened_by_an_older_grant()
    {
        var lease = new ServingLease();
        Assert.False(lease.IsValid);
        var far = ServingLease.Now + ServingLease.Ticks(TimeSpan.FromMinutes(1));
        lease.ExtendTo(far);
        lease.ExtendTo(far - 1000);
        Assert.Equal(far, lease.Until);
        lease.Revoke();
        Assert.False(lease.IsValid);
    }

    [Fact]
    public async Task Tcp_answers_several_queries_on_one_connection_in_any_segmentation()
    {
        var ep = await Start();
        using var tcp = await TcpConnect(ep);
        // one query split over two writes, then two queries in one write, then a large one
        var f1 = Frame(Query(1));
        await WaitUntil(() => _server.Counters.TcpConnections == 1);
        await tcp.SendAsync(f1[..1]); // half the length prefix
        await AssertNothingArrives(tcp);
        await tcp.SendAsync(f1[1..5]); // the rest of the prefix and 3 of the 17 bytes
        await AssertNothingArrives(tcp);
        Assert.Equal(0, _handler.Calls); // the server waited: nothing reached the handler before the frame was whole
        await tcp.SendAsync(f1[5..]);
        Assert.Equal(Echo(Query(1)), await ReadFrame(tcp));
        byte[] two = [.. Frame(Query(2)), .. Frame(Query(3))];
        await tcp.SendAsync(two);
        Assert.Equal(Echo(Query(2)), await ReadFrame(tcp));
        Assert.Equal(Echo(Query(3)), await ReadFrame(tcp));
        var big = Query(4, length: 65535);
        await tcp.SendAsync(Frame(big));
        Assert.Equal(Echo(big), await ReadFrame(tcp));
        Assert.Equal(4, _server.Counters.TcpQueries);
    }

    [Fact]
    public async Task Tcp_connection_idle_past_the_timeout_is_closed()
    {
        var ep = await Start(o => o with { TcpIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var tcp = await TcpConnect(ep);
        await tcp.SendAsync(Frame(Query(1)));
        Assert.NotNull(await ReadFrame(tcp));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.Null(await ReadFrame(tcp)); // closed by the server, not by our 3 s read timeout
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(2500));
    }

    [Fact]
    public async Task Tcp_connections_beyond_the_limit_are_closed_at_once()
    {
        var ep = await Start(o => o with { MaxTcpConnections = 2 });
        using var a = await TcpConnect(ep);
        using var b = await TcpConnect(ep);
        foreach (var s in new[] { a, b })
        {
            await s.SendAsync(Frame(Query(1)));
            Assert.NotNull(await ReadFrame(s));
        }
        // The third is accepted by the kernel, then reset by the server at once: connect itself may already see the reset.
        try
        {
            using var c = await TcpConnect(ep);
            await c.SendAsync(Frame(Query(2))).ContinueWith(_ => { });
            Assert.Null(await ReadFrame(c));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset) { }
        Assert.Equal(1, _server.Counters.TcpRejected);

        a.Dispose();
        await WaitUntil(() => _server.OpenTcpConnections == 1);
        using var d = await TcpConnect(ep);
        await d.SendAsync(Frame(Query(3)));
        Assert.Equal(Echo(Query(3)), await ReadFrame(d));
    }

    [Fact]
    public async Task Tcp_connection_is_closed_after_its_query_cap()
    {
        var ep = await Start(o => o with { MaxQueriesPerTcpConnection = 2 });
        using var tcp = await TcpConnect(ep);
        for (ushort i = 0; i < 2; i++)
        {
            await tcp.SendAsync(Frame(Query(i)));
            Assert.NotNull(await ReadFrame(tcp));
        }
        await tcp.SendAsync(Frame(Query(3))).ContinueWith(_ => { });
        Assert.Null(await ReadFrame(tcp));
    }

    [Fact]
    public async Task Stop_closes_both_transports_quickly()
    {
        var ep = await Start();
        using var tcp = await TcpConnect(ep);
        await tcp.SendAsync(Frame(Query(1)));
        Assert.NotNull(await ReadFrame(tcp));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await _server.StopAsync();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"stop took {sw.Elapsed}");
        Assert.False(_server.IsRunning);
        Assert.Null(await ReadFrame(tcp));
        using var udp = UdpClient(ep);
        Assert.Null(UdpAsk(udp, Query(2), 300));
        await Assert.ThrowsAnyAsync<SocketException>(() => TcpConnect(ep));
        await _server.StopAsync(); // twice is fine
    }

    [Fact]
    public async Task Starting_on_a_taken_port_fails_with_address_in_use()
    {
        var ep = await Start();
        // Same options: the second server's UDP sockets may join the SO_REUSEPORT group, but its TCP bind
        // must fail, and it must let go of the UDP sockets so the first server keeps all the traffic.
        await using var second = new DnsServer(_handler, _options with { Endpoint = ep });
        var e = await Assert.ThrowsAsync<SocketException>(() => second.StartAsync());
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
        using var udp = UdpClient(ep);
        for (ushort i = 0; i < 20; i++) Assert.Equal(Echo(Query(i)), UdpAsk(udp, Query(i)));
    }

    [Fact]
    public async Task Many_parallel_udp_clients_are_all_answered()
    {
        var ep = await Start(o => o with { UdpLoops = 4 });
        const int clients = 8, each = 50;
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(() =>
        {
            using var udp = UdpClient(ep);
            int answered = 0;
            for (int i = 0; i < each; i++)
            {
                var q = Query((ushort)(c * 1000 + i));
                if (UdpAsk(udp, q) is { } r && r.AsSpan().SequenceEqual(Echo(q))) answered++;
            }
            return answered;
        })).ToArray();
        var answered = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(answered, n => Assert.Equal(each, n));
        await WaitUntil(() => _server.Counters.UdpResponses == clients * each);
    }

    /// <summary>No byte arrives on <paramref name="s"/> within a bounded window (the test fails if one does).</summary>
    private static async Task AssertNothingArrives(Socket s)
    {
        var buf = new byte[1];
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            int n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            Assert.Fail(n == 0 ? "the server closed the connection on a partial frame" : "an answer arrived before the frame was whole");
        }
        catch (OperationCanceledException) { } // nothing within the window: as it should be
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(20);
        }
    }
}
