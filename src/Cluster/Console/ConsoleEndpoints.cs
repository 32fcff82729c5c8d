using System.Collections.Frozen;
using AkkaDns.Cluster.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

// Not AkkaDns.Cluster.Console: that namespace would hide System.Console from every file under AkkaDns.Cluster.
namespace AkkaDns.Cluster.OperatorConsole;

/// <summary>
/// The operator console: static files embedded in the assembly (<c>wwwroot/</c>, nothing fetched at run time),
/// served at <c>/ui/</c> on the admin API's listener. The files hold no data, so they need no key; every data call
/// the page makes goes to the /api routes with the key the operator typed (kept in sessionStorage, never a cookie).
/// Every /ui answer carries a strict Content-Security-Policy: scripts, styles and fetches from this origin only.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Path = "/ui";

    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary();

    /// <summary>The embedded files by name, read once (a few tens of KiB).</summary>
    private static readonly Lazy<FrozenDictionary<string, byte[]>> Files = new(Load);

    /// <summary>The console's files, and the two read-only API routes only it needed (diff of versions, traffic per edge).</summary>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapZoneDiffApi();
        app.MapTrafficApi();
        var group = app.MapGroup(Path);
        group.MapGet("/", () => Serve("index.html"));
        group.MapGet("/{file}", (string file) => Serve(file));
        return app;
    }

    private static IResult Serve(string file) =>
        Files.Value.TryGetValue(file, out var bytes) && ContentTypes.TryGetValue(System.IO.Path.GetExtension(file), out var type)
            ? new Asset(bytes, type)
            : new Asset("not found\n"u8.ToArray(), "text/plain; charset=utf-8", StatusCodes.Status404NotFound);

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(ConsoleEndpoints).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..]] = copy.ToArray();
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>One file with the console's security headers (also on a 404, so no /ui answer goes without them).</summary>
    private sealed class Asset(byte[] body, string contentType, int status = StatusCodes.Status200OK) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-cache";
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
