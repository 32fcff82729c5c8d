using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Resolver.Answering;

public sealed record AnswerOptions
{
    /// <summary>Largest UDP response we send to an EDNS client (RFC 9715 / DNS flag day 2020 default 1232).</summary>
    public int MaxUdpPayload { get; init; } = 1232;
}

/// <summary>
/// Where a query is answered: screens the packet (NSD order), finds the zone, runs the RFC 1034 §4.3.2
/// algorithm against the compiled snapshot and writes the response. Allocation-free in the steady state.
/// </summary>
public sealed partial class Answerer(ZoneTable zones, AnswerOptions options) : IQueryHandler
{
    public ZoneTable Zones { get; } = zones;
    public AnswerOptions Options { get; } = options;

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context) => throw new NotImplementedException();
}
