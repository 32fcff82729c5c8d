using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Wire;

/// <summary>The shared name type: presentation parsing, limits, case-insensitive identity, canonical order.</summary>
public sealed class DnsNameTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    [Fact]
    public void Absolute_and_relative_names_parse_to_wire_form()
    {
        Assert.Equal(WireFixtures.Hex("03 777777 07 6578616d706c65 03 636f6d 00"), DnsName.Parse("www.example.com.").Wire.ToArray());
        Assert.Equal(DnsName.Parse("www.example.com."), DnsName.Parse("www", Origin));
        Assert.Same(Origin, DnsName.Parse("@", Origin));
        Assert.True(DnsName.Parse(".").IsRoot);
        Assert.Equal(4, DnsName.Parse("a.b", Origin).LabelCount);
    }

    [Theory]
    [InlineData("www", "relative name")]
    [InlineData("@", "no origin")]
    [InlineData("", "empty")]
    [InlineData("a..b.", "empty label")]
    [InlineData("a\\", "dangling")]
    [InlineData("a\\25.", "bad \\DDD")]
    [InlineData("a\\256.", "above 255")]
    [InlineData("é.", "non-ASCII")]
    public void Bad_presentation_text_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(DnsName.TryParse(text, null, out var name, out var error));
        Assert.Null(name);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Escapes_decode_to_the_bytes_they_name()
    {
        var n = DnsName.Parse(@"a\.b\032c\\\065.example.");
        Assert.Equal(2, n.LabelCount);
        Assert.Equal("a.b c\\A"u8.ToArray(), n.Labels().First());
        // ToString escapes what must be escaped, so it reads back to the same name
        Assert.Equal(@"a\.b\032c\\A.example.", n.ToString());
        Assert.Equal(n.Wire.ToArray(), DnsName.Parse(n.ToString()).Wire.ToArray());
        Assert.Equal(@"\000\255.", DnsName.Parse(@"\000\255.").ToString());
    }

    [Fact]
    public void Label_limit_is_63_octets()
    {
        Assert.Equal(63, DnsName.Parse(new string('a', 63) + ".").Labels().Single().Length);
        Assert.False(DnsName.TryParse(new string('a', 64) + ".", null, out _, out var e));
        Assert.Contains("63", e);
    }

    [Fact]
    public void Name_limit_is_255_octets_in_wire_form()
    {
        string l63 = new('a', 63);
        var max = DnsName.Parse($"{l63}.{l63}.{l63}.{new string('b', 61)}.");
        Assert.Equal(255, max.WireLength);
        Assert.False(DnsName.TryParse($"{l63}.{l63}.{l63}.{new string('b', 62)}.", null, out _, out var e));
        Assert.Contains("255", e);
        // a relative name that only overflows once the origin is appended
        Assert.False(DnsName.TryParse($"{l63}.{l63}.{l63}.{new string('b', 50)}", Origin, out _, out _));
    }

    [Fact]
    public void Wire_names_are_checked()
    {
        Assert.False(DnsName.TryFromWire(WireFixtures.Hex("03 6161"), out _, out _));      // overrun
        Assert.False(DnsName.TryFromWire(WireFixtures.Hex("c00c"), out _, out _));         // pointer
        Assert.True(DnsName.TryFromWire(WireFixtures.Hex("01 61 00 ff"), out var n, out var used));
        Assert.Equal(3, used);
        Assert.Equal("a.", n!.ToString());
    }

    [Fact]
    public void Equality_and_hash_ignore_ascii_case_but_keep_it()
    {
        var a = DnsName.Parse("WWW.Example.COM.");
        var b = DnsName.Parse("www.example.com.");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal("WWW.Example.COM.", a.ToString());
        Assert.NotEqual(DnsName.Parse("www.example.org."), b);
        Assert.True(a.IsSubdomainOf(DnsName.Parse("EXAMPLE.com.")));
        Assert.False(DnsName.Parse("wwwexample.com.").IsSubdomainOf(DnsName.Parse("example.com.")));
    }

    [Fact]
    public void CompareTo_follows_the_rfc4034_canonical_order()
    {
        // RFC 4034 §6.1, the example list in order
        string[] ordered = [@"example.", @"a.example.", @"yljkjljk.a.example.", @"Z.a.example.", @"zABC.a.EXAMPLE.",
            @"z.example.", @"\001.z.example.", @"*.z.example.", @"\200.z.example."];
        var names = ordered.Select(s => DnsName.Parse(s)).ToList();
        var shuffled = names.OrderBy(n => n.GetHashCode()).ToList();
        shuffled.Sort();
        Assert.Equal(ordered, shuffled.Select(n => n.ToString()));
        Assert.Equal(0, DnsName.Parse("A.example.").CompareTo(DnsName.Parse("a.EXAMPLE.")));
    }

    [Fact]
    public void Suffix_operations_work_on_labels()
    {
        var n = DnsName.Parse("a.b.example.com.");
        Assert.Equal(Origin, n.Suffix(2));
        Assert.Equal(DnsName.Parse("b.example.com."), n.Parent());
        Assert.True(DnsName.Parse("*.example.com.").IsWildcard);
        Assert.True(n.TryReplaceSuffix(Origin, DnsName.Parse("example.net."), out var r));
        Assert.Equal(DnsName.Parse("a.b.example.net."), r);
    }
}
