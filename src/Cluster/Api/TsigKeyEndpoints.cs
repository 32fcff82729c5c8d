using Akka.Hosting;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// TSIG keys, as PowerDNS's <c>/api/v1/servers/localhost/tsigkeys</c>: list (no secrets), create (201, secret
/// generated when none is given), get (with the secret), change or rename (PUT), delete (204). The id is the key
/// name with the final dot; it is accepted without the dot, in any case, and with "=2F" for "/".
/// </summary>
internal static class TsigKeyEndpoints
{
    public static IEndpointRouteBuilder MapTsigKeyApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup(TransferConfigCall.TsigKeysPath);
        keys.MapGet("", List);
        keys.MapPost("", Create);
        keys.MapGet("/{id}", Get);
        keys.MapPut("/{id}", Change);
        keys.MapDelete("/{id}", Delete);
        return app;
    }

    private static async Task<IResult> List(IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        var (state, error) = await TransferConfigCall.Ask(actor, GetTransferConfig.Instance, node, ct);
        return error ?? ApiResults.Json(state!.Keys.Values.Select(k => TransferConfigCall.ToJson(k, withSecret: false)).ToList());
    }

    private static async Task<IResult> Create(HttpRequest request, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        var (body, bad) = await ZoneEndpoints.ReadJson<TsigKeyRequestJson>(request, ct);
        if (bad is not null) return bad;
        if (!TsigKeyNames.TryNormalize(body!.Name, out var name, out var nameError)) return ApiResults.Unprocessable(nameError);
        var secret = string.IsNullOrWhiteSpace(body.Key) ? null : body.Key;
        var (state, error) = await TransferConfigCall.Ask(actor, new AddTsigKey(name, body.Algorithm ?? TsigAlgorithms.Default, secret), node, ct);
        if (error is not null) return error;
        var json = TransferConfigCall.ToJson(state!.Keys[name], withSecret: true);
        request.HttpContext.Response.Headers.Location = $"{TransferConfigCall.TsigKeysPath}/{json.Id}";
        return ApiResults.Json(json, StatusCodes.Status201Created);
    }

    private static async Task<IResult> Get(string id, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        if (!TsigKeyNames.TryNormalize(id, out var name, out var nameError)) return ApiResults.BadRequest(nameError);
        var (state, error) = await TransferConfigCall.Ask(actor, GetTransferConfig.Instance, node, ct);
        if (error is not null) return error;
        return state!.Keys.TryGetValue(name, out var key)
            ? ApiResults.Json(TransferConfigCall.ToJson(key, withSecret: true))
            : ApiResults.Error(StatusCodes.Status404NotFound, $"TSIG key '{name}' not found");
    }

    private static async Task<IResult> Change(string id, HttpRequest request, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        if (!TsigKeyNames.TryNormalize(id, out var name, out var nameError)) return ApiResults.BadRequest(nameError);
        var (body, bad) = await ZoneEndpoints.ReadJson<TsigKeyRequestJson>(request, ct);
        if (bad is not null) return bad;
        string? newName = null;
        if (!string.IsNullOrWhiteSpace(body!.Name) && !TsigKeyNames.TryNormalize(body.Name, out newName, out nameError)) return ApiResults.Unprocessable(nameError);
        var (state, error) = await TransferConfigCall.Ask(actor, new ChangeTsigKey(name, newName,
            string.IsNullOrWhiteSpace(body.Algorithm) ? null : body.Algorithm, string.IsNullOrWhiteSpace(body.Key) ? null : body.Key), node, ct);
        return error ?? ApiResults.Json(TransferConfigCall.ToJson(state!.Keys[newName ?? name], withSecret: true));
    }

    private static async Task<IResult> Delete(string id, IRequiredActor<TransferConfigActor> actor, NodeSettings node, CancellationToken ct)
    {
        if (!TsigKeyNames.TryNormalize(id, out var name, out var nameError)) return ApiResults.BadRequest(nameError);
        var (_, error) = await TransferConfigCall.Ask(actor, new DeleteTsigKey(name), node, ct);
        return error ?? Results.NoContent();
    }
}
