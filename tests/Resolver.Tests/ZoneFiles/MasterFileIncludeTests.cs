using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

public sealed class MasterFileIncludeTests
{
    [Fact]
    public void Include_reads_relative_to_the_including_file_with_its_own_origin_and_restores_the_parent_origin()
    {
        var zone = MasterFileReader.ReadFile(ZoneFixtures.PathOf("example.com.zone"));
        Assert.Equal(DnsName.Parse("example.com."), zone.Origin);
        var hostsApex = zone.Records.Single(r => r.Owner.Equals(DnsName.Parse("hosts.example.com.")));
        Assert.Equal("192.0.2.20", RData.Format(RecordType.A, hostsApex.RData));
        Assert.Contains(zone.Records, r => r.Owner.Equals(DnsName.Parse("h2.hosts.example.com.")) && r.Ttl == 120);
        // nested include, relative to inc/ (the folder of hosts.inc), origin inherited from hosts.inc
        var deep = zone.Records.Single(r => r.Owner.Equals(DnsName.Parse("deep.hosts.example.com.")));
        Assert.Equal("\"from deeper.inc\"", RData.Format(RecordType.TXT, deep.RData));
        // back in the parent: origin example.com. again
        var after = zone.Records.Single(r => r.Owner.Equals(DnsName.Parse("after-include.example.com.")));
        Assert.Equal(60u, after.Ttl);
    }

    [Fact]
    public void Locations_of_included_records_name_the_included_file_and_its_line()
    {
        var zone = MasterFileReader.ReadFile(ZoneFixtures.PathOf("example.com.zone"));
        int h1 = zone.Records.ToList().FindIndex(r => r.Owner.Equals(DnsName.Parse("h1.hosts.example.com.")));
        Assert.Equal(Path.Combine(ZoneFixtures.Dir, "inc", "hosts.inc"), zone.Locations![h1].File);
        Assert.Equal(3, zone.Locations![h1].Line);
        Assert.Equal(ZoneFixtures.PathOf("example.com.zone"), zone.Locations![0].File);
        Assert.Equal(4, zone.Locations![0].Line); // the SOA starts on line 4 and spans to line 9
    }

    [Theory]
    [InlineData("traversal/up.zone", 5, "$INCLUDE '../example.com.zone' refused: it leaves the folder of the including file")]
    [InlineData("traversal/sneaky.zone", 4, "$INCLUDE 'inner/../../example.com.zone' refused: it leaves the folder")]
    [InlineData("traversal/absolute.zone", 4, "$INCLUDE '/etc/hostname' refused: only paths relative to the including file's folder are allowed")]
    public void Include_paths_that_leave_the_folder_are_refused(string file, int line, string expected)
    {
        var path = ZoneFixtures.PathOf(file);
        var e = Assert.Throws<MasterFileException>(() => MasterFileReader.ReadFile(path));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_file_including_itself_stops_at_the_depth_cap()
    {
        var path = ZoneFixtures.PathOf("loop/loop.zone");
        var e = Assert.Throws<MasterFileException>(() => MasterFileReader.ReadFile(path));
        Assert.Contains($"nests deeper than {MasterFileReader.MaxIncludeDepth} files", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void ReadText_includes_from_the_given_base_folder_only()
    {
        var zone = MasterFileReader.ReadText("$TTL 60\n$INCLUDE hosts.inc\n", DnsName.Parse("x.example."), "t", ZoneFixtures.PathOf("inc"));
        Assert.Equal(4, zone.Records.Count); // @, h1, h2 and deep
        var e = Assert.Throws<MasterFileException>(() =>
            MasterFileReader.ReadText("$INCLUDE ../example.com.zone\n", DnsName.Parse("x.example."), "t", ZoneFixtures.PathOf("inc")));
        Assert.Equal("t", e.File);
        Assert.Contains("leaves the folder", e.Message);
    }

    [Fact]
    public void A_missing_include_file_is_reported_at_the_include_line()
    {
        var e = Assert.Throws<MasterFileException>(() =>
            MasterFileReader.ReadText("$TTL 1\n$INCLUDE nope.inc\n", DnsName.Parse("x.example."), "t", ZoneFixtures.Dir));
        Assert.Equal(2, e.Line);
        Assert.Contains("$INCLUDE 'nope.inc' cannot be read", e.Message);
    }

    [Fact]
    public void Origin_falls_back_to_the_file_name_without_zone()
    {
        var zone = MasterFileReader.ReadFile(ZoneFixtures.PathOf("plain.example.zone"));
        Assert.Equal(DnsName.Parse("plain.example."), zone.Origin);
        Assert.Equal(DnsName.Parse("ns.plain.example."), zone.Records[2].Owner);
        var given = MasterFileReader.ReadFile(ZoneFixtures.PathOf("plain.example.zone"), DnsName.Parse("other.example."));
        Assert.Equal(DnsName.Parse("other.example."), given.Origin);
        Assert.Equal(DnsName.Parse("ns.other.example."), given.Records[2].Owner);
    }
}

public sealed class MasterFileIncludeErrorTests
{
    [Fact]
    public void An_error_inside_an_included_file_names_that_file_and_its_line()
    {
        var e = Assert.Throws<MasterFileException>(() => MasterFileReader.ReadFile(ZoneFixtures.PathOf("badinc/main.zone")));
        Assert.Equal(Path.Combine(ZoneFixtures.Dir, "badinc", "part.inc"), e.File);
        Assert.Equal(3, e.Line);
        Assert.EndsWith("part.inc:3: AAAA address '192.0.2.1' is not an IPv6 address (record: bad AAAA 192.0.2.1)", e.Message);
    }
}

public sealed class MasterFileIncludeLinkTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("akkadns-include-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Links_that_lead_outside_the_folder_are_refused_and_links_inside_are_followed()
    {
        var zoneDir = Directory.CreateDirectory(Path.Combine(_root, "zones")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_root, "secret")).FullName;
        File.WriteAllText(Path.Combine(outside, "s.inc"), "leak A 192.0.2.66\n");
        File.WriteAllText(Path.Combine(zoneDir, "real.inc"), "ok A 192.0.2.1\n");
        File.CreateSymbolicLink(Path.Combine(zoneDir, "file-link.inc"), Path.Combine(outside, "s.inc"));
        Directory.CreateSymbolicLink(Path.Combine(zoneDir, "dir-link"), outside);
        File.CreateSymbolicLink(Path.Combine(zoneDir, "inside-link.inc"), Path.Combine(zoneDir, "real.inc"));

        Zone Read(string include) => MasterFileReader.ReadText($"$TTL 1\n$INCLUDE {include}\n", DnsName.Parse("l.example."), "t", zoneDir);
        Assert.Contains("a symbolic link on its path leads outside", Assert.Throws<MasterFileException>(() => Read("file-link.inc")).Message);
        Assert.Contains("a symbolic link on its path leads outside", Assert.Throws<MasterFileException>(() => Read("dir-link/s.inc")).Message);
        Assert.Equal(DnsName.Parse("ok.l.example."), Assert.Single(Read("inside-link.inc").Records).Owner);
        Assert.Single(Read("\"real.inc\"").Records);
    }
}
