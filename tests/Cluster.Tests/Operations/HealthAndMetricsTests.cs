using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>/health and /metrics of a real node: no key needed, ready means Up + cache loaded + serving, and the
/// metrics parse strictly as Prometheus text with query counters that move when dig asks.</summary>
[Collection(OpsNodeCollection.Name)]
public sealed class HealthAndMetricsTests(OpsNode ops)
{
    [Fact]
    public async Task Live_and_ready_answer_without_a_key_and_ready_lists_its_checks()
    {
        var live = await ops.Anonymous.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var ready = await ops.Anonymous.GetAsync("health/ready");
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body.ToString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("ok").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["cluster"] = true, ["cache"] = true, ["serving"] = true }, checks);
    }

    [Fact]
    public async Task Ready_turns_503_while_the_datacenter_is_drained_and_back_after_undrain()
    {
        try
        {
            var drain = await ops.Http.PostAsync("api/v1/datacenters/dc-1/drain", null);
            Assert.True(drain.IsSuccessStatusCode, await drain.Content.ReadAsStringAsync());
            var drained = await Poll.Until(() => ops.Anonymous.GetAsync("health/ready"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, drained.StatusCode);
            Assert.Contains("drained", await drained.Content.ReadAsStringAsync());
        }
        finally
        {
            await ops.Http.PostAsync("api/v1/datacenters/dc-1/undrain", null);
        }
        var back = await Poll.Until(() => ops.Anonymous.GetAsync("health/ready"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_the_query_counters_move()
    {
        var zone = SharedNode.UniqueZone("metrics");
        await AssertOk(await ops.Http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        await Poll.Until(() => Dig.AnswersAsync(ops.Node.Dns, "www." + zone, "A"), a => a.Count == 1, TimeSpan.FromSeconds(10));

        var before = await Scrape();
        Assert.Equal("text/plain", (await ops.Anonymous.GetAsync("metrics")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("counter", before.Types["akkadns_dns_queries_total"]);
        Assert.Equal("histogram", before.Types["akkadns_dns_answer_seconds"]);
        Assert.Equal(1, before.Value("akkadns_cluster_self_up"));
        Assert.Equal(1, before.Value("akkadns_cluster_members", ("status", "Up")));

        for (int i = 0; i < 3; i++) Assert.Single(await Dig.AnswersAsync(ops.Node.Dns, "www." + zone, "A"));
        Assert.Contains("NXDOMAIN", await Dig.QueryAsync(ops.Node.Dns, "nosuch." + zone, "AAAA"));
        Assert.Contains("REFUSED", await Dig.QueryAsync(ops.Node.Dns, "not-ours.invalid.", "MX"));

        var after = await Scrape();
        Assert.True(after.Value("akkadns_dns_queries_total", ("rcode", "NOERROR"), ("type", "A"))
            >= before.Value("akkadns_dns_queries_total", ("rcode", "NOERROR"), ("type", "A")) + 3);
        Assert.True(after.Value("akkadns_dns_queries_total", ("rcode", "NXDOMAIN"), ("type", "AAAA"))
            >= before.Value("akkadns_dns_queries_total", ("rcode", "NXDOMAIN"), ("type", "AAAA")) + 1);
        Assert.True(after.Value("akkadns_dns_queries_total", ("rcode", "REFUSED"), ("type", "MX"))
            >= before.Value("akkadns_dns_queries_total", ("rcode", "REFUSED"), ("type", "MX")) + 1);
        Assert.True(after.Value("akkadns_dns_answer_seconds_count") >= before.Value("akkadns_dns_answer_seconds_count") + 5);
        Assert.True(after.Value("akkadns_dns_answer_seconds_sum") > 0);
        Assert.True(after.Value("akkadns_journal_write_seconds_count") >= 1, "the zone created above was written to the journal");
        Assert.True(after.Value("akkadns_propagation_seconds_count") >= 1, "the created zone reached this edge as a delta");
        Assert.Equal(1, after.Value("akkadns_supervisor_up"));
        Assert.Equal(1, after.Value("akkadns_datacenter_serving", ("datacenter", "dc-1")));
    }

    private async Task<PrometheusText> Scrape()
    {
        var response = await ops.Anonymous.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        try { return PrometheusText.Parse(text); }
        catch (FormatException e) { throw new Xunit.Sdk.XunitException($"{e.Message}\n{text}"); }
    }
}
