namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// A snapshot of what the front end has done since it started. <see cref="UdpResponses"/> counts full answers sent;
/// <see cref="UdpRateLimited"/> counts answers the rate limiter dropped and <see cref="UdpSlipped"/> those it sent
/// as truncated (TC=1, question only) instead; <see cref="UdpDropped"/> counts packets the handler refused to answer.
/// </summary>
public sealed record DnsServerCounters(
    long UdpQueries, long UdpResponses, long UdpDropped, long UdpErrors,
    long TcpConnections, long TcpRejected, long TcpQueries, long TcpErrors,
    long UdpRateLimited = 0, long UdpSlipped = 0);

/// <summary>
/// Counters of one UDP loop: written by its own thread only (plain increments, no shared cache line between
/// cores), read as a sum. Padded so two loops' counters never share a cache line.
/// </summary>
internal sealed class UdpLoopCounters
{
#pragma warning disable CS0169 // padding
    private long _pad0, _pad1, _pad2, _pad3, _pad4, _pad5, _pad6, _pad7;
#pragma warning restore CS0169
    public long Queries;
    public long Responses;
    public long Dropped;
    public long Errors;
    public long RateLimited;
    public long Slipped;
}
