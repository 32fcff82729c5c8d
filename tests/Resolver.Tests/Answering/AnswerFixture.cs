using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Answering;

/// <summary>Zone text → compiled zones → a real <see cref="Answerer"/>; queries are built and responses decoded
/// with the project's own DnsMessage codec, and RRs rendered as "owner ttl TYPE rdata" for comparison.</summary>
public sealed class AnswerFixture
{
    public const string ExampleZone = """
        $ORIGIN example.com.
        $TTL 3600
        @        IN SOA ns1 hostmaster 1 7200 3600 1209600 300
        @        NS    ns1
        @        NS    ns2.example.com.
        @        MX    10 mail
        @        MX    20 mail2.example.net.
        @        A     192.0.2.1
        @        TXT   "apex"
        ns1      A     192.0.2.53
        ns2      A     192.0.2.54
        ns2      AAAA  2001:db8::54
        mail     A     192.0.2.25
        www      A     192.0.2.80
        www      AAAA  2001:db8::80
        alias    CNAME www
        chain1   CNAME chain2
        chain2   CNAME www
        loop1    CNAME loop2
        loop2    CNAME loop1
        out      CNAME www.example.net.
        dangling CNAME nothere
        *.wild   A     192.0.2.99
        *.wild   MX    10 mail
        a.b.wild A     192.0.2.7
        *.wc     CNAME www
        sub      NS    ns.sub
        sub      NS    ns.other.net.
        sub      DS    12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
        ns.sub   A     192.0.2.100
        ns.sub   AAAA  2001:db8::100
        nods     NS    ns1.example.com.
        dn       DNAME example.org.
        indn     DNAME target.example.com.
        a.target A     192.0.2.33
        _sip._udp SRV  10 5 5060 sip
        sip      A     192.0.2.60
        big      TXT   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        big      TXT   "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
        big      TXT   "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
        big      TXT   "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
        big      TXT   "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
        big      TXT   "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        big      A     192.0.2.5
        tocut    CNAME host.sub.example.com.
        cw       CNAME foo.wild.example.com.
        mxc      MX    10 alias.example.com.
        mxc      MX    20 ns.sub.example.com.
        svc      SVCB  1 tgt alpn=h2
        svc2     SVCB  0 tgt
        tgt      A     192.0.2.70
        tgt      AAAA  2001:db8::70
        tgt      SVCB  1 . port=8443
        h        HTTPS 1 tgt alpn=h3
        hroot    HTTPS 1 . port=443
        hroot    A     192.0.2.71
        hout     HTTPS 0 cdn.example.net.
        self     SVCB  1 self port=53
        self     A     192.0.2.72
        naptra   NAPTR 100 10 "A" "x" "" tgt
        naptrs   NAPTR 100 10 "s" "SIP+D2U" "" _sip._udp
        naptru   NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:x@example.com!" .
        yx       DNAME aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.org.
        """;

    /// <summary>A second zone whose SOA TTL is below its MINIMUM: the negative TTL is the SOA TTL.</summary>
    public const string ShortSoaZone = """
        $ORIGIN short.test.
        @   60 IN SOA ns hostmaster 7 7200 3600 1209600 300
        @   60 NS ns
        ns  60 A 192.0.2.9
        """;

    public AnswerFixture(AnswerOptions? options = null, params string[] zoneTexts)
    {
        Table = new ZoneTable();
        foreach (var text in zoneTexts.Length == 0 ? [ExampleZone, ShortSoaZone] : zoneTexts)
            Table.Publish(CompiledZone.Compile(MasterFileReader.ReadText(text, null)));
        Answerer = new Answerer(Table, options ?? new AnswerOptions());
    }

    public ZoneTable Table { get; }
    public Answerer Answerer { get; }

    public static DnsName N(string name) => DnsName.Parse(name);

    public static byte[] Query(string name, RecordType type, ushort? edns = null, bool dnssecOk = false,
        bool rd = false, bool cd = false, ushort id = 0x1234)
    {
        var m = DnsMessage.CreateQuery(N(name), type, id, rd, edns, dnssecOk);
        m.CheckingDisabled = cd;
        return m.Encode();
    }

    /// <summary>Runs the answerer; null when it dropped the packet.</summary>
    public byte[]? Raw(byte[] query, Transport transport = Transport.Udp)
    {
        var buf = new byte[65535];
        int n = Answerer.Handle(query, buf, new QueryContext(transport));
        return n < 0 ? null : buf[..n];
    }

    public DnsMessage Ask(string name, RecordType type, ushort? edns = null, bool dnssecOk = false, bool rd = false,
        bool cd = false, Transport transport = Transport.Udp)
    {
        var raw = Raw(Query(name, type, edns, dnssecOk, rd, cd), transport) ?? throw new Xunit.Sdk.XunitException("dropped");
        return DnsMessage.Parse(raw);
    }

    public static string Show(DnsRecord r) => $"{r.Owner} {r.Ttl} {RecordTypes.ToText(r.Type)} {RData.Format(r.Type, r.RData)}";

    public static string[] Section(IEnumerable<DnsRecord> rrs) => rrs.Select(Show).Order(StringComparer.Ordinal).ToArray();
}
