using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using Ars = ARSoft.Tools.Net.Dns;

namespace AkkaDns.Cluster.Tests.Serve;

/// <summary>
/// Our encoder's compressed output read by an independent parser (ARSoft.Tools.Net): every owner, question and
/// RDATA name must come out right, whatever pointers we chose. (Lives here because this project references ARSoft.)
/// </summary>
public sealed class CodecCrossCheckTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.test.");

    private static DnsRecord Rr(string owner, RecordType type, string rdata)
        => new(DnsName.Parse(owner, Origin), type, RecordClass.IN, 300, RData.Parse(type, rdata, Origin));

    [Fact]
    public void Independent_parser_reads_our_compressed_message()
    {
        var m = new DnsMessage { Id = 77, IsResponse = true, AuthoritativeAnswer = true, Edns = new Edns { UdpPayloadSize = 1232, DnssecOk = true } };
        m.Questions.Add(new DnsQuestion(DnsName.Parse("Mail.Example.Test."), RecordType.ANY));
        m.Answers.AddRange([
            Rr("mail", RecordType.MX, "10 mx1.example.test."),
            Rr("mail", RecordType.CNAME, "target.example.test."),
            Rr("mail", RecordType.TXT, "\"hello world\" \"two\""),
            Rr("_sip._udp", RecordType.SRV, "1 2 5060 sip.example.test."),
            Rr("mail", RecordType.A, "192.0.2.1"),
        ]);
        m.Authority.Add(Rr("@", RecordType.SOA, "ns1 hostmaster.example.test. 1 7200 3600 1209600 300"));
        m.Authority.Add(Rr("@", RecordType.NS, "ns1"));
        m.Additional.Add(Rr("ns1", RecordType.AAAA, "2001:db8::53"));

        var wire = m.Encode();
        var ars = Ars.DnsMessage.Parse(new ArraySegment<byte>(wire));

        Assert.Equal(77, ars.TransactionID);
        Assert.True(ars.IsAuthoritiveAnswer);
        Assert.True(ars.IsEDnsEnabled);
        Assert.True(ars.IsDnsSecOk);
        Assert.Equal("Mail.Example.Test.", ars.Questions.Single().Name.ToString());

        var answers = ars.AnswerRecords.Select(r => r.ToString()).ToList();
        Assert.Contains(answers, s => s.Contains("MX") && s.Contains("10 mx1.example.test."));
        Assert.Contains(answers, s => s.Contains("CNAME") && s.Contains("target.example.test."));
        Assert.Contains(answers, s => s.Contains("TXT") && s.Contains("\"hello world\" \"two\""));
        Assert.Contains(answers, s => s.StartsWith("_sip._udp.example.test.") && s.Contains("1 2 5060 sip.example.test."));
        Assert.Contains(answers, s => s.Contains(" A ") && s.Contains("192.0.2.1"));
        var soa = Assert.IsType<Ars.SoaRecord>(ars.AuthorityRecords[0]);
        Assert.Equal("ns1.example.test.", soa.MasterName.ToString());
        Assert.Equal("hostmaster.example.test.", soa.ResponsibleName.ToString());
        Assert.Equal(300L, (long)soa.NegativeCachingTTL);
        Assert.Equal("ns1.example.test.", Assert.IsType<Ars.NsRecord>(ars.AuthorityRecords[1]).NameServer.ToString());
        Assert.Equal("ns1.example.test.", ars.AdditionalRecords.OfType<Ars.AaaaRecord>().Single().Name.ToString());

        // and our own parser gives back exactly what we encoded
        var back = DnsMessage.Parse(wire);
        Assert.Equal(m.Answers, back.Answers);
        Assert.Equal(m.Authority, back.Authority);
        Assert.Equal(m.Additional, back.Additional);
    }
}
