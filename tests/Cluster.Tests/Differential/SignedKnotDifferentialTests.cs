using Xunit.Abstractions;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// DO=1 differential: the same zone signed by AkkaDns (a zones node, <c>"dnssec": true</c>) and by knotd (automatic
/// signing, the same policy), every query of <see cref="SignedQuerySet"/> sent as identical bytes to both over UDP and
/// TCP, and the answers compared structurally (<see cref="SignedResponse"/>: RRsets per section, RRSIG fields but the
/// signature, NSEC3 records by the names they hash) plus the RFC rules of <see cref="SignedResponseComparer.Rules"/>.
/// Differences outside <see cref="KnownDifferences"/> fail the case.
/// </summary>
public sealed class SignedKnotDifferentialTests(SignedPairFixture pair, ITestOutputHelper output) : IClassFixture<SignedPairFixture>
{
    public static TheoryData<string, string> Cases() => SignedDifferentialRun.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Signed_answers_like_knot(string query, string transport) => SignedDifferentialRun.RunAsync(pair, query, transport, output);

    [Fact]
    public void Both_sign_with_one_ecdsa_csk_and_nsec3_without_salt_or_iterations()
    {
        output.WriteLine(pair.DnssecStatus);
        Assert.Contains("ECDSAP256SHA256", pair.DnssecStatus, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"csk\"", pair.DnssecStatus, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1 0 0 -", pair.DnssecStatus, StringComparison.Ordinal); // NSEC3PARAM: SHA-1, no flags, 0 iterations, no salt
    }

    [Fact]
    public Task Both_deny_with_NSEC3() => SignedDifferentialRun.DenialTypeIs(pair, "NSEC3");
}

/// <summary>The same queries with both servers denying by NSEC (RFC 4034 §4, RFC 4035 §3.1.3) instead of NSEC3.</summary>
public sealed class NsecSignedKnotDifferentialTests(NsecSignedPairFixture pair, ITestOutputHelper output) : IClassFixture<NsecSignedPairFixture>
{
    public static TheoryData<string, string> Cases() => SignedDifferentialRun.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Nsec_signed_answers_like_knot(string query, string transport) => SignedDifferentialRun.RunAsync(pair, query, transport, output);

    [Fact]
    public Task Both_deny_with_NSEC() => SignedDifferentialRun.DenialTypeIs(pair, "NSEC");
}

/// <summary>The same queries with both servers using NSEC3 opt-out (RFC 5155 §6): an insecure delegation is proven by
/// the NSEC3 covering it with the opt-out flag (§7.2.7), not by one of its own.</summary>
public sealed class OptOutSignedKnotDifferentialTests(OptOutSignedPairFixture pair, ITestOutputHelper output) : IClassFixture<OptOutSignedPairFixture>
{
    public static TheoryData<string, string> Cases() => SignedDifferentialRun.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Opt_out_signed_answers_like_knot(string query, string transport) => SignedDifferentialRun.RunAsync(pair, query, transport, output);

    [Fact]
    public void AkkaDns_signs_with_opt_out() => Assert.Contains("1 1 0 -", pair.DnssecStatus, StringComparison.Ordinal);
}

/// <summary>One query of <see cref="SignedQuerySet"/> sent to both signers at once, and the comparison.</summary>
public static class SignedDifferentialRun
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var q in SignedQuerySet.All)
            foreach (var transport in new[] { "udp", "tcp" })
                data.Add(q.Id, transport);
        return data;
    }

    /// <summary>An NXDOMAIN from each server carries denial records of <paramref name="type"/> only: the profile is what it says.</summary>
    public static async Task DenialTypeIs(SignedPairFixture pair, string type)
    {
        var query = DnsWire.BuildQuery(7, "nothere." + SignedTestZone.Origin, QuerySet.A, new QueryOptions(EdnsSize: 1232, Do: true));
        foreach (var server in new[] { pair.Knot.EndPoint, pair.AkkaDns })
        {
            var wire = await DnsWire.UdpAsync(server, query, TimeSpan.FromSeconds(4));
            Assert.NotNull(wire);
            var r = SignedResponse.Decode(wire!, pair.Unhash);
            var denial = r.Authority.Select(l => l.Split(' ')[3]).Where(t => t is "NSEC" or "NSEC3").Distinct().ToList();
            Assert.True(denial.SequenceEqual([type]), $"{server}: denial records {string.Join(',', denial)}, expected {type}:\n{r}");
        }
    }

    public static async Task RunAsync(SignedPairFixture pair, string query, string transport, ITestOutputHelper output)
    {
        var q = SignedQuerySet.Find(query);
        var bytes = q.Build(DifferentialRun.StableId("signed " + query + transport));
        var timeout = TimeSpan.FromSeconds(4);
        var knotTask = DnsWire.ExchangeAsync(transport, pair.Knot.EndPoint, bytes, timeout);
        var akkaTask = DnsWire.ExchangeAsync(transport, pair.AkkaDns, bytes, timeout);
        var (knot, akka) = (await knotTask, await akkaTask);
        async Task<SignedResponse?> AskKnot(byte[] packet)
        {
            var wire = await DnsWire.ExchangeAsync(transport, pair.Knot.EndPoint, packet, timeout);
            return wire is null ? null : SignedResponse.Decode(wire, pair.Unhash);
        }
        async Task<SignedResponse?> AskAkkaTcp(byte[] packet)
        {
            var wire = await DnsWire.TcpAsync(pair.AkkaDns, packet, timeout);
            return wire is null ? null : SignedResponse.Decode(wire, pair.Unhash);
        }
        var result = await SignedResponseComparer.CompareAsync(q, bytes, knot, akka, pair.Unhash, AskKnot, AskAkkaTcp);
        foreach (var a in result.Allowed.Distinct()) output.WriteLine($"allowed difference '{a.Id}': {a.What}");
        Assert.True(result.Same, $"{query} over {transport}: akkadns differs from knotd\n{string.Join('\n', result.Differences)}");
    }
}
