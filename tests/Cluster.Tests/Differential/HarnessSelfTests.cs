namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// Checks the differential harness itself against knotd alone: knotd compared with itself shows no difference
/// (so a reported difference is never an artefact of the harness), and the comparer does catch a real one.
/// </summary>
public sealed class HarnessSelfTests(KnotFixture knot) : IClassFixture<KnotFixture>
{
    [Fact]
    public async Task Knot_compared_with_itself_shows_no_difference_over_udp_and_tcp()
    {
        var failures = new List<string>();
        foreach (var transport in new[] { "udp", "tcp" })
            foreach (var q in QuerySet.All.Where(q => q.Category != "malformed"))
            {
                var r = await DifferentialRun.CompareAsync(q, transport, knot.Knot.EndPoint, knot.Knot.EndPoint);
                if (!r.Same) failures.Add($"{q.Id} {transport}: {string.Join('\n', r.Differences)}");
            }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Knot_loads_the_rich_zone_without_semantic_warnings()
    {
        Assert.Empty(knot.Knot.Problems);
        Assert.Contains("[rich.example.] loaded", knot.Knot.Log);
    }

    [Fact]
    public void Knot_refuses_a_zone_that_breaks_a_semantic_rule_and_the_runner_says_so()
    {
        var bad = Path.Combine(Directory.CreateTempSubdirectory("akkadns-badzone-").FullName, "bad.zone");
        File.WriteAllText(bad, File.ReadAllText(RichZone.File) + "\nwww IN CNAME ptr\n");
        var e = Assert.Throws<InvalidOperationException>(() => Support.KnotRunner.Start(RichZone.Origin, bad));
        Assert.Contains("another record exists beside CNAME", e.Message);
        Directory.Delete(Path.GetDirectoryName(bad)!, recursive: true);
    }

    [Fact]
    public async Task The_comparer_reports_a_different_answer()
    {
        var www = QuerySet.Find("positive: www.rich.example. A");
        var mail = QuerySet.Find("positive: mail.rich.example. A");
        var id = DifferentialRun.StableId("mismatch");
        var sent = www.Build(id);
        var a = await DnsWire.UdpAsync(knot.Knot.EndPoint, sent, TimeSpan.FromSeconds(4));
        var b = await DnsWire.UdpAsync(knot.Knot.EndPoint, mail.Build(id), TimeSpan.FromSeconds(4));
        var r = await ResponseComparer.CompareAsync(www, sent, a, b, _ => Task.FromResult<DecodedResponse?>(null));
        Assert.False(r.Same);
        Assert.Contains(r.Differences, d => d.StartsWith("question echo", StringComparison.Ordinal));
        Assert.Contains(r.Differences, d => d.StartsWith("answer section differs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_allow_list_cites_an_rfc_for_each_difference()
    {
        Assert.All(KnownDifferences.All, d => Assert.Matches(@"RFC \d{4}", d.Rfc));
        Assert.Equal(KnownDifferences.All.Count, KnownDifferences.All.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public void Every_category_the_issue_names_has_queries()
    {
        var categories = QuerySet.All.Select(q => q.Category).ToHashSet();
        foreach (var c in new[] { "positive", "nodata", "nxdomain", "wildcard", "cname", "dname", "referral", "ent", "case",
                     "tc-noedns", "edns512", "edns1232", "edns4096", "out-of-zone", "unknown", "ds", "any", "malformed" })
            Assert.Contains(c, categories);
        Assert.Equal(QuerySet.All.Count, QuerySet.All.Select(q => q.Id).Distinct().Count());
    }
}
