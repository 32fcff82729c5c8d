using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// Who made a request, for the history and the two-person rule: the API key is never stored or logged, only
/// "key:" + the first 12 hex digits of its SHA-256 (enough to tell keys apart, useless to an attacker).
/// </summary>
internal static class ApiCaller
{
    public static string Of(HttpContext context) => KeyId(context.Request.Headers[ApiKeyCheck.Header].ToString());

    public static string KeyId(string apiKey) =>
        "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..12];
}
