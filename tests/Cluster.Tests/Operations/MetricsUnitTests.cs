using AkkaDns.Cluster.Metrics;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>The exposition writer and the query counters without a node; the strict parser checks both ways.</summary>
public sealed class MetricsUnitTests
{
    private static byte[] Query(string name, ushort type)
    {
        var bytes = new List<byte> { 0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.TrimEnd('.').Split('.')) { bytes.Add((byte)label.Length); bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label)); }
        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. bytes];
    }

    [Fact]
    public void Question_type_is_read_after_the_name_and_bad_packets_give_minus_one()
    {
        Assert.Equal(28, DnsMetrics.QuestionType(Query("www.example.com.", 28)));
        Assert.Equal(257, DnsMetrics.QuestionType(Query("a.b.", 257)));
        Assert.Equal(-1, DnsMetrics.QuestionType(Query("www.example.com.", 1).AsSpan(0, 20)));
        Assert.Equal(-1, DnsMetrics.QuestionType(new byte[5]));
    }

    [Fact]
    public void Recorded_queries_render_as_strict_prometheus_text_with_cumulative_buckets()
    {
        var metrics = new DnsMetrics();
        var response = new byte[12];
        response[3] = 3; // NXDOMAIN
        metrics.Record(Query("x.example.", 1), response, 12, 10);
        metrics.Record(Query("x.example.", 1), response, 12, System.Diagnostics.Stopwatch.Frequency); // 1 s: beyond every bound
        response[3] = 0;
        metrics.Record(Query("x.example.", 99), response, 12, 10);
        metrics.Record(Query("x.example.", 1), response, -1, 10);

        var w = new PrometheusWriter();
        metrics.WriteTo(w);
        w.Family("akkadns_test_gauge", "gauge", "a label needing escapes");
        w.Sample("akkadns_test_gauge", 1.5, ("dc", "a\"b\\c\nd"));
        var p = PrometheusText.Parse(w.ToString());

        Assert.Equal(2, p.Value("akkadns_dns_queries_total", ("rcode", "NXDOMAIN"), ("type", "A")));
        Assert.Equal(1, p.Value("akkadns_dns_queries_total", ("rcode", "NOERROR"), ("type", "OTHER")));
        Assert.Equal(1, p.Value("akkadns_dns_dropped_total"));
        Assert.Equal(3, p.Value("akkadns_dns_answer_seconds_count"));
        Assert.Equal(2, p.Value("akkadns_dns_answer_seconds_bucket", ("le", "0.05")));
        Assert.Equal(3, p.Value("akkadns_dns_answer_seconds_bucket", ("le", "+Inf")));
        Assert.Equal("a\\\"b\\\\c\\nd", p.Samples.Single(s => s.Name == "akkadns_test_gauge").Labels["dc"]);
    }

    [Theory]
    [InlineData("x 1\n", "no TYPE")]
    [InlineData("# TYPE x counter\nx -1\n", "negative counter")]
    [InlineData("# TYPE x gauge\nx{a=\"1\" 2\n", "not 'name")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "not cumulative")]
    [InlineData("# TYPE x gauge\nx 1", "newline")]
    public void The_test_parser_rejects_what_prometheus_would(string text, string why)
    {
        var e = Assert.Throws<FormatException>(() => PrometheusText.Parse(text));
        Assert.Contains(why, e.Message);
    }
}
