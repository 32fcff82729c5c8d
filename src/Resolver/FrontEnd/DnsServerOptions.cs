using System.Net;
using AkkaDns.Resolver.RateLimiting;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>Where and how the front end listens. Defaults follow common authoritative-server practice.</summary>
public sealed record DnsServerOptions
{
    /// <summary>One endpoint for both UDP and TCP; port 0 picks a free port that both transports share.</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 5300);
    /// <summary>UDP receive loops (one thread each); default one per core.</summary>
    public int UdpLoops { get; init; } = Environment.ProcessorCount;
    /// <summary>On Linux, give each loop its own SO_REUSEPORT socket (the kernel spreads clients over them);
    /// otherwise, or when false, all loops share one socket.</summary>
    public bool ReusePort { get; init; } = true;
    /// <summary>A TCP connection with no complete query for this long is closed (RFC 7766 §6.2.3 suggests seconds).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Open TCP connections allowed at once; further connections are closed as soon as accepted.</summary>
    public int MaxTcpConnections { get; init; } = 256;
    /// <summary>Queries answered on one TCP connection before it is closed (bounds what one client can hold).</summary>
    public int MaxQueriesPerTcpConnection { get; init; } = 10_000;
    /// <summary>On 64-bit Linux, datagrams moved per recvmmsg/sendmmsg call (Knot's default is 64); 1 uses the
    /// portable one-packet-per-call loop.</summary>
    public int UdpBatch { get; init; } = 32;
    /// <summary>A UDP send that cannot complete in this time is abandoned so the loop moves on.</summary>
    public TimeSpan UdpSendTimeout { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Response rate limiting on UDP (on by default, loopback sources exempt by default). TCP is never
    /// limited: a TCP client has proved its address, so it cannot be a spoofed amplification victim.</summary>
    public RateLimitOptions RateLimit { get; init; } = new();
    /// <summary>When set, a query is answered only while this lease is valid and dropped (counted as dropped; a TCP
    /// connection is closed) once it lapsed: an edge that cannot know it is current answers nothing. Null: always.</summary>
    public ServingLease? Lease { get; init; }
}
