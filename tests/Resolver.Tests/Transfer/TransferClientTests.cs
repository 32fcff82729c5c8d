using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.FakeMaster;
using static AkkaDns.Resolver.Tests.Transfer.TransferClientKit;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>
/// <see cref="TransferClient"/> against a scripted master on loopback: AXFR and IXFR in their shapes (RFC 5936,
/// RFC 1995) and the AXFR fallback. Every case asserts the exact records and serials it should end with. The failures
/// are in <see cref="TransferClientFailureTests"/>, the SOA probe in <see cref="TransferClientSoaTests"/>.
/// </summary>
[Collection(TransferClientKit.Collection)]
public sealed class TransferClientTests
{
    [Fact]
    public async Task An_AXFR_in_several_signed_messages_gives_the_whole_zone_SOA_first()
    {
        await using var master = new FakeMaster(q => Axfr(q, Zone1, perMessage: 3), Key);
        var result = await Client().FetchAsync(Source(master, Key), Origin, null);

        Assert.True(result.Failure == TransferFailure.None, result.Message);
        Assert.Equal(IncomingTransferKind.Full, result.Kind);
        Assert.Equal(1u, result.Serial);
        Assert.Equal(3, result.Messages); // 7 records, 3 per message
        Assert.False(result.FellBackToAxfr);
        AssertZone(result.Records, 1, Zone1);
        var seen = Assert.Single(master.Seen);
        Assert.Equal(("tcp", RecordType.AXFR, TsigStatus.Ok), (seen.Transport, seen.Type, seen.Tsig.Status));
    }

    [Fact]
    public async Task An_AXFR_drops_duplicates_and_keeps_the_last_SOA_only()
    {
        var withDuplicate = Zone1.Append(Rr("WWW A 192.0.2.1")).ToArray();
        await using var master = new FakeMaster(q => Axfr(q, withDuplicate));
        var result = await Client().FetchAsync(Source(master), Origin, null);
        Assert.True(result.Failure == TransferFailure.None, result.Message);
        Assert.Equal(Zone1.Length, result.Records!.Count);
        AssertZone(result.Records, 1, Zone1);
    }

    [Fact]
    public async Task An_IXFR_applies_two_difference_sequences_to_our_copy()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError,
        [
            [Soa(3), Soa(1), Rr("WWW.example.com. A 192.0.2.1"), Soa(2), Rr("www A 192.0.2.2")],
            [Soa(2), Rr("old A 192.0.2.9"), Rr("txt TXT \"a b\""), Soa(3), Rr("new A 192.0.2.10"), Rr("www AAAA 2001:db8::2"), Rr("txt 60 TXT \"a b\""), Soa(3)],
        ]), Key);

        var result = await Client().FetchAsync(Source(master, Key), Origin, new ZoneCopy(1, Zone1));

        Assert.True(result.Failure == TransferFailure.None, result.Message);
        Assert.Equal(IncomingTransferKind.Incremental, result.Kind);
        Assert.Equal(3u, result.Serial);
        Assert.Equal(2, result.Messages);
        AssertZone(result.Records, 3,
            Soa(3), Rr("@ NS ns1"), Rr("ns1 A 192.0.2.53"), Rr("www A 192.0.2.2"), Rr("new A 192.0.2.10"), Rr("www AAAA 2001:db8::2"), Rr("txt 60 TXT \"a b\""));
        var seen = Assert.Single(master.Seen);
        Assert.Equal((RecordType.IXFR, (uint?)1), (seen.Type, seen.IxfrSerial));
    }

    [Fact]
    public async Task An_IXFR_answered_with_our_serial_is_up_to_date()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[Soa(1)]]), Key);
        var result = await Client().FetchAsync(Source(master, Key), Origin, new ZoneCopy(1, Zone1));
        Assert.Equal((TransferFailure.None, IncomingTransferKind.UpToDate, 1u), (result.Failure, result.Kind, result.Serial));
        Assert.Null(result.Records);
        Assert.Single(master.Seen);
    }

    [Fact]
    public async Task Serials_compare_by_RFC_1982_across_the_wrap()
    {
        // Ours is 5, the master's 4294967290: older across the wrap, so up to date (a plain comparison would say newer).
        await using (var older = new FakeMaster(q => Answer(q, Rcode.NoError, [[Soa(4294967290)]])))
        {
            var result = await Client().FetchAsync(Source(older), Origin, new ZoneCopy(5, Zone1));
            Assert.Equal((TransferFailure.None, IncomingTransferKind.UpToDate), (result.Failure, result.Kind));
        }
        // Ours is 4294967295, the master's 2: one difference across the wrap.
        ResourceRecord[] ours = [Soa(4294967295), .. Zone1[1..]];
        await using var newer = new FakeMaster(q => Answer(q, Rcode.NoError,
            [[Soa(2), Soa(4294967295), Rr("old A 192.0.2.9"), Soa(2), Soa(2)]]));
        var wrapped = await Client().FetchAsync(Source(newer), Origin, new ZoneCopy(4294967295, ours));
        Assert.True(wrapped.Failure == TransferFailure.None, wrapped.Message);
        Assert.Equal((IncomingTransferKind.Incremental, 2u), (wrapped.Kind, wrapped.Serial));
        AssertZone(wrapped.Records, 2, [Soa(2), .. Zone1[1..].Where(r => r.Owner != DnsName.Parse("old.example.com."))]);
        Assert.Equal((uint?)4294967295, Assert.Single(newer.Seen).IxfrSerial);
    }

    [Fact]
    public async Task An_IXFR_answered_in_AXFR_form_replaces_the_zone()
    {
        ResourceRecord[] zone5 = [Soa(5), Rr("@ NS ns1"), Rr("ns1 A 192.0.2.53"), Rr("fresh A 192.0.2.5")];
        await using var master = new FakeMaster(q => Axfr(q, zone5, perMessage: 10));
        var result = await Client().FetchAsync(Source(master), Origin, new ZoneCopy(1, Zone1));
        Assert.True(result.Failure == TransferFailure.None, result.Message);
        Assert.Equal((IncomingTransferKind.Full, 5u, false), (result.Kind, result.Serial, result.FellBackToAxfr));
        AssertZone(result.Records, 5, zone5);
        Assert.Equal(new[] { RecordType.IXFR }, master.Seen.Select(q => q.Type));
    }

    [Theory]
    [InlineData(Rcode.NotImp)]
    [InlineData(Rcode.Refused)]
    [InlineData(Rcode.FormErr)]
    public async Task An_IXFR_the_master_does_not_do_falls_back_to_one_AXFR(Rcode rcode)
    {
        ResourceRecord[] zone4 = [Soa(4), Rr("@ NS ns1"), Rr("ns1 A 192.0.2.53")];
        await using var master = new FakeMaster(q => q.Type == RecordType.IXFR ? Answer(q, rcode, []) : Axfr(q, zone4), Key);
        var result = await Client().FetchAsync(Source(master, Key), Origin, new ZoneCopy(1, Zone1));
        Assert.True(result.Failure == TransferFailure.None, result.Message);
        Assert.Equal((IncomingTransferKind.Full, 4u, true), (result.Kind, result.Serial, result.FellBackToAxfr));
        AssertZone(result.Records, 4, zone4);
        Assert.Equal(new[] { RecordType.IXFR, RecordType.AXFR }, master.Seen.Select(q => q.Type));
        Assert.Contains("IXFR", result.Message);
    }

    [Fact]
    public async Task An_IXFR_that_deletes_what_we_do_not_hold_falls_back_to_AXFR()
    {
        ResourceRecord[] zone2 = [Soa(2), Rr("@ NS ns1"), Rr("ns1 A 192.0.2.53"), Rr("www A 192.0.2.2")];
        await using var master = new FakeMaster(q => q.Type == RecordType.IXFR
            ? Answer(q, Rcode.NoError, [[Soa(2), Soa(1), Rr("nothere A 192.0.2.99"), Soa(2), Rr("www A 192.0.2.2"), Soa(2)]])
            : Axfr(q, zone2));
        var result = await Client().FetchAsync(Source(master), Origin, new ZoneCopy(1, Zone1));
        Assert.True(result.Failure == TransferFailure.None, result.Message);
        Assert.True(result.FellBackToAxfr);
        Assert.Contains("nothere.example.com.", result.Message);
        AssertZone(result.Records, 2, zone2);
    }

    [Fact]
    public async Task An_IXFR_whose_difference_starts_at_another_serial_falls_back_to_AXFR()
    {
        ResourceRecord[] zone3 = [Soa(3), Rr("@ NS ns1"), Rr("ns1 A 192.0.2.53")];
        await using var master = new FakeMaster(q => q.Type == RecordType.IXFR
            ? Answer(q, Rcode.NoError, [[Soa(3), Soa(2), Soa(3), Rr("x A 192.0.2.1"), Soa(3)]])
            : Axfr(q, zone3));
        var result = await Client().FetchAsync(Source(master), Origin, new ZoneCopy(1, Zone1));
        Assert.Equal((TransferFailure.None, true, 3u), (result.Failure, result.FellBackToAxfr, result.Serial));
        Assert.Contains("starts at serial 2", result.Message);
    }
}
