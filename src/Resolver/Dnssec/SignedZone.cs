using AkkaDns.Resolver.Records;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>The result of <see cref="ZoneSigner.Sign"/>: every record to serve, and what it took.</summary>
public sealed class SignedZone
{
    internal SignedZone(IReadOnlyList<ResourceRecord> records, DateTimeOffset earliestExpiry, int made, int kept)
    {
        Records = records; EarliestExpiry = earliestExpiry; SignaturesMade = made; SignaturesKept = kept;
    }

    /// <summary>The unsigned records (RRsets de-duplicated, one TTL per RRset) + DNSKEY, CDS/CDNSKEY, NSEC3PARAM,
    /// NSEC3/NSEC and RRSIG, in canonical owner order.</summary>
    public IReadOnlyList<ResourceRecord> Records { get; }
    /// <summary>The soonest RRSIG expiration in the zone (<see cref="DateTimeOffset.MaxValue"/> when nothing is signed).</summary>
    public DateTimeOffset EarliestExpiry { get; }
    /// <summary>RRSIGs computed in this run.</summary>
    public int SignaturesMade { get; }
    /// <summary>RRSIGs carried over from the previous run or the seed.</summary>
    public int SignaturesKept { get; }
}
