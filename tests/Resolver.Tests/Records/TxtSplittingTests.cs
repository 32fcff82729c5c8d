using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Records;

/// <summary>A TXT or SPF string longer than 255 octets (a DKIM key, typically) is split into 255-octet
/// character-strings, as PowerDNS does, instead of being refused; the split counts decoded octets.</summary>
public sealed class TxtSplittingTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    /// <summary>The lengths of the character-strings in TXT wire RDATA.</summary>
    private static List<int> Lengths(byte[] wire)
    {
        var lengths = new List<int>();
        for (int p = 0; p < wire.Length; p += 1 + wire[p]) lengths.Add(wire[p]);
        return lengths;
    }

    [Theory]
    [InlineData(255, new[] { 255 })]
    [InlineData(256, new[] { 255, 1 })]
    [InlineData(510, new[] { 255, 255 })]
    [InlineData(600, new[] { 255, 255, 90 })]
    public void A_long_string_becomes_255_octet_strings(int length, int[] expected)
    {
        foreach (var type in new[] { RecordType.TXT, RecordType.SPF })
        {
            var text = new string('k', length);
            var wire = RData.Parse(type, "\"" + text + "\"", Origin);
            Assert.Equal(expected, Lengths(wire));
            Assert.Equal(length + expected.Length, wire.Length);
            // printed as separate strings, which read back to the same bytes
            var shown = RData.Format(type, wire);
            Assert.Equal(expected.Length, shown.Split("\" \"").Length);
            Assert.Equal(wire, RData.Parse(type, shown, Origin));
        }
    }

    [Fact]
    public void Escapes_count_as_the_octets_they_stand_for()
    {
        // 254 x, then \" (one octet) and \065 (one octet): 256 octets, so the second escape starts the second string
        var wire = RData.Parse(RecordType.TXT, "\"" + new string('x', 254) + "\\\"\\065\"", Origin);
        Assert.Equal([255, 1], Lengths(wire));
        Assert.Equal((byte)'"', wire[255]);
        Assert.Equal((byte)'A', wire[257]);
        // 600 octets given as \DDD escapes only (2400 characters of text)
        var escaped = string.Concat(Enumerable.Repeat("\\255", 600));
        Assert.Equal([255, 255, 90], Lengths(RData.Parse(RecordType.TXT, "\"" + escaped + "\"", Origin)));
    }

    [Fact]
    public void Each_given_string_is_split_on_its_own_and_the_order_is_kept()
    {
        var wire = RData.Parse(RecordType.TXT, "\"v=DKIM1; k=rsa; \" \"" + new string('p', 300) + "\" \"\"", Origin);
        Assert.Equal([16, 255, 45, 0], Lengths(wire));
    }

    [Fact]
    public void A_master_file_line_is_split_the_same_way()
    {
        var key = new string('M', 400);
        var zone = MasterFileReader.ReadText(
            "$ORIGIN example.com.\n@ 3600 SOA ns hm 1 2 3 4 5\n@ 3600 NS ns\nsel._domainkey 300 TXT \"v=DKIM1; p=" + key + "\"\n",
            null);
        var txt = Assert.Single(zone.Records, r => r.Type == RecordType.TXT);
        Assert.Equal([255, 156], Lengths(txt.RData));
        // written back as a master file, it reads to the same record
        var again = MasterFileReader.ReadText(MasterFileWriter.Write(zone), null);
        Assert.Equal(txt.RData, Assert.Single(again.Records, r => r.Type == RecordType.TXT).RData);
    }
}
