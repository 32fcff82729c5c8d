using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

public sealed class ZoneLoaderTests
{
    [Theory]
    [InlineData("example.com.zone", "example.com.")]
    [InlineData("edge.example.zone", "edge.example.")]
    [InlineData("dnssec.example.zone", "dnssec.example.")]
    public void Loads_and_validates_the_good_fixtures(string file, string origin)
    {
        var zone = ZoneLoader.LoadFile(ZoneFixtures.PathOf(file));
        Assert.Equal(DnsName.Parse(origin), zone.Origin);
        Assert.Equal(zone.Records.Count, zone.Locations!.Count);
    }

    [Fact]
    public void A_syntax_error_stops_loading_with_file_and_line()
    {
        var path = ZoneFixtures.PathOf("broken.zone");
        var e = Assert.Throws<MasterFileException>(() => ZoneLoader.LoadFile(path));
        Assert.Equal($"{path}:6: MX exchange is missing (record: mx MX 10)", e.Message);
    }

    [Fact]
    public void A_rule_violation_stops_loading_with_file_line_record_and_rule()
    {
        var path = ZoneFixtures.PathOf("invalid.zone");
        var e = Assert.Throws<ZoneValidationException>(() => ZoneLoader.LoadFile(path));
        var p = Assert.Single(e.Problems);
        Assert.Equal("cname-and-other-data", p.Rule);
        Assert.Equal(
            $"{path}:6: alias.invalid.example. has a CNAME and other data (TXT); RFC 2181 §10.1 forbids that (record: alias.invalid.example. 60 IN CNAME ns.invalid.example.) [cname-and-other-data]",
            e.Message);
    }

    [Fact]
    public void Loading_drops_duplicates_and_lowers_rrset_ttls()
    {
        var zone = ZoneLoader.LoadFile(ZoneFixtures.PathOf("plain.example.zone"));
        var ns = zone.Records.Where(r => r.Owner.Equals(DnsName.Parse("ns.plain.example.")) && r.Type == RecordType.A).ToList();
        Assert.Equal(2, ns.Count);
        Assert.All(ns, r => Assert.Equal(30u, r.Ttl));
    }

    [Fact]
    public void Text_from_an_api_is_validated_and_may_not_include_files()
    {
        var zone = ZoneLoader.LoadText("$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nns A 192.0.2.1\n", DnsName.Parse("api.example."), "api");
        Assert.Equal(3, zone.Records.Count);
        var e = Assert.Throws<ZoneValidationException>(() => ZoneLoader.LoadText("$TTL 60\n@ NS ns\n", DnsName.Parse("api.example."), "api"));
        Assert.Equal("soa-missing", Assert.Single(e.Problems).Rule);
        var inc = Assert.Throws<MasterFileException>(() => ZoneLoader.LoadText("$INCLUDE /etc/passwd\n", DnsName.Parse("api.example."), "api"));
        Assert.Equal("api:1: $INCLUDE is not allowed here (zone text read without a base folder) (line: $INCLUDE /etc/passwd)", inc.Message);
    }

    [Fact]
    public void A_missing_file_is_a_master_file_error()
    {
        var e = Assert.Throws<MasterFileException>(() => ZoneLoader.LoadFile(ZoneFixtures.PathOf("nope.zone")));
        Assert.Contains("cannot read the zone file", e.Message);
    }

    [Theory]
    [InlineData("example.com=zones/example.com.zone", "example.com.", "zones/example.com.zone")]
    [InlineData("example.com.=x.zone", "example.com.", "x.zone")]
    [InlineData("zones/example.com.zone", null, "zones/example.com.zone")]
    [InlineData("zones/a=b.zone", null, "zones/a=b.zone")]
    [InlineData("a=b=c.zone", "a.", "b=c.zone")]
    public void Zone_arguments_split_into_origin_and_path(string arg, string? origin, string path)
    {
        var (o, p) = ZoneLoader.ParseZoneArgument(arg);
        Assert.Equal(origin, o?.ToString());
        Assert.Equal(path, p);
    }

    [Theory]
    [InlineData("=x.zone", "the origin before '=' is empty")]
    [InlineData("example.com=", "has no file")]
    [InlineData("a..b=x.zone", "origin 'a..b' is not a valid domain name")]
    public void Bad_zone_arguments_say_what_is_wrong(string arg, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ZoneLoader.ParseZoneArgument(arg));
        Assert.Contains(expected, e.Message);
    }
}
