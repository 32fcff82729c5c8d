using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Cluster.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// Orchestrator probes, outside /api so they need no key: <c>/health/live</c> (the process answers HTTP) and
/// <c>/health/ready</c> (this node is an Up cluster member and, on an edge, its datacenter cache finished its
/// start-up load and the datacenter is in the serving set). Ready answers 200 or 503 with the checks as JSON.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => ApiResults.Json(new HealthJson("live", true, [])));
        app.MapGet("/health/ready", Ready);
        return app;
    }

    private static async Task<IResult> Ready(ActorSystem system, NodeSettings node, IServiceProvider services, CancellationToken ct)
    {
        var checks = new List<HealthCheckJson>();
        var self = AkkaCluster.Get(system).SelfMember;
        checks.Add(new("cluster", self.Status == MemberStatus.Up, $"{self.Address} is {self.Status}"));
        if (node.HasRole(NodeRoles.Edge))
        {
            checks.Add(await CacheLoaded(services, node, ct));
            if (services.GetService<DnsFrontEnd>() is { } frontEnd)
                checks.Add(new("serving", frontEnd.Serving, frontEnd.Serving
                    ? $"datacenter {node.Datacenter} is in the serving set"
                    : $"datacenter {node.Datacenter} is drained: its DNS listeners are closed"));
        }
        var ok = checks.All(c => c.Ok);
        return ApiResults.Json(new HealthJson(ok ? "ready" : "not ready", ok, checks),
            ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<HealthCheckJson> CacheLoaded(IServiceProvider services, NodeSettings node, CancellationToken ct)
    {
        var registry = services.GetRequiredService<ActorRegistry>();
        if (!registry.TryGet<DatacenterActor>(out var datacenter)) return new("cache", false, "datacenter actor not started yet");
        try
        {
            // Probes come often and must answer quickly: a short Ask, never the full ask-timeout.
            var wait = TimeSpan.FromMilliseconds(Math.Min(2000, node.AskTimeout.TotalMilliseconds));
            var status = await datacenter.Ask<DatacenterProtocol.EdgeZones>(DatacenterProtocol.GetEdgeZones.Instance, wait, ct);
            return new("cache", status.Loaded, status.Loaded
                ? $"{status.Zones.Count} zone(s) loaded for {status.Datacenter}"
                : $"start-up load of {status.Datacenter} not finished ({status.Zones.Count} zone(s) so far)");
        }
        catch (AskTimeoutException)
        {
            return new("cache", false, "datacenter actor did not answer within 2 s");
        }
    }
}

internal sealed record HealthCheckJson(string Name, bool Ok, string Detail);

internal sealed record HealthJson(string Status, bool Ok, IReadOnlyList<HealthCheckJson> Checks);
