using AkkaDns.Cluster.Api;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.Tests.Api;

/// <summary>The PowerDNS API's record content goes through the same parser as master files: a TXT string over 255
/// octets is split into 255-octet strings (as PowerDNS does with the DKIM keys clients send), not refused.</summary>
public sealed class TxtSplittingApiTests
{
    private static readonly DnsName Zone = DnsName.Parse("example.com.");

    private static byte[] ParseContent(string type, string content)
    {
        var problems = new List<RequestProblem>();
        var rrsets = new List<RRsetJson>
        {
            new() { Name = "sel._domainkey.example.com.", Type = type, Ttl = 300, Changetype = "REPLACE", Records = [new() { Content = content }] },
        };
        var changes = ZoneJsonMapper.ToChanges(Zone, rrsets, requireChangetype: true, problems);
        Assert.Empty(problems);
        return Assert.Single(Assert.Single(changes).Records).RData;
    }

    private static List<int> Lengths(byte[] wire)
    {
        var lengths = new List<int>();
        for (int p = 0; p < wire.Length; p += 1 + wire[p]) lengths.Add(wire[p]);
        return lengths;
    }

    [Theory]
    [InlineData("TXT", 255, new[] { 255 })]
    [InlineData("TXT", 256, new[] { 255, 1 })]
    [InlineData("TXT", 600, new[] { 255, 255, 90 })]
    [InlineData("SPF", 600, new[] { 255, 255, 90 })]
    public void Long_content_is_split(string type, int length, int[] expected)
        => Assert.Equal(expected, Lengths(ParseContent(type, "\"" + new string('k', length) + "\"")));

    [Fact]
    public void Escapes_in_content_count_as_one_octet()
    {
        var wire = ParseContent("TXT", "\"" + new string('x', 254) + "\\\\\\059\"");
        Assert.Equal([255, 1], Lengths(wire));
        Assert.Equal((byte)'\\', wire[255]);
        Assert.Equal((byte)';', wire[257]);
    }

    [Fact]
    public void A_long_hinfo_string_is_still_refused()
    {
        var problems = new List<RequestProblem>();
        ZoneJsonMapper.ToChanges(Zone, [new() { Name = "h.example.com.", Type = "HINFO", Ttl = 300, Changetype = "REPLACE", Records = [new() { Content = "\"" + new string('x', 256) + "\" os" }] }], true, problems);
        Assert.Contains("at most 255", Assert.Single(problems).Message);
    }
}
