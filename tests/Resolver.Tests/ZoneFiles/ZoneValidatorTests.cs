using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

public sealed class ZoneValidatorTests
{
    private const string Apex = """
        $TTL 300
        @        SOA   ns1 hostmaster 1 7200 900 1209600 300
        @        NS    ns1
        ns1      A     192.0.2.1

        """;

    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static IReadOnlyList<ZoneProblem> Problems(string text) =>
        ZoneValidator.Validate(MasterFileReader.ReadText(text, Origin, "v.zone"));

    /// <summary>Exactly one problem, of <paramref name="rule"/>, at <paramref name="line"/> when given.</summary>
    private static ZoneProblem Only(string text, string rule, int? line = null)
    {
        var problems = Problems(text);
        var p = Assert.Single(problems);
        Assert.Equal(rule, p.Rule);
        if (line is not null) Assert.Equal(new SourceLocation("v.zone", line.Value), p.Location);
        Assert.EndsWith($"[{rule}]", p.ToString());
        return p;
    }

    [Fact]
    public void A_good_zone_has_no_problems()
    {
        Assert.Empty(Problems(Apex + """
            www      CNAME ns1
            sub      NS    ns.sub
            sub      DS    60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
            ns.sub   A     192.0.2.53
            ns.sub   AAAA  2001:db8::53
            dname    DNAME example.net.
            """));
    }

    [Fact]
    public void Soa_missing()
    {
        var p = Only("$TTL 1\n@ NS ns1\n", "soa-missing");
        Assert.Equal("the zone has no SOA record at its apex example.com. [soa-missing]", p.ToString());
    }

    [Fact]
    public void Soa_multiple()
    {
        var p = Only(Apex + "@ SOA ns1 hostmaster 2 7200 900 1209600 300\n", "soa-multiple", 5);
        Assert.StartsWith("v.zone:5: the apex example.com. has more than one SOA record", p.ToString());
        Assert.Contains("(record: example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2 7200 900 1209600 300)", p.ToString());
    }

    [Fact]
    public void A_duplicate_soa_is_not_a_second_soa()
        => Assert.Empty(Problems(Apex + "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"));

    [Fact]
    public void Soa_not_at_apex() => Only(Apex + "x SOA ns1 hostmaster 1 2 3 4 5\n", "soa-not-at-apex", 5);

    [Fact]
    public void Apex_ns_missing() => Only("$TTL 1\n@ SOA ns1 hostmaster 1 2 3 4 5\n", "apex-ns-missing");

    [Fact]
    public void Cname_and_other_data()
    {
        var p = Only(Apex + "www CNAME ns1\nwww MX 10 ns1\n", "cname-and-other-data", 5);
        Assert.Contains("www.example.com. has a CNAME and other data (MX)", p.Message);
    }

    [Fact]
    public void Cname_multiple() => Only(Apex + "www CNAME ns1\nwww CNAME ns2\n", "cname-multiple", 6);

    [Fact]
    public void Cname_at_apex()
    {
        var problems = Problems(Apex + "@ CNAME other.example.\n");
        Assert.Contains(problems, p => p.Rule == "cname-at-apex" && p.Location == new SourceLocation("v.zone", 5));
        Assert.Contains(problems, p => p.Rule == "cname-and-other-data");
    }

    [Fact]
    public void Below_dname()
    {
        var p = Only(Apex + "d DNAME example.net.\nx.d A 192.0.2.9\n", "below-dname", 6);
        Assert.Contains("x.d.example.com. lies below the DNAME at d.example.com.", p.Message);
    }

    [Fact]
    public void Dname_multiple() => Only(Apex + "d DNAME example.net.\nd DNAME example.org.\n", "dname-multiple", 6);

    [Fact]
    public void Out_of_zone()
    {
        var p = Only(Apex + "www.example.net. A 192.0.2.9\n", "out-of-zone", 5);
        Assert.Equal("v.zone:5: www.example.net. is outside the zone example.com. (record: www.example.net. 300 IN A 192.0.2.9) [out-of-zone]", p.ToString());
    }

    [Fact]
    public void Non_glue_below_delegation()
    {
        var p = Only(Apex + "sub NS ns.sub\nns.sub A 192.0.2.53\nmail.sub MX 10 ns.sub\n", "non-glue-below-delegation", 7);
        Assert.Contains("MX at mail.sub.example.com. lies below the delegation sub.example.com.", p.Message);
    }

    [Fact]
    public void Data_at_delegation() => Only(Apex + "sub NS ns.sub\nsub TXT hidden\n", "data-at-delegation", 6);

    [Fact]
    public void Ds_not_at_delegation() => Only(Apex + "@ DS 1 5 1 AABB\n", "ds-not-at-delegation", 5);

    [Fact]
    public void Meta_types_are_refused()
    {
        var p = Only(Apex + "x TYPE255 \\# 0\n", "meta-type", 5);
        Assert.Contains("type ANY is a meta or question-only type", p.Message);
        Only(Apex + "x OPT \\# 0\n", "meta-type", 5);
        Only(Apex + "x AXFR \\# 0\n", "meta-type", 5);
    }

    [Fact]
    public void Malformed_rdata_from_code_is_reported()
    {
        var zone = MasterFileReader.ReadText(Apex, Origin);
        var bad = new Zone(Origin, [.. zone.Records, new ResourceRecord(DnsName.Parse("x.example.com."), RecordType.A, 1, [1, 2, 3])]);
        var p = Assert.Single(ZoneValidator.Validate(bad));
        Assert.Equal("rdata-invalid", p.Rule);
        Assert.Null(p.Location);
        Assert.Throws<ZoneValidationException>(() => ZoneValidator.EnsureValid(bad));
    }

    [Fact]
    public void Normalize_drops_duplicates_and_gives_each_rrset_its_lowest_ttl()
    {
        var zone = MasterFileReader.ReadText(Apex + "a 60 A 192.0.2.1\na 30 A 192.0.2.2\na 90 A 192.0.2.1\nb 10 TXT x\n", Origin, "v.zone");
        var n = ZoneValidator.Normalize(zone);
        var a = n.Records.Where(r => r.Owner.Equals(DnsName.Parse("a.example.com."))).ToList();
        Assert.Equal(2, a.Count);
        Assert.All(a, r => Assert.Equal(30u, r.Ttl));
        Assert.Equal(new SourceLocation("v.zone", 6), n.Locations![n.Records.ToList().IndexOf(a[1])]);
        Assert.Equal(10u, n.Records.Single(r => r.Type == RecordType.TXT).Ttl);
        Assert.Equal(zone.Records.Count - 1, n.Records.Count);
    }

    [Fact]
    public void Normalize_leaves_each_RRSIG_the_TTL_of_the_RRset_it_covers()
    {
        // RFC 4034 §3: RRSIGs of one name keep different TTLs when the RRsets they cover have them.
        var zone = MasterFileReader.ReadText(Apex
            + "a 3600 A 192.0.2.1\na 120 AAAA 2001:db8::1\n"
            + "a 3600 RRSIG A 13 3 3600 20261220000000 20261206000000 1 example.com. AAAA\n"
            + "a 120 RRSIG AAAA 13 3 120 20261220000000 20261206000000 1 example.com. AAAA\n", Origin, "v.zone");
        var n = ZoneValidator.Normalize(zone);
        var sigs = n.Records.Where(r => r.Type == RecordType.RRSIG).Select(r => r.Ttl).Order().ToList();
        Assert.Equal([120u, 3600u], sigs);
    }
}
