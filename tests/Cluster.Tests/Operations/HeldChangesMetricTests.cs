using System.Net;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary><c>akkadns_pending_held_changes</c> is the real, cluster-wide count: a change held through the API reads
/// 1, confirming it reads 0 (the operations node holds nothing else).</summary>
[Collection(OpsNodeCollection.Name)]
public sealed class HeldChangesMetricTests(OpsNode ops)
{
    private async Task<PrometheusText> Scrape()
    {
        var response = await ops.Anonymous.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        try { return PrometheusText.Parse(text); }
        catch (FormatException e) { throw new Xunit.Sdk.XunitException($"{e.Message}\n{text}"); }
    }

    private async Task<double> Held()
    {
        var m = await Scrape();
        Assert.Equal("gauge", m.Types["akkadns_pending_held_changes"]);
        Assert.Equal(1, m.Value("akkadns_fleet_guard_up"));
        Assert.Contains(m.Samples, s => s.Name == "akkadns_pending_held_changes"); // a real sample, not an absent 0
        return m.Value("akkadns_pending_held_changes");
    }

    [Fact]
    public async Task A_held_change_reads_1_and_0_once_confirmed()
    {
        Assert.Equal(0, await Held());
        var zone = SharedNode.UniqueZone("gauge");
        await AssertOk(await ops.Http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);

        // A zone deletion is held (hold-zone-deletion = on by default).
        var held = await AssertOk(await ops.Http.DeleteAsync($"{ZonesPath}/{zone}"), HttpStatusCode.Accepted);
        var id = held.GetProperty("id").GetString()!;
        Assert.Equal(1, await Poll.Until(Held, v => v == 1, TimeSpan.FromSeconds(15)));
        Assert.Equal(1, (await Scrape()).Value("akkadns_pending_held_changes", ("kind", "zone")));

        var confirm = await ops.Cli("change", "confirm", id);
        Assert.True(confirm.ExitCode == 0, confirm.ToString());
        Assert.Equal(0, await Poll.Until(Held, v => v == 0, TimeSpan.FromSeconds(15)));
        var m = await Scrape();
        Assert.Contains(m.Samples, s => s.Name == "akkadns_fleet_window_zone_changes");
        Assert.Equal(20, m.Value("akkadns_fleet_window_limit"));
    }
}
