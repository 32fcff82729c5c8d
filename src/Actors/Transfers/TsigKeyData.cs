using System.Security.Cryptography;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Transfers;

/// <summary>
/// A TSIG key as the cluster stores it: <see cref="Name"/> lower case with the final dot, <see cref="Algorithm"/>
/// in its short canonical form ("hmac-sha256"), <see cref="Secret"/> base64. <see cref="ToString"/> never shows
/// the secret, so a key that reaches a log line (a record printed whole, an Akka debug log) does not leak.
/// </summary>
public sealed record TsigKeyData(string Name, string Algorithm, string Secret)
{
    /// <summary>The secret's bytes (base64 decoded; validated where the key entered).</summary>
    public byte[] SecretBytes() => Convert.FromBase64String(Secret);

    public override string ToString() => $"TsigKeyData {{ Name = {Name}, Algorithm = {Algorithm}, Secret = (hidden) }}";
}

/// <summary>The TSIG algorithms we accept (RFC 8945 §6), and their names as they enter.</summary>
public static class TsigAlgorithms
{
    public static readonly IReadOnlyList<string> All = ["hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"];

    public const string Default = "hmac-sha256";

    /// <summary>Any case, with or without a final dot; "hmac-md5.sig-alg.reg.int" (RFC 2845's name) is hmac-md5.</summary>
    public static bool TryNormalize(string? text, out string algorithm)
    {
        algorithm = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().TrimEnd('.').ToLowerInvariant();
        if (t == "hmac-md5.sig-alg.reg.int") t = "hmac-md5";
        if (!All.Contains(t)) return false;
        algorithm = t;
        return true;
    }

    /// <summary>Size of a generated secret: the hash's block size, 64 bytes for SHA-384/512, else 32 (as BIND's tsig-keygen).</summary>
    public static int GeneratedSecretBytes(string algorithm) => algorithm is "hmac-sha384" or "hmac-sha512" ? 64 : 32;

    public static string GenerateSecret(string algorithm) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedSecretBytes(algorithm)));

    /// <summary>Strict base64 with at least one byte; whitespace around it is dropped.</summary>
    public static bool TryNormalizeSecret(string? text, out string secret)
    {
        secret = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        var buffer = new byte[t.Length];
        if (!Convert.TryFromBase64String(t, buffer, out var written) || written == 0) return false;
        secret = Convert.ToBase64String(buffer, 0, written);
        return true;
    }
}

/// <summary>Key names as they enter (API, CLI, metadata values): a DNS name, lower case, with the final dot.</summary>
public static class TsigKeyNames
{
    public static bool TryNormalize(string? text, out string name, out string error)
    {
        name = ""; error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "key name missing"; return false; }
        var t = text.Trim().Replace("=2F", "/", StringComparison.OrdinalIgnoreCase);
        if (!t.EndsWith('.')) t += ".";
        if (t == ".") { error = "the root is not a key name"; return false; }
        if (!DnsName.TryParse(t, DnsName.Root, out var parsed, out var e)) { error = $"bad key name '{text.Trim()}': {e}"; return false; }
        name = parsed!.ToLowerCase().ToString();
        return true;
    }
}
