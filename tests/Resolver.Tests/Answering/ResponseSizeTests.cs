using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Answering;

/// <summary>UDP limits (512 without EDNS, else max(512, min(EDNS size, configured maximum))), TC per RFC 2181 §9,
/// TCP up to 65535, and name compression.</summary>
public sealed class ResponseSizeTests
{
    private static readonly AnswerFixture Fixture = new();

    private static string ManyNsZone()
    {
        var sb = new System.Text.StringBuilder("""
            $ORIGIN many.test.
            $TTL 300
            @ SOA ns hostmaster 1 2 3 4 5
            """);
        sb.Append('\n');
        for (int i = 0; i < 10; i++)
            sb.Append($"@ NS nameserver-number-{i:D2}\nnameserver-number-{i:D2} A 192.0.2.{i}\nnameserver-number-{i:D2} AAAA 2001:db8::{i}\n");
        return sb.ToString();
    }

    /// <summary>A delegation to ten name servers: in-domain ones (below the cut) or siblings (elsewhere in the zone).</summary>
    private static string DelegationZone(bool inDomain)
    {
        var sb = new System.Text.StringBuilder("""
            $ORIGIN deleg.test.
            $TTL 300
            @ SOA ns hostmaster 1 2 3 4 5
            @ NS ns
            ns A 192.0.2.250
            """);
        sb.Append('\n');
        for (int i = 0; i < 10; i++)
        {
            var ns = inDomain ? $"nameserver-number-{i:D2}.child" : $"nameserver-number-{i:D2}";
            sb.Append($"child NS {ns}\n{ns} A 192.0.2.{i}\n{ns} AAAA 2001:db8::{i}\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void A_referral_whose_in_domain_glue_does_not_fit_is_TC_and_sibling_glue_is_left_out_quietly()
    {
        // RFC 9471 §3.1: "all available glue records for in-domain name servers MUST be included"; when they do not fit,
        // TC=1 (knotd does so; the DO=1 differential found AkkaDns sending part of the glue without TC). §3.2: sibling
        // glue SHOULD be included, without TC when it does not fit.
        var inDomain = new AnswerFixture(null, DelegationZone(inDomain: true));
        var m = inDomain.Ask("www.child.deleg.test.", RecordType.A);
        Assert.True(m.Truncated);
        Assert.False(m.AuthoritativeAnswer);
        Assert.Empty(m.Authority);
        var tcp = inDomain.Ask("www.child.deleg.test.", RecordType.A, transport: Transport.Tcp);
        Assert.False(tcp.Truncated);
        Assert.Equal(10, tcp.Authority.Count);
        Assert.Equal(20, tcp.Additional.Count);

        var sibling = new AnswerFixture(null, DelegationZone(inDomain: false));
        var s = sibling.Ask("www.child.deleg.test.", RecordType.A);
        Assert.False(s.Truncated);
        Assert.Equal(10, s.Authority.Count);
        Assert.InRange(s.Additional.Count, 1, 19);
    }

    [Fact]
    public void Answer_over_512_without_EDNS_is_TC_with_empty_sections_as_knotd()
    {
        var raw = Fixture.Raw(AnswerFixture.Query("big.example.com.", RecordType.TXT, id: 99))!;
        Assert.True(raw.Length <= 512);
        var m = DnsMessage.Parse(raw);
        Assert.True(m.Truncated);
        Assert.True(m.AuthoritativeAnswer);
        Assert.Equal(Rcode.NoError, m.Rcode);
        Assert.Equal(99, m.Id);
        Assert.Single(m.Questions);
        Assert.Empty(m.Answers);
        Assert.Empty(m.Authority);
        Assert.Empty(m.Additional);
        Assert.Null(m.Edns);
    }

    [Theory]
    [InlineData((ushort)512)]
    [InlineData((ushort)100)] // below 512 counts as 512 (RFC 6891 §6.2.5)
    public void EDNS_512_is_TC_and_keeps_the_OPT(ushort size)
    {
        var m = Fixture.Ask("big.example.com.", RecordType.TXT, edns: size);
        Assert.True(m.Truncated);
        Assert.Empty(m.Answers);
        Assert.NotNull(m.Edns);
    }

    [Fact]
    public void EDNS_4096_gets_the_whole_RRset_within_the_configured_1232()
    {
        var raw = Fixture.Raw(AnswerFixture.Query("big.example.com.", RecordType.TXT, edns: 4096))!;
        Assert.InRange(raw.Length, 513, 1232);
        var m = DnsMessage.Parse(raw);
        Assert.False(m.Truncated);
        Assert.Equal(6, m.Answers.Count);
    }

    [Fact]
    public void Configured_maximum_caps_the_EDNS_size()
    {
        var small = new AnswerFixture(new AnswerOptions { MaxUdpPayload = 600 });
        var m = small.Ask("big.example.com.", RecordType.TXT, edns: 4096);
        Assert.True(m.Truncated);
        Assert.Equal(600, m.Edns!.UdpPayloadSize);
    }

    [Fact]
    public void TCP_carries_the_whole_answer_without_EDNS()
    {
        var m = Fixture.Ask("big.example.com.", RecordType.TXT, transport: Transport.Tcp);
        Assert.False(m.Truncated);
        Assert.Equal(6, m.Answers.Count);
    }

    [Fact]
    public void Additional_records_that_do_not_fit_are_left_out_without_TC()
    {
        var f = new AnswerFixture(null, ManyNsZone());
        var raw = f.Raw(AnswerFixture.Query("many.test.", RecordType.NS))!;
        Assert.True(raw.Length <= 512);
        var m = DnsMessage.Parse(raw);
        Assert.False(m.Truncated);
        Assert.Equal(10, m.Answers.Count);
        Assert.InRange(m.Additional.Count, 1, 19);
        // whole RRsets only: every AAAA in additional has its name's A before it
        var names = m.Additional.GroupBy(r => r.Owner).ToList();
        Assert.All(names.SkipLast(1), g => Assert.Equal(2, g.Count()));

        var tcp = f.Ask("many.test.", RecordType.NS, transport: Transport.Tcp);
        Assert.Equal(20, tcp.Additional.Count);
    }

    [Fact]
    public void Svcb_and_naptr_additional_data_that_does_not_fit_is_left_out_without_TC()
    {
        var sb = new System.Text.StringBuilder("$ORIGIN svc.test.\n$TTL 300\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\n");
        sb.Append("@ HTTPS 1 pool alpn=h2,h3\nn NAPTR 10 10 \"A\" \"x\" \"\" pool\n");
        for (int i = 0; i < 40; i++) sb.Append($"pool A 192.0.2.{i}\n"); // 40 × 16 octets: more than 512
        sb.Append("pool AAAA 2001:db8::1\n");
        var f = new AnswerFixture(null, sb.ToString());
        foreach (var (name, type) in new[] { ("svc.test.", RecordType.HTTPS), ("n.svc.test.", RecordType.NAPTR) })
        {
            var raw = f.Raw(AnswerFixture.Query(name, type))!;
            Assert.True(raw.Length <= 512);
            var m = DnsMessage.Parse(raw);
            Assert.False(m.Truncated);
            Assert.Single(m.Answers);
            Assert.Empty(m.Additional); // the A RRset does not fit whole, so nothing after it is tried
            var tcp = f.Ask(name, type, transport: Transport.Tcp);
            Assert.Equal(41, tcp.Additional.Count);
        }
    }

    [Theory]
    [MemberData(nameof(AnswerAlgorithmTests.CaseNames), MemberType = typeof(AnswerAlgorithmTests))]
    public void Every_answer_without_EDNS_fits_512(string caseName)
    {
        var c = AnswerAlgorithmTests.Cases[caseName];
        var raw = Fixture.Raw(AnswerFixture.Query(c.Name, c.Type))!;
        Assert.True(raw.Length <= 512);
        Assert.False(DnsMessage.Parse(raw).Truncated);
    }

    [Fact]
    public void Owner_equal_to_the_question_is_a_pointer_to_offset_12()
    {
        var raw = Fixture.Raw(AnswerFixture.Query("www.example.com.", RecordType.A))!;
        int answerStart = 12 + "www.example.com.".Length + 1 + 4;
        Assert.Equal(new byte[] { 0xC0, 12 }, raw.AsSpan(answerStart, 2).ToArray());
        Assert.Equal(answerStart + 2 + 10 + 4, raw.Length);
    }

    [Fact]
    public void Names_in_RDATA_and_additional_owners_are_compressed()
    {
        var raw = Fixture.Raw(AnswerFixture.Query("example.com.", RecordType.NS))!;
        byte[] exampleCom = [7, .. "example"u8, 3, .. "com"u8, 0];
        Assert.Equal(1, Occurrences(raw, exampleCom)); // only in the question
        byte[] ns2 = [3, .. "ns2"u8];
        Assert.Equal(1, Occurrences(raw, ns2));        // the additional owners point at the NS RDATA
        var m = DnsMessage.Parse(raw);
        Assert.Equal(3, m.Additional.Count);
    }

    [Fact]
    public void Large_TCP_answer_past_the_pointer_range_and_a_full_compression_table_decodes_exactly()
    {
        var sb = new System.Text.StringBuilder("$ORIGIN big.test.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n");
        for (int i = 0; i < 1500; i++) sb.Append($"@ MX {i} exchange-{i:D4}.sub{i % 7}\n");
        var f = new AnswerFixture(null, sb.ToString());
        var raw = f.Raw(AnswerFixture.Query("big.test.", RecordType.MX), Transport.Tcp)!;
        Assert.True(raw.Length > 0x4000);
        var m = DnsMessage.Parse(raw);
        Assert.False(m.Truncated);
        Assert.Equal(1500, m.Answers.Count);
        var expected = Enumerable.Range(0, 1500).Select(i => $"big.test. 60 MX {i} exchange-{i:D4}.sub{i % 7}.big.test.").Order(StringComparer.Ordinal);
        Assert.Equal(expected, AnswerFixture.Section(m.Answers));
    }

    private static int Occurrences(byte[] hay, byte[] needle)
    {
        int n = 0;
        for (int i = 0; i + needle.Length <= hay.Length; i++)
            if (hay.AsSpan(i, needle.Length).SequenceEqual(needle)) n++;
        return n;
    }
}
