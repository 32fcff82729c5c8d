using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.RateLimiting;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// The UDP side (on Linux, each loop is a <see cref="UdpBatchLoop"/> moving batches with recvmmsg/sendmmsg; the
/// loop below is the portable one): N receive loops on dedicated threads, each with its own receive buffer, response buffer and
/// <see cref="SocketAddress"/>, reused for every packet, so the steady state allocates nothing (NSD and
/// Technitium run one loop per core the same way). A packet that makes the handler or the send fail is counted
/// and forgotten; nothing but stopping ends a loop. Every answer passes the shared response rate limiter (when
/// enabled) before it is sent: dropped, sent, or sent truncated ("slipped").
/// </summary>
internal sealed class UdpFrontEnd
{
    private const int MaxUdpMessage = 65535;
    private readonly IQueryHandler _handler;
    private readonly IDeferredQueryHandler? _deferred;
    private readonly Socket[] _sockets;
    private readonly Thread[] _threads;
    private readonly UdpLoopCounters[] _counters;
    private readonly ResponseRateLimiter? _limiter;
    private readonly int _batch;
    private volatile bool _stopping;

    private readonly ServingLease? _lease;

    private UdpFrontEnd(IQueryHandler handler, Socket[] sockets, int loops, RateLimitOptions rateLimit, int batch, ServingLease? lease)
    {
        _batch = batch;
        _lease = lease;
        _handler = handler;
        _deferred = handler as IDeferredQueryHandler;
        _limiter = rateLimit.Enabled ? new ResponseRateLimiter(rateLimit) : null;
        _sockets = sockets;
        _threads = new Thread[loops];
        _counters = new UdpLoopCounters[loops];
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_sockets[0].LocalEndPoint!;

    /// <summary>
    /// Binds the UDP sockets on <paramref name="endpoint"/> (port 0: the first socket picks the port and the others
    /// join it). With SO_REUSEPORT on Linux there is one socket per loop, else one socket shared by every loop.
    /// </summary>
    public static UdpFrontEnd Bind(IQueryHandler handler, IPEndPoint endpoint, DnsServerOptions options)
    {
        int loops = Math.Max(1, options.UdpLoops);
        bool reusePort = options.ReusePort && OperatingSystem.IsLinux() && loops > 1;
        var sockets = new Socket[reusePort ? loops : 1];
        try
        {
            var ep = endpoint;
            for (int i = 0; i < sockets.Length; i++)
            {
                var s = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                sockets[i] = s;
                if (reusePort) EnableReusePort(s);
                s.SendTimeout = (int)Math.Max(1, options.UdpSendTimeout.TotalMilliseconds);
                // Room for bursts while a loop is busy; the kernel caps it at net.core.rmem_max.
                s.ReceiveBufferSize = 4 * 1024 * 1024;
                s.Bind(ep);
                ep = (IPEndPoint)s.LocalEndPoint!; // later sockets join the port the first one got
            }
        }
        catch
        {
            foreach (var s in sockets) s?.Dispose();
            throw;
        }
        return new UdpFrontEnd(handler, sockets, loops, options.RateLimit, options.UdpBatch, options.Lease);
    }

    /// <summary>setsockopt(SOL_SOCKET, SO_REUSEPORT, 1) before bind (Linux values: SOL_SOCKET = 1, SO_REUSEPORT = 15).</summary>
    private static void EnableReusePort(Socket s)
    {
        const int SolSocket = 1, SoReusePort = 15;
        Span<byte> one = [1, 0, 0, 0];
        s.SetRawSocketOption(SolSocket, SoReusePort, one);
    }

    public void Start()
    {
        for (int i = 0; i < _threads.Length; i++)
        {
            var socket = _sockets[i % _sockets.Length];
            var counters = _counters[i] = new UdpLoopCounters();
            var batch = _batch > 1 && LinuxMmsg.IsSupported
                ? new UdpBatchLoop(socket, _handler, _limiter, counters, () => _stopping, _batch, _lease) : null;
            _threads[i] = new Thread(() =>
            {
                if (batch is null) { ReceiveLoop(socket, counters); return; }
                try { batch.Run(); }
                finally { batch.Dispose(); }
            })
            { IsBackground = true, Name = $"dns-udp-{i}" };
            _threads[i].Start();
        }
    }

    private void ReceiveLoop(Socket socket, UdpLoopCounters counters)
    {
        var receive = new byte[MaxUdpMessage];
        var send = new byte[MaxUdpMessage];
        var family = socket.AddressFamily;
        var remote = new SocketAddress(family, SocketAddress.GetMaximumAddressSize(family));
        var limiter = _limiter;
        // Where the source address sits in the raw sockaddr (Linux and Windows layouts agree): sockaddr_in has
        // family(2) port(2) then the IPv4 address; sockaddr_in6 has family(2) port(2) flowinfo(4) then 16 bytes.
        int addressOffset = family == AddressFamily.InterNetworkV6 ? 8 : 4;
        int addressLength = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        int failuresInARow = 0;
        while (!_stopping)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(receive, SocketFlags.None, remote);
                failuresInARow = 0;
            }
            catch (Exception) when (_stopping) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException)
            {
                // e.g. an ICMP error reported on the socket: not fatal for the loop. A socket that fails every
                // time must not spin a core, so back off a little after many failures in a row.
                counters.Errors++;
                if (++failuresInARow > 100) Thread.Sleep(1);
                continue;
            }
            if (_stopping) break;
            counters.Queries++;
            // Fenced (the edge cannot know it is current): checked per query, so a process that wakes from a freeze
            // drops what queued up meanwhile instead of answering it from old data.
            if (_lease is { IsValid: false }) { counters.Dropped++; continue; }
            try
            {
                if (_deferred is not null && DeferredResponses.TryDeferUdp(_deferred, socket, receive.AsSpan(0, received), remote, remote.Size)) continue;
                int length = _handler.Handle(receive.AsSpan(0, received), send, new QueryContext(Transport.Udp) { RemoteAddress = remote });
                if (length < 0) { counters.Dropped++; continue; }
                bool slipped = false;
                if (limiter is not null
                    && !RateLimitAllows(limiter, remote.Buffer.Span.Slice(addressOffset, addressLength), send, ref length, ref slipped, counters))
                    continue;
                socket.SendTo(send.AsSpan(0, length), SocketFlags.None, remote);
                if (slipped) counters.Slipped++; else counters.Responses++;
            }
            catch (Exception) when (_stopping) { break; }
            catch (Exception)
            {
                // a handler bug or a send that failed or timed out: count it, drop this packet, keep serving
                counters.Errors++;
            }
        }
    }

    /// <summary>
    /// Asks the limiter about one answer to <paramref name="address"/> (4 or 16 bytes from the sockaddr). False: drop
    /// it (counted). True: send it, truncated in place to a slip when <paramref name="slipped"/> comes back true.
    /// </summary>
    internal static bool RateLimitAllows(ResponseRateLimiter limiter, ReadOnlySpan<byte> address, Span<byte> response,
        ref int length, ref bool slipped, UdpLoopCounters counters)
    {
        if (limiter.IsExempt(address)) return true;
        var kind = ResponseKinds.Classify(response[..length]);
        switch (limiter.Check(address, kind, Stopwatch.GetTimestamp()))
        {
            case RateLimitDecision.Drop:
                counters.RateLimited++;
                return false;
            case RateLimitDecision.Slip:
                length = ResponseRateLimiter.MakeSlip(response, length);
                if (length < 0) { counters.RateLimited++; return false; }
                slipped = true;
                return true;
            default:
                return true;
        }
    }

    public (long Queries, long Responses, long Dropped, long Errors, long RateLimited, long Slipped) Totals()
    {
        long q = 0, r = 0, d = 0, e = 0, l = 0, s = 0;
        foreach (var c in _counters)
        {
            if (c is null) continue;
            q += Volatile.Read(ref c.Queries); r += Volatile.Read(ref c.Responses);
            d += Volatile.Read(ref c.Dropped); e += Volatile.Read(ref c.Errors);
            l += Volatile.Read(ref c.RateLimited); s += Volatile.Read(ref c.Slipped);
        }
        return (q, r, d, e, l, s);
    }

    /// <summary>Closes the sockets (which wakes loops blocked in receive) and waits for the threads.</summary>
    public void Stop(TimeSpan wait)
    {
        _stopping = true;
        foreach (var s in _sockets)
        {
            try { s.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            s.Dispose();
        }
        var deadline = DateTime.UtcNow + wait;
        foreach (var t in _threads)
        {
            if (t is null) continue;
            var left = deadline - DateTime.UtcNow;
            t.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    public void DisposeUnstarted()
    {
        foreach (var s in _sockets) s.Dispose();
    }
}
