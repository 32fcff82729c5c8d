using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>The differential zone and the README's example zone read in AkkaDns's own master-file reader
/// (knotd's side is checked by <see cref="HarnessSelfTests"/>).</summary>
public sealed class TestZoneTests
{
    [Fact]
    public void The_rich_zone_reads_with_every_record()
    {
        var zone = MasterFileReader.ReadFile(RichZone.File);
        Assert.Equal("rich.example.", zone.Origin.ToString(), ignoreCase: true);
        // Every record line of the file is one record: lines that are not blank, a comment, a $ directive, or one
        // of the SOA's continuation lines (the only lines there starting with a digit).
        var lines = File.ReadAllLines(RichZone.File)
            .Select(l => l.Split(';')[0].Trim())
            .Count(l => l.Length > 0 && !l.StartsWith('$') && !char.IsDigit(l[0]));
        Assert.Equal(lines, zone.Records.Count);
    }

    [Fact]
    public void The_example_zone_reads()
    {
        var zone = MasterFileReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "TestData", "examples", "example.com.zone"));
        Assert.Equal("example.com.", zone.Origin.ToString(), ignoreCase: true);
        Assert.Equal(13, zone.Records.Count);
    }
}
