using System.Diagnostics;
using AkkaDns.Resolver.FrontEnd;

namespace AkkaDns.Cluster.Metrics;

/// <summary>Wraps the answerer: times each query and counts it in <see cref="DnsMetrics"/>. Allocates nothing.</summary>
internal sealed class MeteredQueryHandler(IQueryHandler inner, DnsMetrics metrics) : IQueryHandler, IStreamingQueryHandler
{
    /// <summary>Zone transfers (TCP streams) pass through to the inner handler when it streams; they are not timed.</summary>
    public IResponseStream? TryStartStream(ReadOnlySpan<byte> query, in QueryContext context) =>
        inner is IStreamingQueryHandler streaming ? streaming.TryStartStream(query, context) : null;

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context)
    {
        long start = Stopwatch.GetTimestamp();
        int length = inner.Handle(query, response, context);
        long elapsed = Stopwatch.GetTimestamp() - start;
        metrics.Record(query, response, length, elapsed);
        return length;
    }
}
