using System.Net;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Api;

/// <summary>A TSIG key and a zone's metadata are journaled: a node killed and started on the same data folder has them.</summary>
public sealed class TransferConfigRestartTests
{
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";

    private static HttpClient Client(NodeProcess node)
    {
        var http = new HttpClient { BaseAddress = node.Api, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Add("X-API-Key", node.ApiKey);
        return http;
    }

    [Fact]
    public async Task Keys_and_metadata_survive_a_kill_and_restart()
    {
        var data = TempDir.Create("akkadns-tsig-restart");
        var zone = SharedNode.UniqueZone("xfr");
        var meta = $"{ZonesPath}/{zone}/metadata";
        try
        {
            await using (var node = await NodeProcess.StartAsync(data))
            using (var http = Client(node))
            {
                await AssertOk(await http.PostAsync(TransferConfigApiTests.KeysPath, Json($$"""{"name": "xfr-key", "algorithm": "hmac-sha256", "key": "{{Secret}}"}""")), HttpStatusCode.Created);
                await AssertOk(await http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
                await AssertOk(await http.PutAsync($"{meta}/TSIG-ALLOW-AXFR", Json("""{"metadata": ["xfr-key"]}""")));
                await node.KillAsync();
            }

            await using (var again = await NodeProcess.StartAsync(data))
            using (var http = Client(again))
            {
                var key = await AssertOk(await http.GetAsync($"{TransferConfigApiTests.KeysPath}/xfr-key."));
                Assert.Equal(Secret, key.GetProperty("key").GetString());
                var kinds = await AssertOk(await http.GetAsync(meta));
                var allowed = Assert.Single(kinds.EnumerateArray());
                Assert.Equal("TSIG-ALLOW-AXFR", allowed.GetProperty("kind").GetString());
                Assert.Equal(["xfr-key."], allowed.GetProperty("metadata").EnumerateArray().Select(v => v.GetString()));
                Assert.DoesNotContain(Secret, again.Stderr); // never logged
            }
        }
        finally { TempDir.Delete(data); }
    }
}
