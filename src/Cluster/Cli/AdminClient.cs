using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary>The CLI's side of the admin API: one HTTP call per method, errors as <see cref="CliException"/>.</summary>
internal sealed class AdminClient(HttpClient http) : IDisposable
{
    private const string Zones = "api/v1/servers/localhost/zones";

    public static AdminClient Create(Uri node, string apiKey, TimeSpan timeout)
    {
        var baseUri = node.AbsoluteUri.EndsWith('/') ? node : new Uri(node.AbsoluteUri + "/");
        var http = new HttpClient { BaseAddress = baseUri, Timeout = timeout };
        http.DefaultRequestHeaders.Add(ApiKeyCheck.Header, apiKey);
        return new AdminClient(http);
    }

    public Task<List<ZoneJson>> ListAsync(CancellationToken ct) => SendJson<List<ZoneJson>>(HttpMethod.Get, Zones, null, ct);

    public Task<ZoneJson> GetAsync(string zone, CancellationToken ct) => SendJson<ZoneJson>(HttpMethod.Get, $"{Zones}/{Esc(zone)}", null, ct);

    public Task<ZoneJson> CreateAsync(CreateZoneJson body, CancellationToken ct) => SendJson<ZoneJson>(HttpMethod.Post, Zones, Json(body), ct);

    public Task<ZoneJson> ReplaceAsync(string zone, string masterFile, CancellationToken ct) =>
        SendJson<ZoneJson>(HttpMethod.Put, $"{Zones}/{Esc(zone)}/zonefile", new StringContent(masterFile, Encoding.UTF8, "text/plain"), ct);

    public async Task PatchAsync(string zone, PatchZoneJson body, CancellationToken ct) =>
        await Send(HttpMethod.Patch, $"{Zones}/{Esc(zone)}", Json(body), ct);

    /// <summary><paramref name="force"/>: override the blast-radius guard (?override=true), which holds zone deletions.</summary>
    public async Task DeleteAsync(string zone, CancellationToken ct, bool force = false) =>
        await Send(HttpMethod.Delete, $"{Zones}/{Esc(zone)}" + (force ? "?override=true" : ""), null, ct);

    public Task<string> ExportAsync(string zone, CancellationToken ct) => Send(HttpMethod.Get, $"{Zones}/{Esc(zone)}/export", null, ct);

    public Task<List<HistoryEntryJson>> HistoryAsync(string zone, CancellationToken ct) =>
        SendJson<List<HistoryEntryJson>>(HttpMethod.Get, $"{Zones}/{Esc(zone)}/history", null, ct);

    /// <summary>Raw GET, for --json output that passes the node's JSON through unchanged.</summary>
    public Task<string> GetRawAsync(string path, CancellationToken ct) => Send(HttpMethod.Get, path, null, ct);

    /// <summary>Any verb, raw body back (the dc verbs: POST without a body).</summary>
    public Task<string> SendRawAsync(HttpMethod method, string path, CancellationToken ct) => Send(method, path, null, ct);

    /// <summary>POST with a JSON body, raw body back (the safeguard verbs: rollback, restore, change, backup).</summary>
    public Task<string> PostJsonRawAsync(string path, string json, CancellationToken ct) =>
        Send(HttpMethod.Post, path, new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")), ct);
    /// <summary>Any verb with an optional JSON body, raw body back (the tsig and zone transfer verbs: PUT, DELETE).</summary>
    public Task<string> SendJsonRawAsync(HttpMethod method, string path, string? json, CancellationToken ct) =>
        Send(method, path, json is null ? null : new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")), ct);

    /// <summary>A streaming GET (cluster tail): the response body as it arrives; no timeout, ends with <paramref name="ct"/>.</summary>
    public async Task<Stream> OpenStreamAsync(string path, CancellationToken ct)
    {
        try
        {
            var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                throw new CliException(ExitCodes.For(response.StatusCode), $"{(int)response.StatusCode} {response.ReasonPhrase}: {ErrorText(body)}", response.StatusCode);
            }
            return await response.Content.ReadAsStreamAsync(ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unavailable, $"cannot reach node {http.BaseAddress}: {e.Message}");
        }
    }

    public static string ZonePath(string zone) => $"{Zones}/{Esc(zone)}";

    private static string Esc(string zone) => Uri.EscapeDataString(zone);

    private static StringContent Json<T>(T body) =>
        new(JsonSerializer.Serialize(body, ApiJson.Options), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private async Task<T> SendJson<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        var text = await Send(method, path, content, ct);
        return JsonSerializer.Deserialize<T>(text, ApiJson.Options) ?? throw new CliException(ExitCodes.Unavailable, $"node answered '{text}' where JSON was expected");
    }

    private async Task<string> Send(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unavailable, $"cannot reach node {http.BaseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, $"node {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            // 202: the blast-radius guard held the change. Not a success a script may take for done: say so, exit 6.
            if (response.StatusCode == HttpStatusCode.Accepted)
                throw new CliException(ExitCodes.Held, "held for confirmation: " + HeldText(body), response.StatusCode);
            if (response.IsSuccessStatusCode) return body;
            throw new CliException(ExitCodes.For(response.StatusCode), $"{(int)response.StatusCode} {response.ReasonPhrase}: {ErrorText(body)}", response.StatusCode);
        }
    }

    private static string HeldText(string body)
    {
        try
        {
            var held = JsonSerializer.Deserialize<HeldChangeJson>(body, ApiJson.Options);
            if (held is not null)
                return $"{held.Reason}{Environment.NewLine}change id {held.Id} (expires {held.ExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}): `akkadns change confirm {held.Id}` applies it, `akkadns change reject {held.Id}` drops it";
        }
        catch (JsonException) { }
        return body;
    }

    private static string ErrorText(string body)
    {
        try
        {
            var error = JsonSerializer.Deserialize<ErrorJson>(body, ApiJson.Options);
            if (error?.Error is { } message)
                return error.Errors is { Count: > 1 } all ? message + Environment.NewLine + string.Join(Environment.NewLine, all.Skip(1).Select(e => "  " + e)) : message;
        }
        catch (JsonException) { }
        return body.Length > 0 ? body : "(no body)";
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A CLI failure: printed to stderr, the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException(int exitCode, string message, HttpStatusCode? status = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    /// <summary>The node's HTTP status when the node answered; null for local or connection failures.</summary>
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>Exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The node refused the request (bad input, rule broken, conflict).</summary>
    public const int Refused = 1;
    /// <summary>Bad usage or a local file that cannot be read.</summary>
    public const int Usage = 2;
    /// <summary>The node or cluster did not answer (unreachable, timeout, 503).</summary>
    public const int Unavailable = 3;
    /// <summary>The zone does not exist.</summary>
    public const int NotFound = 4;
    /// <summary>Wrong or missing API key.</summary>
    public const int Unauthorized = 5;
    /// <summary>The blast-radius guard held the change: nothing applied until it is confirmed.</summary>
    public const int Held = 6;

    public static int For(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => NotFound,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Unauthorized,
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.BadGateway => Unavailable,
        _ => Refused,
    };
}
