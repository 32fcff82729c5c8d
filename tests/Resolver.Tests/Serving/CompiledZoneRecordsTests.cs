using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Tests.Dnssec;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Serving;

/// <summary>
/// An edge keeps no list of its zones' records: it reads them back from the compiled zone (its local copy, the IXFR
/// difference between two versions, whole-zone events). What comes back must be exactly what went in, NSEC3 chain and
/// RRSIGs included (each RRSIG with its own TTL), and the difference of two compiled versions must be the multiset
/// difference of their records.
/// </summary>
public sealed class CompiledZoneRecordsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<string> Lines(IEnumerable<ResourceRecord> records) => records.Select(r => r.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

    private static (IReadOnlyList<ResourceRecord> Records, ZoneSigner Signer, SigningKey[] Keys) Signed(bool nsec3)
    {
        var signer = new ZoneSigner(SignerFixtures.Origin);
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        return (signer.Sign(SignerFixtures.Records(), keys, new SigningPolicy { UseNsec3 = nsec3 }, Now).Records, signer, keys);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Records_read_back_are_the_records_compiled(bool nsec3)
    {
        var (records, _, _) = Signed(nsec3);
        var zone = CompiledZone.Compile(new Zone(SignerFixtures.Origin, records), 1);

        Assert.Equal(Lines(records), Lines(zone.EnumerateRecords()));
        Assert.Equal(records.Count, zone.CountRecords());
        Assert.Contains(zone.EnumerateRecords(), r => r.Type == (nsec3 ? RecordType.NSEC3 : RecordType.NSEC));
        Assert.Equal(records.Single(r => r.Type == RecordType.SOA), zone.Soa);
        foreach (var key in records.Select(r => (r.Owner, r.Type)).Distinct())
            Assert.Equal(Lines(records.Where(r => r.Owner.Equals(key.Owner) && r.Type == key.Type)), Lines(zone.RRset(key.Owner, key.Type)));
        Assert.Empty(zone.RRset(DnsName.Parse("nothing-here.example.com."), RecordType.A));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_difference_of_two_signed_versions_is_the_difference_of_their_records(bool nsec3)
    {
        var (before, signer, keys) = Signed(nsec3);
        // A new name (new NSEC/NSEC3 links, new RRSIGs), a removed one, a TTL change.
        var www = DnsName.Parse("www.example.com.");
        var unsigned = SignerFixtures.Records().Where(r => !(r.Owner.Equals(www) && r.Type == RecordType.A))
            .Append(new ResourceRecord(DnsName.Parse("new.deep.example.com."), RecordType.A, 300, [192, 0, 2, 77]))
            .Select(r => r.Type == RecordType.MX ? r.WithTtl(r.Ttl + 60) : r).ToList();
        var after = signer.Sign(unsigned, keys, new SigningPolicy { UseNsec3 = nsec3 }, Now.AddMinutes(1)).Records;
        var (deleted, added) = (new List<ResourceRecord>(), new List<ResourceRecord>());

        CompiledZoneDiff.Between(CompiledZone.Compile(new Zone(SignerFixtures.Origin, before), 1), CompiledZone.Compile(new Zone(SignerFixtures.Origin, after), 2), deleted, added);

        bool IsSoa(ResourceRecord r) => r.Type == RecordType.SOA && r.Owner.Equals(SignerFixtures.Origin);
        Assert.Equal(Lines(before.Except(after).Where(r => !IsSoa(r))), Lines(deleted));
        Assert.Equal(Lines(after.Except(before).Where(r => !IsSoa(r))), Lines(added));
        Assert.Contains(added, r => r.Type == (nsec3 ? RecordType.NSEC3 : RecordType.NSEC));
        Assert.Contains(deleted, r => r.Owner.Equals(www) && r.Type == RecordType.A);
    }
}
