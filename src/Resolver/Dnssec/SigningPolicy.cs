namespace AkkaDns.Resolver.Dnssec;

/// <summary>How a zone is signed: the denial method and the signature timing (defaults: RFC 9276 NSEC3, 14 days).</summary>
public sealed record SigningPolicy
{
    /// <summary>NSEC3 (RFC 5155 with RFC 9276's defaults) when true, else NSEC (RFC 4034 §4).</summary>
    public bool UseNsec3 { get; init; } = true;
    /// <summary>Additional NSEC3 hash iterations; RFC 9276 §3.1 says 0.</summary>
    public ushort Nsec3Iterations { get; init; } = 0;
    /// <summary>NSEC3 salt; RFC 9276 §3.1 says none.</summary>
    public byte[] Nsec3Salt { get; init; } = [];
    /// <summary>NSEC3 opt-out (RFC 5155 §6): insecure delegations get no NSEC3 and every NSEC3 has the opt-out flag.</summary>
    public bool OptOut { get; init; } = false;
    public TimeSpan SignatureLifetime { get; init; } = TimeSpan.FromDays(14);
    /// <summary>An RRSIG expiring sooner than now + this is made again.</summary>
    public TimeSpan RefreshBefore { get; init; } = TimeSpan.FromDays(7);
    /// <summary>Inception = now − this, for clocks that run behind.</summary>
    public TimeSpan InceptionBackdate { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Expirations are spread over this share of the lifetime, deterministically per RRset (owner and type),
    /// so 10,000 zones signed at once do not all need re-signing in the same minute.</summary>
    public double ExpirySpread { get; init; } = 0.1;
    /// <summary>CDS (digest 2) + CDNSKEY for the keys that sign the DNSKEY RRset (RFC 7344).</summary>
    public bool PublishCds { get; init; } = true;
    /// <summary>RFC 8078 §4: "CDS 0 0 0 00" + "CDNSKEY 0 3 0 AA==" instead (asks the parent to remove the DS).</summary>
    public bool PublishCdsDelete { get; init; } = false;
    /// <summary>TTL of DNSKEY, CDS and CDNSKEY; null = the SOA's TTL (Knot's default).</summary>
    public uint? DnskeyTtl { get; init; }
}
