using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// DNSSEC over the admin API. PowerDNS-shaped keys (<c>…/zones/{zone}/cryptokeys</c>: list, create, get with the
/// private key, activate/deactivate, delete) and AkkaDns's own verbs under <c>…/zones/{zone}/dnssec</c> (status,
/// enable, disable, rollover, ds-seen, nsec), which the CLI uses. Each change is a zone command: same actor, same
/// journal, same blast-radius guard (turning signing off or removing the key the parent's DS points to is held).
/// </summary>
internal static class DnssecEndpoints
{
    public static IEndpointRouteBuilder MapDnssecApi(this IEndpointRouteBuilder app)
    {
        var zones = app.MapGroup(ZoneJsonMapper.ZonesPath);
        zones.MapGet("/{zone}/cryptokeys", ListKeys);
        zones.MapPost("/{zone}/cryptokeys", CreateKey);
        zones.MapGet("/{zone}/cryptokeys/{id}", GetKey);
        zones.MapPut("/{zone}/cryptokeys/{id}", ChangeKey);
        zones.MapDelete("/{zone}/cryptokeys/{id}", DeleteKey);
        zones.MapGet("/{zone}/dnssec", Status);
        zones.MapPost("/{zone}/dnssec/{action}", Act);
        return app;
    }

    private static async Task<IResult> ListKeys(string zone, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var view = await service.DnssecAsync(name, null, ct);
        return view.IsOk ? ApiResults.Json(view.Value.Keys.Select(k => DnssecJson.ToJson(name, k, withPrivate: false)).ToList()) : ApiResults.From(view.Error);
    }

    private static async Task<IResult> GetKey(string zone, string id, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (!int.TryParse(id, out var keyId)) return ApiResults.BadRequest($"cryptokey id '{id}' is not a number");
        var view = await service.DnssecAsync(name, keyId, ct);
        if (!view.IsOk) return ApiResults.From(view.Error);
        if (view.Value.Problem is { } problem) return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, problem);
        return view.Value.Keys.FirstOrDefault(k => k.Id == keyId) is { } key
            ? ApiResults.Json(DnssecJson.ToJson(name, key, withPrivate: true))
            : ApiResults.Error(StatusCodes.Status404NotFound, $"zone '{name}' has no cryptokey {keyId}");
    }

    private static async Task<IResult> CreateKey(string zone, HttpRequest request, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var (body, bad) = await ZoneEndpoints.ReadJson<CryptokeyRequestJson>(request, ct);
        if (bad is not null) return bad;
        if (body!.Privatekey is not null || body.Content is not null)
            return ApiResults.Unprocessable("importing a private key is not supported: AkkaDns generates its keys (and never holds one it did not seal itself)");
        if (!TryRole(body.Keytype, out var role, out var roleError)) return ApiResults.Unprocessable(roleError);
        Resolver.Dnssec.DnssecAlgorithm? algorithm = null;
        if (body.Algorithm is { } a)
        {
            try { algorithm = DnssecSettings.ParseAlgorithm(a, "'algorithm'"); }
            catch (ArgumentException e) { return ApiResults.Unprocessable(e.Message); }
        }
        var before = await service.DnssecAsync(name, null, ct);
        if (!before.IsOk) return ApiResults.From(before.Error);
        // PowerDNS signs a zone once it has a key: the first key turns signing on (a KSK brings its ZSK).
        var result = before.Value.Enabled
            ? await service.DnssecAsync(name, DnssecAction.AddKey, new DnssecOptions { Role = role, Algorithm = algorithm, Bits = body.Bits, Active = body.Active, Published = body.Published }, ct)
            : await service.DnssecAsync(name, DnssecAction.Enable, new DnssecOptions { Algorithm = algorithm, Bits = body.Bits, SplitKeys = role is KeyRole.Ksk or KeyRole.Zsk }, ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        var after = await service.DnssecAsync(name, null, ct);
        if (!after.IsOk) return ApiResults.From(after.Error);
        var made = after.Value.Keys.Where(k => before.Value.Keys.All(o => o.Id != k.Id)).ToList();
        var shown = made.FirstOrDefault(k => role is null || k.Role == role) ?? made.FirstOrDefault();
        if (shown is null) return ApiResults.Error(StatusCodes.Status500InternalServerError, "the key was stored but is not in the zone's key list");
        var json = DnssecJson.ToJson(name, shown, withPrivate: false);
        request.HttpContext.Response.Headers.Location = $"{ZoneJsonMapper.UrlOf(name)}/cryptokeys/{json.Id}";
        return ApiResults.Json(json, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ChangeKey(string zone, string id, HttpRequest request, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (!int.TryParse(id, out var keyId)) return ApiResults.BadRequest($"cryptokey id '{id}' is not a number");
        var (body, bad) = await ZoneEndpoints.ReadJson<CryptokeyRequestJson>(request, ct);
        if (bad is not null) return bad;
        var result = await service.DnssecAsync(name, DnssecAction.SetKey, new DnssecOptions { KeyId = keyId, Active = body!.Active, Published = body.Published }, ct);
        return result.IsOk ? Results.NoContent() : ApiResults.From(result.Error);
    }

    private static async Task<IResult> DeleteKey(string zone, string id, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (!int.TryParse(id, out var keyId)) return ApiResults.BadRequest($"cryptokey id '{id}' is not a number");
        var result = await service.DnssecAsync(name, DnssecAction.RemoveKey, new DnssecOptions { KeyId = keyId }, ct);
        return result.IsOk ? Results.NoContent() : ApiResults.From(result.Error);
    }

    private static async Task<IResult> Status(string zone, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var view = await service.DnssecAsync(name, null, ct);
        return view.IsOk ? ApiResults.Json(DnssecJson.ToStatus(name, view.Value)) : ApiResults.From(view.Error);
    }

    private static async Task<IResult> Act(string zone, string action, HttpRequest request, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        DnssecActionJson body = new();
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var (read, bad) = await ZoneEndpoints.ReadJson<DnssecActionJson>(request, ct);
            if (bad is not null) return bad;
            body = read!;
        }
        var (verb, options, problem) = Options(action, body);
        if (problem is not null) return ApiResults.Unprocessable(problem);
        var result = await service.DnssecAsync(name, verb, options!, ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        var view = await service.DnssecAsync(name, null, ct);
        return view.IsOk ? ApiResults.Json(DnssecJson.ToStatus(name, view.Value)) : ApiResults.From(view.Error);
    }

    /// <summary>PowerDNS's zone fields: <c>"dnssec": true</c> signs the zone (NSEC3 per <c>nsec3param</c>, else RFC 9276's
    /// "1 0 0 -"), a changed <c>nsec3param</c> re-signs it, <c>"dnssec": false</c> starts turning signing off (the delete
    /// CDS first; asked again once the parent dropped the DS, it is held for confirmation). Null when nothing failed.</summary>
    internal static async Task<IResult?> ApplyZoneFlags(DnsName name, bool? dnssec, string? nsec3param, IZoneService service, CancellationToken ct)
    {
        if (dnssec is null && string.IsNullOrWhiteSpace(nsec3param)) return null;
        var view = await service.DnssecAsync(name, null, ct);
        if (!view.IsOk) return ApiResults.From(view.Error);
        var denial = DnssecOptions.None;
        if (!string.IsNullOrWhiteSpace(nsec3param) && !DnssecJson.TryParseNsec3Param(nsec3param, out denial, out var why)) return ApiResults.Unprocessable(why);
        ZoneResult<long>? result = null;
        if (dnssec is true && !view.Value.Enabled) result = await service.DnssecAsync(name, DnssecAction.Enable, denial, ct);
        else if (dnssec is false && view.Value.Enabled)
            result = await service.DnssecAsync(name, DnssecAction.Disable, new DnssecOptions { DsRemoved = view.Value.CdsDelete }, ct);
        else if (dnssec is not false && view.Value.Enabled && denial != DnssecOptions.None && DnssecJson.Nsec3Param(view.Value) != nsec3param!.Trim())
            result = await service.DnssecAsync(name, DnssecAction.SetDenial, denial, ct);
        else if (dnssec is null && !view.Value.Enabled)
            return ApiResults.Unprocessable($"zone '{name}' is not signed: 'nsec3param' needs \"dnssec\": true");
        return result is { IsOk: false } failed ? ApiResults.From(failed.Error) : null;
    }

    /// <summary>The action and its options from a route verb and body, or the problem with them.</summary>
    internal static (DnssecAction Action, DnssecOptions? Options, string? Problem) Options(string action, DnssecActionJson body)
    {
        Resolver.Dnssec.DnssecAlgorithm? algorithm = null;
        if (body.Algorithm is { } a)
        {
            try { algorithm = DnssecSettings.ParseAlgorithm(a, "'algorithm'"); }
            catch (ArgumentException e) { return (default, null, e.Message); }
        }
        var denial = DnssecOptions.None;
        if (body.Nsec is true) denial = new DnssecOptions { Nsec3 = false };
        else if (body.Nsec3param is { Length: > 0 } p && !DnssecJson.TryParseNsec3Param(p, out denial, out var why)) return (default, null, why);
        if (!TryRole(body.Keytype, out var role, out var roleError)) return (default, null, roleError);
        return action.ToLowerInvariant() switch
        {
            "enable" => (DnssecAction.Enable, denial with { Algorithm = algorithm, Bits = body.Bits, SplitKeys = body.Split ?? false }, null),
            "disable" => (DnssecAction.Disable, new DnssecOptions { DsRemoved = body.DsRemoved ?? false }, null),
            "rollover" => (DnssecAction.Rollover, new DnssecOptions { Role = role, Algorithm = algorithm, Bits = body.Bits }, null),
            "ds-seen" => body.Key is { } key ? (DnssecAction.DsSeen, new DnssecOptions { KeyId = key }, null) : (default, null, "'key' (the key id whose DS the parent has) is missing"),
            "nsec" => (DnssecAction.SetDenial, denial == DnssecOptions.None ? new DnssecOptions { Nsec3 = true } : denial, null),
            "refresh" => (DnssecAction.Refresh, DnssecOptions.None, null),
            _ => (default, null, $"unknown DNSSEC action '{action}' (enable, disable, rollover, ds-seen, nsec, refresh)"),
        };
    }

    private static bool TryRole(string? keytype, out KeyRole? role, out string error)
    {
        error = ""; role = null;
        if (keytype is null) return true;
        role = keytype.Trim().ToLowerInvariant() switch { "csk" => KeyRole.Csk, "ksk" => KeyRole.Ksk, "zsk" => KeyRole.Zsk, _ => null };
        if (role is null) { error = $"'keytype' '{keytype}' is not csk, ksk or zsk"; return false; }
        return true;
    }
}
