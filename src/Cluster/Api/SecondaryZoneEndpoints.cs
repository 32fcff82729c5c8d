using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Secondaries;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// Secondary zones through the PowerDNS-shaped API: created by <c>POST …/zones</c> with <c>"kind": "Slave"</c> (or
/// "Secondary") and <c>"masters"</c>, optionally <c>"master_tsig_key_ids"</c> (PowerDNS's field; our AXFR-MASTER-TSIG);
/// shown with their kind and masters; <c>PUT …/zones/{zone}/axfr-retrieve</c> refreshes now (as PowerDNS); and our
/// <c>GET …/zones/{zone}/secondary</c> gives the refresher's status. Their content changes only by transfer: PATCH and
/// zone-file PUT are refused. The masters are zone metadata (MASTERS), so every node and edge knows them.
/// </summary>
internal static class SecondaryZoneEndpoints
{
    public static IEndpointRouteBuilder MapSecondaryZoneApi(this IEndpointRouteBuilder app)
    {
        var zones = app.MapGroup(ZoneJsonMapper.ZonesPath);
        zones.MapPut("/{zone}/axfr-retrieve", Retrieve);
        zones.MapGet("/{zone}/secondary", Status);
        return app;
    }

    /// <summary>The zone's primaries when it is a secondary (per this node's replica of the metadata), else empty.</summary>
    internal static IReadOnlyList<string> MastersOf(TransferConfigView view, DnsName zone) =>
        view.Current.Values(zone.ToString(), TransferMetadata.Masters);

    internal static ZoneJson AsSecondary(ZoneJson json, IReadOnlyList<string> masters) =>
        masters.Count == 0 ? json : json with { Kind = "Slave", Masters = [.. masters] };

    /// <summary>The JSON of a secondary that has no copy yet (before its first transfer).</summary>
    internal static ZoneJson Pending(DnsName zone, IReadOnlyList<string> masters, bool withRRsets) =>
        AsSecondary(new ZoneJson
        {
            Id = ZoneJsonMapper.ToId(zone), Name = zone.ToString(), Url = ZoneJsonMapper.UrlOf(zone), Rrsets = withRRsets ? [] : null,
        }, masters);

    internal static async Task<IResult> Create(DnsName name, CreateZoneJson body, IZoneService zones, IRequiredActor<TransferConfigActor> config,
        TransferConfigView view, NodeSettings node, CancellationToken ct)
    {
        if (body.Masters is not { Count: > 0 } masters)
            return ApiResults.Unprocessable($"a {body.Kind} zone needs 'masters': the primaries to transfer it from, e.g. [\"192.0.2.1:53\"]");
        if (body.Zone is not null || body.Rrsets is { Count: > 0 } || body.Nameservers is { Count: > 0 })
            return ApiResults.Unprocessable("a secondary zone takes its content from its primaries: give no 'zone', 'rrsets' or 'nameservers'");
        if (!TransferMetadata.TryNormalizeValues(TransferMetadata.Masters, masters, out var normalized, out var mastersError))
            return ApiResults.Unprocessable("'masters': " + mastersError);
        if (ZoneRules.CheckApex(name) is { } suffix) return ApiResults.Unprocessable(suffix.Message);
        string? key = null;
        if (body.MasterTsigKeyIds is { Count: > 0 } ids)
        {
            if (ids.Count > 1) return ApiResults.Unprocessable($"'master_tsig_key_ids' takes one key, got {ids.Count}");
            if (!TsigKeyNames.TryNormalize(ids[0].Replace("=2F", "/", StringComparison.OrdinalIgnoreCase), out var k, out var keyError))
                return ApiResults.Unprocessable("'master_tsig_key_ids': " + keyError);
            key = k;
        }

        var existing = await zones.GetAsync(name, ct);
        if (existing.IsOk) return ApiResults.Error(StatusCodes.Status409Conflict, $"zone '{name}' already exists");
        if (existing.Error is not ZoneError.NotFound) return ApiResults.From(existing.Error);
        var (state, error) = await TransferConfigCall.Ask(config, GetTransferConfig.Instance, node, ct);
        if (error is not null) return error;
        if (state!.MetadataOf(name.ToString()).ContainsKey(TransferMetadata.Masters))
            return ApiResults.Error(StatusCodes.Status409Conflict, $"zone '{name}' already exists (a secondary)");
        if (key is not null && !state.Keys.ContainsKey(key))
            return ApiResults.Unprocessable($"'master_tsig_key_ids': TSIG key '{key}' does not exist (POST it to {TransferConfigCall.TsigKeysPath} first)");

        // The key first: the refresher starts on MASTERS, and its first request must already be signed.
        if (key is not null && (await TransferConfigCall.Ask(config, new SetZoneMetadata(name.ToString(), TransferMetadata.AxfrMasterTsig, [key]), node, ct)).Error is { } e1)
            return e1;
        if (body.ExpirePolicy is { } policy
            && (await TransferConfigCall.Ask(config, new SetZoneMetadata(name.ToString(), TransferMetadata.ExpirePolicy, [policy]), node, ct)).Error is { } e2)
            return e2;
        var (_, e3) = await TransferConfigCall.Ask(config, new SetZoneMetadata(name.ToString(), TransferMetadata.Masters, normalized), node, ct);
        if (e3 is not null) return e3;
        var json = Pending(name, normalized, withRRsets: true);
        return ApiResults.Json(json, StatusCodes.Status201Created);
    }

    /// <summary>Deletes a secondary: it stops following first (MASTERS cleared), then its copy is deleted (if any).</summary>
    internal static async Task<IResult> Delete(DnsName name, IZoneService zones, IRequiredActor<TransferConfigActor> config, NodeSettings node, CancellationToken ct)
    {
        foreach (var kind in new[] { TransferMetadata.Masters, TransferMetadata.AxfrMasterTsig, TransferMetadata.ExpirePolicy, TransferMetadata.Expired })
            if ((await TransferConfigCall.Ask(config, new SetZoneMetadata(name.ToString(), kind, []), node, ct)).Error is { } e) return e;
        var deleted = await zones.DeleteAsync(name, ct);
        return deleted.IsOk || deleted.Error is ZoneError.NotFound ? Results.NoContent() : ApiResults.From(deleted.Error);
    }

    internal static IResult RefuseEdit(DnsName name, IReadOnlyList<string> masters) => ApiResults.Unprocessable(
        $"zone '{name}' is a secondary of {string.Join(", ", masters)}: change it on its primary (its content comes only by transfer)");

    private static IResult Retrieve(string zone, TransferConfigView view, IRequiredActor<SecondaryRefresher> refresher)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (MastersOf(view, name).Count == 0) return ApiResults.Error(StatusCodes.Status404NotFound, $"zone '{name}' is not a secondary zone");
        refresher.ActorRef.Tell(new SecondaryProtocol.SecondaryNotified(ZoneId.From(name), "api", null));
        return ApiResults.Json(new { result = $"Added retrieval request for '{name}' from primary(s) {string.Join(", ", MastersOf(view, name))}" });
    }

    private static async Task<IResult> Status(string zone, TransferConfigView view, IRequiredActor<SecondaryRefresher> refresher, NodeSettings node, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (MastersOf(view, name).Count == 0) return ApiResults.Error(StatusCodes.Status404NotFound, $"zone '{name}' is not a secondary zone");
        try
        {
            var reply = await refresher.ActorRef.Ask<SecondaryProtocol.SecondaryStatusList>(new SecondaryProtocol.GetSecondaryStatus(ZoneId.From(name)), node.AskTimeout, ct);
            return reply.Zones is [var s, ..]
                ? ApiResults.Json(ToJson(s))
                : ApiResults.Error(StatusCodes.Status503ServiceUnavailable, $"the secondary refresher does not follow '{name}' yet (the metadata is still replicating); try again");
        }
        catch (AskTimeoutException)
        {
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, $"the secondary refresher did not answer within {node.AskTimeout.TotalSeconds:0.#} s (no node with role zones up?)");
        }
    }

    internal static SecondaryStatusJson ToJson(SecondaryZoneStatus s) => new(
        s.Config.Zone.Value, [.. s.Config.Masters.Select(m => m.ToString())], s.Config.KeyName, SecondaryZoneConfig.ToText(s.Config.Policy),
        s.Serial, s.LastResult.ToString().ToLowerInvariant(), s.LastMessage, s.LastCheck, s.LastSuccess, s.NextCheck, s.ExpiresAt, s.Expired,
        s.HeldSerial, s.Failures, s.InFlight, s.Transfers);
}

/// <summary>A secondary zone's refresh status (our extension, <c>GET …/zones/{zone}/secondary</c>).</summary>
internal sealed record SecondaryStatusJson(string Zone, List<string> Masters, string? Key, string ExpirePolicy, uint? Serial, string LastResult,
    string LastMessage, DateTimeOffset? LastCheck, DateTimeOffset? LastSuccess, DateTimeOffset NextCheck, DateTimeOffset? ExpiresAt,
    bool Expired, uint? HeldSerial, int Failures, bool Refreshing, long Transfers);
