using System.Text;
using System.Text.Json;
using Akka.Hosting;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.Zones;
using AkkaDns.Resolver.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// The admin HTTP API, shaped like PowerDNS Authoritative's v1 API. Handlers only translate HTTP to
/// <see cref="IZoneService"/> calls and back; every rule lives behind the service.
/// </summary>
public static class ZoneEndpoints
{
    /// <summary>Largest request body we read (a master file of a big zone fits; a runaway upload does not).</summary>
    private const int MaxBodyBytes = 64 * 1024 * 1024;

    public static IEndpointRouteBuilder MapZoneApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/servers", () => ApiResults.Json(new[] { Server() }));
        app.MapGet("/api/v1/servers/localhost", () => ApiResults.Json(Server()));

        var zones = app.MapGroup(ZoneJsonMapper.ZonesPath);
        zones.MapGet("", List);
        zones.MapPost("", Create);
        zones.MapGet("/{zone}", Get);
        zones.MapPatch("/{zone}", Patch);
        zones.MapDelete("/{zone}", Delete);
        zones.MapGet("/{zone}/export", Export);
        zones.MapPut("/{zone}/zonefile", ReplaceFromMasterFile);
        zones.MapGet("/{zone}/history", History);
        return app;
    }

    private static ServerJson Server() => new("Server", "localhost", "authoritative",
        "akkadns-" + (typeof(ZoneEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0"), "/api/v1/servers/localhost", ZoneJsonMapper.ZonesPath + "{/zone}");

    private static async Task<IResult> List(IZoneService service, TransferConfigView view, string? zone, CancellationToken ct)
    {
        var result = await service.ListAsync(ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        IEnumerable<ZoneSummary> list = result.Value;
        // PowerDNS filters the list with ?zone=NAME (external-dns uses it).
        if (zone is not null)
        {
            if (!ZoneJsonMapper.TryParseZoneName(zone, out var only, out var error)) return ApiResults.BadRequest(error);
            list = list.Where(z => z.Name.Equals(only));
        }
        var json = list.Select(z => SecondaryZoneEndpoints.AsSecondary(ZoneJsonMapper.ToJson(z), SecondaryZoneEndpoints.MastersOf(view, z.Name))).ToList();
        // Secondaries before their first transfer are listed too (PowerDNS lists a Slave zone from its creation).
        var listed = json.Select(j => j.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var pending in view.Current.Zones.Where(z => !listed.Contains(z) && view.Current.Values(z, TransferMetadata.Masters).Count > 0))
            if (DnsName.TryParse(pending, null, out var pn, out _) && (zone is null || ZoneJsonMapper.TryParseZoneName(zone, out var only2, out _) && only2.Equals(pn)))
                json.Add(SecondaryZoneEndpoints.Pending(pn!, view.Current.Values(pending, TransferMetadata.Masters), withRRsets: false));
        return ApiResults.Json(json.OrderBy(j => j.Name, StringComparer.Ordinal).ToList());
    }

    private static async Task<IResult> Create(HttpRequest request, IZoneService service, IRequiredActor<TransferConfigActor> config,
        TransferConfigView view, NodeSettings node, CancellationToken ct)
    {
        var (body, bad) = await ReadJson<CreateZoneJson>(request, ct);
        if (bad is not null) return bad;
        if (!ZoneJsonMapper.TryParseZoneName(body!.Name, out var name, out var nameError)) return ApiResults.BadRequest(nameError);
        if (body.Kind is { } secondary && (secondary.Equals("Slave", StringComparison.OrdinalIgnoreCase) || secondary.Equals("Secondary", StringComparison.OrdinalIgnoreCase)))
            return await SecondaryZoneEndpoints.Create(name, body, service, config, view, node, ct);
        if (body.Kind is { } kind && !kind.Equals("Native", StringComparison.OrdinalIgnoreCase)
            && !kind.Equals("Master", StringComparison.OrdinalIgnoreCase) && !kind.Equals("Primary", StringComparison.OrdinalIgnoreCase))
            return ApiResults.Unprocessable($"zone kind '{kind}' is not supported: Native or Master (replicated by the cluster), or Slave (with 'masters')");
        if (body.Masters is { Count: > 0 }) return ApiResults.Unprocessable("'masters' is for a Slave zone: give \"kind\": \"Slave\"");

        var nameservers = new List<DnsName>();
        foreach (var ns in body.Nameservers ?? [])
        {
            if (ns is null) return ApiResults.BadRequest("'nameservers' holds a null");
            if (!DnsName.TryParse(ns.Trim(), name, out var n, out var e)) return ApiResults.BadRequest($"bad nameserver '{ns}': {e}");
            nameservers.Add(n!.ToLowerCase());
        }
        var problems = new List<RequestProblem>();
        var changes = ZoneJsonMapper.ToChanges(name, body.Rrsets ?? [], requireChangetype: false, problems);
        if (problems.Count > 0) return FromProblems(problems);
        var records = changes.SelectMany(c => c.Records).ToList();
        if (body.Zone is not null && (records.Count > 0 || nameservers.Count > 0))
            return ApiResults.Unprocessable("give either 'zone' (master-file text) or 'nameservers'/'rrsets', not both");
        if (body.Zone is null && nameservers.Count == 0 && !records.Any(r => r.Type == RecordType.NS && r.Owner.Equals(name)))
            return ApiResults.Unprocessable($"zone '{name}' needs 'nameservers' or an NS rrset at the apex");

        var result = await service.CreateAsync(new NewZone(name, nameservers, records, body.Zone), ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        var json = ZoneJsonMapper.ToJson(result.Value);
        return new WithLocation(ApiResults.Json(json, StatusCodes.Status201Created), json.Url);
    }

    private static async Task<IResult> Get(string zone, string? rrsets, IZoneService service, TransferConfigView view, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var result = await service.GetAsync(name, ct);
        bool withRRsets = !string.Equals(rrsets, "false", StringComparison.OrdinalIgnoreCase);
        var masters = SecondaryZoneEndpoints.MastersOf(view, name);
        if (!result.IsOk)
            return result.Error is ZoneError.NotFound && masters.Count > 0
                ? ApiResults.Json(SecondaryZoneEndpoints.Pending(name, masters, withRRsets)) // before its first transfer
                : ApiResults.From(result.Error);
        return ApiResults.Json(SecondaryZoneEndpoints.AsSecondary(ZoneJsonMapper.ToJson(result.Value, withRRsets), masters));
    }

    private static async Task<IResult> Patch(string zone, HttpRequest request, IZoneService service, TransferConfigView view, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (SecondaryZoneEndpoints.MastersOf(view, name) is { Count: > 0 } masters) return SecondaryZoneEndpoints.RefuseEdit(name, masters);
        var (body, bad) = await ReadJson<PatchZoneJson>(request, ct);
        if (bad is not null) return bad;
        if (body!.Rrsets is null) return ApiResults.BadRequest("'rrsets' missing: PATCH carries {\"rrsets\": [...]}");
        var problems = new List<RequestProblem>();
        var changes = ZoneJsonMapper.ToChanges(name, body.Rrsets, requireChangetype: true, problems);
        if (problems.Count > 0) return FromProblems(problems);
        if (changes.Count == 0) return ApiResults.Unprocessable("'rrsets' is empty: nothing to change");
        var dup = changes.GroupBy(c => (c.Owner, c.Type)).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) return ApiResults.Unprocessable($"rrset {dup.Key.Owner} {RecordTypes.ToText(dup.Key.Type)} appears more than once in one PATCH");

        var result = await service.PatchAsync(name, changes, ct);
        return result.IsOk ? Results.NoContent() : ApiResults.From(result.Error);
    }

    private static async Task<IResult> Delete(string zone, IZoneService service, IRequiredActor<TransferConfigActor> config, TransferConfigView view,
        NodeSettings node, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (SecondaryZoneEndpoints.MastersOf(view, name).Count > 0) return await SecondaryZoneEndpoints.Delete(name, service, config, node, ct);
        var result = await service.DeleteAsync(name, ct);
        return result.IsOk ? Results.NoContent() : ApiResults.From(result.Error);
    }

    private static async Task<IResult> Export(string zone, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var result = await service.ExportAsync(name, ct);
        // PowerDNS returns the zone as text/plain, one record per line.
        return result.IsOk ? Results.Text(result.Value, "text/plain; charset=utf-8") : ApiResults.From(result.Error);
    }

    /// <summary>Our extension: replace an existing zone's whole content with the master file in the body (text/plain).</summary>
    private static async Task<IResult> ReplaceFromMasterFile(string zone, HttpRequest request, IZoneService service, TransferConfigView view, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (SecondaryZoneEndpoints.MastersOf(view, name) is { Count: > 0 } masters) return SecondaryZoneEndpoints.RefuseEdit(name, masters);
        var (text, bad) = await ReadText(request, ct);
        if (bad is not null) return bad;
        if (string.IsNullOrWhiteSpace(text)) return ApiResults.BadRequest("empty body: PUT …/zonefile carries the master file as text/plain");
        var result = await service.ReplaceAsync(name, text!, ct);
        return result.IsOk ? ApiResults.Json(ZoneJsonMapper.ToJson(result.Value)) : ApiResults.From(result.Error);
    }

    private static async Task<IResult> History(string zone, IZoneService service, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var result = await service.HistoryAsync(name, ct);
        return result.IsOk
            ? ApiResults.Json(result.Value.Select(h => new HistoryEntryJson(h.Version, h.Serial, h.At, h.Change, h.Detail, h.Who)).ToList())
            : ApiResults.From(result.Error);
    }

    private static IResult FromProblems(List<RequestProblem> problems)
    {
        // Malformed input (400) wins over rule violations (422): fix the syntax first.
        var first = problems.FirstOrDefault(p => p.IsMalformed) ?? problems[0];
        return ApiResults.Error(first.IsMalformed ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
            first.Message, problems.Count > 1 ? problems.Select(p => p.Message).ToList() : null);
    }

    internal static async Task<(T? Body, IResult? Error)> ReadJson<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        var (text, bad) = await ReadText(request, ct);
        if (bad is not null) return (null, bad);
        if (string.IsNullOrWhiteSpace(text)) return (null, ApiResults.BadRequest("empty body: a JSON object is expected"));
        try
        {
            var body = JsonSerializer.Deserialize<T>(text!, ApiJson.Options);
            return body is null ? (null, ApiResults.BadRequest("a JSON object is expected, got null")) : (body, null);
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            return (null, ApiResults.BadRequest($"malformed JSON{at}: {FirstSentence(e.Message)}"));
        }
    }

    private static async Task<(string? Text, IResult? Error)> ReadText(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return (null, ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"body larger than {MaxBodyBytes} bytes"));
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        return (text, null);
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Adds a Location header to a result (201 Created).</summary>
    private sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.Location = location;
            return inner.ExecuteAsync(context);
        }
    }
}
