using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.PublicSuffix;

public sealed class PublicSuffixListTests
{
    private static bool Refused(string apex, out string rule) =>
        PublicSuffixList.Default.IsPublicSuffixOrAbove(DnsName.Parse(apex), out rule);

    [Theory]
    [InlineData("co.nz.", "co.nz")]
    [InlineData("CO.NZ.", "co.nz")]
    [InlineData("com.", "top-level")]
    [InlineData("nz.", "top-level")]
    [InlineData("co.uk.", "co.uk")]
    [InlineData("github.io.", "github.io")]
    [InlineData("anything.ck.", "*.ck")]
    [InlineData("xn--55qx5d.cn.", "xn--55qx5d.cn")]
    [InlineData(".", "root")]
    public void Public_suffixes_and_names_above_them_are_refused_with_the_rule(string apex, string ruleFragment)
    {
        Assert.True(Refused(apex, out var rule));
        Assert.Contains(ruleFragment, rule);
    }

    [Theory]
    [InlineData("example.co.nz.")]
    [InlineData("example.com.")]
    [InlineData("www.ck.")]          // exception rule !www.ck
    [InlineData("user.github.io.")]
    [InlineData("a.b.example.org.")]
    public void Registrable_names_are_allowed(string apex)
    {
        Assert.False(Refused(apex, out _));
    }

    [Fact]
    public void A_replacement_list_is_read_from_a_file_in_the_same_format()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "// test list\nexample.test\n*.wild.test\n!ok.wild.test\n");
            var list = PublicSuffixList.Load(path);
            Assert.True(list.IsPublicSuffixOrAbove(DnsName.Parse("example.test."), out _));
            Assert.True(list.IsPublicSuffixOrAbove(DnsName.Parse("x.wild.test."), out _));
            Assert.False(list.IsPublicSuffixOrAbove(DnsName.Parse("ok.wild.test."), out _));
            Assert.False(list.IsPublicSuffixOrAbove(DnsName.Parse("co.nz."), out _));
            Assert.Equal(3, list.RuleCount);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void An_empty_list_is_an_error_naming_the_file()
    {
        var ex = Assert.Throws<FormatException>(() => PublicSuffixList.Parse(new StringReader("// nothing\n"), "empty.dat"));
        Assert.Contains("empty.dat", ex.Message);
    }
}
