using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

public sealed class MasterFileReaderTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static DnsName N(string s) => DnsName.Parse(s);

    private static MasterFileException Bad(string text, DnsName? origin = null)
        => Assert.Throws<MasterFileException>(() => MasterFileReader.ReadText(text, origin ?? Origin, "bad.zone"));

    [Fact]
    public void Reads_origin_ttl_at_sign_relative_and_absolute_names()
    {
        var zone = MasterFileReader.ReadText("""
            $ORIGIN example.com.
            $TTL 1h
            @       IN SOA ns1 hostmaster 1 7200 900 1209600 300
                    IN NS  ns1
            ns1     A      192.0.2.1
            www.example.com. 300 A 192.0.2.2
            $ORIGIN sub.example.com.
            host    A      192.0.2.3
            """, null);
        Assert.Equal(Origin, zone.Origin);
        Assert.Equal(5, zone.Records.Count);
        Assert.Equal(Origin, zone.Records[0].Owner);
        Assert.Equal(RecordType.SOA, zone.Records[0].Type);
        Assert.Equal(3600u, zone.Records[0].Ttl);
        Assert.Equal(Origin, zone.Records[1].Owner); // blank owner = previous owner
        Assert.Equal(N("ns1.example.com."), RData.TargetName(RecordType.NS, zone.Records[1].RData));
        Assert.Equal(N("ns1.example.com."), zone.Records[2].Owner);
        Assert.Equal(300u, zone.Records[3].Ttl);
        Assert.Equal(3600u, zone.Records[4].Ttl); // $TTL, not the previous record's 300
        Assert.Equal(N("host.sub.example.com."), zone.Records[4].Owner);
        Assert.Equal([new SourceLocation("<text>", 3), new("<text>", 4), new("<text>", 5), new("<text>", 6), new("<text>", 8)], zone.Locations);
    }

    [Fact]
    public void Parentheses_span_lines_and_the_location_is_the_first_line()
    {
        var zone = MasterFileReader.ReadText("""
            ; a comment line
            @ 3600 IN SOA ns1.example.com. hostmaster.example.com. (
                        2024010101 ; serial
                        1h         ; refresh
                        15M        ; retry
                        1W         ; expire
                        5m )       ; minimum
            txt 60 TXT ( "one"
                         "two" ) ; two strings
            """, Origin, "z.zone");
        Assert.Equal(2, zone.Records.Count);
        Assert.Equal("ns1.example.com. hostmaster.example.com. 2024010101 3600 900 604800 300", RData.Format(RecordType.SOA, zone.Records[0].RData));
        Assert.Equal("\"one\" \"two\"", RData.Format(RecordType.TXT, zone.Records[1].RData));
        Assert.Equal(new SourceLocation("z.zone", 2), zone.Locations![0]);
        Assert.Equal(new SourceLocation("z.zone", 8), zone.Locations![1]);
    }

    [Fact]
    public void Ttl_and_class_come_in_either_order_and_ttl_units_work()
    {
        var zone = MasterFileReader.ReadText("""
            a 1h30m IN A 192.0.2.1
            b IN 1w2d A 192.0.2.2
            c in 90 a 192.0.2.3
            d CLASS1 10 TYPE1 \# 4 C0000204
            """, Origin);
        Assert.Equal([5400u, 9u * 86400, 90u, 10u], zone.Records.Select(r => r.Ttl));
        Assert.All(zone.Records, r => Assert.Equal(RecordType.A, r.Type));
        Assert.Equal("192.0.2.4", RData.Format(RecordType.A, zone.Records[3].RData));
    }

    [Fact]
    public void Without_ttl_the_previous_records_ttl_is_used()
    {
        var zone = MasterFileReader.ReadText("a 120 A 192.0.2.1\nb A 192.0.2.2\n", Origin);
        Assert.Equal(120u, zone.Records[1].Ttl);
    }

    [Fact]
    public void Quoted_strings_keep_escapes_semicolons_and_parentheses()
    {
        var zone = MasterFileReader.ReadText("t 1 TXT \"a;b (c) \\\"d\\\" \\059\" e\\;f\n", Origin);
        Assert.Equal("\"a;b (c) \\\"d\\\" ;\" \"e;f\"", RData.Format(RecordType.TXT, zone.Records[0].RData));
    }

    [Fact]
    public void Escaped_characters_in_owner_names()
    {
        var zone = MasterFileReader.ReadText("a\\.b 1 A 192.0.2.1\nsp\\032ace 1 A 192.0.2.2\n", Origin);
        Assert.Equal(3, zone.Records[0].Owner.LabelCount);
        Assert.Equal("a\\.b.example.com.", zone.Records[0].Owner.ToString());
        Assert.Equal("sp\\032ace.example.com.", zone.Records[1].Owner.ToString());
    }

    [Fact]
    public void Unknown_types_use_RFC_3597()
    {
        var zone = MasterFileReader.ReadText("x 1 TYPE65280 \\# 4 ( 0102\n 0304 )\n", Origin);
        Assert.Equal((RecordType)65280, zone.Records[0].Type);
        Assert.Equal([1, 2, 3, 4], zone.Records[0].RData);
    }

    [Fact]
    public void Origin_comes_from_the_first_ORIGIN_when_none_is_given()
    {
        var zone = MasterFileReader.ReadText("$ORIGIN example.org.\n@ 1 A 192.0.2.1\n$ORIGIN other.org.\nx 1 A 192.0.2.1\n", null);
        Assert.Equal(N("example.org."), zone.Origin);
        Assert.Equal(N("x.other.org."), zone.Records[1].Owner);
    }

    [Fact]
    public void Names_keep_their_case()
    {
        var zone = MasterFileReader.ReadText("WwW 1 CNAME Target.Example.NET.\n", Origin);
        Assert.Equal("WwW.example.com.", zone.Records[0].Owner.ToString());
        Assert.Equal("Target.Example.NET.", RData.Format(RecordType.CNAME, zone.Records[0].RData));
    }

    [Theory]
    [InlineData("a 1 A 192.0.2.1\nb 1 MX ten mail\n", 2, "MX preference 'ten' is not a number 0-65535 (record: b 1 MX ten mail)")]
    [InlineData("a A 192.0.2.1\n", 1, "no TTL and no $TTL")]
    [InlineData("a 1 CH A 192.0.2.1\n", 1, "class CH is not supported (only IN)")]
    [InlineData("a 1 HS TXT x\n", 1, "class HS is not supported (only IN)")]
    [InlineData("\n\na 1 IN FOO x\n", 3, "unknown record type 'FOO'")]
    [InlineData("a 1 IN\n", 1, "the record has no type")]
    [InlineData("  1 A 192.0.2.1\n", 1, "the owner is blank but there is no previous record")]
    [InlineData("a 1x A 192.0.2.1\n", 1, "TTL '1x' is not valid: it has an unknown unit 'x'")]
    [InlineData("a 3000000000 A 192.0.2.1\n", 1, "TTL '3000000000' is not valid: it is larger than 2147483647")]
    [InlineData("a 1 2 A 192.0.2.1\n", 1, "second TTL '2'")]
    [InlineData("a 1 TXT \"open\n", 1, "unterminated quoted string")]
    [InlineData("a 1 SOA ( ns hm 1 2 3 4 5\n\n", 1, "'(' opened on line 1 is never closed")]
    [InlineData("a 1 A 192.0.2.1 )\n", 1, "')' without a matching '('")]
    [InlineData("$TTL x\n", 1, "$TTL 'x' is not a valid TTL")]
    [InlineData("$ORIGIN\n", 1, "$ORIGIN takes exactly one domain name")]
    [InlineData("$GENERATE 1-2 a$ A 1.2.3.$\n", 1, "directive $GENERATE is not supported")]
    [InlineData("$INCLUDE other.zone\n", 1, "$INCLUDE is not allowed here")]
    [InlineData("a..b 1 A 192.0.2.1\n", 1, "owner 'a..b' is not a valid name: empty label")]
    [InlineData("a 1 A \\# 2 0102\n", 1, "A \\# RDATA is not valid for the type")]
    [InlineData("a 1 HINFO \"" + "\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255\\255"
        + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" os\n",
        1, "a character-string holds at most 255")]
    public void Bad_input_names_file_line_and_problem(string text, int line, string expected)
    {
        var e = Bad(text);
        Assert.Equal("bad.zone", e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"bad.zone:{line}: ", e.Message);
    }

    [Fact]
    public void No_origin_and_no_ORIGIN_is_an_error()
    {
        var e = Assert.Throws<MasterFileException>(() => MasterFileReader.ReadText("a.example. 1 A 192.0.2.1\n", null, "x.zone"));
        Assert.Equal("x.zone:1: no origin: pass one or put $ORIGIN before the first record (record: a.example. 1 A 192.0.2.1)", e.Message);
    }
}

public sealed class MasterFileReaderDirectiveTests
{
    [Fact]
    public void Directives_are_case_insensitive_and_ORIGIN_may_be_relative_to_the_current_origin()
    {
        var zone = MasterFileReader.ReadText("$origin example.com.\n$ttl 2m\n$ORIGIN sub\nx A 192.0.2.1\n", null);
        Assert.Equal(DnsName.Parse("example.com."), zone.Origin);
        Assert.Equal(DnsName.Parse("x.sub.example.com."), zone.Records[0].Owner);
        Assert.Equal(120u, zone.Records[0].Ttl);
    }

    [Fact]
    public void A_byte_order_mark_and_CRLF_line_ends_are_accepted()
    {
        var zone = MasterFileReader.ReadText("\uFEFF$TTL 5\r\na A 192.0.2.1\r\n  TXT \"x\"\r\n", DnsName.Parse("example.com."));
        Assert.Equal(2, zone.Records.Count);
        Assert.Equal(DnsName.Parse("a.example.com."), zone.Records[1].Owner);
    }

    [Fact]
    public void Blank_owner_and_origin_are_restored_after_an_include()
    {
        var zone = MasterFileReader.ReadText("$TTL 5\nparent A 192.0.2.1\n$INCLUDE deeper.inc other.example.\n  AAAA ::1\nrel A 192.0.2.2\n",
            DnsName.Parse("example.com."), "t", ZoneFixtures.PathOf("inc"));
        Assert.Equal(DnsName.Parse("deep.other.example."), zone.Records[1].Owner);
        Assert.Equal(DnsName.Parse("parent.example.com."), zone.Records[2].Owner);
        Assert.Equal(DnsName.Parse("rel.example.com."), zone.Records[3].Owner);
    }
}
