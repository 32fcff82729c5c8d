using System.Net;
using System.Net.Sockets;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// The DNS front end: UDP and TCP listeners on one endpoint, both answering through one <see cref="IQueryHandler"/>.
/// With port 0, UDP binds first and TCP takes the same port (retrying with a fresh port if TCP's is taken), so
/// one <see cref="LocalEndPoint"/> serves both. Start once, stop once; stopping closes every socket and waits
/// for the loops to end.
/// </summary>
public sealed class DnsServer : IAsyncDisposable
{
    private const int BindAttempts = 20;
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly IQueryHandler _handler;
    private readonly DnsServerOptions _options;
    private UdpFrontEnd? _udp;
    private TcpFrontEnd? _tcp;
    private int _state; // 0 new, 1 running, 2 stopped

    public DnsServer(IQueryHandler handler, DnsServerOptions? options = null)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? new DnsServerOptions();
    }

    public DnsServerOptions Options => _options;

    /// <summary>The endpoint both transports listen on (the real port when started on port 0).</summary>
    public IPEndPoint LocalEndPoint => _udp?.LocalEndPoint ?? throw new InvalidOperationException("the server is not started");

    public bool IsRunning => Volatile.Read(ref _state) == 1;

    public int OpenTcpConnections => _tcp?.OpenConnections ?? 0;

    public DnsServerCounters Counters
    {
        get
        {
            var u = _udp?.Totals() ?? default;
            var t = _tcp?.Totals() ?? default;
            return new DnsServerCounters(u.Queries, u.Responses, u.Dropped, u.Errors, t.Accepted, t.Rejected, t.Queries, t.Errors,
                u.RateLimited, u.Slipped);
        }
    }

    /// <summary>Binds both transports and starts serving. Throws <see cref="SocketException"/> when the endpoint is taken.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("a DnsServer starts only once");
        try
        {
            (_udp, _tcp) = Bind();
        }
        catch
        {
            Volatile.Write(ref _state, 2);
            throw;
        }
        _udp.Start();
        _tcp.Start();
        return Task.CompletedTask;
    }

    private (UdpFrontEnd, TcpFrontEnd) Bind()
    {
        var requested = _options.Endpoint;
        for (int attempt = 1; ; attempt++)
        {
            var udp = UdpFrontEnd.Bind(_handler, requested, _options);
            try
            {
                var tcp = TcpFrontEnd.Bind(_handler, udp.LocalEndPoint, _options);
                return (udp, tcp);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && requested.Port == 0 && attempt < BindAttempts)
            {
                // The free UDP port the OS gave us is taken for TCP: try another one.
                udp.DisposeUnstarted();
            }
            catch
            {
                udp.DisposeUnstarted();
                throw;
            }
        }
    }

    /// <summary>Stops both transports; safe to call more than once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) return;
        var tcpStop = _tcp!.StopAsync(StopWait);
        // Joining the UDP threads blocks, so do it off the caller's thread.
        await Task.Run(() => _udp!.Stop(StopWait), CancellationToken.None).ConfigureAwait(false);
        await tcpStop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
