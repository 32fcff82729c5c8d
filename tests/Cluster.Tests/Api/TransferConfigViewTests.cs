using System.Net;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.Tests.Node.Support;
using Microsoft.Extensions.DependencyInjection;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Api;

/// <summary>An in-process node (NodeHost, as `akkadns run` builds it): what the API stores reaches the node's
/// <see cref="TransferConfigView"/>, the DI singleton transfer and TSIG code read, within a bounded wait.</summary>
public sealed class TransferConfigViewTests
{
    [Fact]
    public async Task A_key_and_metadata_posted_to_the_API_reach_the_nodes_view()
    {
        var data = TempDir.Create("akkadns-view");
        try
        {
            var settings = NodeSettingsLoader.Load(new NodeOptions { Data = data, Dns = "127.0.0.1:0", Api = "127.0.0.1:0", Port = 0 },
                NodeSettingsLoader.LoadHocon(null), _ => null) with
            { ApiKey = "view-test-key" };
            await using var host = NodeHost.Build(settings, NodeSettingsLoader.LoadHocon(null));
            var endpoints = await host.StartAsync(CancellationToken.None);
            var view = host.Services.GetRequiredService<TransferConfigView>();
            using var http = new HttpClient { BaseAddress = endpoints.Api, Timeout = TimeSpan.FromSeconds(20) };
            http.DefaultRequestHeaders.Add("X-API-Key", "view-test-key");

            var zone = SharedNode.UniqueZone("view");
            await AssertOk(await http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
            var created = await AssertOk(await http.PostAsync(TransferConfigApiTests.KeysPath, Json("""{"name": "edge-key", "algorithm": "hmac-sha256"}""")), HttpStatusCode.Created);
            await AssertOk(await http.PutAsync($"{ZonesPath}/{zone}/metadata/ALLOW-AXFR-FROM", Json("""{"metadata": ["192.0.2.0/24"]}""")));

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!(view.Current.Key("edge-key") is not null && view.Current.Values(zone, TransferMetadata.AllowAxfrFrom).Count > 0))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the view did not see the key within 10 s: {view.Current}");
                await Task.Delay(50);
            }
            Assert.Equal(created.GetProperty("key").GetString(), view.Current.Key("EDGE-KEY.")!.Secret);
            Assert.Equal("hmac-sha256", view.Current.Keys["edge-key."].Algorithm);
            Assert.Equal(["192.0.2.0/24"], view.Current.Values(zone, "allow-axfr-from"));
        }
        finally { TempDir.Delete(data); }
    }
}
