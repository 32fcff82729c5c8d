using Akka.Configuration;
using AkkaDns.Resolver.Dnssec;

namespace AkkaDns.Actors.Zones;

/// <summary>The <c>akkadns.dnssec</c> section of config/akkadns.conf, typed.</summary>
public sealed record DnssecSettings
{
    public const string ConfigPath = "akkadns.dnssec";
    public static readonly DnssecSettings Default = new();

    /// <summary>RRSIG validity (14 days, as Knot).</summary>
    public TimeSpan SignatureLifetime { get; init; } = TimeSpan.FromDays(14);
    /// <summary>An RRSIG expiring sooner than this is made again (in the background, spread over time).</summary>
    public TimeSpan RefreshBefore { get; init; } = TimeSpan.FromDays(7);
    /// <summary>How long a new DNSKEY RRset takes to reach every edge and every cache's view of it, beyond its TTL.</summary>
    public TimeSpan PropagationDelay { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Automatic ZSK rollover (KSK/ZSK split zones) after this long; zero turns it off.</summary>
    public TimeSpan ZskLifetime { get; init; } = TimeSpan.FromDays(30);
    /// <summary>The watchdog warns when a zone's earliest RRSIG expiry is closer than this.</summary>
    public TimeSpan ExpiryAlert { get; init; } = TimeSpan.FromDays(3);
    public DnssecAlgorithm Algorithm { get; init; } = DnssecAlgorithm.EcdsaP256Sha256;
    /// <summary>The key-encryption key (base64 of 32 bytes), or null: DATA/dnssec-kek is used (created on first start).</summary>
    public string? Kek { get; init; }

    public static DnssecSettings FromConfig(Config config)
    {
        var d = Default;
        var c = config.GetConfig(ConfigPath);
        if (c is null || c.IsEmpty) return d;
        var s = new DnssecSettings
        {
            SignatureLifetime = c.GetTimeSpan("signature-lifetime", d.SignatureLifetime),
            RefreshBefore = c.GetTimeSpan("refresh-before", d.RefreshBefore),
            PropagationDelay = c.GetTimeSpan("propagation-delay", d.PropagationDelay),
            ZskLifetime = c.GetTimeSpan("zsk-lifetime", d.ZskLifetime),
            ExpiryAlert = c.GetTimeSpan("expiry-alert", d.ExpiryAlert),
            Algorithm = ParseAlgorithm(c.GetString("algorithm", "ecdsap256sha256"), $"{ConfigPath}.algorithm"),
            Kek = c.GetString("kek", "") is { Length: > 0 } k ? k : null,
        };
        if (s.RefreshBefore >= s.SignatureLifetime)
            throw new ConfigurationException($"{ConfigPath}.refresh-before ({s.RefreshBefore}) must be shorter than signature-lifetime ({s.SignatureLifetime})");
        if (s.SignatureLifetime < TimeSpan.FromHours(1))
            throw new ConfigurationException($"{ConfigPath}.signature-lifetime must be at least 1h (is {s.SignatureLifetime})");
        return s;
    }

    /// <summary>An algorithm by mnemonic (RFC 8624 names, any case) or number.</summary>
    public static DnssecAlgorithm ParseAlgorithm(string text, string where)
    {
        var t = text.Trim().ToLowerInvariant().Replace("-", "");
        return t switch
        {
            "13" or "ecdsap256sha256" or "ecdsa256" => DnssecAlgorithm.EcdsaP256Sha256,
            "14" or "ecdsap384sha384" or "ecdsa384" => DnssecAlgorithm.EcdsaP384Sha384,
            "8" or "rsasha256" => DnssecAlgorithm.RsaSha256,
            "15" or "ed25519" => DnssecAlgorithm.Ed25519,
            _ => throw new ArgumentException($"{where}: unknown or unsupported DNSSEC algorithm '{text}' (ecdsap256sha256, ecdsap384sha384, rsasha256, ed25519)"),
        };
    }

    public static string Mnemonic(DnssecAlgorithm a) => a switch
    {
        DnssecAlgorithm.EcdsaP256Sha256 => "ECDSAP256SHA256",
        DnssecAlgorithm.EcdsaP384Sha384 => "ECDSAP384SHA384",
        DnssecAlgorithm.RsaSha256 => "RSASHA256",
        DnssecAlgorithm.Ed25519 => "ED25519",
        _ => ((byte)a).ToString(),
    };
}
