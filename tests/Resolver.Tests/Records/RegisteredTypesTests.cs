using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Records;

/// <summary>Record types and SvcParamKeys registered at IANA up to 2026 parse, print and round-trip; the ones without
/// a presentation format of their own round-trip in RFC 3597's generic form under their mnemonic.</summary>
public sealed class RegisteredTypesTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static RecordType T(string type) => RecordTypes.TryParse(type, out var t) ? t : throw new ArgumentException(type);

    // type, presentation text in, expected wire (hex), expected presentation out
    public static TheoryData<string, string, string, string> Fixtures => new()
    {
        // RFC 9859 §2 (DSYNC), scheme 1 shown as its mnemonic as in the RFC's examples
        { "DSYNC", "CDS NOTIFY 5359 cds-scanner.example.net.", "003B" + "01" + "14EF" + "0B6364732D7363616E6E6572076578616D706C65036E657400",
            "CDS NOTIFY 5359 cds-scanner.example.net." },
        { "DSYNC", "CSYNC 1 5360 scanner", "003E" + "01" + "14F0" + "077363616E6E6572076578616D706C6503636F6D00", "CSYNC NOTIFY 5360 scanner.example.com." },
        { "DSYNC", "ANY 2 53 .", "00FF" + "02" + "0035" + "00", "ANY 2 53 ." },
        // RFC 9606 §3 (RESINFO): TXT's format
        { "RESINFO", "qnamemin exterr=15,16,17", "08716E616D656D696E" + "0F6578746572723D31352C31362C3137", "\"qnamemin\" \"exterr=15,16,17\"" },
        // WALLET (262), AVC (258), NINFO (56): TXT's format in their IANA templates
        { "WALLET", "\"BTC\" \"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\"", "03425443" + "2A62633171617230737272723778666B7679356C3634336C79646E77397265353967747A7A7766356D6471",
            "\"BTC\" \"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\"" },
        { "AVC", "\"app-name:WebEx\"", "0E6170702D6E616D653A5765624578", "\"app-name:WebEx\"" },
        { "NINFO", "\"ok\"", "026F6B", "\"ok\"" },
        // RFC 6742 §2 (ILNP); the hex groups are written as knotd 3.2 writes them
        { "NID", "10 0014:4fff:ff20:ee64", "000A00144FFFFF20EE64", "10 0014:4FFF:FF20:EE64" },
        { "L64", "10 2001:DB8:1140:1000", "000A20010DB811401000", "10 2001:0DB8:1140:1000" },
        { "L32", "10 10.1.2.0", "000A0A010200", "10 10.1.2.0" },
        { "LP", "10 l64-subnet1.example.com.", "000A" + "0B6C36342D7375626E657431076578616D706C6503636F6D00", "10 l64-subnet1.example.com." },
        // RFC 1183 §3.3, RFC 2535 (KEY, SIG), TA and DLV as DS
        { "RT", "10 relay", "000A" + "0572656C6179076578616D706C6503636F6D00", "10 relay.example.com." },
        { "KEY", "256 3 8 AwEAAQ==", "0100030803010001", "256 3 8 AwEAAQ==" },
        { "SIG", "A 8 2 300 20261201000000 20261101000000 1 example.com. AAEC",
            "0001" + "08" + "02" + "0000012C" + "6B0E0E00" + "6AE68100" + "0001" + "076578616D706C6503636F6D00" + "000102",
            "A 8 2 300 20261201000000 20261101000000 1 example.com. AAEC" },
        { "TA", "12345 13 2 ABCD", "30390D02ABCD", "12345 13 2 ABCD" },
        { "DLV", "12345 13 2 ABCD", "30390D02ABCD", "12345 13 2 ABCD" },
        // registered types without a presentation format here: RFC 3597's generic form under the mnemonic
        { "CLA", "\\# 3 ABCDEF", "ABCDEF", "\\# 3 ABCDEF" },
        { "IPN", "\\# 8 0000000000000001", "0000000000000001", "\\# 8 0000000000000001" },
        { "HHIT", "\\# 2 0102", "0102", "\\# 2 0102" },
        { "BRID", "\\# 2 0102", "0102", "\\# 2 0102" },
        { "AMTRELAY", "\\# 2 0A00", "0A00", "\\# 2 0A00" },
        { "DOA", "\\# 1 00", "00", "\\# 1 00" },
        { "NSAP-PTR", "\\# 1 00", "00", "\\# 1 00" },
        // SvcParamKeys 7-11 (dohpath RFC 9461, ohttp RFC 9540, tls-supported-groups, docpath RFC 9953, pvd)
        { "SVCB", "1 dns.example.com. alpn=h2 dohpath=/dns-query{?dns}",
            "0001" + "03646E73076578616D706C6503636F6D00" + "0001000302" + "6832" + "00070010" + "2F646E732D71756572797B3F646E737D",
            "1 dns.example.com. alpn=\"h2\" dohpath=\"/dns-query{?dns}\"" },
        { "HTTPS", "1 . alpn=h3 ohttp", "0001" + "00" + "0001000302" + "6833" + "00080000", "1 . alpn=\"h3\" ohttp" },
        { "HTTPS", "1 . tls-supported-groups=4588,29", "0001" + "00" + "00090004" + "11EC001D", "1 . tls-supported-groups=4588,29" },
        { "SVCB", "1 . alpn=coap docpath=dns,query", "0001" + "00" + "000100050463" + "6F6170" + "000A000A" + "03646E73" + "057175657279",
            "1 . alpn=\"coap\" docpath=\"dns,query\"" },
        { "SVCB", "1 . docpath", "0001" + "00" + "000A0000", "1 . docpath" },
        { "SVCB", "1 . pvd", "0001" + "00" + "000B0000", "1 . pvd" },
        { "SVCB", "1 . key12=\"\\003dot\\080\"", "0001" + "00" + "000C0005" + "03646F7450", "1 . key12=\"\\003dotP\"" },
        // what knotd 3.2 (no names for keys 7 and up) writes reads back to the same octets
        { "SVCB", "1 . key8 key9=\"\\017\\236\\000\\029\"", "0001" + "00" + "00080000" + "00090004" + "11EC001D", "1 . ohttp tls-supported-groups=4588,29" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parses_prints_and_round_trips(string type, string text, string wireHex, string formatted)
    {
        var rr = T(type);
        Assert.Equal(type, RecordTypes.ToText(rr));
        var wire = RData.Parse(rr, text, Origin);
        Assert.Equal(wireHex, Convert.ToHexString(wire));
        Assert.True(RData.IsValid(rr, wire, out var error), error);
        var shown = RData.Format(rr, wire);
        Assert.Equal(formatted, shown);
        Assert.Equal(wireHex, Convert.ToHexString(RData.Parse(rr, shown, Origin)));
        // RFC 3597's generic form of the same octets reads to the same octets too
        Assert.Equal(wireHex, Convert.ToHexString(RData.Parse(rr, RData.FormatGeneric(wire), Origin)));
    }

    [Theory]
    [InlineData(66, "DSYNC")]
    [InlineData(67, "HHIT")]
    [InlineData(68, "BRID")]
    [InlineData(128, "NXNAME")]
    [InlineData(258, "AVC")]
    [InlineData(259, "DOA")]
    [InlineData(260, "AMTRELAY")]
    [InlineData(261, "RESINFO")]
    [InlineData(262, "WALLET")]
    [InlineData(263, "CLA")]
    [InlineData(264, "IPN")]
    [InlineData(23, "NSAP-PTR")]
    [InlineData(32768, "TA")]
    [InlineData(32769, "DLV")]
    [InlineData(104, "NID")]
    [InlineData(21, "RT")]
    public void Mnemonics_follow_the_iana_registry(int value, string mnemonic)
    {
        Assert.Equal(mnemonic, RecordTypes.ToText((RecordType)value));
        Assert.True(RecordTypes.TryParse(mnemonic.ToLowerInvariant(), out var parsed));
        Assert.Equal(value, (int)parsed);
    }

    [Fact]
    public void Nxname_is_a_meta_type_and_no_zone_data()
        => Assert.True(RecordTypes.IsMetaOrQuestionOnly(RecordType.NXNAME)); // RFC 9824 §3

    [Theory]
    [InlineData("HTTPS", "1 . ohttp=1", "ohttp takes no value")]
    [InlineData("HTTPS", "1 . pvd=x", "pvd takes no value")]
    [InlineData("HTTPS", "1 . tls-supported-groups", "tls-supported-groups needs a value")]
    [InlineData("HTTPS", "1 . tls-supported-groups=29,29", "tls-supported-groups lists 29 twice")]
    [InlineData("HTTPS", "1 . tls-supported-groups=x25519", "tls-supported-groups 'x25519' is not a number")]
    [InlineData("SVCB", "1 . docpath=a,,b", "docpath segments must be 1-255 octets")]
    [InlineData("NID", "10 0014:4fff:ff20", "NID node ID '0014:4fff:ff20' is not four groups")]
    [InlineData("L64", "10 2001:db8:1:10000", "is not four groups")]
    [InlineData("DSYNC", "CDS SCANNER 0 x.", "DSYNC scheme 'SCANNER' is not a number 0-255")]
    public void Bad_text_is_refused(string type, string text, string expected)
    {
        var e = Assert.Throws<RDataFormatException>(() => RData.Parse(T(type), text, Origin));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Malformed_values_of_the_new_keys_are_invalid_on_the_wire()
    {
        Assert.False(RData.IsValid(RecordType.SVCB, Convert.FromHexString("0001" + "00" + "00080001" + "00"), out _));   // ohttp with a value
        Assert.False(RData.IsValid(RecordType.SVCB, Convert.FromHexString("0001" + "00" + "00090003" + "001D00"), out _)); // odd group list
        Assert.False(RData.IsValid(RecordType.SVCB, Convert.FromHexString("0001" + "00" + "000A0002" + "0500"), out _));   // segment past the end
        Assert.Equal("\\# 8 0001000008000100", RData.Format(RecordType.SVCB, Convert.FromHexString("0001" + "00" + "00080001" + "00")));
    }

    [Fact]
    public void Names_in_types_after_rfc_4034_keep_their_case_in_canonical_form()
    {
        var dsync = RData.Parse(RecordType.DSYNC, "CDS NOTIFY 53 Scanner.Example.", Origin);
        Assert.Equal(dsync, RData.ToCanonical(RecordType.DSYNC, dsync));
        var rt = RData.Parse(RecordType.RT, "10 Relay.Example.", Origin);
        Assert.NotEqual(rt, RData.ToCanonical(RecordType.RT, rt)); // RT is on RFC 4034 §6.2's list
    }
}
