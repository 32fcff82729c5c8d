using AkkaDns.Cluster.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AkkaDns.Cluster.Safeguards;

/// <summary>
/// Who is calling and whether they override the blast-radius guard, for the length of one API request. Set by a
/// middleware from the X-API-Key header (as a hash: <see cref="ApiCaller"/>) and from <c>?override=true</c>, read by
/// the zone service when it builds a command; so the PowerDNS-shaped endpoints stay unaware of the guard.
/// </summary>
public static class SafeguardContext
{
    private static readonly AsyncLocal<(string Who, bool Override)?> Current = new();

    /// <summary>The caller's key id ("key:…"), or null outside an API request.</summary>
    public static string? Who => Current.Value?.Who;

    /// <summary>True when the request asked to bypass the guard (<c>?override=true</c>).</summary>
    public static bool Override => Current.Value?.Override ?? false;

    public static IApplicationBuilder UseSafeguardContext(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                var overriding = string.Equals(context.Request.Query["override"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
                Current.Value = (ApiCaller.Of(context), overriding);
            }
            try { await next(context); }
            finally { Current.Value = null; }
        });
}
