namespace AkkaDns.Resolver.FrontEnd;

/// <summary>A snapshot of what the front end has done since it started.</summary>
public sealed record DnsServerCounters(
    long UdpQueries, long UdpResponses, long UdpDropped, long UdpErrors,
    long TcpConnections, long TcpRejected, long TcpQueries, long TcpErrors);

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
}
