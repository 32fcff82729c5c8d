using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Tests.Answering;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Dnssec;

/// <summary>DO=1 answers from a zone signed by our signer: which records each answer kind carries (RFC 4035 §3.1,
/// RFC 5155 §7.2), that a change applied incrementally (the edges' path) answers byte for byte as a full compile, that
/// DO=0 answers do not change, and that signed answers allocate nothing.</summary>
public sealed class AnswerSignedTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static (CompiledZone Zone, IReadOnlyList<ResourceRecord> Signed, ZoneSigner Signer, SigningKey[] Keys) Sign(bool nsec3)
    {
        var signer = new ZoneSigner(SignerFixtures.Origin);
        var keys = SignerFixtures.Csk(DnssecAlgorithm.EcdsaP256Sha256);
        var signed = signer.Sign(SignerFixtures.Records(), keys, new SigningPolicy { UseNsec3 = nsec3 }, Now).Records;
        return (CompiledZone.Compile(new Zone(SignerFixtures.Origin, signed), 1), signed, signer, keys);
    }

    private static DnsMessage Ask(CompiledZone zone, string name, RecordType type, bool dnssecOk = true)
    {
        var table = new ZoneTable();
        table.Publish(zone);
        var answerer = new Answerer(table, new AnswerOptions());
        var buf = new byte[65535];
        int n = answerer.Handle(AnswerFixture.Query(name, type, edns: 4096, dnssecOk: dnssecOk), buf, new QueryContext(Transport.Udp));
        Assert.True(DnsMessage.TryParse(buf.AsSpan(0, n), out var m, out var error), error);
        return m!;
    }

    private static RecordType Covered(DnsRecord rrsig) => (RecordType)(rrsig.RData[0] << 8 | rrsig.RData[1]);
    private static IEnumerable<RecordType> Types(IEnumerable<DnsRecord> records) => records.Select(r => r.Type == RecordType.RRSIG ? (RecordType)(-(int)Covered(r) & 0xFFFF) : r.Type);
    private static int Sigs(IEnumerable<DnsRecord> records, RecordType covered) => records.Count(r => r.Type == RecordType.RRSIG && Covered(r) == covered);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_positive_answer_carries_the_RRSIG_of_its_RRset(bool nsec3)
    {
        var m = Ask(Sign(nsec3).Zone, "www.example.com.", RecordType.A);
        Assert.Equal(Rcode.NoError, m.Rcode);
        Assert.Single(m.Answers, r => r.Type == RecordType.A);
        Assert.Equal(1, Sigs(m.Answers, RecordType.A));
        Assert.Empty(m.Authority);
    }

    [Fact]
    public void NXDOMAIN_under_NSEC3_proves_the_closest_encloser_the_next_closer_name_and_no_wildcard()
    {
        var m = Ask(Sign(true).Zone, "nope.www.example.com.", RecordType.A);
        Assert.Equal(Rcode.NXDomain, m.Rcode);
        Assert.Equal(1, m.Authority.Count(r => r.Type == RecordType.SOA));
        Assert.Equal(1, Sigs(m.Authority, RecordType.SOA));
        var nsec3 = m.Authority.Where(r => r.Type == RecordType.NSEC3).ToList();
        Assert.InRange(nsec3.Count, 2, 3); // closest encloser (www), next closer covered, *.www covered (may coincide)
        Assert.Equal(nsec3.Count, Sigs(m.Authority, RecordType.NSEC3));
        // The closest encloser's own NSEC3 is among them: the hash of www.example.com.
        var h = new byte[20];
        Nsec3Hash.TryHash(DnsName.Parse("www.example.com.").Wire, [], 0, h);
        var label = Nsec3Hash.ToLabel(h);
        Assert.Contains(nsec3, r => r.Owner.ToString().StartsWith(label, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NXDOMAIN_under_NSEC_covers_the_name_and_the_wildcard()
    {
        var m = Ask(Sign(false).Zone, "nope.example.com.", RecordType.A);
        Assert.Equal(Rcode.NXDomain, m.Rcode);
        var nsec = m.Authority.Where(r => r.Type == RecordType.NSEC).ToList();
        Assert.InRange(nsec.Count, 1, 2);
        Assert.Equal(nsec.Count, Sigs(m.Authority, RecordType.NSEC));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NODATA_and_an_empty_non_terminal_carry_the_matching_denial(bool nsec3)
    {
        var zone = Sign(nsec3).Zone;
        var type = nsec3 ? RecordType.NSEC3 : RecordType.NSEC;
        foreach (var (name, qtype) in new[] { ("www.example.com.", RecordType.MX), ("b.ent.example.com.", RecordType.A) })
        {
            var m = Ask(zone, name, qtype);
            Assert.Equal(Rcode.NoError, m.Rcode);
            Assert.Empty(m.Answers);
            Assert.Equal(1, Sigs(m.Authority, RecordType.SOA));
            Assert.Single(m.Authority, r => r.Type == type);
            Assert.Equal(1, Sigs(m.Authority, type));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_wildcard_answer_is_signed_for_the_wildcard_and_proves_the_name_does_not_exist(bool nsec3)
    {
        var m = Ask(Sign(nsec3).Zone, "x.wild.example.com.", RecordType.TXT);
        var sig = Assert.Single(m.Answers, r => r.Type == RecordType.RRSIG);
        Assert.Equal("x.wild.example.com.", sig.Owner.ToString());
        Assert.Equal(3, sig.RData[3]); // labels of *.wild.example.com. without the *: the validator sees the expansion
        Assert.Single(m.Authority, r => r.Type == (nsec3 ? RecordType.NSEC3 : RecordType.NSEC));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Referrals_carry_the_DS_when_secure_and_the_proof_of_no_DS_when_not(bool nsec3)
    {
        var zone = Sign(nsec3).Zone;
        var secure = Ask(zone, "www.secure.example.com.", RecordType.A);
        Assert.Single(secure.Authority, r => r.Type == RecordType.DS);
        Assert.Equal(1, Sigs(secure.Authority, RecordType.DS));
        Assert.Equal(0, Sigs(secure.Authority, RecordType.NS)); // NS at a cut is not signed
        var insecure = Ask(zone, "www.insecure.example.com.", RecordType.A);
        Assert.DoesNotContain(insecure.Authority, r => r.Type == RecordType.DS);
        Assert.Single(insecure.Authority, r => r.Type == (nsec3 ? RecordType.NSEC3 : RecordType.NSEC));
    }

    private static uint OriginalTtl(DnsRecord rrsig) => (uint)(rrsig.RData[4] << 24 | rrsig.RData[5] << 16 | rrsig.RData[6] << 8 | rrsig.RData[7]);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Each_RRSIG_carries_the_TTL_of_the_RRset_it_covers(bool nsec3)
    {
        // The apex holds RRsets of TTL 3600 (SOA, NS, MX, DNSKEY) and 300 (NSEC3PARAM or NSEC): RFC 4034 §3 gives each
        // RRSIG its RRset's TTL; one TTL for all the RRSIGs of a name (the lowest) was what the differential found.
        var zone = Sign(nsec3).Zone;
        var mx = Ask(zone, "example.com.", RecordType.MX);
        Assert.All(mx.Answers, r => Assert.Equal(3600u, r.Ttl));
        Assert.Equal(1, Sigs(mx.Answers, RecordType.MX));

        var rrsigs = Ask(zone, "example.com.", RecordType.RRSIG);
        Assert.True(rrsigs.Answers.Count >= 5);
        Assert.All(rrsigs.Answers, r => Assert.Equal(OriginalTtl(r), r.Ttl));
        Assert.Contains(rrsigs.Answers, r => r.Ttl == 300);
        Assert.Contains(rrsigs.Answers, r => r.Ttl == 3600);

        // Negative answers: the SOA goes out with min(SOA TTL, MINIMUM) = 300, and so does its RRSIG.
        var nx = Ask(zone, "nope.example.com.", RecordType.A);
        Assert.Equal(300u, nx.Authority.Single(r => r.Type == RecordType.SOA).Ttl);
        var soaSig = nx.Authority.Single(r => r.Type == RecordType.RRSIG && Covered(r) == RecordType.SOA);
        Assert.Equal(300u, soaSig.Ttl);
        Assert.Equal(3600u, OriginalTtl(soaSig));
    }

    [Fact]
    public void RRSIG_TTLs_stay_per_type_after_a_change_applied_incrementally()
    {
        // The edges apply changes as RRset updates (CompiledZone.WithChanges), which give an RRset one TTL: the RRSIG
        // "RRset" of the apex then holds one TTL for all. Answers must still give each RRSIG its covered RRset's TTL.
        var (zone, _, signer, keys) = Sign(true);
        var unsigned = SignerFixtures.Records().Append(new ResourceRecord(SignerFixtures.Origin, RecordType.TXT, 3600, [3, (byte)'n', (byte)'e', (byte)'w'])).ToList();
        var after = signer.Sign(unsigned, keys, new SigningPolicy(), Now.AddMinutes(1)).Records;
        var apexSigs = after.Where(r => r.Owner.Equals(SignerFixtures.Origin) && r.Type == RecordType.RRSIG).ToList();
        var incremental = zone.WithChanges([new RRsetUpdate(SignerFixtures.Origin, RecordType.RRSIG, apexSigs),
            new RRsetUpdate(SignerFixtures.Origin, RecordType.TXT, after.Where(r => r.Owner.Equals(SignerFixtures.Origin) && r.Type == RecordType.TXT).ToList())], 2);
        foreach (var type in new[] { RecordType.MX, RecordType.TXT, RecordType.NS, RecordType.NSEC3PARAM })
        {
            var m = Ask(incremental, "example.com.", type);
            var set = m.Answers.First(r => r.Type == type);
            var sig = m.Answers.Single(r => r.Type == RecordType.RRSIG);
            Assert.Equal(set.Ttl, sig.Ttl);
            Assert.Equal(OriginalTtl(sig), sig.Ttl);
        }
        Assert.All(Ask(incremental, "example.com.", RecordType.RRSIG).Answers, r => Assert.Equal(OriginalTtl(r), r.Ttl));
        // Stored as they came, too: an edge's AXFR reads the compiled RRSIGs, and gave them all the lowest TTL.
        var stored = new List<uint>();
        foreach (var r in incremental.Apex.Find(RecordType.RRSIG)!.Records) stored.Add(r.Ttl);
        Assert.Equal(apexSigs.Select(r => r.Ttl).Order(), stored.Order());
        Assert.True(stored.Distinct().Count() > 1, "the apex RRSIGs cover RRsets of several TTLs");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Additional_addresses_come_with_their_RRSIGs_and_glue_without(bool nsec3)
    {
        // RFC 4035 §3.1.1: a signed RRset in the additional section carries its RRSIGs (knotd adds them).
        var zone = Sign(nsec3).Zone;
        var mx = Ask(zone, "example.com.", RecordType.MX);
        Assert.Single(mx.Additional, r => r.Type == RecordType.A && r.Owner.Equals(DnsName.Parse("mail.example.com.")));
        Assert.Equal(1, Sigs(mx.Additional, RecordType.A));
        var ns = Ask(zone, "example.com.", RecordType.NS);
        Assert.Equal(1, Sigs(ns.Additional, RecordType.A)); // ns1's A; ns2 is out of zone

        var referral = Ask(zone, "www.secure.example.com.", RecordType.A);
        Assert.Single(referral.Additional, r => r.Type == RecordType.A);
        Assert.Equal(0, Sigs(referral.Additional, RecordType.A)); // glue is not signed

        var plain = Ask(zone, "example.com.", RecordType.MX, dnssecOk: false);
        Assert.DoesNotContain(plain.Additional, r => r.Type == RecordType.RRSIG);
    }

    [Fact]
    public void An_additional_RRset_whose_RRSIGs_do_not_fit_stays_without_them_and_without_TC()
    {
        // RFC 4035 §3.1.1: the server "MAY retain the RRset while dropping the RRSIG RRs" and "MUST NOT set the TC bit
        // solely because these RRSIG RRs didn't fit". Find the buffer size where mail's A fits and its RRSIG does not.
        var table = new ZoneTable();
        table.Publish(Sign(true).Zone);
        var answerer = new Answerer(table, new AnswerOptions());
        var buf = new byte[65535];
        int full = answerer.Handle(AnswerFixture.Query("example.com.", RecordType.MX, edns: 4096, dnssecOk: true), buf, new QueryContext(Transport.Udp));
        Assert.True(DnsMessage.TryParse(buf.AsSpan(0, full), out var whole, out _));
        Assert.Single(whole!.Additional, r => r.Type == RecordType.RRSIG);
        // mail's RRSIG is the last record before the OPT: a response buffer one byte short of the whole answer has room
        // for everything but it.
        Assert.Equal(RecordType.RRSIG, whole.Additional[^1].Type);
        int without = full - 1;
        int n = answerer.Handle(AnswerFixture.Query("example.com.", RecordType.MX, edns: 4096, dnssecOk: true), buf.AsSpan(0, without), new QueryContext(Transport.Udp));
        Assert.True(DnsMessage.TryParse(buf.AsSpan(0, n), out var m, out var error), error);
        Assert.False(m!.Truncated);
        Assert.Single(m.Additional, r => r.Type == RecordType.A);
        Assert.DoesNotContain(m.Additional, r => r.Type == RecordType.RRSIG);
    }

    [Fact]
    public void Without_DO_a_signed_zone_answers_as_the_unsigned_one()
    {
        var signed = Sign(true).Zone;
        var plain = CompiledZone.Compile(new Zone(SignerFixtures.Origin, SignerFixtures.Records()), 1);
        foreach (var (name, type) in new[] { ("www.example.com.", RecordType.A), ("nope.example.com.", RecordType.A), ("x.wild.example.com.", RecordType.TXT), ("www.secure.example.com.", RecordType.A) })
        {
            var a = Ask(signed, name, type, dnssecOk: false);
            var b = Ask(plain, name, type, dnssecOk: false);
            Assert.Equal(b.ToString(), a.ToString());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_change_applied_incrementally_answers_as_a_full_compile(bool nsec3)
    {
        var (zone, before, signer, keys) = Sign(nsec3);
        var unsigned = SignerFixtures.Records().Where(r => !(r.Type == RecordType.A && r.Owner.Equals(DnsName.Parse("www.example.com."))))
            .Append(new ResourceRecord(DnsName.Parse("new.example.com."), RecordType.A, 300, [192, 0, 2, 77])).ToList();
        var after = signer.Sign(unsigned, keys, new SigningPolicy { UseNsec3 = nsec3 }, Now.AddMinutes(1)).Records;
        var updates = after.Concat(before).Select(r => (r.Owner, r.Type)).Distinct()
            .Select(k => (k, Before: before.Where(r => r.Owner.Equals(k.Owner) && r.Type == k.Type).ToList(), After: after.Where(r => r.Owner.Equals(k.Owner) && r.Type == k.Type).ToList()))
            .Where(x => x.Before.Count != x.After.Count || !new HashSet<ResourceRecord>(x.Before).SetEquals(x.After))
            .Select(x => new RRsetUpdate(x.k.Owner, x.k.Type, x.After)).ToList();
        var incremental = zone.WithChanges(updates, 2);
        var full = CompiledZone.Compile(new Zone(SignerFixtures.Origin, after), 2);
        Assert.Equal(full.Nsec3.Count, incremental.Nsec3.Count);
        Assert.Equal(full.Nsec.Count, incremental.Nsec.Count);
        foreach (var (name, type) in new[] { ("new.example.com.", RecordType.A), ("www.example.com.", RecordType.A), ("www.example.com.", RecordType.AAAA),
                     ("nope.example.com.", RecordType.A), ("zz.new.example.com.", RecordType.A), ("x.wild.example.com.", RecordType.TXT),
                     ("www.insecure.example.com.", RecordType.A), ("example.com.", RecordType.DNSKEY) })
            Assert.Equal(Ask(full, name, type).ToString(), Ask(incremental, name, type).ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Signed_answers_allocate_nothing(bool nsec3)
    {
        var table = new ZoneTable();
        table.Publish(Sign(nsec3).Zone);
        var answerer = new Answerer(table, new AnswerOptions());
        byte[][] queries =
        [
            AnswerFixture.Query("www.example.com.", RecordType.A, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("nope.www.example.com.", RecordType.A, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("www.example.com.", RecordType.MX, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("b.ent.example.com.", RecordType.A, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("x.wild.example.com.", RecordType.TXT, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("x.wild.example.com.", RecordType.MX, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("www.secure.example.com.", RecordType.A, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("www.insecure.example.com.", RecordType.A, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("example.com.", RecordType.DNSKEY, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("alias.example.com.", RecordType.A, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("example.com.", RecordType.MX, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("example.com.", RecordType.RRSIG, edns: 1232, dnssecOk: true),
        ];
        var buf = new byte[65535];
        int sink = 0;
        foreach (var transport in new[] { Transport.Udp, Transport.Tcp })
        {
            var ctx = new QueryContext(transport);
            for (int i = 0; i < 100 * queries.Length; i++) sink += answerer.Handle(queries[i % queries.Length], buf, ctx);
            long least = long.MaxValue;
            for (int window = 0; window < 3 && least > 0; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 1000; i++) sink += answerer.Handle(queries[i % queries.Length], buf, ctx);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.Equal(0, least);
        }
        Assert.True(sink > 0);
    }
}
