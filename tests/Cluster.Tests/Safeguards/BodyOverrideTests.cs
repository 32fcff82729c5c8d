using System.Text;
using AkkaDns.Cluster.Safeguards;

namespace AkkaDns.Cluster.Tests.Safeguards;

/// <summary>Where <c>"override"</c> counts in a JSON body: only at the top level, only as a boolean.</summary>
public sealed class BodyOverrideTests
{
    [Theory]
    [InlineData("""{"override": true, "rrsets": []}""", true)]
    [InlineData("""{"rrsets": [{"name": "a.example.", "records": []}], "override": true}""", true)]
    [InlineData("""{"override": false}""", false)]
    [InlineData("""{"override": null}""", false)]
    [InlineData("""{"rrsets": [{"name": "a.example.", "override": true}]}""", false)]   // nested: not ours
    [InlineData("""{"comment": {"override": true}}""", false)]
    [InlineData("""[{"override": true}]""", false)]                                      // not an object
    [InlineData("""{"override": tru""", false)]                                          // malformed: the endpoint says so
    [InlineData("", false)]
    public void Only_a_top_level_boolean_counts(string json, bool expected)
    {
        var (found, problem) = SafeguardContext.Find(Encoding.UTF8.GetBytes(json));
        Assert.Null(problem);
        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData("""{"override": "true"}""", "string")]
    [InlineData("""{"override": 1}""", "number")]
    public void Any_other_value_is_a_problem_that_names_it(string json, string kind)
    {
        var (found, problem) = SafeguardContext.Find(Encoding.UTF8.GetBytes(json));
        Assert.False(found);
        Assert.Equal($"'override' in the body must be true or false (is {kind})", problem);
    }
}
