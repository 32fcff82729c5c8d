using System.Net;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Api;

/// <summary>
/// Two real nodes: A holds the zones, B is an edge of another datacenter joined through A as seed. A change made
/// through A is answered by B's DNS; once A is killed, B keeps answering its last good data (fail static) while its
/// admin API says 503: the cluster cannot answer in time.
/// </summary>
public sealed class ClusterUnavailableTests
{
    [Fact]
    public async Task An_edge_node_serves_zones_changed_elsewhere_and_answers_503_when_the_zone_nodes_are_gone()
    {
        var dataA = TempDir.Create("akkadns-a");
        var dataB = TempDir.Create("akkadns-b");
        try
        {
            await using var a = await NodeProcess.StartAsync(dataA);
            await using var b = await NodeProcess.StartAsync(dataB, ["--roles", "edge", "--datacenter", "dc-2", "--seed", a.ClusterAddress],
                new Dictionary<string, string> { ["AKKADNS_API_KEY"] = "key-b" });

            var zone = SharedNode.UniqueZone("twonodes");
            var big = SharedNode.UniqueZone("bigzone");
            using (var httpA = new HttpClient { BaseAddress = a.Api, Timeout = TimeSpan.FromSeconds(60) })
            {
                httpA.DefaultRequestHeaders.Add("X-API-Key", a.ApiKey);
                await AssertOk(await httpA.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
                await AssertOk(await httpA.PostAsync(ZonesPath, Json(System.Text.Json.JsonSerializer.Serialize(new { name = big, zone = BigMasterFile(big) }))), HttpStatusCode.Created);
            }
            Assert.Equal(["192.0.2.1"], await Poll.Until(() => Dig.AnswersAsync(b.Dns, "www." + zone, "A"), r => r.Count > 0));

            using var httpB = new HttpClient { BaseAddress = b.Api, Timeout = TimeSpan.FromSeconds(60) };
            httpB.DefaultRequestHeaders.Add("X-API-Key", "key-b");
            Assert.Equal(zone, (await AssertOk(await httpB.GetAsync($"{ZonesPath}/{zone}"))).GetProperty("name").GetString());
            // A zone several times Akka.Remote's 128000-byte frame, read through the node that does not hold it.
            var bigZone = await AssertOk(await httpB.GetAsync($"{ZonesPath}/{big}"));
            Assert.Equal(BigRecords, bigZone.GetProperty("rrsets").EnumerateArray().Count(r => r.GetProperty("type").GetString() == "TXT"));

            await a.KillAsync();
            var error = await AssertError(await httpB.GetAsync($"{ZonesPath}/{zone}"), HttpStatusCode.ServiceUnavailable);
            Assert.Contains("did not answer", error);
            Assert.Equal(["192.0.2.1"], await Dig.AnswersAsync(b.Dns, "www." + zone, "A"));
        }
        finally
        {
            TempDir.Delete(dataA);
            TempDir.Delete(dataB);
        }
    }

    private const int BigRecords = 1500;

    private static string BigMasterFile(string zone)
    {
        var sb = new System.Text.StringBuilder(MasterFile(zone)).Append('\n');
        for (int i = 0; i < BigRecords; i++) sb.Append($"t{i} 300 IN TXT \"{new string('x', 80)} {i}\"\n");
        return sb.ToString();
    }
}
