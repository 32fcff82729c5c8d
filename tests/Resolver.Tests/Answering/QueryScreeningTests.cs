using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Answering.RawQuery;

namespace AkkaDns.Resolver.Tests.Answering;

/// <summary>Packet screening in NSD's order: drop, NOTIMP, FORMERR, EDNS (BADVERS), class, transfers, zone.</summary>
public sealed class QueryScreeningTests
{
    private static readonly AnswerFixture Fixture = new();
    private static readonly byte[] WwwA = Question("www.example.com.", RecordType.A);

    private static DnsMessage Answer(byte[] query, Transport transport = Transport.Udp) =>
        DnsMessage.Parse(Fixture.Raw(query, transport) ?? throw new Xunit.Sdk.XunitException("dropped"));

    [Fact]
    public void Packets_shorter_than_a_header_are_dropped()
    {
        for (int n = 0; n < 12; n++) Assert.Null(Fixture.Raw(new byte[n]));
    }

    [Fact]
    public void Responses_QR1_are_dropped()
    {
        Assert.Null(Fixture.Raw(Concat(Header(1, 0x8000, 1), WwwA)));
        Assert.NotNull(Fixture.Raw(Concat(Header(1, 0x0000, 1), WwwA)));
    }

    [Theory]
    [InlineData(Opcode.IQuery)]
    [InlineData(Opcode.Status)]
    [InlineData(Opcode.Notify)]
    [InlineData(Opcode.Update)]
    public void Other_opcodes_are_NOTIMP_with_the_question_echoed(Opcode opcode)
    {
        var m = Answer(Concat(Header(77, (ushort)(((int)opcode << 11) | 0x0100), 1), WwwA));
        Assert.Equal(Rcode.NotImp, m.Rcode);
        Assert.Equal(77, m.Id);
        Assert.Equal(opcode, m.Opcode);
        Assert.True(m.RecursionDesired);
        Assert.False(m.AuthoritativeAnswer);
        Assert.Equal("www.example.com.", Assert.Single(m.Questions).Name.ToString());
        Assert.Empty(m.Answers);
    }

    public static TheoryData<string, byte[], bool> FormErrCases => new()
    {
        { "no question", Header(9, 0, 0), false },
        { "two questions", Concat(Header(9, 0, 2), WwwA, WwwA), false },
        { "an answer record in a query", Concat(Header(9, 0, 1, an: 1), WwwA), true },
        { "an authority record in a query", Concat(Header(9, 0, 1, ns: 1), WwwA), true },
        { "question cut short", Concat(Header(9, 0, 1), WwwA[..^2]), false },
        { "label longer than 63", Concat(Header(9, 0, 1), [64], new byte[64], [0, 0, 1, 0, 1]), false },
        { "compression pointer in the question", Concat(Header(9, 0, 1), [0xC0, 12, 0, 1, 0, 1]), false },
        { "two OPT records", Concat(Header(9, 0, 1, ar: 2), WwwA, Opt(), Opt()), true },
        { "OPT option overruns its RDATA", Concat(Header(9, 0, 1, ar: 1), WwwA, Opt(options: [0, 10, 0, 9, 1])), true },
        { "OPT owned by a non-root name", Concat(Header(9, 0, 1, ar: 1), WwwA, Opt(owner: [1, (byte)'a', 0])), true },
        { "additional count beyond the packet", Concat(Header(9, 0, 1, ar: 1), WwwA), true },
        { "trailing bytes after the question", Concat(Header(9, 0, 1), WwwA, [0xde, 0xad]), true },
        { "trailing bytes after the OPT", Concat(Header(9, 0, 1, ar: 1), WwwA, Opt(), [0xde, 0xad]), true },
        { "an OPT not counted in ARCOUNT", Concat(Header(9, 0, 1), WwwA, Opt()), true },
    };

    [Theory]
    [MemberData(nameof(FormErrCases))]
    public void Malformed_queries_are_FORMERR_with_the_id_echoed(string why, byte[] query, bool questionEchoed)
    {
        var m = Answer(query);
        Assert.True(m.Rcode == Rcode.FormErr, why);
        Assert.Equal(9, m.Id);
        Assert.Equal(questionEchoed ? 1 : 0, m.Questions.Count);
        Assert.Empty(m.Answers);
        Assert.Null(m.Edns); // no usable OPT in any of these: knotd answers them without one
        Assert.False(m.AuthoritativeAnswer);
    }

    [Fact]
    public void FORMERR_keeps_the_OPT_of_a_query_without_question_as_knotd()
    {
        var m = Answer(Concat(Header(9, 0, 0, ar: 1), Opt(dnssecOk: true)));
        Assert.Equal(Rcode.FormErr, m.Rcode);
        Assert.Empty(m.Questions);
        Assert.True(m.Edns!.DnssecOk);
    }

    [Fact]
    public void IXFR_with_its_SOA_in_authority_is_NOTAUTH_not_FORMERR()
    {
        var soa = Concat([0xC0, 12], [0, 6, 0, 1, 0, 0, 0, 0, 0, 22], [0], [0], new byte[20]);
        var m = Answer(Concat(Header(9, 0, 1, ns: 1), Question("example.com.", RecordType.IXFR), soa));
        Assert.Equal((Rcode)9, m.Rcode);
        Assert.Single(m.Questions);
    }

    [Fact]
    public void Name_of_255_octets_is_accepted_and_256_is_FORMERR()
    {
        // 3 labels of 63 + one of 61 + root = 4*1 + 189 + 61 + 1 = 255
        var ok = Enumerable.Repeat(Concat([63], Enumerable.Repeat((byte)'a', 63).ToArray()), 3).SelectMany(x => x)
            .Concat(new byte[] { 61 }).Concat(Enumerable.Repeat((byte)'a', 61)).Concat(new byte[] { 0 }).ToArray();
        Assert.Equal(255, ok.Length);
        Assert.Equal(Rcode.Refused, Answer(Concat(Header(1, 0, 1), ok, [0, 1, 0, 1])).Rcode);
        var tooLong = ok[..^1].Concat(new byte[] { 0 }).ToArray();
        tooLong[190] = 62; // 61 → 62 label length, one more octet
        tooLong = tooLong[..^1].Concat(new byte[] { (byte)'a', 0 }).ToArray();
        Assert.Equal(256, tooLong.Length);
        Assert.Equal(Rcode.FormErr, Answer(Concat(Header(1, 0, 1), tooLong, [0, 1, 0, 1])).Rcode);
    }

    [Fact]
    public void EDNS_version_above_0_is_BADVERS_with_an_OPT_of_version_0()
    {
        var m = Answer(Concat(Header(5, 0x0100, 1, ar: 1), WwwA, Opt(version: 1)));
        Assert.Equal(Rcode.BadVers, m.Rcode);
        Assert.NotNull(m.Edns);
        Assert.Equal(0, m.Edns!.Version);
        Assert.Empty(m.Answers);
        Assert.False(m.AuthoritativeAnswer);
        Assert.True(m.RecursionDesired);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DO_bit_is_echoed_and_our_payload_size_announced(bool dnssecOk)
    {
        var m = Fixture.Ask("www.example.com.", RecordType.A, edns: 4096, dnssecOk: dnssecOk);
        Assert.NotNull(m.Edns);
        Assert.Equal(dnssecOk, m.Edns!.DnssecOk);
        Assert.Equal(1232, m.Edns.UdpPayloadSize);
        Assert.Equal(0, m.Edns.Version);
    }

    [Fact]
    public void No_OPT_in_the_answer_without_one_in_the_query()
    {
        Assert.Null(Fixture.Ask("www.example.com.", RecordType.A).Edns);
    }

    [Theory]
    [InlineData(3)]   // CH
    [InlineData(4)]   // HS
    [InlineData(254)] // NONE
    public void Classes_other_than_IN_are_REFUSED(ushort cls)
    {
        var m = Answer(Concat(Header(3, 0, 1), Question("www.example.com.", RecordType.A, cls)));
        Assert.Equal(Rcode.Refused, m.Rcode);
        Assert.False(m.AuthoritativeAnswer);
        Assert.Empty(m.Answers);
    }

    [Fact]
    public void Class_ANY_is_answered_like_IN_as_knotd()
    {
        var m = Answer(Concat(Header(3, 0, 1), Question("www.example.com.", RecordType.A, 255)));
        Assert.Equal(Rcode.NoError, m.Rcode);
        Assert.Single(m.Answers);
    }

    [Theory]
    [InlineData(RecordType.AXFR, Transport.Tcp, 9)]
    [InlineData(RecordType.IXFR, Transport.Tcp, 9)]
    [InlineData(RecordType.IXFR, Transport.Udp, 9)]
    [InlineData(RecordType.AXFR, Transport.Udp, 4)]   // AXFR over UDP does not exist: NOTIMP, as knotd and NSD
    public void Zone_transfers_are_refused_as_knotd(RecordType type, Transport transport, int rcode)
    {
        var m = Answer(Concat(Header(3, 0x0100, 1), Question("example.com.", type)), transport);
        Assert.Equal((Rcode)rcode, m.Rcode);
        Assert.False(m.AuthoritativeAnswer);
        Assert.False(m.RecursionDesired); // knotd answers these with only QR set
    }

    [Fact]
    public void Names_in_no_zone_are_REFUSED_without_AA_and_with_EDE_20_under_EDNS()
    {
        var m = Fixture.Ask("www.example.org.", RecordType.A, edns: 1232);
        Assert.Equal(Rcode.Refused, m.Rcode);
        Assert.False(m.AuthoritativeAnswer);
        Assert.Empty(m.Answers);
        Assert.Empty(m.Authority);
        var ede = Assert.Single(m.Edns!.Options);
        Assert.Equal(15, ede.Code);
        Assert.Equal(new byte[] { 0, 20 }, ede.Data);

        var plain = Fixture.Ask("example.org.", RecordType.A);
        Assert.Equal(Rcode.Refused, plain.Rcode);
        Assert.Null(plain.Edns);
    }

    [Fact]
    public void Parent_of_a_served_zone_is_REFUSED()
    {
        Assert.Equal(Rcode.Refused, Fixture.Ask("com.", RecordType.NS).Rcode);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void RD_and_CD_are_copied_and_RA_is_0(bool rd, bool cd)
    {
        var m = Fixture.Ask("www.example.com.", RecordType.A, rd: rd, cd: cd);
        Assert.Equal(rd, m.RecursionDesired);
        Assert.Equal(cd, m.CheckingDisabled);
        Assert.False(m.RecursionAvailable);
        Assert.True(m.AuthoritativeAnswer);
    }

    [Fact]
    public void Question_is_echoed_byte_for_byte_with_its_0x20_case()
    {
        var query = AnswerFixture.Query("WwW.ExAmPlE.cOm.", RecordType.A, id: 4242);
        var raw = Fixture.Raw(query)!;
        int qlen = "WwW.ExAmPlE.cOm.".Length + 1 + 4;
        Assert.Equal(query.AsSpan(12, qlen).ToArray(), raw.AsSpan(12, qlen).ToArray());
        var m = DnsMessage.Parse(raw);
        Assert.Equal(4242, m.Id);
        Assert.Equal("WwW.ExAmPlE.cOm. 3600 A 192.0.2.80", AnswerFixture.Show(Assert.Single(m.Answers)));
    }

    [Fact]
    public void A_tsig_that_is_not_the_last_additional_record_is_FormErr_with_our_opt()
    {
        // RFC 8945 §5.1: TSIG must be last. Before TSIG support this record was skipped and the query answered.
        var tsigLike = Concat([0], [0, 250, 0, 255, 0, 0, 0, 0, 0, 2, 1, 2]);
        var m = Answer(Concat(Header(1, 0, 1, ar: 2), WwwA, tsigLike, Opt()));
        Assert.Equal(Rcode.FormErr, m.Rcode);
        Assert.NotNull(m.Edns);
    }

    // a.b.dn.example.com. A, RD, with an OPT (DO=1, a client cookie). Byte map: 0-1 id, 2-3 flags, 4-11 counts,
    // 12-31 QNAME (1 a 1 b 2 dn 7 example 3 com 0), 32-33 QTYPE, 34-35 QCLASS, 36 OPT owner, 37-38 OPT type,
    // 39-40 size, 41 extended RCODE, 42 version, 43-44 flags (DO), 45-46 RDLENGTH, 47-48 option code,
    // 49-50 option length, 51-58 the cookie.
    private static readonly byte[] DnameQuery = Concat(Header(1, 0x0100, 1, ar: 1), Question("a.b.dn.example.com.", RecordType.A),
        Opt(dnssecOk: true, options: [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]));

    private const int DnameQuestionEnd = 36;

    [Fact]
    public void The_unbroken_query_is_answered_with_the_DNAME_and_its_CNAME()
    {
        Assert.Equal(59, DnameQuery.Length);
        Assert.Equal(QueryScreen.Ok, QueryParser.Parse(DnameQuery, out _));
        var m = Answer(DnameQuery);
        Assert.Equal(Rcode.NoError, m.Rcode);
        Assert.True(m.AuthoritativeAnswer);
        Assert.Equal(["a.b.dn.example.com. 3600 CNAME a.b.example.org.", "dn.example.com. 3600 DNAME example.org."],
            AnswerFixture.Section(m.Answers));
        Assert.True(m.Edns!.DnssecOk);
    }

    [Fact]
    public void Every_prefix_of_a_query_is_dropped_below_a_header_and_FORMERR_from_there_on()
    {
        for (int n = 0; n < DnameQuery.Length; n++)
        {
            var prefix = DnameQuery[..n];
            var raw = Fixture.Raw(prefix);
            if (n < 12)
            {
                Assert.True(QueryParser.Parse(prefix, out _) == QueryScreen.Drop, $"prefix {n}: screen");
                Assert.True(raw is null, $"prefix {n}: a packet shorter than a header must be dropped");
                continue;
            }
            Assert.True(QueryParser.Parse(prefix, out _) == QueryScreen.FormErr, $"prefix {n}: screen");
            Assert.True(raw is not null, $"prefix {n}: dropped instead of FORMERR");
            var m = DnsMessage.Parse(raw);
            Assert.True(m.Rcode == Rcode.FormErr, $"prefix {n}: {m.Rcode}");
            Assert.Equal(1, m.Id);
            Assert.True(m.RecursionDesired, $"prefix {n}: RD not copied");
            // the question is echoed once it is whole; the OPT is cut, so the FORMERR carries none
            Assert.True((n >= DnameQuestionEnd ? 1 : 0) == m.Questions.Count, $"prefix {n}: {m.Questions.Count} questions");
            Assert.True(m.Edns is null, $"prefix {n}: OPT in the answer to a cut OPT");
            Assert.Empty(m.Answers);
        }
    }

    /// <summary>What the answer to <see cref="DnameQuery"/> with one bit flipped must be; null RCODE: dropped.</summary>
    public static TheoryData<string, int, byte, Rcode?> BitFlips => new()
    {
        { "id", 1, 0x01, Rcode.NoError },
        { "QR: a response", 2, 0x80, null },
        { "opcode 1 (IQUERY)", 2, 0x08, Rcode.NotImp },
        { "opcode 8", 2, 0x40, Rcode.NotImp },
        { "AA in the query is ignored", 2, 0x04, Rcode.NoError },
        { "RD cleared", 2, 0x01, Rcode.NoError },
        { "CD set", 3, 0x10, Rcode.NoError },
        { "QDCOUNT 0", 5, 0x01, Rcode.FormErr },
        { "QDCOUNT 3", 5, 0x02, Rcode.FormErr },
        { "ANCOUNT 1", 7, 0x01, Rcode.FormErr },
        { "NSCOUNT 1", 9, 0x01, Rcode.FormErr },
        { "ARCOUNT 0: the OPT is trailing bytes", 11, 0x01, Rcode.FormErr },
        { "ARCOUNT 3", 11, 0x02, Rcode.FormErr },
        { "first label 0x41 long: a reserved label type", 12, 0x40, Rcode.FormErr },
        { "0x20: A.b.dn.example.com.", 13, 0x20, Rcode.NoError },
        { "en.example.com.: no such name", 17, 0x01, Rcode.NXDomain },
        { "QCLASS 3 (CH)", 35, 0x02, Rcode.Refused },
        { "QCLASS 257", 34, 0x01, Rcode.Refused },
        { "EDNS version 1", 42, 0x01, Rcode.BadVers },
        { "DO cleared", 43, 0x80, Rcode.NoError },
        { "OPT RDLENGTH 13: beyond the packet", 46, 0x01, Rcode.FormErr },
        { "option length 9: beyond the RDATA", 50, 0x01, Rcode.FormErr },
        { "a cookie byte", 51, 0x01, Rcode.NoError },
    };

    [Theory]
    [MemberData(nameof(BitFlips))]
    public void A_flipped_bit_gets_exactly_its_answer(string what, int index, byte bit, Rcode? expected)
    {
        var q = (byte[])DnameQuery.Clone();
        q[index] ^= bit;
        var raw = Fixture.Raw(q);
        if (expected is null) { Assert.True(raw is null, what); return; }
        Assert.True(raw is not null, $"{what}: dropped");
        var m = DnsMessage.Parse(raw);
        Assert.True(expected == m.Rcode, $"{what}: {m.Rcode}, expected {expected}");
        Assert.Equal(index == 1 ? 0 : 1, m.Id);
        Assert.True(m.IsResponse, what);
        Assert.Equal(index == 2 && bit == 0x01 ? false : true, m.RecursionDesired);
        if (expected == Rcode.NoError)
            Assert.Equal(["a.b.dn.example.com. 3600 cname a.b.example.org.", "dn.example.com. 3600 dname example.org."],
                AnswerFixture.Section(m.Answers).Select(r => r.ToLowerInvariant()));
        else
            Assert.Empty(m.Answers);
    }

    [Fact]
    public void Every_bit_flip_is_dropped_only_for_QR_and_otherwise_answered_with_the_RCODE_its_screen_says()
    {
        var buf = new byte[65535];
        for (int i = 0; i < DnameQuery.Length * 8; i++)
        {
            var q = (byte[])DnameQuery.Clone();
            q[i / 8] ^= (byte)(1 << (i % 8));
            var where = $"byte {i / 8} bit {i % 8}";
            var screen = QueryParser.Parse(q, out _);
            int len = Fixture.Answerer.Handle(q, buf, new QueryContext(Transport.Udp));
            bool qr = i / 8 == 2 && i % 8 == 7;
            Assert.True(qr == (screen == QueryScreen.Drop), $"{where}: screen {screen}");
            if (qr) { Assert.True(len == -1, $"{where}: a response was answered"); continue; }
            Assert.True(len > 0, $"{where}: dropped (screen {screen})");
            Assert.True(DnsMessage.TryParse(buf.AsSpan(0, len), out var m, out var error), $"{where}: {error}");
            Assert.True(m!.IsResponse, where);
            Assert.Equal(BinaryPrimitivesId(q), m.Id);
            var rcode = screen switch
            {
                QueryScreen.NotImp => (Rcode?)Rcode.NotImp,
                QueryScreen.FormErr => Rcode.FormErr,
                QueryScreen.BadVers => Rcode.BadVers,
                _ => null, // well formed: whatever the zone says, but never a screening RCODE
            };
            if (rcode is not null) Assert.True(rcode == m.Rcode, $"{where}: {m.Rcode}, screen {screen}");
            else Assert.True(m.Rcode is Rcode.NoError or Rcode.NXDomain or Rcode.Refused, $"{where}: {m.Rcode}");
        }
    }

    [Fact]
    public void Random_packets_are_dropped_only_below_a_header_or_with_QR_and_otherwise_answered_with_their_id()
    {
        var buf = new byte[65535];
        var random = new Random(1234);
        int answered = 0;
        for (int i = 0; i < 2000; i++)
        {
            var q = new byte[random.Next(0, 80)];
            random.NextBytes(q);
            int len = Fixture.Answerer.Handle(q, buf, new QueryContext(Transport.Tcp));
            bool drop = q.Length < 12 || (q[2] & 0x80) != 0;
            Assert.True(drop == (len == -1), $"packet {i} ({q.Length} bytes, QR={(q.Length > 2 ? q[2] >> 7 : -1)}): {len}");
            if (drop) continue;
            Assert.True(DnsMessage.TryParse(buf.AsSpan(0, len), out var m, out var error), $"packet {i}: {error}");
            Assert.Equal(BinaryPrimitivesId(q), m!.Id);
            Assert.True(m.IsResponse);
            answered++;
        }
        Assert.True(answered > 500, $"only {answered} of 2000 random packets answered: the loop tested little");
    }

    private static ushort BinaryPrimitivesId(byte[] q) => (ushort)(q[0] << 8 | q[1]);
}
