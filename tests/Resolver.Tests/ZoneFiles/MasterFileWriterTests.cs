using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

public sealed class MasterFileWriterTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    /// <summary>Owner (exact case), type, TTL and RDATA octets of every record, sorted: the record set to compare.</summary>
    private static List<string> Set(Zone z) => z.Records
        .Select(r => $"{r.Owner} {(ushort)r.Type} {r.Ttl} {Convert.ToHexString(r.RData)}")
        .OrderBy(s => s, StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData("example.com.zone", 40)]
    [InlineData("edge.example.zone", 17)]
    [InlineData("dnssec.example.zone", 28)]
    public void The_fixtures_round_trip_through_the_writer(string file, int atLeast)
    {
        var zone = MasterFileReader.ReadFile(ZoneFixtures.PathOf(file));
        Assert.True(zone.Records.Count >= atLeast, $"fixture has only {zone.Records.Count} records");
        string text = MasterFileWriter.Write(zone);
        var again = MasterFileReader.ReadText(text, null, "written");
        Assert.Equal(zone.Origin, again.Origin);
        Assert.Equal(Set(zone), Set(again));
        // and writing is stable
        Assert.Equal(text, MasterFileWriter.Write(again));
    }

    [Fact]
    public void Origin_ttl_soa_first_then_canonical_order_relative_names_and_explicit_ttls()
    {
        var zone = MasterFileReader.ReadText("""
            b       300 A     192.0.2.2
            a       600 MX    10 mail.example.com.
            @       600 NS    ns.example.net.
            @       600 SOA   ns hostmaster 1 2 3 4 5
            z.b     600 CNAME a
            """, Origin);
        var lines = MasterFileWriter.Write(zone).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(
        [
            "$ORIGIN example.com.",
            "$TTL 600",
            "@ IN SOA ns hostmaster 1 2 3 4 5",
            "@ IN NS ns.example.net.",
            "a IN MX 10 mail",
            "b 300 IN A 192.0.2.2",
            "z.b IN CNAME a",
        ], lines);
    }

    [Fact]
    public void Names_are_relative_only_where_the_origin_octets_match_exactly()
    {
        var zone = new Zone(Origin,
        [
            new ResourceRecord(DnsName.Parse("Host.EXAMPLE.com."), RecordType.CNAME, 60, DnsName.Parse("t.Example.com.").Wire.ToArray()),
            new ResourceRecord(DnsName.Parse("x.example.com."), RecordType.CNAME, 60, DnsName.Parse("y.example.com.").Wire.ToArray()),
        ]);
        var text = MasterFileWriter.Write(zone);
        Assert.Contains("Host.EXAMPLE.com. ", text);
        Assert.Contains("CNAME t.Example.com.", text);
        Assert.Contains("CNAME y\n", text);
        Assert.Equal(Set(zone), Set(MasterFileReader.ReadText(text, null)));
    }

    [Fact]
    public void Without_an_SOA_the_most_common_ttl_is_the_default()
    {
        var zone = MasterFileReader.ReadText("a 5 A 192.0.2.1\nb 7 A 192.0.2.1\nc 7 A 192.0.2.1\n", Origin);
        var text = MasterFileWriter.Write(zone);
        Assert.Contains("$TTL 7\n", text);
        Assert.Contains("a                       5 IN A 192.0.2.1", text);
        Assert.Equal(Set(zone), Set(MasterFileReader.ReadText(text, null)));
    }

    [Fact]
    public void Awkward_octets_in_names_and_strings_survive()
    {
        var owner = Origin.Prepend("$x"u8);
        var zone = new Zone(Origin,
        [
            new ResourceRecord(owner, RecordType.TXT, 60, [3, (byte)'"', (byte)';', 0xFF, 2, (byte)'\\', (byte)'(']),
            new ResourceRecord(Origin.Prepend("@"u8), RecordType.A, 60, [192, 0, 2, 1]),
            new ResourceRecord(Origin.Prepend("a b"u8), RecordType.NS, 60, Origin.Prepend("a.b"u8).Wire.ToArray()),
            new ResourceRecord(Origin.Prepend([0x00, 0xC3]), (RecordType)65280, 60, []),
        ]);
        var text = MasterFileWriter.Write(zone);
        Assert.Equal(Set(zone), Set(MasterFileReader.ReadText(text, null)));
    }
}
