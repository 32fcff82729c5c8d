using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AkkaDns.Cluster.Api;

/// <summary>Every /api route needs the node's key in <c>X-API-Key</c> (as PowerDNS); compared in constant time.</summary>
public static class ApiKeyCheck
{
    public const string Header = "X-API-Key";

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
