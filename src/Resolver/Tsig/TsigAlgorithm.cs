using System.Security.Cryptography;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tsig;

/// <summary>The TSIG MAC algorithms (RFC 8945 §6; GSS-TSIG is not supported).</summary>
public enum TsigAlgorithm { HmacMd5, HmacSha1, HmacSha224, HmacSha256, HmacSha384, HmacSha512 }

/// <summary>The algorithm table: presentation and wire names, MAC lengths, and the HMAC itself.</summary>
public static class TsigAlgorithms
{
    private static readonly string[] Names =
        ["hmac-md5.sig-alg.reg.int", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"];
    private static readonly int[] Lengths = [16, 20, 28, 32, 48, 64];
    private static readonly DnsName[] WireNames = Names.Select(n => DnsName.Parse(n + ".")).ToArray();

    public static IReadOnlyList<TsigAlgorithm> All { get; } = Enum.GetValues<TsigAlgorithm>();

    /// <summary>Accepts the RFC 8945 names in any case, with or without the final dot, and "hmac-md5" for MD5
    /// (what dig, kdig and knotc call it).</summary>
    public static bool TryParse(string name, out TsigAlgorithm alg)
    {
        alg = default;
        if (string.IsNullOrEmpty(name)) return false;
        var n = name.EndsWith('.') ? name[..^1] : name;
        if (n.Equals("hmac-md5", StringComparison.OrdinalIgnoreCase)) { alg = TsigAlgorithm.HmacMd5; return true; }
        for (int i = 0; i < Names.Length; i++)
            if (n.Equals(Names[i], StringComparison.OrdinalIgnoreCase)) { alg = (TsigAlgorithm)i; return true; }
        return false;
    }

    public static string ToName(TsigAlgorithm alg) => Names[(int)alg];

    /// <summary>The algorithm name as it goes on the wire, canonical (lowercase), absolute.</summary>
    public static DnsName WireName(TsigAlgorithm alg) => WireNames[(int)alg];

    /// <summary>Full MAC length in bytes (the hash output length).</summary>
    public static int MacLength(TsigAlgorithm alg) => Lengths[(int)alg];

    /// <summary>Finds the algorithm whose wire name equals <paramref name="wire"/> (case-insensitive).</summary>
    public static bool TryFromWire(ReadOnlySpan<byte> wire, out TsigAlgorithm alg)
    {
        for (int i = 0; i < WireNames.Length; i++)
            if (DnsName.EqualsIgnoreCase(WireNames[i].Wire, wire)) { alg = (TsigAlgorithm)i; return true; }
        alg = default;
        return false;
    }

    /// <summary>HMAC of <paramref name="data"/> under <paramref name="secret"/>.</summary>
    public static byte[] ComputeMac(TsigAlgorithm alg, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> data) => alg switch
    {
        TsigAlgorithm.HmacMd5 => HMACMD5.HashData(secret, data),
        TsigAlgorithm.HmacSha1 => HMACSHA1.HashData(secret, data),
        TsigAlgorithm.HmacSha224 => Sha224.Hmac(secret, data),
        TsigAlgorithm.HmacSha256 => HMACSHA256.HashData(secret, data),
        TsigAlgorithm.HmacSha384 => HMACSHA384.HashData(secret, data),
        TsigAlgorithm.HmacSha512 => HMACSHA512.HashData(secret, data),
        _ => throw new ArgumentOutOfRangeException(nameof(alg)),
    };
}
