using System.Net;
using System.Text;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// Differential test: the same zone served by knotd (the reference) and by a real <c>akkadns serve</c> process;
/// every query of <see cref="QuerySet"/> is sent as identical bytes to both, over UDP and over TCP, and the
/// answers must match (RCODE, flags, question echo, sections as sets, OPT), except for the
/// <see cref="KnownDifferences"/> allow-list.
/// </summary>
public sealed class KnotDifferentialTests(KnotFixture knot, AkkaDnsFixture akka)
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
        Assert.True(result.Same,
            $"{query} over {transport}: akkadns differs from knotd\n{string.Join('\n', result.Differences)}" +
            $"\n(akkadns output so far:\n{akka.Server.Output})");
    }
}

/// <summary>Sends one query to both servers at once and compares the answers.</summary>
public static class DifferentialRun
{
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

        async Task<DecodedResponse?> KnotAnswerFor(ushort type)
        {
            var q = DnsWire.BuildQuery((ushort)(id ^ 0x5a5a), query.Name, type, query.Options);
            var wire = await DnsWire.ExchangeAsync(transport, knot, q, timeout);
            return wire is null ? null : DecodedResponse.Decode(wire);
        }

        return await ResponseComparer.CompareAsync(query, bytes, knotTask.Result, otherTask.Result, KnotAnswerFor);
    }

    /// <summary>A query ID derived from the case, so a failing case sends the same bytes every run.</summary>
    public static ushort StableId(string text)
    {
        uint h = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text)) h = (h ^ b) * 16777619;
        return (ushort)(h ^ (h >> 16));
    }
}
