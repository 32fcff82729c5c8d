using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.TransferFixture;

namespace AkkaDns.Resolver.Tests.Transfer;

public sealed class IxfrStreamTests
{
    private static readonly string ZoneV3 = SmallZone.Replace("2024010101", "3");

    private static ZoneDiff TwoToThree(int additions = 1)
        => new(Soa(2), Soa(3), [A("old", "192.0.2.7")], Enumerable.Range(0, additions).Select(i => A($"new{i}", $"10.0.{i >> 8}.{i & 255}")).ToArray());

    private static IxfrPlan Incremental(int additions = 1) => new(IxfrPlanKind.Incremental, TwoToThree(additions));

    [Fact]
    public void An_incremental_answer_is_new_soa_old_soa_deletions_new_soa_additions_new_soa()
    {
        using var stream = ZoneTransferStream.Ixfr(Request(RecordType.IXFR, ixfrSerial: 2), Compile(ZoneV3), Incremental(2));
        var messages = Drain(stream);
        var answers = Answers(messages).Select(r => r.ToResourceRecord()).ToList();

        Assert.Equal([Soa(3), Soa(2), A("old", "192.0.2.7"), Soa(3), A("new0", "10.0.0.0"), A("new1", "10.0.0.1"), Soa(3)], answers);
        Assert.Equal(RecordType.IXFR, Assert.Single(DnsMessage.Parse(messages[0]).Questions).Type);
    }

    [Fact]
    public void An_up_to_date_client_gets_one_message_with_the_current_soa()
    {
        var zone = Compile(ZoneV3);
        using var stream = ZoneTransferStream.Ixfr(Request(RecordType.IXFR, ixfrSerial: 3), zone, IxfrPlan.Current);
        var answer = Assert.Single(Answers(Drain(stream)));
        Assert.Equal(RecordType.SOA, answer.Type);
        Assert.Equal(3u, SerialNumber.OfSoaRData(answer.RData));
    }

    [Fact]
    public void A_full_ixfr_is_the_axfr_sequence_under_the_ixfr_question()
    {
        var zone = Load(ZoneV3);
        using var stream = ZoneTransferStream.Ixfr(Request(RecordType.IXFR, ixfrSerial: 1), AkkaDns.Resolver.Serving.CompiledZone.Compile(zone), IxfrPlan.Full);
        var answers = Answers(Drain(stream));
        Assert.Equal(RecordType.SOA, answers[^1].Type);
        Assert.Equal(Lines(zone.Records), Lines(answers.SkipLast(1)));
    }

    [Fact]
    public void Over_udp_an_incremental_answer_that_fits_is_sent_whole()
    {
        var buffer = new byte[512];
        int n = ZoneTransferStream.WriteUdpIxfr(Request(RecordType.IXFR, ixfrSerial: 2), Compile(ZoneV3), Incremental(), buffer);
        Assert.Equal(6, DnsMessage.Parse(buffer.AsSpan(0, n)).Answers.Count);

        var signer = new FakeSigner();
        n = ZoneTransferStream.WriteUdpIxfr(Request(RecordType.IXFR, ixfrSerial: 2), Compile(ZoneV3), Incremental(), buffer, signer);
        Assert.Equal(1, signer.Calls); // only the message sent is signed
        Assert.Equal(RecordType.TSIG, Assert.Single(DnsMessage.Parse(buffer.AsSpan(0, n)).Additional).Type);
    }

    [Fact]
    public void Over_udp_an_incremental_answer_too_big_for_the_buffer_falls_back_to_the_single_soa()
    {
        var buffer = new byte[512];
        int n = ZoneTransferStream.WriteUdpIxfr(Request(RecordType.IXFR, ixfrSerial: 2), Compile(ZoneV3), Incremental(additions: 100), buffer);
        var m = DnsMessage.Parse(buffer.AsSpan(0, n));
        Assert.Equal(RecordType.SOA, Assert.Single(m.Answers).Type);
        Assert.False(m.Truncated);

        n = ZoneTransferStream.WriteUdpIxfr(Request(RecordType.IXFR, ixfrSerial: 1), Compile(ZoneV3), IxfrPlan.Full, buffer);
        Assert.Equal(RecordType.SOA, Assert.Single(DnsMessage.Parse(buffer.AsSpan(0, n)).Answers).Type);
    }
}
