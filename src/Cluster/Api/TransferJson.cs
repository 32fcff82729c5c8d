using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Node;
using Microsoft.AspNetCore.Http;

namespace AkkaDns.Cluster.Api;

// PowerDNS's shapes for TSIG keys and zone metadata (API v1), snake_case like the rest.

/// <summary>A TSIG key; <see cref="Key"/> is "" in a listing (PowerDNS lists without secrets).</summary>
internal sealed record TsigKeyJson(string Name, string Id, string Algorithm, string Key, string Type = "TSIGKey")
{
    public override string ToString() => $"TsigKeyJson {{ Name = {Name}, Algorithm = {Algorithm}, Key = {(Key.Length == 0 ? "" : "(hidden)")} }}";
}

/// <summary>Body of POST and PUT …/tsigkeys: every field optional on PUT; "key" absent or "" on POST: generated.</summary>
internal sealed record TsigKeyRequestJson
{
    public string? Name { get; init; }
    public string? Algorithm { get; init; }
    public string? Key { get; init; }
    public override string ToString() => $"TsigKeyRequestJson {{ Name = {Name}, Algorithm = {Algorithm} }}";
}

internal sealed record MetadataJson(string Kind, List<string> Metadata, string Type = "Metadata");

/// <summary>Body of POST …/metadata (kind and values) and PUT …/metadata/KIND (values; the kind is the URL's).</summary>
internal sealed record MetadataRequestJson
{
    public string? Kind { get; init; }
    public List<string>? Metadata { get; init; }
}

/// <summary>The one way the TSIG and metadata endpoints reach the <see cref="TransferConfigActor"/> singleton.</summary>
internal static class TransferConfigCall
{
    public const string TsigKeysPath = "/api/v1/servers/localhost/tsigkeys";

    public static async Task<(TransferConfigState? State, IResult? Error)> Ask(IRequiredActor<TransferConfigActor> actor, object message, NodeSettings node, CancellationToken ct)
    {
        try
        {
            var reply = await actor.ActorRef.Ask<object>(message, node.AskTimeout, ct);
            return reply switch
            {
                TransferConfigReplies.Accepted a => (a.State, null),
                TransferConfigReplies.Rejected r => (null, ApiResults.Error(r.Reason switch
                {
                    TransferRejection.NotFound => StatusCodes.Status404NotFound,
                    TransferRejection.Conflict => StatusCodes.Status409Conflict,
                    _ => StatusCodes.Status422UnprocessableEntity,
                }, r.Message)),
                _ => (null, ApiResults.Error(StatusCodes.Status500InternalServerError, $"unexpected reply {reply.GetType().Name}")),
            };
        }
        catch (AskTimeoutException)
        {
            return (null, ApiResults.Error(StatusCodes.Status503ServiceUnavailable,
                $"the transfer configuration did not answer within {node.AskTimeout.TotalSeconds:0.#} s (no node with role zones up?)"));
        }
    }

    public static TsigKeyJson ToJson(TsigKeyData key, bool withSecret) => new(key.Name, key.Name, key.Algorithm, withSecret ? key.Secret : "");
}
