using System.Buffers.Binary;
using System.Diagnostics;
using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using Xunit.Abstractions;

namespace AkkaDns.Resolver.Tests.Dnssec;

public class ZoneSignerTests(ITestOutputHelper output)
{
    private static readonly DnsName Origin = SignerFixtures.Origin;
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static DnsName N(string name) => DnsName.Parse(name, Origin);

    private static IEnumerable<ResourceRecord> Sigs(SignedZone z, string owner, RecordType covered) =>
        z.Records.Where(r => r.Type == RecordType.RRSIG && r.Owner.Equals(N(owner)) && (RecordType)BinaryPrimitives.ReadUInt16BigEndian(r.RData) == covered);

    private static ushort SigKeyTag(ResourceRecord rrsig) => BinaryPrimitives.ReadUInt16BigEndian(rrsig.RData.AsSpan(16));
    private static uint SigExpiration(ResourceRecord rrsig) => BinaryPrimitives.ReadUInt32BigEndian(rrsig.RData.AsSpan(8));
    private static uint SigInception(ResourceRecord rrsig) => BinaryPrimitives.ReadUInt32BigEndian(rrsig.RData.AsSpan(12));

    private static IReadOnlyList<ResourceRecord> Change(IReadOnlyList<ResourceRecord> records, string text)
    {
        var extra = MasterFileReader.ReadText("$TTL 3600\n" + text, Origin).Records;
        return records.Where(r => !extra.Any(e => e.Owner.Equals(r.Owner) && e.Type == r.Type)).Concat(extra).ToList();
    }

    [Fact]
    public void The_canonical_rrset_lowercases_names_in_rdata_sorts_rdata_and_drops_duplicates()
    {
        var owner = DnsName.Parse("WWW.Example.COM.");
        var mx = (string text) => new ResourceRecord(owner, RecordType.MX, 60, RData.Parse(RecordType.MX, text, Origin));
        var canonical = RrsetSigner.CanonicalRRset(owner, RecordType.MX, 300, [mx("20 B.Example.COM."), mx("10 Z.example.com."), mx("20 b.example.com.")]);
        byte[] Rr(string rdata)
        {
            var rd = RData.Parse(RecordType.MX, rdata, Origin);
            return [.. DnsName.Parse("www.example.com.").Wire, 0, 15, 0, 1, 0, 0, 1, 44, 0, (byte)rd.Length, .. rd];
        }
        // 10 < 20 in the first octets; "20 B.Example.COM." and "20 b.example.com." are one record once lower-cased.
        Assert.Equal([.. Rr("10 z.example.com."), .. Rr("20 b.example.com.")], canonical);
    }

    [Fact]
    public void Names_inside_types_off_the_RFC_6840_list_keep_their_case()
    {
        var owner = N("x");
        var nsec = new ResourceRecord(owner, RecordType.NSEC, 60, RData.Parse(RecordType.NSEC, "Next.Example.COM. A", Origin));
        var canonical = RrsetSigner.CanonicalRRset(owner, RecordType.NSEC, 60, [nsec]);
        Assert.Equal(nsec.RData, canonical[^nsec.RData.Length..]);
    }

    [Fact]
    public void The_nsec_chain_follows_the_RFC_4034_canonical_order()
    {
        var origin = DnsName.Parse("example.");
        // RFC 4034 §6.1's list, in its order; shuffled before signing.
        string[] order = ["example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.",
            "\\001.z.example.", "*.z.example.", "\\200.z.example."];
        var text = "$TTL 300\nexample. SOA ns.example. h.example. 1 2 3 4 300\nexample. NS ns.example.net.\n"
            + string.Join("\n", order.Skip(1).Reverse().Select(n => $"{n} TXT \"x\""));
        var signed = new ZoneSigner(origin).Sign(MasterFileReader.ReadText(text, origin).Records,
            SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256), new SigningPolicy { UseNsec3 = false }, Now);
        var next = signed.Records.Where(r => r.Type == RecordType.NSEC)
            .ToDictionary(r => r.Owner, r => DnsName.TryFromWire(r.RData, out var n, out _) ? n! : throw new FormatException("bad NSEC"));
        var walked = new List<string>();
        var at = origin;
        do { walked.Add(at.ToString()); at = next[at]; } while (!at.Equals(origin));
        Assert.Equal(order.Select(o => DnsName.Parse(o).ToString()), walked);
    }

    [Theory]
    [InlineData(new ushort[] { 1, 2, 6, 46, 48, 51, 59, 60 })]
    [InlineData(new ushort[] { 257, 1, 65535, 32768, 28 })]
    [InlineData(new ushort[] { 2 })]
    [InlineData(new ushort[] { 7, 15, 8, 255 })]
    public void The_type_bit_map_matches_the_record_parser_s(ushort[] types) =>
        Assert.Equal(AkkaDns.Resolver.Records.DnssecFields.BitmapFromTypes(types), DenialChain.Bitmap([.. types]));

    [Fact]
    public void The_labels_field_does_not_count_a_wildcard()
    {
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256), new SigningPolicy(), Now);
        Assert.Equal(3, Sigs(signed, "*.wild", RecordType.TXT).Single().RData[3]);   // *.wild.example.com. → wild.example.com.
        Assert.Equal(5, Sigs(signed, "a.b.ent", RecordType.A).Single().RData[3]);
        Assert.Equal(2, Sigs(signed, "@", RecordType.SOA).Single().RData[3]);
    }

    [Fact]
    public void What_is_signed_and_what_is_not_at_delegations()
    {
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256), new SigningPolicy(), Now);
        Assert.Single(Sigs(signed, "secure", RecordType.DS));
        Assert.Empty(Sigs(signed, "secure", RecordType.NS));
        Assert.Empty(Sigs(signed, "ns.secure", RecordType.A));      // glue
        Assert.Empty(Sigs(signed, "deep.insecure", RecordType.A));  // occluded
        Assert.Empty(Sigs(signed, "insecure", RecordType.NS));
        Assert.Single(Sigs(signed, "@", RecordType.NS));
        Assert.Contains(signed.Records, r => r.Type == RecordType.A && r.Owner.Equals(N("ns.secure"))); // glue still served
    }

    private static Dictionary<string, string> Nsec3ByName(SignedZone signed, SigningPolicy policy, params string[] names)
    {
        var nsec3 = signed.Records.Where(r => r.Type == RecordType.NSEC3).ToDictionary(r => r.Owner);
        var result = new Dictionary<string, string>();
        var h = new byte[Nsec3Hash.Length];
        foreach (var name in names)
        {
            Nsec3Hash.TryHash(N(name).Wire, policy.Nsec3Salt, policy.Nsec3Iterations, h);
            if (nsec3.TryGetValue(N(Nsec3Hash.ToLabel(h)), out var r)) result[name] = RData.Format(RecordType.NSEC3, r.RData) + " ttl " + r.Ttl;
        }
        return result;
    }

    [Fact]
    public void Nsec3_records_cover_names_and_empty_non_terminals_with_the_right_bit_maps()
    {
        var policy = new SigningPolicy();
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256), policy, Now);
        var byName = Nsec3ByName(signed, policy, "@", "www", "ent", "b.ent", "secure", "insecure", "ns.secure", "deep.insecure", "alias", "*.wild", "wild");
        Assert.EndsWith("NS SOA MX RRSIG DNSKEY NSEC3PARAM CDS CDNSKEY ttl 300", byName["@"]);   // min(SOA MINIMUM 300, SOA TTL 3600)
        Assert.EndsWith("A AAAA RRSIG ttl 300", byName["www"]);
        Assert.Matches("^1 0 0 - [0-9A-V]{32} ttl 300$", byName["ent"]);                     // empty non-terminal: empty bit map
        Assert.Matches("^1 0 0 - [0-9A-V]{32} ttl 300$", byName["b.ent"]);
        Assert.Matches("^1 0 0 - [0-9A-V]{32} ttl 300$", byName["wild"]);
        Assert.EndsWith("NS DS RRSIG ttl 300", byName["secure"]);
        Assert.EndsWith("NS ttl 300", byName["insecure"]);
        Assert.EndsWith("CNAME RRSIG ttl 300", byName["alias"]);
        Assert.EndsWith("TXT RRSIG ttl 300", byName["*.wild"]);
        Assert.False(byName.ContainsKey("ns.secure"));
        Assert.False(byName.ContainsKey("deep.insecure"));
        Assert.Equal("1 0 0 -", RData.Format(RecordType.NSEC3PARAM, signed.Records.Single(r => r.Type == RecordType.NSEC3PARAM).RData));
        // @ ns1 mail www alias upper *.wild a.b.ent secure insecure + the empty non-terminals wild, ent, b.ent
        Assert.Equal(13, signed.Records.Count(r => r.Type == RecordType.NSEC3));
    }

    [Fact]
    public void Opt_out_leaves_insecure_delegations_out_and_flags_every_nsec3()
    {
        var policy = new SigningPolicy { OptOut = true };
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256), policy, Now);
        var byName = Nsec3ByName(signed, policy, "insecure", "secure");
        Assert.False(byName.ContainsKey("insecure"));
        Assert.StartsWith("1 1 0 -", byName["secure"]);
        Assert.All(signed.Records.Where(r => r.Type == RecordType.NSEC3), r => Assert.Equal(1, r.RData[1]));
        Assert.Equal(0, signed.Records.Single(r => r.Type == RecordType.NSEC3PARAM).RData[1]);
    }

    [Fact]
    public void With_a_ksk_and_a_zsk_each_signs_only_its_role_and_a_prepublished_key_signs_nothing()
    {
        var ksk = DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, true);
        var zsk = DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, false);
        var next = DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, false);
        SigningKey[] keys = [new(ksk, false, true), new(zsk, true, false), new(next, false, false)];
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), keys, new SigningPolicy(), Now);
        Assert.Equal([ksk.KeyTag], Sigs(signed, "@", RecordType.DNSKEY).Select(SigKeyTag));
        Assert.Equal([ksk.KeyTag], Sigs(signed, "@", RecordType.CDS).Select(SigKeyTag));
        Assert.Equal([zsk.KeyTag], Sigs(signed, "www", RecordType.A).Select(SigKeyTag));
        Assert.Equal([zsk.KeyTag], Sigs(signed, "@", RecordType.SOA).Select(SigKeyTag));
        Assert.Equal(3, signed.Records.Count(r => r.Type == RecordType.DNSKEY));
        Assert.DoesNotContain(signed.Records, r => r.Type == RecordType.RRSIG && SigKeyTag(r) == next.KeyTag);
        // CDS/CDNSKEY only for the key-signing key
        Assert.Equal([ksk.KeyTag], signed.Records.Where(r => r.Type == RecordType.CDS).Select(r => BinaryPrimitives.ReadUInt16BigEndian(r.RData)));
        Assert.Single(signed.Records, r => r.Type == RecordType.CDNSKEY);
    }

    [Fact]
    public void Cds_delete_publishes_the_RFC_8078_delete_records()
    {
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256),
            new SigningPolicy { PublishCdsDelete = true }, Now);
        Assert.Equal("0 0 0 00", RData.Format(RecordType.CDS, signed.Records.Single(r => r.Type == RecordType.CDS).RData));
        Assert.Equal("0 3 0 AA==", RData.Format(RecordType.CDNSKEY, signed.Records.Single(r => r.Type == RecordType.CDNSKEY).RData));
        Assert.Single(Sigs(signed, "@", RecordType.CDS));
    }

    [Fact]
    public void Without_cds_there_is_no_cds_or_cdnskey()
    {
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256),
            new SigningPolicy { PublishCds = false }, Now);
        Assert.DoesNotContain(signed.Records, r => r.Type is RecordType.CDS or RecordType.CDNSKEY);
    }

    [Fact]
    public void Generated_types_in_the_input_are_ignored_and_regenerated()
    {
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var first = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), keys, new SigningPolicy(), Now);
        var again = new ZoneSigner(Origin).Sign(first.Records, keys, new SigningPolicy { UseNsec3 = false }, Now);
        Assert.DoesNotContain(again.Records, r => r.Type is RecordType.NSEC3 or RecordType.NSEC3PARAM);
        Assert.Single(again.Records, r => r.Type == RecordType.DNSKEY);
        Assert.Equal(SignerFixtures.Records().Count, ZoneSigner.StripGenerated(again.Records).Count);
        Assert.True(ZoneSigner.IsGenerated(RecordType.CDNSKEY));
        Assert.False(ZoneSigner.IsGenerated(RecordType.DS));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Signing_again_unchanged_makes_no_signature_and_one_changed_rrset_makes_one(bool nsec3)
    {
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var policy = new SigningPolicy { UseNsec3 = nsec3 };
        var signer = new ZoneSigner(Origin);
        var first = signer.Sign(SignerFixtures.Records(), keys, policy, Now);
        int total = first.Records.Count(r => r.Type == RecordType.RRSIG);
        Assert.Equal((total, 0), (first.SignaturesMade, first.SignaturesKept));

        var same = signer.Sign(SignerFixtures.Records(), keys, policy, Now.AddHours(1));
        Assert.Equal((0, total), (same.SignaturesMade, same.SignaturesKept));

        // A new address for www: its A RRset only (the type bit map is unchanged, so the denial chain is too).
        var changed = signer.Sign(Change(SignerFixtures.Records(), "www.example.com. A 192.0.2.200"), keys, policy, Now.AddHours(2));
        Assert.Equal((1, total - 1), (changed.SignaturesMade, changed.SignaturesKept));

        // A TTL change is a change.
        var ttl = signer.Sign(Change(SignerFixtures.Records(), "www.example.com. 60 A 192.0.2.200"), keys, policy, Now.AddHours(3));
        Assert.Equal(1, ttl.SignaturesMade);

        // A new name: its RRset, its own NSEC/NSEC3 and the one before it in the chain.
        var added = signer.Sign(Change(SignerFixtures.Records(), "www.example.com. 60 A 192.0.2.200\nnew.example.com. A 192.0.2.77"), keys, policy, Now.AddHours(4));
        int newTotal = added.Records.Count(r => r.Type == RecordType.RRSIG);
        Assert.Equal(total + 2, newTotal);
        Assert.Equal((3, newTotal - 3), (added.SignaturesMade, added.SignaturesKept));
    }

    [Fact]
    public void A_seeded_signer_keeps_the_signatures_it_was_given()
    {
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var first = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), keys, new SigningPolicy(), Now);
        var restarted = new ZoneSigner(Origin);
        restarted.Seed(first.Records);
        var again = restarted.Sign(SignerFixtures.Records(), keys, new SigningPolicy(), Now.AddDays(1));
        Assert.Equal(0, again.SignaturesMade);
        Assert.Equal(first.Records.Where(r => r.Type == RecordType.RRSIG).Select(r => Convert.ToBase64String(r.RData)).Order(),
            again.Records.Where(r => r.Type == RecordType.RRSIG).Select(r => Convert.ToBase64String(r.RData)).Order());
    }

    [Fact]
    public void A_key_that_no_longer_signs_a_role_has_its_signatures_replaced()
    {
        var a = DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, true);
        var b = DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, true);
        var signer = new ZoneSigner(Origin);
        signer.Sign(SignerFixtures.Records(), [new(a, true, true)], new SigningPolicy(), Now);
        var rolled = signer.Sign(SignerFixtures.Records(), [new(a, false, true), new(b, true, false)], new SigningPolicy(), Now);
        Assert.DoesNotContain(rolled.Records, r => r.Type == RecordType.RRSIG && (RecordType)BinaryPrimitives.ReadUInt16BigEndian(r.RData) == RecordType.A && SigKeyTag(r) == a.KeyTag);
        Assert.Equal([b.KeyTag], Sigs(rolled, "www", RecordType.A).Select(SigKeyTag));
    }

    [Fact]
    public void Signatures_expiring_within_refresh_before_are_made_again()
    {
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var policy = new SigningPolicy();
        var signer = new ZoneSigner(Origin);
        var first = signer.Sign(SignerFixtures.Records(), keys, policy, Now);
        int total = first.SignaturesMade;
        Assert.Equal(0, signer.Sign(SignerFixtures.Records(), keys, policy, Now.AddDays(5)).SignaturesMade);
        // 14 days − 1 h backdate − at most 10 % spread: every RRSIG expires within 7 days of day 8.
        var late = signer.Sign(SignerFixtures.Records(), keys, policy, Now.AddDays(8));
        Assert.Equal((total, 0), (late.SignaturesMade, late.SignaturesKept));
        Assert.True(late.EarliestExpiry > Now.AddDays(8) + policy.RefreshBefore);
    }

    [Fact]
    public void Expirations_are_spread_per_rrset_within_the_share_of_the_lifetime()
    {
        var policy = new SigningPolicy();
        var signed = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256), policy, Now);
        var sigs = signed.Records.Where(r => r.Type == RecordType.RRSIG).ToList();
        long inception = (Now - policy.InceptionBackdate).ToUnixTimeSeconds();
        long latest = inception + (long)policy.SignatureLifetime.TotalSeconds;
        long earliest = latest - (long)(policy.SignatureLifetime.TotalSeconds * policy.ExpirySpread);
        Assert.All(sigs, s => Assert.Equal(inception, SigInception(s)));
        Assert.All(sigs, s => Assert.InRange(SigExpiration(s), earliest, latest));
        Assert.True(sigs.Select(SigExpiration).Distinct().Count() > sigs.Count / 2, "expirations are not spread");
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(sigs.Min(SigExpiration)), signed.EarliestExpiry);
        // deterministic: the same RRset gets the same expiration in another run
        var again = new ZoneSigner(Origin).Sign(SignerFixtures.Records(), SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256), policy, Now);
        Assert.Equal(SigExpiration(Sigs(signed, "www", RecordType.A).Single()), SigExpiration(Sigs(again, "www", RecordType.A).Single()));
    }

    [Fact]
    public void A_zone_without_soa_or_without_a_signing_key_is_refused()
    {
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        Assert.Throws<ArgumentException>(() => new ZoneSigner(Origin).Sign(SignerFixtures.Records().Where(r => r.Type != RecordType.SOA).ToList(), keys, new SigningPolicy(), Now));
        Assert.Throws<ArgumentException>(() => new ZoneSigner(Origin).Sign(SignerFixtures.Records(), [new(keys[0].Key, true, false)], new SigningPolicy(), Now));
    }

    /// <summary>No timing assertion: prints how long 100,000 records take here (Release, this machine's cores).</summary>
    [Fact]
    public void Signing_100k_records_prints_its_time()
    {
        var records = new List<ResourceRecord>(SignerFixtures.Records());
        for (int i = 0; i < 100_000; i++)
            records.Add(new ResourceRecord(N($"host{i}"), RecordType.A, 3600, [10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]));
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var signer = new ZoneSigner(Origin);
        var sw = Stopwatch.StartNew();
        var signed = signer.Sign(records, keys, new SigningPolicy(), Now);
        var full = sw.Elapsed;
        records[^1] = new ResourceRecord(N("host99999"), RecordType.A, 3600, [10, 9, 9, 9]);
        sw.Restart();
        var changed = signer.Sign(records, keys, new SigningPolicy(), Now.AddMinutes(1));
        var incremental = sw.Elapsed;
        output.WriteLine($"100k records: full sign {full.TotalSeconds:F2} s ({signed.SignaturesMade} RRSIGs, {signed.Records.Count} records, " +
            $"{Environment.ProcessorCount} cores); one-record change {incremental.TotalSeconds:F2} s ({changed.SignaturesMade} made, {changed.SignaturesKept} kept)");
        Assert.Equal(1, changed.SignaturesMade);
    }
}
