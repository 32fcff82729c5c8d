using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Answering;

/// <summary>RFC 1034 §4.3.2 (+ RFC 2308, 4592, 6672, 8482) over the fixture zone, one case per rule; expected
/// sections were checked against knotd 3.2 serving the same data.</summary>
public sealed class AnswerAlgorithmTests
{
    private static readonly AnswerFixture Fixture = new();

    private const string Soa = "example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300";
    private static readonly string[] None = [];
    private static readonly string[] SubNs = ["sub.example.com. 3600 NS ns.other.net.", "sub.example.com. 3600 NS ns.sub.example.com."];
    private static readonly string[] SubGlue = ["ns.sub.example.com. 3600 A 192.0.2.100", "ns.sub.example.com. 3600 AAAA 2001:db8::100"];

    private static readonly string[] TgtAddresses = ["tgt.example.com. 3600 A 192.0.2.70", "tgt.example.com. 3600 AAAA 2001:db8::70"];
    private static readonly string[] TgtSvcb = [.. TgtAddresses, "tgt.example.com. 3600 SVCB 1 . port=8443"];

    private static readonly string Long60 = new string('b', 30) + "." + new string('b', 30);
    private static readonly string YxTarget = string.Join('.', Enumerable.Repeat(new string('a', 60), 3)) + ".example.org.";

    public sealed record Case(string Name, RecordType Type, Rcode Rcode, bool Aa, string[] Answer, string[] Authority, string[] Additional);

    public static readonly Dictionary<string, Case> Cases = new()
    {
        ["exact match"] = new("www.example.com.", RecordType.A, Rcode.NoError, true, ["www.example.com. 3600 A 192.0.2.80"], None, None),
        ["NODATA has the SOA with the negative TTL"] = new("www.example.com.", RecordType.TXT, Rcode.NoError, true, None, [Soa], None),
        ["NXDOMAIN has the SOA, TTL min(SOA TTL, MINIMUM)"] = new("nx.example.com.", RecordType.A, Rcode.NXDomain, true, None, [Soa], None),
        ["NXDOMAIN where the SOA TTL is below MINIMUM"] = new("nx.short.test.", RecordType.A, Rcode.NXDomain, true, None,
            ["short.test. 60 SOA ns.short.test. hostmaster.short.test. 7 7200 3600 1209600 300"], None),
        ["CNAME followed"] = new("alias.example.com.", RecordType.A, Rcode.NoError, true,
            ["alias.example.com. 3600 CNAME www.example.com.", "www.example.com. 3600 A 192.0.2.80"], None, None),
        ["CNAME asked for is not followed"] = new("alias.example.com.", RecordType.CNAME, Rcode.NoError, true,
            ["alias.example.com. 3600 CNAME www.example.com."], None, None),
        ["CNAME chain followed"] = new("chain1.example.com.", RecordType.AAAA, Rcode.NoError, true,
            ["chain1.example.com. 3600 CNAME chain2.example.com.", "chain2.example.com. 3600 CNAME www.example.com.", "www.example.com. 3600 AAAA 2001:db8::80"], None, None),
        ["CNAME loop stopped"] = new("loop1.example.com.", RecordType.A, Rcode.NoError, true,
            ["loop1.example.com. 3600 CNAME loop2.example.com.", "loop2.example.com. 3600 CNAME loop1.example.com."], None, None),
        ["CNAME out of zone ends the answer"] = new("out.example.com.", RecordType.A, Rcode.NoError, true,
            ["out.example.com. 3600 CNAME www.example.net."], None, None),
        ["CNAME to a missing in-zone name is NXDOMAIN (RFC 6604)"] = new("dangling.example.com.", RecordType.A, Rcode.NXDomain, true,
            ["dangling.example.com. 3600 CNAME nothere.example.com."], [Soa], None),
        ["DNAME synthesizes a CNAME out of zone"] = new("a.b.dn.example.com.", RecordType.A, Rcode.NoError, true,
            ["a.b.dn.example.com. 3600 CNAME a.b.example.org.", "dn.example.com. 3600 DNAME example.org."], None, None),
        ["DNAME into the zone is followed"] = new("a.indn.example.com.", RecordType.A, Rcode.NoError, true,
            ["a.indn.example.com. 3600 CNAME a.target.example.com.", "a.target.example.com. 3600 A 192.0.2.33", "indn.example.com. 3600 DNAME target.example.com."], None, None),
        ["DNAME asked at its owner"] = new("dn.example.com.", RecordType.DNAME, Rcode.NoError, true, ["dn.example.com. 3600 DNAME example.org."], None, None),
        ["wildcard answers with the query name as owner"] = new("x.wild.example.com.", RecordType.A, Rcode.NoError, true,
            ["x.wild.example.com. 3600 A 192.0.2.99"], None, None),
        ["wildcard covers deeper names"] = new("y.x.wild.example.com.", RecordType.A, Rcode.NoError, true,
            ["y.x.wild.example.com. 3600 A 192.0.2.99"], None, None),
        ["wildcard NODATA"] = new("x.wild.example.com.", RecordType.AAAA, Rcode.NoError, true, None, [Soa], None),
        ["wildcard MX gets additional addresses"] = new("x.wild.example.com.", RecordType.MX, Rcode.NoError, true,
            ["x.wild.example.com. 3600 MX 10 mail.example.com."], None, ["mail.example.com. 3600 A 192.0.2.25"]),
        ["wildcard CNAME"] = new("foo.wc.example.com.", RecordType.AAAA, Rcode.NoError, true,
            ["foo.wc.example.com. 3600 CNAME www.example.com.", "www.example.com. 3600 AAAA 2001:db8::80"], None, None),
        ["empty non-terminal blocks the wildcard"] = new("x.b.wild.example.com.", RecordType.A, Rcode.NXDomain, true, None, [Soa], None),
        ["empty non-terminal is NODATA"] = new("b.wild.example.com.", RecordType.A, Rcode.NoError, true, None, [Soa], None),
        ["referral below a cut, with glue"] = new("x.y.sub.example.com.", RecordType.A, Rcode.NoError, false, None, SubNs, SubGlue),
        ["referral at the cut"] = new("sub.example.com.", RecordType.A, Rcode.NoError, false, None, SubNs, SubGlue),
        ["NS at the cut is a referral"] = new("sub.example.com.", RecordType.NS, Rcode.NoError, false, None, SubNs, SubGlue),
        ["DS at the cut is answered by the parent"] = new("sub.example.com.", RecordType.DS, Rcode.NoError, true,
            ["sub.example.com. 3600 DS 12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"], None, None),
        ["missing DS at the cut is an authoritative NODATA"] = new("nods.example.com.", RecordType.DS, Rcode.NoError, true, None, [Soa], None),
        ["DS below the cut is a referral"] = new("x.sub.example.com.", RecordType.DS, Rcode.NoError, false, None, SubNs, SubGlue),
        ["MX targets' addresses in additional"] = new("example.com.", RecordType.MX, Rcode.NoError, true,
            ["example.com. 3600 MX 10 mail.example.com.", "example.com. 3600 MX 20 mail2.example.net."], None, ["mail.example.com. 3600 A 192.0.2.25"]),
        ["NS targets' addresses in additional"] = new("example.com.", RecordType.NS, Rcode.NoError, true,
            ["example.com. 3600 NS ns1.example.com.", "example.com. 3600 NS ns2.example.com."], None,
            ["ns1.example.com. 3600 A 192.0.2.53", "ns2.example.com. 3600 A 192.0.2.54", "ns2.example.com. 3600 AAAA 2001:db8::54"]),
        ["SRV target's address in additional"] = new("_sip._udp.example.com.", RecordType.SRV, Rcode.NoError, true,
            ["_sip._udp.example.com. 3600 SRV 10 5 5060 sip.example.com."], None, ["sip.example.com. 3600 A 192.0.2.60"]),
        ["ANY gives one RRset, the lowest type (RFC 8482, as knotd)"] = new("example.com.", RecordType.ANY, Rcode.NoError, true,
            ["example.com. 3600 A 192.0.2.1"], None, None),
        ["ANY at a CNAME gives the CNAME"] = new("alias.example.com.", RecordType.ANY, Rcode.NoError, true,
            ["alias.example.com. 3600 CNAME www.example.com."], None, None),
        ["ANY at an empty non-terminal is NODATA"] = new("b.wild.example.com.", RecordType.ANY, Rcode.NoError, true, None, [Soa], None),
        ["DS at the apex is NODATA from the child"] = new("example.com.", RecordType.DS, Rcode.NoError, true, None, [Soa], None),
        ["CNAME into a delegation ends in a referral, AA kept for the CNAME (as knotd)"] = new("tocut.example.com.", RecordType.A, Rcode.NoError, true,
            ["tocut.example.com. 3600 CNAME host.sub.example.com."], SubNs, SubGlue),
        ["CNAME to a wildcard-covered name"] = new("cw.example.com.", RecordType.A, Rcode.NoError, true,
            ["cw.example.com. 3600 CNAME foo.wild.example.com.", "foo.wild.example.com. 3600 A 192.0.2.99"], None, None),
        ["additional only for targets with addresses, glue included (as knotd)"] = new("mxc.example.com.", RecordType.MX, Rcode.NoError, true,
            ["mxc.example.com. 3600 MX 10 alias.example.com.", "mxc.example.com. 3600 MX 20 ns.sub.example.com."], None, SubGlue),
        ["DNAME whose synthesized name is too long is YXDOMAIN"] = new(Long60 + ".yx.example.com.", RecordType.A, (Rcode)6, true,
            ["yx.example.com. 3600 DNAME " + YxTarget], None, None),
        // RFC 9460 §4.1: the TargetName's A, AAAA and SVCB/HTTPS RRset, in AliasMode and ServiceMode (as knotd 3.2)
        ["SVCB target's addresses and SVCB in additional"] = new("svc.example.com.", RecordType.SVCB, Rcode.NoError, true,
            ["svc.example.com. 3600 SVCB 1 tgt.example.com. alpn=\"h2\""], None, TgtSvcb),
        ["SVCB AliasMode target's addresses and SVCB in additional"] = new("svc2.example.com.", RecordType.SVCB, Rcode.NoError, true,
            ["svc2.example.com. 3600 SVCB 0 tgt.example.com."], None, TgtSvcb),
        ["HTTPS target's addresses, no HTTPS there"] = new("h.example.com.", RecordType.HTTPS, Rcode.NoError, true,
            ["h.example.com. 3600 HTTPS 1 tgt.example.com. alpn=\"h3\""], None, TgtAddresses),
        ["HTTPS with target . adds nothing (as knotd)"] = new("hroot.example.com.", RecordType.HTTPS, Rcode.NoError, true,
            ["hroot.example.com. 3600 HTTPS 1 . port=443"], None, None),
        ["HTTPS with an out-of-zone target adds nothing"] = new("hout.example.com.", RecordType.HTTPS, Rcode.NoError, true,
            ["hout.example.com. 3600 HTTPS 0 cdn.example.net."], None, None),
        ["SVCB naming its own owner adds the addresses, not the answer again"] = new("self.example.com.", RecordType.SVCB, Rcode.NoError, true,
            ["self.example.com. 3600 SVCB 1 self.example.com. port=53"], None, ["self.example.com. 3600 A 192.0.2.72"]),
        // RFC 3403 §4.1, as PowerDNS (knotd adds nothing): flag A → addresses, flag S → SRV and its targets' addresses
        ["NAPTR flag A adds the replacement's addresses"] = new("naptra.example.com.", RecordType.NAPTR, Rcode.NoError, true,
            ["naptra.example.com. 3600 NAPTR 100 10 \"A\" \"x\" \"\" tgt.example.com."], None, TgtAddresses),
        ["NAPTR flag S adds the SRV and its target's addresses"] = new("naptrs.example.com.", RecordType.NAPTR, Rcode.NoError, true,
            ["naptrs.example.com. 3600 NAPTR 100 10 \"s\" \"SIP+D2U\" \"\" _sip._udp.example.com."], None,
            ["_sip._udp.example.com. 3600 SRV 10 5 5060 sip.example.com.", "sip.example.com. 3600 A 192.0.2.60"]),
        ["NAPTR flag U adds nothing"] = new("naptru.example.com.", RecordType.NAPTR, Rcode.NoError, true,
            ["naptru.example.com. 3600 NAPTR 100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:x@example.com!\" ."], None, None),
        ["unknown type is NODATA"] = new("www.example.com.", (RecordType)65280, Rcode.NoError, true, None, [Soa], None),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Answers_like_an_authoritative_server(string caseName)
    {
        var c = Cases[caseName];
        foreach (var transport in new[] { Transport.Udp, Transport.Tcp })
        {
            var m = Fixture.Ask(c.Name, c.Type, edns: 1232, transport: transport);
            Assert.True(m.IsResponse);
            Assert.Equal(c.Rcode, m.Rcode);
            Assert.Equal(c.Aa, m.AuthoritativeAnswer);
            Assert.False(m.Truncated);
            Assert.False(m.RecursionAvailable);
            Assert.Equal(c.Answer.Order(StringComparer.Ordinal), AnswerFixture.Section(m.Answers));
            Assert.Equal(c.Authority.Order(StringComparer.Ordinal), AnswerFixture.Section(m.Authority));
            Assert.Equal(c.Additional.Order(StringComparer.Ordinal), AnswerFixture.Section(m.Additional));
        }
    }
}
