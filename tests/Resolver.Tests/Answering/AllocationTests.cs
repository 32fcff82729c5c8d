using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Answering.RawQuery;

namespace AkkaDns.Resolver.Tests.Answering;

/// <summary>The answer path allocates nothing per query once warm (a correctness check, not a timing test).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Answering_a_thousand_queries_allocates_nothing()
    {
        var f = new AnswerFixture();
        byte[][] queries =
        [
            AnswerFixture.Query("www.example.com.", RecordType.A),
            AnswerFixture.Query("WWW.EXAMPLE.COM.", RecordType.AAAA, edns: 1232, dnssecOk: true),
            AnswerFixture.Query("chain1.example.com.", RecordType.A),
            AnswerFixture.Query("loop1.example.com.", RecordType.A),
            AnswerFixture.Query("a.indn.example.com.", RecordType.A),
            AnswerFixture.Query("a.b.dn.example.com.", RecordType.A),
            AnswerFixture.Query("x.y.wild.example.com.", RecordType.MX),
            AnswerFixture.Query("foo.wc.example.com.", RecordType.A),
            AnswerFixture.Query("x.b.wild.example.com.", RecordType.A),
            AnswerFixture.Query("x.sub.example.com.", RecordType.A),
            AnswerFixture.Query("example.com.", RecordType.NS),
            AnswerFixture.Query("example.com.", RecordType.ANY),
            AnswerFixture.Query("big.example.com.", RecordType.TXT),
            AnswerFixture.Query("svc2.example.com.", RecordType.SVCB),
            AnswerFixture.Query("h.example.com.", RecordType.HTTPS),
            AnswerFixture.Query("naptrs.example.com.", RecordType.NAPTR),
            AnswerFixture.Query("naptra.example.com.", RecordType.NAPTR),
            AnswerFixture.Query("www.example.org.", RecordType.A, edns: 1232),
            Concat(Header(1, 0, 0)),
            Concat(Header(1, 0x1000, 1), Question("www.example.com.", RecordType.A)),
            Concat(Header(1, 0, 1, ar: 1), Question("www.example.com.", RecordType.A), Opt(version: 1)),
        ];
        var buf = new byte[65535];
        var udp = new QueryContext(Transport.Udp);
        int sink = 0;
        for (int i = 0; i < 200 * queries.Length; i++) sink += f.Answerer.Handle(queries[i % queries.Length], buf, udp);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) sink += f.Answerer.Handle(queries[i % queries.Length], buf, udp);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(sink > 0);
        Assert.Equal(0, after - before);
    }
}
