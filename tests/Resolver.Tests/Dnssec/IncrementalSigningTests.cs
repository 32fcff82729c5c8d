using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Dnssec;

/// <summary>
/// <see cref="ZoneSigner.SignChange"/> against <see cref="ZoneSigner.Sign"/>: a few hundred random changes (adds,
/// removals, replacements, deep names that make empty non-terminals, the last name under one removed, delegations with
/// and without DS appearing over existing names and going away, wildcards) applied incrementally to a signed zone, and
/// after each one the zone equals a fresh full signing of the same unsigned records (signature bytes and times aside)
/// and every RRSIG verifies.
/// </summary>
public sealed class IncrementalSigningTests
{
    private static readonly DnsName Origin = SignerFixtures.Origin;
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, int> Policies() => new()
    {
        { "nsec3", 1 }, { "nsec3-optout", 2 }, { "nsec3-salt", 3 }, { "nsec", 4 }, { "nsec3-split", 5 }, { "nsec-split", 6 },
    };

    private static SigningPolicy PolicyOf(string name) => name switch
    {
        "nsec3" or "nsec3-split" => new SigningPolicy(),
        "nsec3-optout" => new SigningPolicy { OptOut = true },
        "nsec3-salt" => new SigningPolicy { Nsec3Salt = [0xAB, 0xCD], Nsec3Iterations = 2 },
        _ => new SigningPolicy { UseNsec3 = false },
    };

    [Theory, MemberData(nameof(Policies))]
    public void Random_changes_signed_incrementally_equal_a_full_signing(string policyName, int seed)
    {
        var policy = PolicyOf(policyName);
        var keys = policyName.EndsWith("split") ? SignerFixtures.Split(DnssecAlgorithm.EcdsaP256Sha256) : SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var random = new Random(seed);
        var signer = new ZoneSigner(Origin);
        var now = T0;
        var zone = Sorted(signer.Sign(SignerFixtures.Records(), keys, policy, now).Records);
        uint serial = 2026120301;
        int incremental = 0;
        for (int step = 0; step < 250; step++)
        {
            now = now.AddMinutes(random.Next(1, 30));
            var edits = RandomChange(random, zone);
            serial++;
            bool chainCurrent = random.Next(10) != 0; // now and then the caller cannot vouch for the index: rebuilt
            var generated = signer.SignChange(zone, edits, serial, keys, policy, now, chainCurrent);
            Assert.NotNull(generated);
            incremental++;
            zone = Apply(zone, edits, generated, serial);
            var full = new ZoneSigner(Origin).Sign(ZoneSigner.StripGenerated(zone), keys, policy, now).Records;
            AssertSame(full, zone, $"step {step}: {string.Join(", ", edits.Select(e => $"{(e.IsDelete ? "delete" : "set")} {e.Owner} {RecordTypes.ToText(e.Type)}"))}");
            AssertEverySignatureVerifies(zone, keys, now);
        }
        Assert.Equal(250, incremental);
    }

    [Fact]
    public void A_change_of_the_soa_or_to_a_generated_type_is_left_to_the_full_signer()
    {
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var signer = new ZoneSigner(Origin);
        var zone = Sorted(signer.Sign(SignerFixtures.Records(), keys, new SigningPolicy(), T0).Records);
        var soa = zone.First(r => r.Type == RecordType.SOA);
        Assert.Null(signer.SignChange(zone, [new RRsetEdit(Origin, RecordType.SOA, [soa.WithTtl(60)])], 2, keys, new SigningPolicy(), T0, true));
        Assert.Null(signer.SignChange(zone, [new RRsetEdit(Origin, RecordType.DNSKEY, [])], 2, keys, new SigningPolicy(), T0, true));
    }

    [Fact]
    public void One_changed_address_makes_the_signatures_of_that_rrset_and_the_soa_only()
    {
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var signer = new ZoneSigner(Origin);
        var zone = Sorted(signer.Sign(SignerFixtures.Records(), keys, new SigningPolicy(), T0).Records);
        var www = DnsName.Parse("www.example.com.");
        var edits = new[] { new RRsetEdit(www, RecordType.A, [new ResourceRecord(www, RecordType.A, 3600, [192, 0, 2, 77])]) };
        var generated = signer.SignChange(zone, edits, 2026120302, keys, new SigningPolicy(), T0.AddMinutes(1), chainCurrent: false)!;
        // www's RRSIG RRset (A changed, AAAA kept) and the apex's (SOA); no NSEC3 changes: no name or type appeared.
        Assert.Equal(["example.com. RRSIG", "www.example.com. RRSIG"],
            generated.Select(e => $"{e.Owner} {RecordTypes.ToText(e.Type)}").Order(StringComparer.Ordinal));
        var apexSigs = generated.Single(e => e.Owner.Equals(Origin)).Records;
        var before = zone.Where(r => r.Type == RecordType.RRSIG && r.Owner.Equals(Origin)).ToList();
        Assert.Equal(before.Count, apexSigs.Count);
        Assert.Single(apexSigs.Except(before)); // only the SOA's RRSIG is new
    }

    // ------------------------------------------------------------ the random changes

    private static readonly string[] Labels = ["a", "b", "sub", "w", "x"];

    private static DnsName RandomName(Random random)
    {
        int depth = random.Next(1, 4);
        var labels = new List<string>();
        for (int i = 0; i < depth; i++) labels.Add(Labels[random.Next(Labels.Length)]);
        if (random.Next(8) == 0) labels[0] = "*";
        if (random.Next(20) == 0) labels[0] = "Mixed";
        return DnsName.Parse(string.Join('.', labels) + ".example.com.");
    }

    private static List<RRsetEdit> RandomChange(Random random, IReadOnlyList<ResourceRecord> zone)
    {
        var edits = new Dictionary<(DnsName, RecordType), RRsetEdit>();
        int count = random.Next(1, 4);
        var existing = zone.Where(r => !ZoneSigner.IsGenerated(r.Type) && r.Type != RecordType.SOA).ToList();
        for (int i = 0; i < count; i++)
        {
            int kind = random.Next(10);
            if (kind < 3 && existing.Count > 0)
            {
                // Remove an existing RRset (sometimes the last one at its name, or a cut's NS).
                var r = existing[random.Next(existing.Count)];
                if (r.Owner.Equals(Origin) && r.Type == RecordType.NS) continue;
                edits[(r.Owner, r.Type)] = new RRsetEdit(r.Owner, r.Type, []);
                continue;
            }
            var name = kind < 5 && existing.Count > 0 ? existing[random.Next(existing.Count)].Owner : RandomName(random);
            if (name.Equals(Origin) && random.Next(2) == 0) name = RandomName(random);
            var type = random.Next(12) switch
            {
                0 or 1 => RecordType.NS,
                2 => RecordType.DS,
                3 => RecordType.TXT,
                4 => RecordType.AAAA,
                _ => RecordType.A,
            };
            if (name.Equals(Origin) && type is RecordType.NS or RecordType.DS) type = RecordType.TXT;
            uint ttl = random.Next(3) == 0 ? 600u : 3600u;
            var records = new List<ResourceRecord>();
            for (int k = 0, n = random.Next(1, 3); k < n; k++) records.Add(new ResourceRecord(name, type, ttl, RandomRData(random, type)));
            edits[(name, type)] = new RRsetEdit(name, type, records.DistinctBy(r => Convert.ToHexString(r.RData)).ToList());
        }
        if (edits.Count == 0) edits[(Origin, RecordType.TXT)] = new RRsetEdit(Origin, RecordType.TXT, [new ResourceRecord(Origin, RecordType.TXT, 3600, RandomRData(random, RecordType.TXT))]);
        return edits.Values.ToList();
    }

    private static byte[] RandomRData(Random random, RecordType type) => type switch
    {
        RecordType.A => [192, 0, 2, (byte)random.Next(256)],
        RecordType.AAAA => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)random.Next(256)],
        RecordType.TXT => [3, (byte)'t', (byte)'x', (byte)random.Next(97, 123)],
        RecordType.NS => DnsName.Parse($"ns{random.Next(3)}.example.net.").Wire.ToArray(),
        RecordType.DS => [0x30, 0x39, 13, 2, .. Enumerable.Repeat((byte)random.Next(256), 32)],
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    // ------------------------------------------------------------ applying and comparing

    private static List<ResourceRecord> Sorted(IEnumerable<ResourceRecord> records) =>
        records.OrderBy(r => r.Owner).ThenBy(r => (ushort)r.Type).ToList();

    private static List<ResourceRecord> Apply(IReadOnlyList<ResourceRecord> zone, IEnumerable<RRsetEdit> edits, IEnumerable<RRsetEdit> generated, uint serial)
    {
        var all = edits.Concat(generated).ToList();
        var keys = all.Select(e => (e.Owner, e.Type)).ToHashSet();
        Assert.Equal(all.Count, keys.Count); // one edit per RRset
        var result = zone.Where(r => !keys.Contains((r.Owner, r.Type))).ToList();
        foreach (var e in all) result.AddRange(e.Records);
        int soa = result.FindIndex(r => r.Type == RecordType.SOA);
        var rdata = result[soa].RData.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(rdata.AsSpan(rdata.Length - 20), serial);
        result[soa] = new ResourceRecord(result[soa].Owner, RecordType.SOA, result[soa].Ttl, rdata);
        return Sorted(result);
    }

    private static void AssertSame(IReadOnlyList<ResourceRecord> full, IReadOnlyList<ResourceRecord> incremental, string what)
    {
        static List<string> Data(IEnumerable<ResourceRecord> rs) =>
            rs.Where(r => r.Type != RecordType.RRSIG).Select(r => $"{r.Owner.ToString().ToLowerInvariant()} {r.Ttl} {RecordTypes.ToText(r.Type)} {Convert.ToHexString(r.RData)}")
                .Order(StringComparer.Ordinal).ToList();
        static List<string> Sigs(IEnumerable<ResourceRecord> rs) =>
            rs.Where(r => r.Type == RecordType.RRSIG).Select(r => $"{r.Owner.ToString().ToLowerInvariant()} {r.Ttl} covers {RecordTypes.ToText(RrsetSigner.TypeCovered(r.RData))} "
                + $"alg {RrsetSigner.Algorithm(r.RData)} labels {RrsetSigner.LabelsField(r.RData)} ttl {RrsetSigner.OriginalTtl(r.RData)} "
                + $"signer {SignerOf(r.RData)} tag {RrsetSigner.KeyTag(r.RData)}").Order(StringComparer.Ordinal).ToList();
        var (fd, id) = (Data(full), Data(incremental));
        Assert.True(fd.SequenceEqual(id), $"{what}\nonly in full:\n  {string.Join("\n  ", fd.Except(id))}\nonly incremental:\n  {string.Join("\n  ", id.Except(fd))}");
        var (fs, @is) = (Sigs(full), Sigs(incremental));
        Assert.True(fs.SequenceEqual(@is), $"{what}\nRRSIG only in full:\n  {string.Join("\n  ", fs.Except(@is))}\nRRSIG only incremental:\n  {string.Join("\n  ", @is.Except(fs))}");
    }

    private static DnsName SignerOf(byte[] rrsig)
    {
        Assert.True(DnsName.TryFromWire(rrsig.AsSpan(18), out var name, out _));
        return name!;
    }

    /// <summary>Each RRSIG over its RRset as it is in the zone, with the public key of its tag (RFC 4034 §3.1.8.1).</summary>
    internal static void AssertEverySignatureVerifies(IReadOnlyList<ResourceRecord> zone, IReadOnlyList<SigningKey> keys, DateTimeOffset now)
    {
        var sets = zone.Where(r => r.Type != RecordType.RRSIG).GroupBy(r => (r.Owner, r.Type)).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var sig in zone.Where(r => r.Type == RecordType.RRSIG))
        {
            var rd = sig.RData;
            var covered = RrsetSigner.TypeCovered(rd);
            Assert.True(sets.TryGetValue((sig.Owner, covered), out var set), $"RRSIG {sig.Owner} over {RecordTypes.ToText(covered)} covers nothing");
            var key = keys.Single(k => k.Key.KeyTag == RrsetSigner.KeyTag(rd)).Key;
            var signer = SignerOf(rd);
            int header = 18 + signer.WireLength;
            var canonical = RrsetSigner.CanonicalRRset(sig.Owner, covered, RrsetSigner.OriginalTtl(rd), set!);
            var input = new byte[header + canonical.Length];
            rd.AsSpan(0, header).CopyTo(input);
            canonical.CopyTo(input, header);
            Assert.True(key.Verify(input, rd.AsSpan(header)), $"RRSIG {sig.Owner} over {RecordTypes.ToText(covered)} does not verify");
            Assert.True(RrsetSigner.Inception(rd) <= now.ToUnixTimeSeconds() && RrsetSigner.Expiration(rd) > now.ToUnixTimeSeconds());
            Assert.Equal(set![0].Ttl, sig.Ttl);
        }
    }
}
