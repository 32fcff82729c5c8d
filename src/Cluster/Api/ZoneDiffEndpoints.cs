using Akka.Actor;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.ZoneService;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// <c>GET …/zones/{zone}/diff?from=A&amp;to=B</c>, read-only: the records that version B has and A had not (added)
/// and the other way round (removed), each as a master-file line. Both versions are rebuilt from the journal as a
/// rollback does (<see cref="ZoneHistoryReplay"/>), so, like rollback, it is served by nodes that reach the journal.
/// </summary>
internal static class ZoneDiffEndpoints
{
    public static IEndpointRouteBuilder MapZoneDiffApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ZoneJsonMapper.ZonesPath + "/{zone}/diff", Diff);
        return app;
    }

    private static async Task<IResult> Diff(string zone, long? from, long? to, ActorSystem system, NodeSettings node, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (from is not >= 1 || to is not >= 1) return ApiResults.BadRequest("give ?from=VERSION&to=VERSION, both 1 or more");
        var id = ZoneId.From(name);
        ZoneState older, newer;
        try
        {
            older = await ZoneHistoryReplay.StateAtAsync(system, id, RollbackTarget.ToVersion(from.Value), ct).WaitAsync(node.AskTimeout, ct);
            newer = await ZoneHistoryReplay.StateAtAsync(system, id, RollbackTarget.ToVersion(to.Value), ct).WaitAsync(node.AskTimeout, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return ApiResults.From(new ZoneError.Unavailable($"cannot read the history of zone {id} from the journal: {e.Message}"));
        }
        if (newer.Version == 0) return ApiResults.From(ZoneError.ZoneNotFound(id.Value));
        var latest = Math.Max(older.Version, newer.Version);
        if (Math.Max(from.Value, to.Value) > latest)
            return ApiResults.Unprocessable($"zone {id} has no version {Math.Max(from.Value, to.Value)}: its latest version is {latest}");
        var before = older.Records.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
        var after = newer.Records.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
        return ApiResults.Json(new ZoneDiffJson(id.Value, from.Value, to.Value, older.Exists, newer.Exists,
            [.. before.Where(l => !after.Contains(l)).Order(StringComparer.Ordinal)],
            [.. after.Where(l => !before.Contains(l)).Order(StringComparer.Ordinal)]));
    }
}

/// <summary>The difference between two versions of a zone (each record a master-file line).</summary>
internal sealed record ZoneDiffJson(string Zone, long From, long To, bool FromExists, bool ToExists, IReadOnlyList<string> Removed, IReadOnlyList<string> Added);
