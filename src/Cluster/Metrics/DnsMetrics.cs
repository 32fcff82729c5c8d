using System.Diagnostics;

namespace AkkaDns.Cluster.Metrics;

/// <summary>
/// Query counters (by RCODE and QTYPE) and the answer latency histogram of this node's DNS front end. Written on
/// the hot path without allocation: counters are striped by the current processor so the UDP loops (one per core)
/// rarely touch the same cache line, and each increment is one Interlocked add. Read (summed) only by /metrics.
/// </summary>
internal sealed class DnsMetrics
{
    /// <summary>Upper bounds of the latency buckets, in seconds: 5 µs … 50 ms (answers from memory are µs).</summary>
    public static readonly double[] LatencyBounds = [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05];

    // The QTYPEs that get their own label; everything else counts as OTHER.
    private static readonly string[] TypeNames =
        ["A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "NAPTR", "DS", "RRSIG", "NSEC", "DNSKEY", "SVCB", "HTTPS", "IXFR", "AXFR", "ANY", "CAA", "OTHER"];
    private const int Other = 20;
    private const int Rcodes = 16;
    private static readonly string[] RcodeNames =
        ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12", "RCODE13", "RCODE14", "RCODE15"];

    // One stripe = queries[rcode*types+type] + dropped + latency buckets + latency sum (ticks), padded to its own lines.
    private static readonly int Types = TypeNames.Length;
    private static readonly int QueryCells = Rcodes * Types;
    private static readonly int DroppedCell = QueryCells;
    private static readonly int BucketCell = QueryCells + 1;
    private static readonly int SumCell = BucketCell + LatencyBounds.Length + 1;
    private static readonly int StripeLength = (SumCell + 1 + 8 + 7) / 8 * 8;

    private readonly long[] _cells;
    private readonly int _mask;
    private readonly long[] _boundTicks;

    public DnsMetrics()
    {
        int stripes = 1;
        while (stripes < Math.Min(Environment.ProcessorCount, 64)) stripes <<= 1;
        _mask = stripes - 1;
        _cells = new long[stripes * StripeLength];
        _boundTicks = LatencyBounds.Select(s => (long)(s * Stopwatch.Frequency)).ToArray();
    }

    /// <summary>Records one handled query: its QTYPE from the question, RCODE from the response header, its time.</summary>
    public void Record(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, int length, long elapsedTicks)
    {
        int stripe = (Thread.GetCurrentProcessorId() & _mask) * StripeLength;
        if (length < 4)
        {
            Interlocked.Increment(ref _cells[stripe + DroppedCell]);
            return;
        }
        int rcode = response[3] & 0x0F;
        Interlocked.Increment(ref _cells[stripe + rcode * Types + TypeIndex(QuestionType(query))]);
        int bucket = 0;
        while (bucket < _boundTicks.Length && elapsedTicks > _boundTicks[bucket]) bucket++;
        Interlocked.Increment(ref _cells[stripe + BucketCell + bucket]);
        Interlocked.Add(ref _cells[stripe + SumCell], elapsedTicks);
    }

    /// <summary>Writes the DNS families into <paramref name="w"/>.</summary>
    public void WriteTo(PrometheusWriter w)
    {
        var sums = new long[StripeLength];
        for (int s = 0; s <= _mask; s++)
            for (int i = 0; i < StripeLength; i++) sums[i] += Volatile.Read(ref _cells[s * StripeLength + i]);

        w.Family("akkadns_dns_queries_total", "counter", "DNS queries answered by this node, by response RCODE and question type.");
        for (int r = 0; r < Rcodes; r++)
            for (int t = 0; t < Types; t++)
                if (sums[r * Types + t] > 0) w.Sample("akkadns_dns_queries_total", sums[r * Types + t], ("rcode", RcodeNames[r]), ("type", TypeNames[t]));
        w.Family("akkadns_dns_dropped_total", "counter", "DNS packets dropped without an answer (not a query, or malformed beyond a FORMERR).");
        w.Sample("akkadns_dns_dropped_total", sums[DroppedCell]);
        w.Family("akkadns_dns_answer_seconds", "histogram", "Time to build one answer (the answerer, from parsed query to written response).");
        w.Histogram("akkadns_dns_answer_seconds", LatencyBounds, sums.AsSpan(BucketCell, LatencyBounds.Length + 1),
            (double)sums[SumCell] / Stopwatch.Frequency);
    }

    /// <summary>Answered queries by RCODE (NOERROR, FORMERR, …: <see cref="RcodeNames"/> order) and dropped packets,
    /// summed over the stripes (the admin API's PowerDNS-style statistics).</summary>
    public (IReadOnlyList<(string Rcode, long Count)> ByRcode, long Dropped) Totals()
    {
        var byRcode = new long[Rcodes];
        long dropped = 0;
        for (int s = 0; s <= _mask; s++)
        {
            int stripe = s * StripeLength;
            for (int r = 0; r < Rcodes; r++)
                for (int t = 0; t < Types; t++) byRcode[r] += Volatile.Read(ref _cells[stripe + r * Types + t]);
            dropped += Volatile.Read(ref _cells[stripe + DroppedCell]);
        }
        return ([.. byRcode.Select((c, r) => (RcodeNames[r], c))], dropped);
    }

    /// <summary>The QTYPE of the first question, or -1 when the packet has none or it cannot be walked.</summary>
    internal static int QuestionType(ReadOnlySpan<byte> query)
    {
        if (query.Length < 12 || (query[4] | query[5]) == 0) return -1;
        int i = 12;
        while (i < query.Length)
        {
            int label = query[i];
            if (label == 0) { i++; break; }
            if ((label & 0xC0) != 0) return -1; // no compression in a question name we accept
            i += label + 1;
        }
        return i + 2 <= query.Length ? query[i] << 8 | query[i + 1] : -1;
    }

    private static int TypeIndex(int type) => type switch
    {
        1 => 0,
        2 => 1,
        5 => 2,
        6 => 3,
        12 => 4,
        15 => 5,
        16 => 6,
        28 => 7,
        33 => 8,
        35 => 9,
        43 => 10,
        46 => 11,
        47 => 12,
        48 => 13,
        64 => 14,
        65 => 15,
        251 => 16,
        252 => 17,
        255 => 18,
        257 => 19,
        _ => Other,
    };
}
