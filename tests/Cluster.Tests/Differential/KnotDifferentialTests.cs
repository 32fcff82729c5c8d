using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// Differential test: the same zone served by knotd (the reference) and by a real <c>akkadns serve</c> process;
/// every query of <see cref="QuerySet"/> is sent as identical bytes to both, over UDP and over TCP, and the
/// answers must match (RCODE, flags, question echo, sections as sets, OPT), except for the
/// <see cref="KnownDifferences"/> allow-list.
/// </summary>
public sealed class KnotDifferentialTests(KnotFixture knot, AkkaDnsFixture akka, ITestOutputHelper output)
    : IClassFixture<KnotFixture>, IClassFixture<AkkaDnsFixture>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var q in QuerySet.All)
            foreach (var transport in new[] { "udp", "tcp" })
                data.Add(q.Id, transport);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answers_like_knot(string query, string transport)
    {
        var result = await DifferentialRun.CompareAsync(QuerySet.Find(query), transport, knot.Knot.EndPoint, akka.Server.EndPoint);
        DifferentialRun.Report(result, query, transport, output, akka.Server);
    }
}

/// <summary>
/// The size-sensitive queries again, with both servers allowed UDP answers up to 4096 bytes
/// (knotd <c>udp-max-payload: 4096</c>, <c>akkadns serve --max-udp-payload 4096</c>): "big" (~3.6 KB) must
/// then fit an EDNS 4096 answer and still be truncated for 512 and 1232.
/// </summary>
public sealed class KnotDifferentialLargePayloadTests(LargePayloadKnotFixture knot, LargePayloadAkkaDnsFixture akka, ITestOutputHelper output)
    : IClassFixture<LargePayloadKnotFixture>, IClassFixture<LargePayloadAkkaDnsFixture>
{
    private static readonly string[] Categories = ["tc-noedns", "edns512", "edns1232", "edns4096", "edns"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var q in QuerySet.All.Where(q => Categories.Contains(q.Category)))
            foreach (var transport in new[] { "udp", "tcp" })
                data.Add(q.Id, transport);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answers_like_knot_with_4096_byte_udp(string query, string transport)
    {
        var result = await DifferentialRun.CompareAsync(QuerySet.Find(query), transport, knot.Knot.EndPoint, akka.Server.EndPoint);
        DifferentialRun.Report(result, query, transport, output, akka.Server);
    }

    [Fact]
    public async Task Big_fits_an_edns_4096_answer_on_both()
    {
        var q = DnsWire.BuildQuery(4096, "big.rich.example.", QuerySet.TXT, new QueryOptions(EdnsSize: 4096));
        foreach (var server in new[] { knot.Knot.EndPoint, akka.Server.EndPoint })
        {
            var wire = await DnsWire.UdpAsync(server, q, TimeSpan.FromSeconds(4));
            Assert.NotNull(wire);
            var r = DecodedResponse.Decode(wire!);
            Assert.False(r.Tc, $"{server}: TC set on a {wire!.Length}-byte answer");
            Assert.Equal(30, r.Answer.Count);
            Assert.InRange(wire!.Length, 1233, 4096);
        }
    }
}

/// <summary>
/// A parent and its child zone in one server: the zone is chosen by longest suffix, the child apex answers for
/// itself (AA=1), and DS at the cut still comes from the parent (RFC 4035 §3.1.4.1).
/// </summary>
public sealed class KnotDifferentialTwoZoneTests(TwoZoneKnotFixture knot, TwoZoneAkkaDnsFixture akka, ITestOutputHelper output)
    : IClassFixture<TwoZoneKnotFixture>, IClassFixture<TwoZoneAkkaDnsFixture>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var q in QuerySet.TwoZones)
            foreach (var transport in new[] { "udp", "tcp" })
                data.Add(q.Id, transport);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answers_like_knot_with_parent_and_child_zones(string query, string transport)
    {
        var result = await DifferentialRun.CompareAsync(QuerySet.Find(query), transport, knot.Knot.EndPoint, akka.Server.EndPoint);
        DifferentialRun.Report(result, query, transport, output, akka.Server);
    }
}

/// <summary>Sends one query to both servers at once and compares the answers.</summary>
public static class DifferentialRun
{
    /// <summary>Fails with every difference found; on success, logs the allow-list entries that were needed.</summary>
    public static void Report(Comparison result, string query, string transport, ITestOutputHelper output, AkkaDnsServeProcess akka)
    {
        foreach (var a in result.Allowed.Distinct()) output.WriteLine($"allowed difference '{a.Id}': {a.What}");
        Assert.True(result.Same,
            $"{query} over {transport}: akkadns differs from knotd\n{string.Join('\n', result.Differences)}" +
            $"\n(akkadns output so far:\n{akka.Output})");
    }

    public static async Task<Comparison> CompareAsync(DiffQuery query, string transport, IPEndPoint knot, IPEndPoint other)
    {
        var id = StableId(query.Id + transport);
        var bytes = query.Build(id);
        // A dropped query costs the whole timeout, so malformed packets get a short one; the two servers are asked
        // at the same time so a case costs the slower of them.
        var timeout = query.Category == "malformed" ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(4);
        var knotTask = DnsWire.ExchangeAsync(transport, knot, bytes, timeout);
        var otherTask = DnsWire.ExchangeAsync(transport, other, bytes, timeout);
        await Task.WhenAll(knotTask, otherTask);

        async Task<DecodedResponse?> AskKnot(byte[] packet)
        {
            var wire = await DnsWire.ExchangeAsync(transport, knot, packet, timeout);
            return wire is null ? null : DecodedResponse.Decode(wire);
        }

        return await ResponseComparer.CompareAsync(query, bytes, knotTask.Result, otherTask.Result, AskKnot);
    }

    /// <summary>A query ID derived from the case, so a failing case sends the same bytes every run.</summary>
    public static ushort StableId(string text)
    {
        uint h = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text)) h = (h ^ b) * 16777619;
        return (ushort)(h ^ (h >> 16));
    }
}
