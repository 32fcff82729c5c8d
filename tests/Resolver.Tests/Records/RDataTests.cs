using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Records;

public sealed class RDataTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static RecordType T(string type) => RecordTypes.TryParse(type, out var t) ? t : throw new ArgumentException(type);

    // type, presentation text in, expected wire (hex), expected canonical presentation out
    public static TheoryData<string, string, string, string> Fixtures => new()
    {
        { "A", "192.0.2.1", "C0000201", "192.0.2.1" },
        { "AAAA", "2001:db8::1", "20010DB8000000000000000000000001", "2001:db8::1" },
        { "AAAA", "::ffff:192.0.2.1", "00000000000000000000FFFFC0000201", "::ffff:192.0.2.1" },
        { "NS", "ns1", "036E7331076578616D706C6503636F6D00", "ns1.example.com." },
        { "NS", "ns1.example.net.", "036E7331076578616D706C65036E657400", "ns1.example.net." },
        { "CNAME", "@", "076578616D706C6503636F6D00", "example.com." },
        { "PTR", "Host.Example.COM.", "04486F7374074578616D706C6503434F4D00", "Host.Example.COM." },
        { "DNAME", "example.net.", "076578616D706C65036E657400", "example.net." },
        { "MX", "10 mail", "000A046D61696C076578616D706C6503636F6D00", "10 mail.example.com." },
        { "SOA", "ns1 hostmaster ( 2024010101 1h 15m 1w 300 )",
            "036E7331076578616D706C6503636F6D000A686F73746D6173746572076578616D706C6503636F6D00" + "78A3F175" + "00000E10" + "00000384" + "00093A80" + "0000012C",
            "ns1.example.com. hostmaster.example.com. 2024010101 3600 900 604800 300" },
        { "TXT", "\"hello world\"", "0B68656C6C6F20776F726C64", "\"hello world\"" },
        { "TXT", "a \"b c\" \"\"", "0161036220 63 00".Replace(" ", ""), "\"a\" \"b c\" \"\"" },
        { "TXT", "\"q\\\"uote\\\\ \\011\\255\"", "0A7122756F74655C200BFF", "\"q\\\"uote\\\\ \\011\\255\"" },
        { "SPF", "\"v=spf1 -all\"", "0B763D73706631202D616C6C", "\"v=spf1 -all\"" },
        { "HINFO", "\"INTEL-386\" UNIX", "09494E54454C2D33383604554E4958", "\"INTEL-386\" \"UNIX\"" },
        { "SRV", "0 5 5060 sip", "0000000513C4037369700765" + "78616D706C6503636F6D00", "0 5 5060 sip.example.com." },
        { "CAA", "0 issue \"letsencrypt.org\"", "00056973737565" + "6C657473656E63727970742E6F7267", "0 issue \"letsencrypt.org\"" },
        { "SSHFP", "1 1 12345678 9ABCDEF0", "0101123456789ABCDEF0", "1 1 123456789ABCDEF0" },
        { "TLSA", "3 1 1 ABCDEF", "030101ABCDEF", "3 1 1 ABCDEF" },
        { "DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118", "EC4505012BB183AF5F22588179A53B0A98631FAD1A292118", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118" },
        { "DNSKEY", "256 3 8 AwEAAa bc", "01000308" + "03010001A6DC", "256 3 8 AwEAAabc" },
        { "NAPTR", "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .",
            "0064000A0175074532552B736970" + "1B215E2E2A24217369703A696E666F406578616D706C652E636F6D21" + "00",
            "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" ." },
        { "URI", "10 1 \"ftp://ftp1.example.com/public\"", "000A0001" + "6674703A2F2F667470312E6578616D706C652E636F6D2F7075626C6963", "10 1 \"ftp://ftp1.example.com/public\"" },
        { "MINFO", "admin errors", "0561646D696E076578616D706C6503636F6D00066572726F7273076578616D706C6503636F6D00", "admin.example.com. errors.example.com." },
        { "RP", "admin.example.com. .", "0561646D696E076578616D706C6503636F6D0000", "admin.example.com. ." },
        { "AFSDB", "1 afs", "000103616673076578616D706C6503636F6D00", "1 afs.example.com." },
        { "MB", "m", "016D076578616D706C6503636F6D00", "m.example.com." },
        { "NSEC3PARAM", "1 0 10 -", "0100000A00", "1 0 10 -" },
        { "NSEC3PARAM", "1 0 10 AABB", "0100000A02AABB", "1 0 10 AABB" },
        // RFC 4034 §4.3 example: windows 0 and 4
        { "NSEC", "host.example.com. A MX RRSIG NSEC TYPE1234",
            "04686F7374076578616D706C6503636F6D00" + "0006400100000003" + "041B" + new string('0', 52) + "20",
            "host.example.com. A MX RRSIG NSEC TYPE1234" },
        { "NSEC3", "1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR", "01010000" + "00" + "14" + "174EB2409FE28BCB4887A1836F957F0A8425E27B", "1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR" },
        { "RRSIG", "A 13 3 300 20261201000000 19700101000010 1 example.com. AAEC",
            "0001" + "0D" + "03" + "0000012C" + "6B0E0E00" + "0000000A" + "0001" + "076578616D706C6503636F6D00" + "000102",
            "A 13 3 300 20261201000000 19700101000010 1 example.com. AAEC" },
        { "EUI48", "00-00-5e-00-53-2a", "00005E00532A", "00-00-5e-00-53-2a" },
        { "EUI64", "00-00-5E-EF-10-00-00-2A", "00005EEF1000002A", "00-00-5e-ef-10-00-00-2a" },
        { "CERT", "PKIX 1 8 AAEC", "0001000108" + "000102", "1 1 8 AAEC" },
        // RFC 9460 Appendix D test vectors (D.1 AliasMode, D.2 ServiceMode with port, with a key667 and with ipv6hint)
        { "SVCB", "0 foo.example.com.", "0000" + "03666F6F076578616D706C6503636F6D00", "0 foo.example.com." },
        { "SVCB", "16 foo.example.com. port=53", "0010" + "03666F6F076578616D706C6503636F6D00" + "000300020035", "16 foo.example.com. port=53" },
        { "SVCB", "1 foo.example.com. key667=hello", "0001" + "03666F6F076578616D706C6503636F6D00" + "029B000568656C6C6F", "1 foo.example.com. key667=\"hello\"" },
        { "SVCB", "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1",
            "0001" + "03666F6F076578616D706C6503636F6D00" + "0006" + "0020" + "20010DB8000000000000000000000001" + "20010DB8000000000000000000530001",
            "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1" },
        { "HTTPS", "1 . alpn=\"f\\\\\\\\oo\\\\,bar,h2\"", "0001" + "00" + "0001" + "000C" + "08" + "665C6F6F2C626172" + "02" + "6832",
            "1 . alpn=\"f\\\\\\\\oo\\\\,bar,h2\"" },
        { "TYPE65280", "\\# 3 ABCDEF", "ABCDEF", "\\# 3 ABCDEF" },
        { "TYPE65280", "\\# 0", "", "\\# 0" },
        // LOC wire from NSD (nsd-checkzone -p prints LOC as \#), defaults and hemispheres included
        { "LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m", "000016138B3CF018810CBCE0009895B8", "52 22 23.000 N 4 53 32.000 E -2.00m 0m 10000m 10m" },
        { "LOC", "42 21 54 N 71 06 18 W -24m 30m", "0033161389172DD070BE15F000988D20", "42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m" },
        { "LOC", "33 S 151 E 0", "0012161378EB4180A066AD8000989680", "33 0 0.000 S 151 0 0.000 E 0.00m 1m 10000m 10m" },
        { "LOC", "0 0 0.001 S 179 59 59.999 W 42849672.95m 90000000m 0.01m 5m", "009910527FFFFFFF59604E01FFFFFFFF", "0 0 0.001 S 179 59 59.999 W 42849672.95m 90000000m 0.01m 5m" },
        { "A", "\\# 4 C0000201", "C0000201", "192.0.2.1" },
        { "LOC", "\\# 16 0011161600000000000000000000000F", "0011161600000000000000000000000F", "\\# 16 0011161600000000000000000000000F" }, // latitude out of range: kept, shown as \#
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parses_to_the_wire_fixture_and_formats_back(string type, string text, string wireHex, string formatted)
    {
        var rr = T(type);
        var wire = RData.Parse(rr, text, Origin);
        Assert.Equal(wireHex, Convert.ToHexString(wire));
        Assert.True(RData.IsValid(rr, wire, out var error), error);
        var shown = RData.Format(rr, wire);
        Assert.Equal(formatted, shown);
        // the formatted text parses back to the same bytes
        Assert.Equal(wireHex, Convert.ToHexString(RData.Parse(rr, shown, Origin)));
    }

    [Fact]
    public void Names_keep_their_case()
    {
        var wire = RData.Parse(RecordType.CNAME, "WwW.ExAmple.", Origin);
        Assert.Equal("WwW.ExAmple.", RData.Format(RecordType.CNAME, wire));
    }

    [Theory]
    [InlineData("MX", "ten mail", "MX preference 'ten' is not a number 0-65535")]
    [InlineData("MX", "10", "MX exchange is missing")]
    [InlineData("MX", "10 mail extra", "MX has unexpected 'extra' after exchange")]
    [InlineData("A", "192.0.2", "A address '192.0.2' is not an IPv4 address")]
    [InlineData("A", "192.0.2.256", "A address '192.0.2.256' is not an IPv4 address")]
    [InlineData("AAAA", "192.0.2.1", "AAAA address '192.0.2.1' is not an IPv6 address")]
    [InlineData("AAAA", "[::1]", "AAAA address '[::1]' is not an IPv6 address")]
    [InlineData("AAAA", "fe80::1%eth0", "AAAA address 'fe80::1%eth0' is not an IPv6 address")]
    [InlineData("NS", "a..b", "NS name server 'a..b' is not a valid domain name")]
    [InlineData("SOA", "ns hm 1 2 3 4 5x", "SOA minimum '5x' is not a time value")]
    [InlineData("SRV", "0 0 70000 x.", "SRV port '70000' is not a number 0-65535")]
    [InlineData("SSHFP", "1 1 ABC", "SSHFP fingerprint 'ABC' has an odd number of hex digits")]
    [InlineData("SSHFP", "1 1 XY", "SSHFP fingerprint 'XY' is not hex")]
    [InlineData("DNSKEY", "256 3 8 !!!!", "DNSKEY public key '!!!!' is not base64")]
    [InlineData("CAA", "0 is-sue \"x\"", "CAA tag 'is-sue' must be 1-255 ASCII letters and digits")]
    [InlineData("TXT", "\"a\\300\"", "escape \\300 above 255")]
    [InlineData("TYPE65280", "1 2 3", "TYPE65280 has no presentation format here")]
    [InlineData("LOC", "52 22 23.000 X 4 53 32.000 E -2.00m", "LOC location latitude hemisphere 'X' is not N or S")]
    [InlineData("LOC", "91 N 4 E 0", "LOC location latitude degrees '91' are not 0-90")]
    [InlineData("LOC", "90 0 0.001 N 4 E 0", "LOC location latitude is beyond 90 degrees")]
    [InlineData("LOC", "52 N 4 E", "LOC location altitude is missing")]
    [InlineData("LOC", "52 N 4 E 1.234m", "LOC location altitude '1.234m' is not metres with at most two decimals")]
    [InlineData("NULL", "x", "type NULL has no presentation format here")]
    [InlineData("TYPE65280", "\\# 2 ABCDEF", "TYPE65280 \\# says 2 octets but the hex holds 3")]
    [InlineData("A", "\\# 3 C00002", "A \\# RDATA is not valid for the type")]
    [InlineData("TXT", "\"unterminated", "unterminated quoted string")]
    [InlineData("NSEC", "next. A BOGUS", "NSEC type bit maps 'BOGUS' is not a record type")]
    [InlineData("RRSIG", "A 13 3 300 20261301000000 20261101000000 1 example.com. AAEC", "RRSIG signature expiration '20261301000000' is not a time")]
    [InlineData("RRSIG", "BOGUS 13 3 300 1 2 1 example.com. AAEC", "RRSIG type covered 'BOGUS' is not a record type")]
    [InlineData("NSEC3", "1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJW", "NSEC3 next hashed owner name '2T7B4G4VSA5SMI47K61MV5BV1A22BOJW' is not base32hex")]
    [InlineData("EUI48", "00-00-5e-00-53", "EUI48 address '00-00-5e-00-53' is not 6 hex pairs")]
    [InlineData("HTTPS", "1 . port=443 port=8443", "SvcParam port appears twice")]
    [InlineData("HTTPS", "1 . bogus=1", "unknown SvcParam key 'bogus'")]
    [InlineData("HTTPS", "1 . no-default-alpn=1", "no-default-alpn takes no value")]
    [InlineData("HTTPS", "1 . ipv4hint=192.0.2", "ipv4hint '192.0.2' is not an IPv4 address")]
    public void Bad_text_is_refused_with_a_message_naming_the_field(string type, string text, string expected)
    {
        var e = Assert.Throws<RDataFormatException>(() => RData.Parse(T(type), text, Origin));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_single_character_string_longer_than_255_octets_is_refused()
    {
        // HINFO and NAPTR hold exactly one string per field: there is nothing to split it into
        var e = Assert.Throws<RDataFormatException>(() => RData.Parse(RecordType.HINFO, "\"" + new string('x', 256) + "\" os", Origin));
        Assert.Contains("is 256 octets; a character-string holds at most 255", e.Message);
    }

    [Fact]
    public void Malformed_wire_of_a_known_type_is_formatted_generically_and_is_invalid()
    {
        byte[] bad = [0x00, 0x0A, 0x04, 0x6D]; // MX whose exchange ends early
        Assert.False(RData.IsValid(RecordType.MX, bad, out var error));
        Assert.Contains("MX exchange", error);
        Assert.Equal("\\# 4 000A046D", RData.Format(RecordType.MX, bad));
        Assert.False(RData.IsValid(RecordType.A, new byte[5], out error));
        Assert.Contains("A has 1 octets left after address", error);
        Assert.False(RData.IsValid(RecordType.TXT, [5, 1], out _));
        Assert.True(RData.IsValid((RecordType)65280, [1, 2, 3], out _));
        // NSEC bit maps: windows out of order, and a trailing zero octet
        byte[] next = [0];
        Assert.False(RData.IsValid(RecordType.NSEC, [.. next, 4, 1, 0x80, 0, 1, 0x40], out error));
        Assert.Contains("not in increasing order", error);
        Assert.False(RData.IsValid(RecordType.NSEC, [.. next, 0, 2, 0x40, 0], out error));
        Assert.Contains("ends in a zero octet", error);
        Assert.True(RData.IsValid(RecordType.NSEC, next, out _)); // an empty bit map is allowed
        Assert.Equal(".", RData.Format(RecordType.NSEC, next));
    }

    [Fact]
    public void Compressible_names_follow_RFC_3597_section_4()
    {
        var soa = RData.Parse(RecordType.SOA, "ns1 hostmaster 1 2 3 4 5", Origin);
        Assert.Equal([(0, 17), (17, 24)], RData.CompressibleNames(RecordType.SOA, soa));
        var mx = RData.Parse(RecordType.MX, "10 mail", Origin);
        Assert.Equal([(2, 18)], RData.CompressibleNames(RecordType.MX, mx));
        var ns = RData.Parse(RecordType.NS, "ns1", Origin);
        Assert.Equal([(0, 17)], RData.CompressibleNames(RecordType.NS, ns));
        // SRV, DNAME, NAPTR, RP, AFSDB: names present but never compressed
        Assert.Empty(RData.CompressibleNames(RecordType.SRV, RData.Parse(RecordType.SRV, "0 0 1 sip", Origin)));
        Assert.Empty(RData.CompressibleNames(RecordType.DNAME, RData.Parse(RecordType.DNAME, "x", Origin)));
        Assert.Empty(RData.CompressibleNames(RecordType.RP, RData.Parse(RecordType.RP, "a b", Origin)));
        Assert.Empty(RData.CompressibleNames(RecordType.A, RData.Parse(RecordType.A, "192.0.2.1", Origin)));
    }

    [Fact]
    public void Target_names_for_chasing_and_additional_processing()
    {
        Assert.Equal(DnsName.Parse("ns1.example.com."), RData.TargetName(RecordType.NS, RData.Parse(RecordType.NS, "ns1", Origin)));
        Assert.Equal(DnsName.Parse("t.example.net."), RData.TargetName(RecordType.CNAME, RData.Parse(RecordType.CNAME, "t.example.net.", Origin)));
        Assert.Equal(DnsName.Parse("example.net."), RData.TargetName(RecordType.DNAME, RData.Parse(RecordType.DNAME, "example.net.", Origin)));
        Assert.Equal(DnsName.Parse("p.example.com."), RData.TargetName(RecordType.PTR, RData.Parse(RecordType.PTR, "p", Origin)));
        Assert.Equal(DnsName.Parse("mail.example.com."), RData.TargetName(RecordType.MX, RData.Parse(RecordType.MX, "10 mail", Origin)));
        Assert.Equal(DnsName.Parse("sip.example.com."), RData.TargetName(RecordType.SRV, RData.Parse(RecordType.SRV, "0 5 5060 sip", Origin)));
        Assert.Null(RData.TargetName(RecordType.A, RData.Parse(RecordType.A, "192.0.2.1", Origin)));
        Assert.Null(RData.TargetName(RecordType.TXT, RData.Parse(RecordType.TXT, "x", Origin)));
        Assert.Null(RData.TargetName(RecordType.MX, [0, 1, 3]));
    }

    [Fact]
    public void Ttl_units_are_case_insensitive_and_additive()
    {
        Assert.True(PresentationText.TryParseTtl("1h30m", uint.MaxValue, out var v, out _)); Assert.Equal(5400u, v);
        Assert.True(PresentationText.TryParseTtl("1W2D", uint.MaxValue, out v, out _)); Assert.Equal(9u * 86400, v);
        Assert.True(PresentationText.TryParseTtl("1h30", uint.MaxValue, out v, out _)); Assert.Equal(3630u, v);
        Assert.True(PresentationText.TryParseTtl("0", uint.MaxValue, out v, out _)); Assert.Equal(0u, v);
        Assert.False(PresentationText.TryParseTtl("1x", uint.MaxValue, out _, out var err)); Assert.Contains("unknown unit 'x'", err);
        Assert.False(PresentationText.TryParseTtl("h", uint.MaxValue, out _, out _));
        Assert.False(PresentationText.TryParseTtl("2147483648", PresentationText.MaxRecordTtl, out _, out err)); Assert.Contains("larger than", err);
    }
}
