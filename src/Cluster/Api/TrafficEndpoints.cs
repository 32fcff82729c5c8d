using System.Text.Json;
using Akka.Actor;
using Akka.DistributedData;
using AkkaDns.Cluster.Metrics;
using AkkaDns.Cluster.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// <c>GET /api/v1/traffic</c>, read-only: every edge's DNS counters (the totals its own <c>/metrics</c> shows), so one
/// node's console can show queries per second per edge. Each edge writes its totals about once a second into a
/// Distributed Data map keyed by datacenter (<see cref="Key"/>, local write, spread by gossip in a few seconds); the
/// route reads this node's replica, no Ask to another node. Rate-limited answers: an edge does not apply response
/// rate limiting today (only <c>akkadns serve</c> does), so none are counted.
/// </summary>
internal static class TrafficEndpoints
{
    public const string Path = "/api/v1/traffic";
    public static readonly LWWDictionaryKey<string, string> Key = new("akkadns-edge-traffic");
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapTrafficApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Read);
        var services = app.ServiceProvider;
        var node = services.GetRequiredService<NodeSettings>();
        if (node.HasRole(NodeRoles.Edge))
        {
            var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.ApplicationStarted.Register(() => _ = PublishAsync(services.GetRequiredService<ActorSystem>(),
                services.GetRequiredService<DnsMetrics>(), node, lifetime.ApplicationStopping));
        }
        return app;
    }

    private static async Task PublishAsync(ActorSystem system, DnsMetrics metrics, NodeSettings node, CancellationToken stopping)
    {
        var replicator = DistributedData.Get(system).Replicator;
        var self = AkkaCluster.Get(system).SelfUniqueAddress;
        var address = AkkaCluster.Get(system).SelfAddress.ToString();
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var (byRcode, dropped) = metrics.Totals();
                var value = JsonSerializer.Serialize(new EdgeTrafficJson(node.Datacenter.Value, address, byRcode.Sum(r => r.Count), dropped, 0, DateTimeOffset.UtcNow), ApiJson.Options);
                try
                {
                    await replicator.Ask<IUpdateResponse>(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance,
                        map => map.SetItem(self, node.Datacenter.Value, value)), Every, stopping);
                }
                catch (AskTimeoutException) { } // the next tick writes again
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task<Microsoft.AspNetCore.Http.IResult> Read(ActorSystem system, NodeSettings node, CancellationToken ct)
    {
        var replicator = DistributedData.Get(system).Replicator;
        IGetResponse reply;
        try { reply = await replicator.Ask<IGetResponse>(Dsl.Get(Key, ReadLocal.Instance), node.AskTimeout, ct); }
        catch (AskTimeoutException) { return ApiResults.Error(Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable, "this node's Distributed Data replicator did not answer"); }
        var edges = reply is GetSuccess g
            ? g.Get(Key).Select(kv => JsonSerializer.Deserialize<EdgeTrafficJson>(kv.Value, ApiJson.Options)!).OrderBy(e => e.Datacenter, StringComparer.Ordinal).ToList()
            : [];
        return ApiResults.Json(new TrafficJson(DateTimeOffset.UtcNow, edges));
    }
}

/// <summary>One edge's DNS totals since it started (<see cref="RateLimited"/> 0: edges do not rate-limit today).</summary>
internal sealed record EdgeTrafficJson(string Datacenter, string Node, long Queries, long Dropped, long RateLimited, DateTimeOffset At);

internal sealed record TrafficJson(DateTimeOffset At, IReadOnlyList<EdgeTrafficJson> Edges);
