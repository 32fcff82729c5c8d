using AkkaDns.Actors.Propagation;

namespace AkkaDns.Actors.Tests.Propagation;

public sealed class DatacenterNameTests
{
    [Theory]
    [InlineData("fra-1", "fra-1")]
    [InlineData("  ams-2 ", "ams-2")]
    [InlineData("DC_3.eu", "DC_3.eu")]
    public void A_name_is_trimmed_and_kept_as_written(string text, string expected) =>
        Assert.Equal(expected, DatacenterName.Parse(text).Value);

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("   ", "must not be empty")]
    [InlineData("fra 1", "whitespace or a control character")]
    [InlineData("fra\u00001", "whitespace or a control character")]
    public void A_bad_name_is_refused_saying_why(string text, string why)
    {
        Assert.False(DatacenterName.TryParse(text, out var name, out var problem));
        Assert.Null(name);
        Assert.Contains(why, problem);
        Assert.Contains(why, Assert.Throws<FormatException>(() => DatacenterName.Parse(text)).Message);
    }

    [Fact]
    public void Names_compare_exactly_as_the_serving_set_stores_them()
    {
        Assert.Equal(DatacenterName.Parse("dc-1"), DatacenterName.Parse(" dc-1"));
        Assert.NotEqual(DatacenterName.Parse("dc-1"), DatacenterName.Parse("DC-1"));
        Assert.Equal(DatacenterName.Parse("dc-1").GetHashCode(), DatacenterName.Parse("dc-1 ").GetHashCode());
        Assert.True(DatacenterName.Parse("dc-1").CompareTo(DatacenterName.Parse("dc-2")) < 0);
    }
}
