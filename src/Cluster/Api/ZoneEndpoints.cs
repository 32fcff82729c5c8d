using System.Text;
using System.Text.Json;
using Akka.Hosting;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// The admin HTTP API, shaped like PowerDNS Authoritative's v1 API. Handlers only translate HTTP to
/// <see cref="IZoneService"/> calls and back; every rule lives behind the service.
/// </summary>
internal static class ZoneEndpoints
{
    /// <summary>Largest request body we read (a master file of a big zone fits; a runaway upload does not).</summary>
    /// <remarks>Kestrel's MaxRequestBodySize is set to it too (NodeHost), so a chunked body without Content-Length
    /// stops there as well: 413, never a 500, and nothing is changed (the body is read whole before any call).</remarks>
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    public static IEndpointRouteBuilder MapZoneApi(this IEndpointRouteBuilder app)
    {
        var zones = app.MapGroup(ZoneJsonMapper.ZonesPath);
        zones.MapGet("", List);
        zones.MapPost("", Create);
        zones.MapGet("/{zone}", Get);
        zones.MapPatch("/{zone}", Patch);
        zones.MapPut("/{zone}", Put);
        zones.MapPut("/{zone}/notify", Notify);
        zones.MapDelete("/{zone}", Delete);
        zones.MapGet("/{zone}/export", Export);
        zones.MapPut("/{zone}/zonefile", ReplaceFromMasterFile);
        zones.MapGet("/{zone}/history", History);
        return app;
    }

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
        // The list reads this node's replica of the metadata (one ask per zone would not scale); a zone's GET asks.
        var meta = view.Current;
        var json = list.Select(z => ZoneApiMetadata.With(SecondaryZoneEndpoints.AsSecondary(ZoneJsonMapper.ToJson(z), SecondaryZoneEndpoints.MastersOf(view, z.Name)),
            kind => meta.Values(z.Name.ToString(), kind))).ToList();
        // Secondaries before their first transfer are listed too (PowerDNS lists a Slave zone from its creation).
        var listed = json.Select(j => j.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var pending in view.Current.Zones.Where(z => !listed.Contains(z) && view.Current.Values(z, TransferMetadata.Masters).Count > 0))
            if (DnsName.TryParse(pending, null, out var pn, out _) && (zone is null || ZoneJsonMapper.TryParseZoneName(zone, out var only2, out _) && only2.Equals(pn)))
                json.Add(ZoneApiMetadata.With(SecondaryZoneEndpoints.Pending(pn!, view.Current.Values(pending, TransferMetadata.Masters), withRRsets: false),
                    kind => meta.Values(pending, kind)));
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

        var settings = new ZoneSettingsJson
        {
            Kind = body.Kind, Account = body.Account, SoaEdit = body.SoaEdit, SoaEditApi = body.SoaEditApi, ApiRectify = body.ApiRectify,
            Dnssec = body.Dnssec, Nsec3param = body.Nsec3param, Catalog = body.Catalog,
        };
        if (!ZoneApiMetadata.TryPlan(name, settings, isSecondary: false, out var plan, out var planError)) return ApiResults.Unprocessable(planError);
        if (!ZoneComments.TryCollect(name, body.Rrsets ?? [], DateTimeOffset.UtcNow.ToUnixTimeSeconds(), out var comments, out var commentError))
            return ApiResults.BadRequest(commentError);
        var commentValues = ZoneComments.Merge([], comments, out var sizeError);
        if (commentValues is null) return ApiResults.Unprocessable(sizeError);

        var result = await service.CreateAsync(new NewZone(name, nameservers, records, body.Zone), ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        if (await DnssecEndpoints.ApplyZoneFlags(name, body.Dnssec, body.Nsec3param, service, ct) is { } signError) return signError;
        // The zone exists now: its settings and comments follow (metadata of an existing zone).
        if (commentValues.Count > 0) plan.Add((ZoneComments.Kind, commentValues));
        if (await ZoneApiMetadata.WriteAsync(name, plan, config, node, ct) is { } metaError) return metaError;
        var meta = plan.ToDictionary(p => p.Kind, p => (IReadOnlyList<string>)p.Values);
        Func<string, IReadOnlyList<string>> read = kind => meta.GetValueOrDefault(kind) ?? [];
        var json = ZoneApiMetadata.With(ZoneJsonMapper.ToJson(result.Value, read), read);
        return new WithLocation(ApiResults.Json(json, StatusCodes.Status201Created), json.Url);
    }

    private static async Task<IResult> Get(string zone, string? rrsets, string? rrset_name, string? rrset_type, IZoneService service,
        IRequiredActor<TransferConfigActor> config, TransferConfigView view, NodeSettings node, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        bool withRRsets = !string.Equals(rrsets, "false", StringComparison.OrdinalIgnoreCase);
        // PowerDNS: rrset_name (absolute or relative to the zone) with an optional rrset_type picks RRsets.
        DnsName? onlyName = null; RecordType? onlyType = null;
        if (rrset_type is not null && rrset_name is null) return ApiResults.Unprocessable("'rrset_type' needs 'rrset_name'");
        if (rrset_name is not null)
        {
            if (!DnsName.TryParse(rrset_name.Trim(), name, out var n, out var e)) return ApiResults.Unprocessable($"bad rrset_name '{rrset_name}': {e}");
            onlyName = n!.ToLowerCase();
        }
        if (rrset_type is not null)
        {
            if (!RecordTypes.TryParse(rrset_type.Trim(), out var t)) return ApiResults.Unprocessable($"bad rrset_type '{rrset_type}': unknown record type");
            onlyType = t;
        }
        var result = await service.GetAsync(name, ct);
        var meta = await ZoneApiMetadata.ReadAsync(name, config, view, node, ct);
        var masters = meta(TransferMetadata.Masters); // as the zones side holds it: a secondary just created shows at once
        if (!result.IsOk)
            return result.Error is ZoneError.NotFound && masters.Count > 0
                ? ApiResults.Json(ZoneApiMetadata.With(SecondaryZoneEndpoints.Pending(name, masters, withRRsets), meta)) // before its first transfer
                : ApiResults.From(result.Error);
        var json = ZoneApiMetadata.With(SecondaryZoneEndpoints.AsSecondary(ZoneJsonMapper.ToJson(result.Value, meta, withRRsets), masters), meta);
        if (await service.DnssecAsync(name, null, ct) is { IsOk: true, Value: { Enabled: true } signing })
            json = json with { Dnssec = true, Nsec3param = signing.Nsec3 ? DnssecJson.Nsec3Param(signing) : "" };
        if (json.Rrsets is { } sets && onlyName is not null)
            json = json with
            {
                Rrsets = sets.Where(r => r.Name == onlyName.ToString() && (onlyType is null || r.Type == RecordTypes.ToText(onlyType.Value))).ToList(),
            };
        return ApiResults.Json(json);
    }

    private static async Task<IResult> Patch(string zone, HttpRequest request, IZoneService service, IRequiredActor<TransferConfigActor> config,
        TransferConfigView view, NodeSettings node, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (SecondaryZoneEndpoints.MastersOf(view, name) is { Count: > 0 } masters) return SecondaryZoneEndpoints.RefuseEdit(name, masters);
        var (body, bad) = await ReadJson<PatchZoneJson>(request, ct);
        if (bad is not null) return bad;
        if (body!.Rrsets is null) return ApiResults.BadRequest("'rrsets' missing: PATCH carries {\"rrsets\": [...]}");
        var problems = new List<RequestProblem>();
        var changes = ZoneJsonMapper.ToChanges(name, body.Rrsets, requireChangetype: true, problems);
        if (problems.Count > 0) return FromProblems(problems);
        if (!ZoneComments.TryCollect(name, body.Rrsets, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), out var comments, out var commentError))
            return ApiResults.BadRequest(commentError);
        if (changes.Count == 0 && comments.Count == 0) return ApiResults.Unprocessable("'rrsets' is empty: nothing to change");
        var dup = changes.GroupBy(c => (c.Owner, c.Type)).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) return ApiResults.Unprocessable($"rrset {dup.Key.Owner} {RecordTypes.ToText(dup.Key.Type)} appears more than once in one PATCH");

        List<string>? commentValues = null;
        if (comments.Count > 0)
        {
            var meta = await ZoneApiMetadata.ReadAsync(name, config, view, node, ct);
            commentValues = ZoneComments.Merge(meta(ZoneComments.Kind), comments, out var sizeError);
            if (commentValues is null) return ApiResults.Unprocessable(sizeError);
        }
        if (changes.Count > 0)
        {
            var result = await service.PatchAsync(name, changes, ct);
            if (!result.IsOk) return ApiResults.From(result.Error); // a held or refused change stores no comment either
        }
        else
        {
            var exists = await service.GetAsync(name, ct);
            if (!exists.IsOk) return ApiResults.From(exists.Error);
        }
        if (commentValues is not null && await ZoneApiMetadata.WriteAsync(name, [(ZoneComments.Kind, commentValues)], config, node, ct) is { } metaError)
            return metaError;
        return Results.NoContent();
    }

    /// <summary>PowerDNS's zone settings change: kind, masters, account, soa_edit, soa_edit_api, api_rectify (204);
    /// what AkkaDns cannot do is 422 naming it. Other fields (name, rrsets, serial…) are ignored, as PowerDNS does.</summary>
    private static async Task<IResult> Put(string zone, HttpRequest request, IZoneService service, IRequiredActor<TransferConfigActor> config,
        TransferConfigView view, NodeSettings node, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var (body, bad) = await ReadJson<ZoneSettingsJson>(request, ct);
        if (bad is not null) return bad;
        var meta = await ZoneApiMetadata.ReadAsync(name, config, view, node, ct);
        bool secondary = meta(TransferMetadata.Masters).Count > 0;
        if (!secondary)
        {
            var exists = await service.GetAsync(name, ct);
            if (!exists.IsOk) return ApiResults.From(exists.Error);
        }
        if (!ZoneApiMetadata.TryPlan(name, body!, secondary, out var plan, out var planError)) return ApiResults.Unprocessable(planError);
        if (!secondary && await DnssecEndpoints.ApplyZoneFlags(name, body!.Dnssec, body.Nsec3param, service, ct) is { } signError) return signError;
        return await ZoneApiMetadata.WriteAsync(name, plan, config, node, ct) ?? Results.NoContent();
    }

    /// <summary>PowerDNS's "send NOTIFY now". Every edge already notifies the zone's ALSO-NOTIFY targets on each new
    /// version; this asks this node's edge (when it is one) to notify them again with the serial it serves.</summary>
    private static async Task<IResult> Notify(string zone, IZoneService service, TransferConfigView view, IServiceProvider services, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        var result = await service.GetAsync(name, ct);
        if (!result.IsOk)
            return result.Error is ZoneError.NotFound && SecondaryZoneEndpoints.MastersOf(view, name).Count > 0
                ? ApiResults.Unprocessable($"zone '{name}' is a secondary that has no copy yet: nothing to notify")
                : ApiResults.From(result.Error);
        if (services.GetService(typeof(AkkaDns.Cluster.Transfers.EdgeTransfers)) is AkkaDns.Cluster.Transfers.EdgeTransfers edge)
            edge.Served(name, result.Value.Serial, changed: true);
        return ApiResults.Json(new { result = "Notification queued" });
    }

    private static async Task<IResult> Delete(string zone, IZoneService service, IRequiredActor<TransferConfigActor> config, TransferConfigView view,
        NodeSettings node, CancellationToken ct)
    {
        if (!ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)) return ApiResults.BadRequest(error);
        if (SecondaryZoneEndpoints.MastersOf(view, name).Count > 0) return await SecondaryZoneEndpoints.Delete(name, service, config, node, ct);
        var result = await service.DeleteAsync(name, ct);
        if (!result.IsOk) return ApiResults.From(result.Error);
        // Its API settings and comments go with it (a zone created again later starts without them).
        var meta = view.Current;
        var stale = ZoneApiMetadata.Kinds.Where(k => meta.Values(name.ToString(), k).Count > 0).Select(k => (k, new List<string>()));
        return await ZoneApiMetadata.WriteAsync(name, stale, config, node, ct) ?? Results.NoContent();
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
        if (request.ContentLength > MaxBodyBytes) return (null, ApiResults.TooLarge(MaxBodyBytes));
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            return text.Length > MaxBodyBytes ? (null, ApiResults.TooLarge(MaxBodyBytes)) : (text, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiResults.TooLarge(MaxBodyBytes));
        }
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
