using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.TransferFixture;

namespace AkkaDns.Resolver.Tests.Transfer;

public sealed class TransferRequestTests
{
    [Fact]
    public void An_axfr_query_parses_with_its_id_zone_and_question()
    {
        Assert.True(TransferRequest.TryParse(Query(RecordType.AXFR, id: 7, zone: "ExAmple."), out var r, out _));
        Assert.Equal(7, r!.Id);
        Assert.Equal(Origin, r.Zone);
        Assert.Equal(RecordType.AXFR, r.Type);
        Assert.Null(r.ClientSerial);
        Assert.Equal((byte)'E', r.Question[1]); // echoed as sent
    }

    [Fact]
    public void An_ixfr_query_carries_the_clients_serial_from_its_authority_soa()
    {
        Assert.True(TransferRequest.TryParse(Query(RecordType.IXFR, ixfrSerial: 0xFFFF_0001), out var r, out _));
        Assert.Equal(0xFFFF_0001u, r!.ClientSerial);
    }

    [Fact]
    public void An_ixfr_without_an_soa_is_a_format_error()
    {
        Assert.False(TransferRequest.TryParse(Query(RecordType.IXFR), out _, out var error));
        Assert.Equal(Rcode.FormErr, error);

        var m = DnsMessage.CreateQuery(Origin, RecordType.IXFR);
        m.Authority.Add(new DnsRecord(A("www", "192.0.2.1")));
        Assert.False(TransferRequest.TryParse(m.Encode(), out _, out error));
        Assert.Equal(Rcode.FormErr, error);
    }

    [Fact]
    public void Other_queries_are_not_transfers()
    {
        Assert.False(TransferRequest.TryParse(Query(RecordType.SOA), out var r, out var error));
        Assert.Null(r);
        Assert.Equal(Rcode.NoError, error);
        Assert.False(TransferRequest.TryParse(new byte[5], out _, out error));
        Assert.Equal(Rcode.NoError, error);
    }

    [Fact]
    public void Every_prefix_of_an_ixfr_query_fails_cleanly()
    {
        var q = Query(RecordType.IXFR, ixfrSerial: 9);
        for (int n = 0; n < q.Length; n++) Assert.False(TransferRequest.TryParse(q.AsSpan(0, n), out _, out _), $"prefix {n}");
    }
}
