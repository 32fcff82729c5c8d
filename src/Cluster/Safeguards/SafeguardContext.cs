using System.Text.Json;
using AkkaDns.Cluster.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AkkaDns.Cluster.Safeguards;

/// <summary>
/// Who is calling and whether they override the blast-radius guard, for the length of one API request. Set by a
/// middleware from the X-API-Key header (as a hash: <see cref="ApiCaller"/>) and from <c>?override=true</c> or
/// <c>"override": true</c> at the top of a JSON body, read by the zone service when it builds a command; so the
/// PowerDNS-shaped endpoints stay unaware of the guard (PowerDNS clients ignore the extra field, and so do we when
/// parsing the body itself).
/// </summary>
internal static class SafeguardContext
{
    private static readonly AsyncLocal<(string Who, bool Override)?> Current = new();

    /// <summary>The caller's key id ("key:…"), or null outside an API request.</summary>
    public static string? Who => Current.Value?.Who;

    /// <summary>True when the request asked to bypass the guard (<c>?override=true</c> or <c>"override": true</c>).</summary>
    public static bool Override => Current.Value?.Override ?? false;

    /// <summary>Runs what follows (until disposed) as <paramref name="who"/>, without override: for changes the node
    /// makes itself (a secondary's transfer), which the guard judges like any other.</summary>
    public static IDisposable As(string who)
    {
        var before = Current.Value;
        Current.Value = (who, false);
        return new Restore(before);
    }

    private sealed class Restore((string Who, bool Override)? before) : IDisposable
    {
        public void Dispose() => Current.Value = before;
    }

    public static IApplicationBuilder UseSafeguardContext(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                var who = ApiCaller.Of(context);
                var overriding = string.Equals(context.Request.Query["override"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
                var source = "?override=true";
                if (!overriding)
                {
                    var (inBody, problem) = await BodyOverride(context.Request, context.RequestAborted);
                    if (problem is not null)
                    {
                        await ApiResults.BadRequest(problem).ExecuteAsync(context);
                        return;
                    }
                    overriding = inBody;
                    source = "\"override\": true in the body";
                }
                if (overriding)
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AkkaDns.Safeguards")
                        .LogWarning("{Method} {Path} by {Who} asks to OVERRIDE the blast-radius guard ({Source})", context.Request.Method, context.Request.Path, who, source);
                Current.Value = (who, overriding);
            }
            try { await next(context); }
            finally { Current.Value = null; }
        });

    /// <summary>
    /// Reads <c>"override"</c> from the top level of a JSON body (POST, PUT, PATCH, DELETE), then rewinds the body for
    /// the endpoint. Not JSON, malformed JSON or no such field: false (the endpoint reports its own parse errors);
    /// a field that is not true/false is refused, since a typo must not silently apply or hold a change.
    /// </summary>
    internal static async Task<(bool Override, string? Problem)> BodyOverride(HttpRequest request, CancellationToken ct)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) return (false, null);
        if (request.ContentType is not { } type || !type.Contains("json", StringComparison.OrdinalIgnoreCase)) return (false, null);
        if (request.ContentLength == 0) return (false, null);
        request.EnableBuffering();
        byte[] body;
        using (var copy = new MemoryStream())
        {
            await request.Body.CopyToAsync(copy, ct);
            body = copy.ToArray();
        }
        request.Body.Position = 0;
        return Find(body);
    }

    internal static (bool Override, string? Problem) Find(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (false, null);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOverride = reader.ValueTextEquals("override"u8);
                if (!reader.Read()) return (false, null);
                if (isOverride)
                    return reader.TokenType switch
                    {
                        JsonTokenType.True => (true, null),
                        JsonTokenType.False or JsonTokenType.Null => (false, null),
                        _ => (false, $"'override' in the body must be true or false (is {reader.TokenType.ToString().ToLowerInvariant()})"),
                    };
                reader.Skip();
            }
        }
        catch (JsonException) { }
        return (false, null);
    }
}
