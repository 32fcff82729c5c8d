using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AkkaDns.Cluster.Api;

/// <summary>Every /api route needs the node's key in <c>X-API-Key</c> (as PowerDNS); compared in constant time.</summary>
internal static class ApiKeyCheck
{
    public const string Header = "X-API-Key";

    /// <summary>An unexpected exception still answers JSON (500) and is logged, never an empty body.</summary>
    public static IApplicationBuilder UseJsonErrors(this IApplicationBuilder app, Microsoft.Extensions.Logging.ILogger logger) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
                // No route (404) or not this method (405) leaves the body empty: answer JSON as PowerDNS does.
                if (!context.Response.HasStarted && context.Request.Path.StartsWithSegments("/api")
                    && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
                    await ApiResults.Error(context.Response.StatusCode, context.Response.StatusCode == StatusCodes.Status404NotFound
                        ? $"Not Found: no route {context.Request.Path}"
                        : $"Method Not Allowed: {context.Request.Method} {context.Request.Path}").ExecuteAsync(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // Kestrel's own refusals (a body over MaxRequestBodySize while it is read: 413) keep their status.
                context.Response.Clear();
                await (e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ApiResults.TooLarge(ZoneEndpoints.MaxBodyBytes)
                    : ApiResults.Error(e.StatusCode, e.Message)).ExecuteAsync(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, e, "admin API {Method} {Path} failed", context.Request.Method, context.Request.Path);
                context.Response.Clear();
                await ApiResults.Error(StatusCodes.Status500InternalServerError, "internal error: " + e.Message).ExecuteAsync(context);
            }
        });

    public static IApplicationBuilder UseApiKey(this IApplicationBuilder app, string key)
    {
        var expected = Encoding.UTF8.GetBytes(key);
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                var given = context.Request.Headers[Header].ToString();
                if (given.Length == 0)
                {
                    await ApiResults.Error(StatusCodes.Status401Unauthorized, $"{Header} header missing").ExecuteAsync(context);
                    return;
                }
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected))
                {
                    await ApiResults.Error(StatusCodes.Status401Unauthorized, $"wrong {Header}").ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
    }
}
