using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using AkkaDns.Cluster.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// Petabridge.Cmd's membership verbs served by the admin API (same key, same address as every other verb):
/// <c>/api/v1/cluster/…</c> for membership and sharding, <c>/api/v1/actor/system</c>. Membership is read from this
/// node's gossip state (no Ask); sharding statistics Ask the shard region with the node's ask-timeout.
/// </summary>
internal static class ClusterEndpoints
{
    public const string Path = "/api/v1/cluster";
    public const string ActorSystemPath = "/api/v1/actor/system";

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path);
        group.MapGet("/members", (ActorSystem s) => ApiResults.Json(Members(AkkaCluster.Get(s))));
        group.MapGet("/status", (ActorSystem s) => ApiResults.Json(Status(AkkaCluster.Get(s))));
        group.MapGet("/leader", (ActorSystem s) => ApiResults.Json(new LeaderJson(AkkaCluster.Get(s).State.Leader?.ToString())));
        // The target rides in the query (?address=akka.tcp://akkadns@HOST:PORT): these verbs have no other input.
        group.MapPost("/join", (string? address, ActorSystem s) => Verb(s, "join", address, required: true, (c, a) => c.Join(a!)));
        group.MapPost("/leave", (string? address, ActorSystem s) => Verb(s, "leave", address, required: false, (c, a) => c.Leave(a ?? c.SelfAddress)));
        group.MapPost("/down", (string? address, ActorSystem s) => Verb(s, "down", address, required: true, (c, a) => c.Down(a!)));
        group.MapPost("/down-unreachable", (ActorSystem s) => DownUnreachable(AkkaCluster.Get(s)));
        group.MapGet("/tail", (ActorSystem s, HttpContext http, CancellationToken ct) => ClusterTail.StreamAsync(s, http, ct));
        group.MapGet("/sharding/regions", (ActorSystem s) => ApiResults.Json(new RegionsJson([.. ClusterSharding.Get(s).ShardTypeNames.Order()])));
        group.MapGet("/sharding/region-stats", (string? region, ActorSystem s, NodeSettings n, CancellationToken ct) => RegionStats(s, region, n, ct));
        app.MapGet(ActorSystemPath, (ActorSystem s, NodeSettings n) => ApiResults.Json(SystemInfo(s, n)));
        return app;
    }

    public static MemberJson ToJson(Member m, ClusterEvent.CurrentClusterState state) => new(
        m.Address.ToString(), [.. m.Roles.Order()], m.Status.ToString(), !state.Unreachable.Contains(m));

    private static MembersJson Members(AkkaCluster cluster)
    {
        var state = cluster.State;
        // Unreachable members that were already removed from Members still show, as pbm does.
        var all = state.Members.Concat(state.Unreachable.Where(u => !state.Members.Contains(u)))
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).Select(m => ToJson(m, state)).ToList();
        return new MembersJson(all, all.Count, state.Leader?.ToString());
    }

    private static ClusterStatusJson Status(AkkaCluster cluster)
    {
        var state = cluster.State;
        return new ClusterStatusJson(ToJson(cluster.SelfMember, state), state.Leader?.ToString(),
            state.Leader is { } l && l.Equals(cluster.SelfAddress), [.. state.Unreachable.Select(u => u.Address.ToString()).Order()]);
    }

    private static IResult Verb(ActorSystem system, string verb, string? text, bool required, Action<AkkaCluster, Address?> act)
    {
        Address? address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) return ApiResults.BadRequest($"{verb}: ?address=akka.tcp://{NodeSettings.SystemName}@HOST:PORT required");
        }
        else
        {
            try { address = Address.Parse(text.Trim()); }
            catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
            {
                return ApiResults.BadRequest($"{verb}: '{text}' is not an Akka address (akka.tcp://{NodeSettings.SystemName}@HOST:PORT): {e.Message}");
            }
            if (address.Host is null || address.Port is null)
                return ApiResults.BadRequest($"{verb}: '{text}' has no host:port (akka.tcp://{NodeSettings.SystemName}@HOST:PORT)");
        }
        var cluster = AkkaCluster.Get(system);
        // join targets any reachable node; leave and down only make sense for a member this node knows.
        if (verb != "join" && address is not null && !cluster.State.Members.Any(m => m.Address.Equals(address)))
            return ApiResults.Error(StatusCodes.Status404NotFound, $"{verb}: {address} is not a member of this cluster");
        act(cluster, address);
        var target = (address ?? cluster.SelfAddress).ToString();
        return ApiResults.Json(new ClusterVerbJson(verb, [target], $"{verb} {target} requested"));
    }

    private static IResult DownUnreachable(AkkaCluster cluster)
    {
        var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToList();
        foreach (var a in unreachable) cluster.Down(a);
        var names = unreachable.Select(a => a.ToString()).Order().ToList();
        return ApiResults.Json(new ClusterVerbJson("down-unreachable", names,
            names.Count == 0 ? "no unreachable members" : $"downed {names.Count} unreachable member(s)"));
    }

    private static async Task<IResult> RegionStats(ActorSystem system, string? region, NodeSettings node, CancellationToken ct)
    {
        var sharding = ClusterSharding.Get(system);
        var name = string.IsNullOrWhiteSpace(region) ? "zone" : region;
        if (!sharding.ShardTypeNames.Contains(name))
            return ApiResults.Error(StatusCodes.Status404NotFound, $"no shard region '{name}' (known: {string.Join(", ", sharding.ShardTypeNames.Order())})");
        try
        {
            // The coordinator asks every region; give it most of our own budget so its partial answer comes back.
            var stats = await sharding.ShardRegion(name).Ask<ClusterShardingStats>(
                new GetClusterShardingStats(node.AskTimeout * 0.8), node.AskTimeout, ct);
            var nodes = stats.Regions.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)
                .Select(r => new RegionNodeJson(r.Key.ToString(), r.Value.Stats.Count, r.Value.Stats.Values.Sum())).ToList();
            var failed = stats.Regions.SelectMany(r => r.Value.Failed).Order().ToList();
            return ApiResults.Json(new RegionStatsJson(name, nodes, nodes.Sum(n => n.Shards), nodes.Sum(n => n.Entities), failed));
        }
        catch (AskTimeoutException)
        {
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable,
                $"shard region '{name}' did not answer within {node.AskTimeout.TotalSeconds:0.#} s (coordinator not up?)");
        }
    }

    private static ActorSystemJson SystemInfo(ActorSystem system, NodeSettings node) => new(
        system.Name, AkkaCluster.Get(system).SelfAddress.ToString(), Math.Round(system.Uptime.TotalSeconds, 3),
        DateTimeOffset.UnixEpoch + system.StartTime,
        typeof(ActorSystem).Assembly.GetName().Version?.ToString() ?? "?",
        typeof(ClusterEndpoints).Assembly.GetName().Version?.ToString() ?? "?", node.Roles);
}
