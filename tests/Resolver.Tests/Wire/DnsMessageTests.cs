using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Wire.WireFixtures;

namespace AkkaDns.Resolver.Tests.Wire;

/// <summary>Well-formed messages: fixtures parse to the right fields and re-encode to the same bytes.</summary>
public sealed class DnsMessageTests
{
    private static DnsName N(string s) => DnsName.Parse(s);

    [Fact]
    public void Query_fixture_parses_header_question_and_edns()
    {
        var m = DnsMessage.Parse(Query);
        Assert.Equal(0x1234, m.Id);
        Assert.False(m.IsResponse);
        Assert.True(m.RecursionDesired);
        Assert.Equal(Opcode.Query, m.Opcode);
        var q = Assert.Single(m.Questions);
        Assert.Equal(new DnsQuestion(N("example.com."), RecordType.A, RecordClass.IN), q);
        Assert.Empty(m.Additional); // the OPT record is lifted out
        Assert.NotNull(m.Edns);
        Assert.Equal(4096, m.Edns!.UdpPayloadSize);
        Assert.False(m.Edns.DnssecOk);
        var cookie = Assert.Single(m.Edns.Options);
        Assert.Equal(10, cookie.Code);
        Assert.Equal(Hex("0102030405060708"), cookie.Data);
    }

    [Fact]
    public void Mx_response_fixture_expands_compressed_names_inside_rdata()
    {
        var m = DnsMessage.Parse(MxResponse);
        Assert.True(m.IsResponse);
        Assert.True(m.AuthoritativeAnswer);
        Assert.Null(m.Edns);
        var mx = Assert.Single(m.Answers);
        Assert.Equal(N("example.com."), mx.Owner);
        Assert.Equal(RecordType.MX, mx.Type);
        Assert.Equal(RecordClass.IN, mx.Class);
        Assert.Equal(3600u, mx.Ttl);
        Assert.Equal(Hex("000a 04 6d61696c 07 6578616d706c65 03 636f6d 00"), mx.RData);
        var ns = Assert.Single(m.Authority);
        Assert.Equal(DnsName.Parse("ns1.example.com.").Wire.ToArray(), ns.RData);
        var glue = Assert.Single(m.Additional);
        Assert.Equal(N("mail.example.com."), glue.Owner);
        Assert.Equal(Hex("c0000201"), glue.RData);
    }

    [Fact]
    public void Soa_response_fixture_expands_both_soa_names_and_keeps_the_counters()
    {
        var m = DnsMessage.Parse(SoaResponse);
        Assert.Equal(Rcode.NXDomain, m.Rcode);
        var soa = Assert.Single(m.Authority);
        var expected = DnsName.Parse("ns1.example.com.").Wire.ToArray()
            .Concat(DnsName.Parse("hostmaster.example.com.").Wire.ToArray())
            .Concat(Hex("78a2ea01 00001c20 00000e10 00093a80 00000e10")).ToArray();
        Assert.Equal(expected, soa.RData);
        Assert.Equal(N("example.com."), soa.Owner);
    }

    [Theory]
    [InlineData(nameof(Query))]
    [InlineData(nameof(MxResponse))]
    [InlineData(nameof(SoaResponse))]
    public void Fixtures_reencode_to_the_same_bytes(string fixture)
    {
        var bytes = (byte[])typeof(WireFixtures).GetField(fixture)!.GetValue(null)!;
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(DnsMessage.Parse(bytes).Encode()));
    }

    [Fact]
    public void Built_message_round_trips_with_every_field()
    {
        var m = new DnsMessage
        {
            Id = 0xBEEF, IsResponse = true, Opcode = Opcode.Query, AuthoritativeAnswer = true, Truncated = true,
            RecursionDesired = true, AuthenticData = true, CheckingDisabled = true, Rcode = Rcode.BadVers,
            Edns = new Edns { UdpPayloadSize = 1232, Version = 0, DnssecOk = true, Options = [new EdnsOption(15, [0, 23])] },
        };
        m.Questions.Add(new DnsQuestion(N("WwW.Example.ORG."), RecordType.CNAME));
        m.Answers.Add(new DnsRecord(N("www.example.org."), RecordType.CNAME, RecordClass.IN, 300, N("web.example.org.").Wire.ToArray()));
        m.Answers.Add(new DnsRecord(N("web.example.org."), RecordType.AAAA, RecordClass.IN, 300, new byte[16]));
        m.Authority.Add(new DnsRecord(N("example.org."), RecordType.SRV, RecordClass.IN, 60,
            Hex("0001 0002 0035").Concat(N("ns.example.org.").Wire.ToArray()).ToArray()));
        m.Additional.Add(new DnsRecord(N("x.example.org."), (RecordType)65280, RecordClass.CH, 0, Hex("c00c"))); // opaque stays opaque
        m.Additional.Add(new DnsRecord(N("d.example.org."), RecordType.DNAME, RecordClass.IN, 5, N("example.net.").Wire.ToArray()));

        var wire = m.Encode();
        var back = DnsMessage.Parse(wire);

        Assert.Equal(m.Id, back.Id);
        Assert.Equal(m.HeaderFlags, back.HeaderFlags);
        Assert.Equal(Rcode.BadVers, back.Rcode);
        Assert.Equal(m.Questions, back.Questions);
        Assert.Equal("WwW.Example.ORG.", back.Questions[0].Name.ToString()); // case kept
        Assert.Equal(m.Answers, back.Answers);
        Assert.Equal(m.Authority, back.Authority);
        Assert.Equal(m.Additional, back.Additional);
        Assert.True(back.Edns!.DnssecOk);
        Assert.Equal(m.Edns.Options, back.Edns.Options);
        // the CNAME target is compressed (RFC 1035 type): its RDLENGTH on the wire is "web" + pointer = 6
        Assert.True(wire.Length < 200);
    }

    [Fact]
    public void Encoder_never_compresses_names_inside_srv_or_dname_rdata()
    {
        var m = new DnsMessage { IsResponse = true };
        m.Questions.Add(new DnsQuestion(N("example.org."), RecordType.SRV));
        var target = N("example.org.").Wire.ToArray();
        m.Answers.Add(new DnsRecord(N("example.org."), RecordType.SRV, RecordClass.IN, 1, Hex("000000000035").Concat(target).ToArray()));
        var wire = m.Encode();
        // RDATA is the last thing written: the target name must appear whole at the end, not as a pointer
        Assert.Equal(Convert.ToHexString(target), Convert.ToHexString(wire[^target.Length..]));
    }

    [Fact]
    public void Extended_rcode_without_edns_cannot_be_encoded()
    {
        var m = new DnsMessage { Rcode = Rcode.BadVers };
        Assert.Throws<InvalidOperationException>(() => m.Encode());
    }

    [Fact]
    public void Opt_ttl_top_byte_extends_the_header_rcode()
    {
        // header RCODE 0, OPT extended RCODE 1 -> 16 (BADVERS); version 1
        var wire = Hex("0001 8000 0000 0000 0000 0001  00 0029 04d0 01010000 0000");
        var m = DnsMessage.Parse(wire);
        Assert.Equal(Rcode.BadVers, m.Rcode);
        Assert.Equal(1, m.Edns!.Version);
        Assert.Equal(1232, m.Edns.UdpPayloadSize);
    }

    [Fact]
    public void CreateQuery_builds_what_a_stub_sends()
    {
        var q = DnsMessage.CreateQuery(N("example.com."), RecordType.MX, id: 7, ednsPayload: 1232, dnssecOk: true);
        var back = DnsMessage.Parse(q.Encode());
        Assert.Equal(7, back.Id);
        Assert.False(back.RecursionDesired);
        Assert.Equal(RecordType.MX, back.Questions[0].Type);
        Assert.True(back.Edns!.DnssecOk);
    }
}
