using Akka.Hosting;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.ZoneService;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// Per-zone metadata, as PowerDNS's <c>…/zones/{zone}/metadata</c>: list, add values to a kind (POST, 201), get,
/// replace (PUT, 200) and delete (204) one kind. 404 when the zone does not exist (the zone service says).
/// The transfer kinds (ALLOW-AXFR-FROM, TSIG-ALLOW-AXFR, ALSO-NOTIFY, AXFR-MASTER-TSIG, …) are validated.
/// </summary>
internal static class MetadataEndpoints
{
    public static IEndpointRouteBuilder MapMetadataApi(this IEndpointRouteBuilder app)
    {
        var meta = app.MapGroup(ZoneJsonMapper.ZonesPath + "/{zone}/metadata");
        meta.MapGet("", List);
        meta.MapPost("", Add);
        meta.MapGet("/{kind}", Get);
        meta.MapPut("/{kind}", Replace);
        meta.MapDelete("/{kind}", Delete);
        return app;
    }

    private static async Task<IResult> List(string zone, IZoneService zones, TransferConfigView view, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        var (name, bad) = await ExistingZone(zone, zones, view, ct);
        if (bad is not null) return bad;
        var (state, error) = await TransferConfigCall.Ask(actor, GetTransferConfig.Instance, node, ct);
        return error ?? ApiResults.Json(state!.MetadataOf(name!).Select(kv => new MetadataJson(kv.Key, [.. kv.Value])).ToList());
    }

    private static async Task<IResult> Add(string zone, HttpRequest request, IZoneService zones, TransferConfigView view, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        var (name, bad) = await ExistingZone(zone, zones, view, ct);
        if (bad is not null) return bad;
        var (body, badBody) = await ZoneEndpoints.ReadJson<MetadataRequestJson>(request, ct);
        if (badBody is not null) return badBody;
        if (!TransferMetadata.TryNormalizeKind(body!.Kind, out var kind, out var kindError)) return ApiResults.Unprocessable(kindError);
        if (body.Metadata is null) return ApiResults.BadRequest("'metadata' missing: POST carries {\"kind\": …, \"metadata\": [...]}");
        var (state, error) = await TransferConfigCall.Ask(actor, new AddZoneMetadata(name!, kind, body.Metadata), node, ct);
        return error ?? ApiResults.Json(Of(state!, name!, kind), StatusCodes.Status201Created);
    }

    private static async Task<IResult> Get(string zone, string kind, IZoneService zones, TransferConfigView view, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        var (name, bad) = await ExistingZone(zone, zones, view, ct);
        if (bad is not null) return bad;
        if (!TransferMetadata.TryNormalizeKind(kind, out var k, out var kindError)) return ApiResults.BadRequest(kindError);
        var (state, error) = await TransferConfigCall.Ask(actor, GetTransferConfig.Instance, node, ct);
        return error ?? ApiResults.Json(Of(state!, name!, k));
    }

    private static async Task<IResult> Replace(string zone, string kind, HttpRequest request, IZoneService zones, TransferConfigView view, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        var (name, bad) = await ExistingZone(zone, zones, view, ct);
        if (bad is not null) return bad;
        if (!TransferMetadata.TryNormalizeKind(kind, out var k, out var kindError)) return ApiResults.BadRequest(kindError);
        var (body, badBody) = await ZoneEndpoints.ReadJson<MetadataRequestJson>(request, ct);
        if (badBody is not null) return badBody;
        if (body!.Metadata is null) return ApiResults.BadRequest("'metadata' missing: PUT carries {\"metadata\": [...]}");
        var (state, error) = await TransferConfigCall.Ask(actor, new SetZoneMetadata(name!, k, body.Metadata), node, ct);
        return error ?? ApiResults.Json(Of(state!, name!, k));
    }

    private static async Task<IResult> Delete(string zone, string kind, IZoneService zones, TransferConfigView view, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        var (name, bad) = await ExistingZone(zone, zones, view, ct);
        if (bad is not null) return bad;
        if (!TransferMetadata.TryNormalizeKind(kind, out var k, out var kindError)) return ApiResults.BadRequest(kindError);
        var (_, error) = await TransferConfigCall.Ask(actor, new SetZoneMetadata(name!, k, []), node, ct);
        return error ?? Results.NoContent();
    }

    private static MetadataJson Of(TransferConfigState state, string zone, string kind) =>
        new(kind, [.. state.MetadataOf(zone).GetValueOrDefault(kind) ?? []]);

    /// <summary>The zone's name ("example.org.") when it exists; else the 400/404/503 to return.</summary>
    /// <summary>A secondary zone counts before its first transfer (its key may be set then).</summary>
    private static async Task<(string? Name, IResult? Error)> ExistingZone(string zone, IZoneService zones, TransferConfigView view, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return (null, ApiResults.BadRequest(error));
        if (view.Current.Values(name.ToString(), TransferMetadata.Masters).Count > 0) return (name.ToString(), null);
        var found = await zones.GetAsync(name, ct);
        return found.IsOk ? (name.ToString(), null) : (null, ApiResults.From(found.Error));
    }
}
