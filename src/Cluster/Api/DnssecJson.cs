using System.Security.Cryptography;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.Api;

/// <summary>A key as PowerDNS's <c>Cryptokey</c>: <c>privatekey</c> only on the single-key GET.</summary>
internal sealed record CryptokeyJson
{
    public string Type { get; init; } = "Cryptokey";
    public int Id { get; init; }
    public string Keytype { get; init; } = "csk";
    public bool Active { get; init; }
    public bool Published { get; init; } = true;
    public string Dnskey { get; init; } = "";
    public List<string> Ds { get; init; } = [];
    public List<string> Cds { get; init; } = [];
    public string Algorithm { get; init; } = "";
    public int Bits { get; init; }
    public int Flags { get; init; }
    public int KeyTag { get; init; }
    /// <summary>AkkaDns: the key's place in its life (published, active, retired, inactive) and whether the parent's DS
    /// was confirmed to point to it.</summary>
    public string State { get; init; } = "";
    public bool DsSeen { get; init; }
    public DateTimeOffset Created { get; init; }
    public string? Privatekey { get; init; }
}

/// <summary>POST …/cryptokeys and PUT …/cryptokeys/{id}.</summary>
internal sealed record CryptokeyRequestJson
{
    public string? Keytype { get; init; }
    public bool? Active { get; init; }
    public bool? Published { get; init; }
    public string? Algorithm { get; init; }
    public int? Bits { get; init; }
    public string? Privatekey { get; init; }
    public string? Content { get; init; }
}

/// <summary>GET …/zones/{zone}/dnssec: the signing state at a glance.</summary>
internal sealed record DnssecStatusJson
{
    public string Zone { get; init; } = "";
    public bool Dnssec { get; init; }
    public string Nsec3param { get; init; } = "";
    public bool CdsDelete { get; init; }
    public DateTimeOffset? EarliestExpiry { get; init; }
    public DateTimeOffset? NextAction { get; init; }
    public List<CryptokeyJson> Keys { get; init; } = [];
    public List<string> Ds { get; init; } = [];
}

/// <summary>POST …/zones/{zone}/dnssec/{enable|disable|rollover|ds-seen|nsec}.</summary>
internal sealed record DnssecActionJson
{
    public string? Algorithm { get; init; }
    public int? Bits { get; init; }
    public bool? Split { get; init; }
    public string? Nsec3param { get; init; }
    public bool? Nsec { get; init; }
    public bool? DsRemoved { get; init; }
    public string? Keytype { get; init; }
    public int? Key { get; init; }
}

internal static class DnssecJson
{
    public static CryptokeyJson ToJson(DnsName zone, KeyView k, bool withPrivate) => new()
    {
        Id = k.Id,
        Keytype = k.Role.ToString().ToLowerInvariant(),
        Active = k.Phase == KeyPhase.Active,
        Published = true,
        Dnskey = $"{k.Flags} 3 {(byte)k.Algorithm} {Convert.ToBase64String(k.Dnskey.AsSpan(4))}",
        Ds = k.Role == KeyRole.Zsk ? [] : [Ds(zone, k, 2), Ds(zone, k, 4)],
        Cds = k.Role == KeyRole.Zsk ? [] : [Ds(zone, k, 2)],
        Algorithm = DnssecSettings.Mnemonic(k.Algorithm),
        Bits = k.Bits, Flags = k.Flags, KeyTag = k.KeyTag,
        State = k.Phase.ToString().ToLowerInvariant(), DsSeen = k.DsSeen, Created = k.Created,
        Privatekey = withPrivate && k.PrivateKeyPkcs8 is { } p ? BindPrivateKey(k.Algorithm, p) : null,
    };

    public static DnssecStatusJson ToStatus(DnsName zone, DnssecView v) => new()
    {
        Zone = zone.ToString(), Dnssec = v.Enabled,
        Nsec3param = v.Enabled && v.Nsec3 ? Nsec3Param(v) : "",
        CdsDelete = v.CdsDelete, EarliestExpiry = v.EarliestExpiry, NextAction = v.NextAction,
        Keys = v.Keys.Select(k => ToJson(zone, k, withPrivate: false)).ToList(),
        Ds = v.Keys.Where(k => k.Role != KeyRole.Zsk && k.Phase is KeyPhase.Active or KeyPhase.Published).Select(k => Ds(zone, k, 2)).ToList(),
    };

    /// <summary>PowerDNS's nsec3param text: "hash flags iterations salt" ("1 0 0 -" is RFC 9276's choice).</summary>
    public static string Nsec3Param(DnssecView v) =>
        $"1 {(v.OptOut ? 1 : 0)} {v.Nsec3Iterations} {(v.Nsec3Salt.Length == 0 ? "-" : Convert.ToHexString(v.Nsec3Salt).ToLowerInvariant())}";

    public static bool TryParseNsec3Param(string text, out DnssecOptions options, out string error)
    {
        options = DnssecOptions.None; error = "";
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || parts[0] != "1" || parts[1] is not ("0" or "1") || !ushort.TryParse(parts[2], out var iterations))
        {
            error = $"'nsec3param' '{text}' is not \"1 FLAGS ITERATIONS SALT\" (e.g. \"1 0 0 -\", RFC 9276)";
            return false;
        }
        byte[] salt = [];
        if (parts[3] != "-")
        {
            try { salt = Convert.FromHexString(parts[3]); }
            catch (FormatException) { error = $"'nsec3param' salt '{parts[3]}' is not hex (or '-' for none)"; return false; }
        }
        options = new DnssecOptions { Nsec3 = true, Iterations = iterations, Salt = salt, OptOut = parts[1] == "1" };
        return true;
    }

    /// <summary>The DS of a key (RFC 4034 §5.1.4): digest over the owner's canonical wire name and the DNSKEY RDATA.</summary>
    public static string Ds(DnsName zone, KeyView k, byte digestType)
    {
        var owner = zone.ToLowerCase().Wire;
        var input = new byte[owner.Length + k.Dnskey.Length];
        owner.CopyTo(input);
        k.Dnskey.CopyTo(input, owner.Length);
        var digest = digestType == 4 ? SHA384.HashData(input) : SHA256.HashData(input);
        return $"{k.KeyTag} {(byte)k.Algorithm} {digestType} {Convert.ToHexString(digest).ToLowerInvariant()}";
    }

    /// <summary>The private key in the BIND "Private-key-format" text PowerDNS shows (and dnssec-keyfromlabel reads).</summary>
    public static string BindPrivateKey(DnssecAlgorithm algorithm, byte[] pkcs8)
    {
        var head = $"Private-key-format: v1.2\nAlgorithm: {(byte)algorithm} ({DnssecSettings.Mnemonic(algorithm)})\n";
        switch (algorithm)
        {
            case DnssecAlgorithm.EcdsaP256Sha256 or DnssecAlgorithm.EcdsaP384Sha384:
            {
                using var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                var p = ec.ExportParameters(true);
                return head + $"PrivateKey: {Convert.ToBase64String(p.D!)}\n";
            }
            case DnssecAlgorithm.RsaSha256:
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                var p = rsa.ExportParameters(true);
                return head + $"Modulus: {B(p.Modulus)}\nPublicExponent: {B(p.Exponent)}\nPrivateExponent: {B(p.D)}\nPrime1: {B(p.P)}\nPrime2: {B(p.Q)}\n"
                    + $"Exponent1: {B(p.DP)}\nExponent2: {B(p.DQ)}\nCoefficient: {B(p.InverseQ)}\n";
            }
            default:
                // Ed25519 (RFC 8410): the 32-byte seed closes the PKCS#8 structure.
                return head + $"PrivateKey: {Convert.ToBase64String(pkcs8.AsSpan(pkcs8.Length - 32))}\n";
        }
    }

    private static string B(byte[]? bytes) => Convert.ToBase64String(bytes ?? []);
}
