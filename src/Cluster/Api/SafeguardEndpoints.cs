using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Safeguards;
using AkkaDns.Cluster.ZoneService;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AkkaDns.Cluster.Api;

/// <summary>Body of POST …/zones/{zone}/rollback: exactly one of <see cref="ToVersion"/> and <see cref="ToTime"/>.</summary>
internal sealed record RollbackRequestJson
{
    [JsonPropertyName("toVersion")] public long? ToVersion { get; init; }
    /// <summary>ISO 8601, e.g. "2026-11-27T07:29:00Z": the last version at or before it.</summary>
    [JsonPropertyName("toTime")] public DateTimeOffset? ToTime { get; init; }
}

/// <summary>Body of POST /api/v1/restore.</summary>
internal sealed record RestoreRequestJson
{
    [JsonPropertyName("toTime")] public DateTimeOffset? ToTime { get; init; }
}

/// <summary>The answer to confirming or rejecting a held fleet restore (<see cref="Report"/> null when rejected).</summary>
internal sealed record RestoreDoneJson(string Id, string Status, RestoreJson? Report);

/// <summary>The body of a 202 Accepted: the change was held by the blast-radius guard as <see cref="Id"/>.</summary>
internal sealed record HeldChangeJson(string Id, string Status, string Reason, DateTimeOffset ExpiresAt);

internal sealed record PendingChangeJson(string Id, string Zone, string Change, string Reason, string Who, DateTimeOffset At, DateTimeOffset ExpiresAt, bool Expired);

internal sealed record ChangeDoneJson(string Id, string Status, string Zone, long Version, uint Serial);

internal sealed record RollbackJson(string Zone, long RolledBackTo, long Version, uint Serial);

internal sealed record RestoreSkipJson(string Zone, string Reason);

internal sealed record RestoreJson(DateTimeOffset ToTime, List<RollbackJson> RolledBack, List<string> Unchanged, List<RestoreSkipJson> Skipped, List<RestoreSkipJson> Failed);

/// <summary>The safeguard routes of the admin API: point-in-time rollback of one zone and restore of every zone.</summary>
internal static class SafeguardEndpoints
{
    public static IEndpointRouteBuilder MapSafeguardApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(ZoneJsonMapper.ZonesPath + "/{zone}/rollback", Rollback);
        app.MapPost("/api/v1/restore", Restore);
        app.MapGet("/api/v1/changes", ListChanges);
        app.MapPost("/api/v1/changes/{id}/confirm", (string id, HttpContext c, CancellationToken ct) => Resolve(id, confirm: true, c, ct));
        app.MapPost("/api/v1/changes/{id}/reject", (string id, HttpContext c, CancellationToken ct) => Resolve(id, confirm: false, c, ct));
        return app;
    }

    private static async Task<IResult> Rollback(string zone, HttpContext context, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var (body, bad) = await ReadJson<RollbackRequestJson>(context.Request, ct);
        if (bad is not null) return bad;
        if ((body!.ToVersion is null) == (body.ToTime is null))
            return ApiResults.BadRequest("give exactly one of 'toVersion' and 'toTime'");
        if (body.ToVersion is < 1) return ApiResults.BadRequest($"'toVersion' must be 1 or more (is {body.ToVersion})");
        var target = body.ToVersion is { } v ? RollbackTarget.ToVersion(v) : RollbackTarget.ToTime(body.ToTime!.Value);
        var who = ApiCaller.Of(context);
        var service = context.RequestServices.GetRequiredService<RestoreService>();
        var result = await service.RollbackAsync(name, target, who, ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        Log(context).LogWarning("zone {Zone} rolled back {Target} by {Who}: now version {Version}", result.Value.Zone, target, who, result.Value.Version);
        return ApiResults.Json(ToJson(result.Value));
    }

    private static async Task<IResult> Restore(HttpContext context, CancellationToken ct)
    {
        var (body, bad) = await ReadJson<RestoreRequestJson>(context.Request, ct);
        if (bad is not null) return bad;
        if (body!.ToTime is not { } time) return ApiResults.BadRequest("'toTime' missing: POST /api/v1/restore carries {\"toTime\": \"2026-11-27T07:29:00Z\"}");
        var who = ApiCaller.Of(context);
        var service = context.RequestServices.GetRequiredService<RestoreService>();
        if (!SafeguardContext.Override)
        {
            // A fleet restore changes every zone at once: the guard holds it for confirmation like a mass change.
            var hold = await service.HoldAsync(time, who, ct);
            if (!hold.IsOk) return ApiResults.From(hold.Error);
            var held = hold.Value;
            Log(context).LogWarning("restore to {Time:o} asked by {Who}: held as {Id}", time, who, held.Id);
            return ApiResults.Json(new HeldChangeJson(held.Id, "held",
                $"held: a fleet restore rolls every zone back to {time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; confirm to run it", held.ExpiresAt), StatusCodes.Status202Accepted);
        }
        Log(context).LogWarning("restore to {Time:o} by {Who} OVERRIDES the blast-radius guard", time, who);
        var result = await service.RestoreAllAsync(time, who + " (OVERRIDE of the blast-radius guard)", ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        return RestoreResult(result.Value);
    }

    private static IResult RestoreResult(RestoreReport r)
    {
        var json = ToJson(r);
        // Partial failure is still an answer the operator must read: 207-like, but plain 200 with the failures listed
        // would hide it from scripts, so a restore with failures answers 500 with the full report.
        return ApiResults.Json(json, r.Failed.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError);
    }

    private static RestoreJson ToJson(RestoreReport r) => new(r.ToTime, r.RolledBack.Select(ToJson).ToList(), [.. r.Unchanged],
        r.Skipped.Select(s => new RestoreSkipJson(s.Zone, s.Reason)).ToList(), r.Failed.Select(s => new RestoreSkipJson(s.Zone, s.Reason)).ToList());

    private static async Task<IResult> ListChanges(HttpContext context, CancellationToken ct)
    {
        var result = await context.RequestServices.GetRequiredService<ChangeService>().ListAsync(ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        var now = DateTimeOffset.UtcNow;
        var pending = await context.RequestServices.GetRequiredService<RestoreService>().PendingAsync(ct);
        if (!pending.IsOk) return ApiResults.From(pending.Error);
        var restores = pending.Value.Select(p => new PendingChangeJson(p.Id, "*",
            $"restore every zone to {p.ToTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", "held: fleet restore", p.Who, p.At, p.ExpiresAt, now >= p.ExpiresAt));
        return ApiResults.Json(restores.Concat(result.Value.Select(p => new PendingChangeJson(p.Id, p.Zone, p.Summary, p.Reason, p.Who, p.At, p.ExpiresAt, p.Expired))).ToList());
    }

    private static async Task<IResult> Resolve(string id, bool confirm, HttpContext context, CancellationToken ct)
    {
        var who = ApiCaller.Of(context);
        if (id.StartsWith(RestoreService.IdPrefix, StringComparison.Ordinal))
        {
            var restores = context.RequestServices.GetRequiredService<RestoreService>();
            var done = await restores.ResolveAsync(id, who, confirm, ct);
            if (!done.IsOk) return ApiResults.From(done.Error);
            Log(context).LogWarning("held restore {Id} {Verb} by {Who}", id, confirm ? "confirmed" : "rejected", who);
            return ApiResults.Json(new RestoreDoneJson(id, confirm ? "confirmed" : "rejected", done.Value is { } report ? ToJson(report) : null),
                done.Value is { Failed.Count: > 0 } ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK);
        }
        var service = context.RequestServices.GetRequiredService<ChangeService>();
        var result = confirm ? await service.ConfirmAsync(id, who, ct) : await service.RejectAsync(id, who, ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        Log(context).LogWarning("held change {Id} {Verb} by {Who}: zone {Zone} now version {Version}", id, confirm ? "confirmed" : "rejected", who, result.Value.ZoneId, result.Value.Version);
        return ApiResults.Json(new ChangeDoneJson(id, confirm ? "confirmed" : "rejected", result.Value.ZoneId.Value, result.Value.Version, result.Value.Serial));
    }

    private static RollbackJson ToJson(RollbackOutcome o) => new(o.Zone, o.ToVersion, o.Version, o.Serial);

    private static ILogger Log(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AkkaDns.Safeguards");

    internal static async Task<(T? Body, IResult? Error)> ReadJson<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) return (null, ApiResults.BadRequest("empty body: a JSON object is expected"));
        try
        {
            var body = JsonSerializer.Deserialize<T>(text, ApiJson.Options);
            return body is null ? (null, ApiResults.BadRequest("a JSON object is expected, got null")) : (body, null);
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            return (null, ApiResults.BadRequest($"malformed JSON{at}: {e.Message.Split(" Path:")[0]}"));
        }
    }
}
