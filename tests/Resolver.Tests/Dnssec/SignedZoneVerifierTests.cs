using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using Xunit.Abstractions;

namespace AkkaDns.Resolver.Tests.Dnssec;

/// <summary>The signer's output, as a master file, checked by three independent verifiers (ldns, BIND, Knot).</summary>
public class SignedZoneVerifierTests(ITestOutputHelper output)
{
    public static TheoryData<DnssecAlgorithm, bool, bool, bool> Cases()
    {
        var data = new TheoryData<DnssecAlgorithm, bool, bool, bool>();
        foreach (var alg in new[] { DnssecAlgorithm.EcdsaP256Sha256, DnssecAlgorithm.EcdsaP384Sha384, DnssecAlgorithm.RsaSha256, DnssecAlgorithm.Ed25519 })
            foreach (var nsec3 in new[] { true, false })
                foreach (var split in new[] { false, true })
                    data.Add(alg, nsec3, split, false);
        data.Add(DnssecAlgorithm.EcdsaP256Sha256, true, false, true); // opt-out
        data.Add(DnssecAlgorithm.EcdsaP256Sha256, true, true, true);
        return data;
    }

    private string SignToFile(DnssecAlgorithm alg, bool nsec3, bool split, bool optOut, Func<IReadOnlyList<ResourceRecord>, IReadOnlyList<ResourceRecord>>? tamper = null)
    {
        var keys = split ? SignerFixtures.Split(alg) : SignerFixtures.Csk(alg);
        var policy = new SigningPolicy { UseNsec3 = nsec3, OptOut = optOut };
        var signed = new ZoneSigner(SignerFixtures.Origin).Sign(SignerFixtures.Records(), keys, policy, DateTimeOffset.UtcNow);
        var records = tamper is null ? signed.Records : tamper(signed.Records);
        return SignerFixtures.WriteTemp(records);
    }

    private void AssertPasses(ExternalTools.Result result)
    {
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory, MemberData(nameof(Cases))]
    public void Ldns_verify_zone_accepts_the_signed_zone(DnssecAlgorithm alg, bool nsec3, bool split, bool optOut) =>
        AssertPasses(ExternalTools.LdnsVerifyZone(SignToFile(alg, nsec3, split, optOut)));

    [Theory, MemberData(nameof(Cases))]
    public void Bind_dnssec_verify_accepts_the_signed_zone(DnssecAlgorithm alg, bool nsec3, bool split, bool optOut) =>
        AssertPasses(ExternalTools.DnssecVerify(SignerFixtures.Origin.ToString(), SignToFile(alg, nsec3, split, optOut), singleKeyType: !split));

    [Theory, MemberData(nameof(Cases))]
    public void Knot_kzonecheck_accepts_the_signed_zone(DnssecAlgorithm alg, bool nsec3, bool split, bool optOut) =>
        AssertPasses(ExternalTools.Kzonecheck(SignerFixtures.Origin.ToString(), SignToFile(alg, nsec3, split, optOut)));

    [Fact]
    public void The_three_verifiers_accept_a_zone_publishing_the_cds_delete_records()
    {
        var signed = new ZoneSigner(SignerFixtures.Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256),
            new SigningPolicy { PublishCdsDelete = true }, DateTimeOffset.UtcNow);
        var path = SignerFixtures.WriteTemp(signed.Records);
        AssertPasses(ExternalTools.LdnsVerifyZone(path));
        AssertPasses(ExternalTools.DnssecVerify(SignerFixtures.Origin.ToString(), path, singleKeyType: true));
        AssertPasses(ExternalTools.Kzonecheck(SignerFixtures.Origin.ToString(), path));
    }

    [Fact]
    public void The_verifiers_accept_a_zone_re_signed_after_changes_with_kept_signatures_and_a_prepublished_key()
    {
        SigningKey[] keys = [.. SignerFixtures.Split(DnssecAlgorithm.EcdsaP256Sha256),
            new(DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, secureEntryPoint: false), SignsZone: false, SignsKeys: false)];
        var signer = new ZoneSigner(SignerFixtures.Origin);
        var now = DateTimeOffset.UtcNow;
        signer.Sign(SignerFixtures.Records(), keys, new SigningPolicy(), now.AddDays(-2));
        var extra = AkkaDns.Resolver.ZoneFiles.MasterFileReader.ReadText("$TTL 300\nnew.example.com. A 192.0.2.50\nwww.example.com. A 192.0.2.51", SignerFixtures.Origin).Records;
        var changed = SignerFixtures.Records().Where(r => !(r.Type == RecordType.A && r.Owner.Equals(DnsName.Parse("www.example.com.")))).Concat(extra).ToList();
        var signed = signer.Sign(changed, keys, new SigningPolicy(), now);
        Assert.True(signed.SignaturesKept > 0 && signed.SignaturesMade > 0);
        var path = SignerFixtures.WriteTemp(signed.Records);
        AssertPasses(ExternalTools.LdnsVerifyZone(path));
        AssertPasses(ExternalTools.DnssecVerify(SignerFixtures.Origin.ToString(), path));
        AssertPasses(ExternalTools.Kzonecheck(SignerFixtures.Origin.ToString(), path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ldns_verify_zone_rejects_a_zone_with_one_rdata_byte_changed_after_signing(bool nsec3)
    {
        var path = SignToFile(DnssecAlgorithm.EcdsaP256Sha256, nsec3, split: false, optOut: false, records => records.Select(r =>
            r.Type == RecordType.A && r.Owner.Equals(DnsName.Parse("www.example.com."))
                ? new ResourceRecord(r.Owner, r.Type, r.Ttl, [192, 0, 2, 99]) : r).ToList());
        var result = ExternalTools.LdnsVerifyZone(path);
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode != 0, "ldns-verify-zone accepted a tampered zone:\n" + result);
    }
}
