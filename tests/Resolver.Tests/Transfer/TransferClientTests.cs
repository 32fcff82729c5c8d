using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.FakeMaster;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>
/// <see cref="TransferClient"/> against a scripted master on loopback: AXFR and IXFR in their shapes (RFC 5936,
/// RFC 1995), the AXFR fallback, the RCODE and TSIG failures (RFC 8945 §5.3.1), and the limits. Every case asserts the
/// exact records and serials it should end with.
/// </summary>
public sealed class TransferClientTests
{
    private static readonly TsigKey Key = new(DnsName.Parse("xfr.key."), TsigAlgorithm.HmacSha256,
        Convert.FromBase64String("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="));

    private static readonly ResourceRecord[] Zone1 =
    [
        Soa(1), Rr("@ NS ns1"), Rr("ns1 A 192.0.2.53"), Rr("www A 192.0.2.1"), Rr("old A 192.0.2.9"), Rr("txt TXT \"a b\""),
    ];

    private static TransferClient Client(TimeSpan? idle = null, int maxRecords = 5_000_000, long maxBytes = 1L << 31) => new(new TransferClientOptions
    {
        SoaTimeout = TimeSpan.FromMilliseconds(500),
        IdleTimeout = idle ?? TimeSpan.FromSeconds(5),
        MaxRecords = maxRecords,
        MaxBytes = maxBytes,
    }, TimeProvider.System);

    private static TransferSource Source(FakeMaster master, TsigKey? key = null) => new(master.EndPoint, key);

    private static List<string> Sorted(IEnumerable<ResourceRecord> records) => records.Select(r => r.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

    private static void AssertZone(IReadOnlyList<ResourceRecord>? actual, uint serial, params ResourceRecord[] expected)
    {
        Assert.NotNull(actual);
        Assert.Equal(RecordType.SOA, actual[0].Type);
        Assert.Equal(serial, SerialNumber.Of(actual[0]));
        Assert.Single(actual, r => r.Type == RecordType.SOA);
        Assert.Equal(Sorted(expected), Sorted(actual));
    }

    /// <summary>AXFR form: SOA, the records split over messages, SOA.</summary>
    private static List<byte[]> Axfr(FakeQuery q, IReadOnlyList<ResourceRecord> zone, int perMessage = 2)
    {
        var stream = zone.Append(zone[0]).ToList();
        var messages = stream.Chunk(perMessage).Select(c => (IReadOnlyList<ResourceRecord>)c).ToList();
        return Answer(q, Rcode.NoError, messages);
    }

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

    [Fact]
    public async Task A_refused_AXFR_names_the_master_and_the_zone()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.Refused, []));
        var result = await Client().FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.Refused, result.Failure);
        Assert.Equal($"{master.EndPoint} refused the AXFR of example.com.", result.Message);
        Assert.Null(result.Records);
        Assert.False(result.FellBackToAxfr);
    }

    [Fact]
    public async Task A_key_the_master_does_not_know_is_NotAuth_with_BADKEY()
    {
        var unknown = Key with { Name = DnsName.Parse("other.key.") };
        await using var master = new FakeMaster(q => Answer(q, (Rcode)9, []), Key);
        var result = await Client().FetchAsync(Source(master, unknown), Origin, null);
        Assert.Equal(TransferFailure.NotAuth, result.Failure);
        Assert.Equal(TsigStatus.BadKey, Assert.Single(master.Seen).Tsig.Status);
        Assert.Equal($"{master.EndPoint} answered NOTAUTH (TSIG error BADKEY) to the AXFR of example.com.", result.Message);
    }

    [Fact]
    public async Task A_stream_message_whose_MAC_is_wrong_is_TsigFailed()
    {
        await using var master = new FakeMaster(q =>
        {
            var messages = Axfr(q, Zone1);
            messages[1][3] ^= 0x80; // RA flipped after signing: the MAC no longer covers these bytes
            return messages;
        }, Key);
        var result = await Client().FetchAsync(Source(master, Key), Origin, null);
        Assert.Equal(TransferFailure.TsigFailed, result.Failure);
        Assert.Contains("message 2", result.Message);
        Assert.Contains("wrong TSIG MAC", result.Message);
        Assert.Null(result.Records);
    }

    [Fact]
    public async Task Unsigned_messages_inside_a_signed_stream_pass_when_the_last_is_signed()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, Zone1.Append(Zone1[0]).Chunk(2).Select(c => (IReadOnlyList<ResourceRecord>)c).ToList(),
            unsigned: new HashSet<int> { 1, 2 }), Key);
        var result = await Client().FetchAsync(Source(master, Key), Origin, null);
        Assert.True(result.Failure == TransferFailure.None, result.Message);
        AssertZone(result.Records, 1, Zone1);
    }

    [Fact]
    public async Task A_signed_stream_whose_last_message_is_unsigned_is_TsigFailed()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, Zone1.Append(Zone1[0]).Chunk(2).Select(c => (IReadOnlyList<ResourceRecord>)c).ToList(),
            unsigned: new HashSet<int> { 3 }), Key);
        var result = await Client().FetchAsync(Source(master, Key), Origin, null);
        Assert.Equal(TransferFailure.TsigFailed, result.Failure);
        Assert.Contains("last message", result.Message);
    }

    [Theory]
    [InlineData(99, TransferFailure.None)]
    [InlineData(100, TransferFailure.TsigFailed)]
    public async Task At_most_99_unsigned_messages_in_a_row_are_allowed(int unsignedInARow, TransferFailure expected)
    {
        var zone = Enumerable.Range(0, 110).Select(i => Rr($"h{i} A 10.0.1.{i}")).Prepend(Soa(1)).ToArray();
        var skipped = Enumerable.Range(1, unsignedInARow).ToHashSet(); // message 0 signed, then the run
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError,
            zone.Append(zone[0]).Chunk(1).Select(c => (IReadOnlyList<ResourceRecord>)c).ToList(), unsigned: skipped), Key);
        var result = await Client().FetchAsync(Source(master, Key), Origin, null);
        Assert.True(result.Failure == expected, result.Message);
        Assert.Equal(expected == TransferFailure.None ? zone.Length : 0, result.Records?.Count ?? 0);
        Assert.Equal(expected == TransferFailure.None ? zone.Length + 1 : unsignedInARow + 1, result.Messages); // stops at the 101st
    }

    [Fact]
    public async Task An_unsigned_answer_to_a_signed_AXFR_is_TsigFailed()
    {
        await using var master = new FakeMaster(q => Axfr(q with { Tsig = TsigCodec.VerifyRequest([], new TsigKeyStore(), DateTimeOffset.UtcNow) }, Zone1));
        var result = await Client().FetchAsync(Source(master, Key), Origin, null);
        Assert.Equal(TransferFailure.TsigFailed, result.Failure);
        Assert.Contains("is not signed", result.Message);
    }

    [Fact]
    public async Task A_stream_that_ends_before_the_closing_SOA_is_Malformed()
    {
        await using var master = new FakeMaster(q => Axfr(q, Zone1).Take(2)); // then the connection closes
        var result = await Client().FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.Malformed, result.Failure);
        Assert.Contains("ended after 4 record(s)", result.Message);
        Assert.Contains(master.EndPoint.ToString(), result.Message);
    }

    [Fact]
    public async Task An_AXFR_whose_closing_SOA_has_another_serial_is_Malformed()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[.. Zone1, Soa(2)]]));
        var result = await Client().FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.Malformed, result.Failure);
        Assert.Contains("closing SOA has serial 2", result.Message);
    }

    [Fact]
    public async Task An_AXFR_with_a_record_outside_the_zone_is_Malformed()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[Soa(1), Rr("evil.example.net. A 192.0.2.66"), Soa(1)]]));
        var result = await Client().FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.Malformed, result.Failure);
        Assert.Contains("outside the zone", result.Message);
    }

    [Fact]
    public async Task An_AXFR_of_nothing_but_the_SOA_is_Empty()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[Soa(7)], [Soa(7)]]));
        var result = await Client().FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.Empty, result.Failure);
        Assert.Null(result.Records);
        Assert.Contains("nothing but its SOA", result.Message);
    }

    [Fact]
    public async Task More_records_than_MaxRecords_is_TooLarge_and_stops_reading()
    {
        var big = Enumerable.Range(0, 100).Select(i => Rr($"h{i} A 10.0.0.{i}")).Prepend(Soa(1)).ToArray();
        await using var master = new FakeMaster(q => Axfr(q, big, perMessage: 10));
        var result = await Client(maxRecords: 50).FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.TooLarge, result.Failure);
        Assert.Equal(6, result.Messages); // the 51st record is in the 6th message
        Assert.Contains("more than 50 records", result.Message);
    }

    [Fact]
    public async Task More_bytes_than_MaxBytes_is_TooLarge()
    {
        await using var master = new FakeMaster(q => Axfr(q, Zone1, perMessage: 1));
        var result = await Client(maxBytes: 150).FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.TooLarge, result.Failure);
        Assert.True(result.Bytes <= 150, $"{result.Bytes} bytes");
    }

    [Fact]
    public async Task A_master_that_stops_sending_is_a_Timeout()
    {
        await using var master = new FakeMaster(q => Axfr(q, Zone1).Take(1).Append<byte[]?>(null));
        var started = DateTime.UtcNow;
        var result = await Client(idle: TimeSpan.FromSeconds(1)).FetchAsync(Source(master), Origin, null);
        Assert.Equal(TransferFailure.Timeout, result.Failure);
        Assert.Equal(1, result.Messages);
        Assert.Contains("took more than 1 s to send a message after 1 during the AXFR of example.com.", result.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_closed_port_is_a_Network_failure()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = (IPEndPoint)probe.LocalEndPoint!; // bound, never listening: connections are refused
        var result = await Client().FetchAsync(new TransferSource(closed, null), Origin, null);
        Assert.Equal(TransferFailure.Network, result.Failure);
        Assert.Contains("connection refused", result.Message);
        Assert.Contains(closed.ToString(), result.Message);
    }

    [Fact]
    public async Task Cancelling_throws()
    {
        await using var master = new FakeMaster(q => [null]);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().FetchAsync(Source(master), Origin, null, cts.Token));
    }

    // ---- SOA probe ----

    [Fact]
    public async Task The_SOA_probe_reads_the_serial_over_signed_UDP()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[Soa(2026120301)]]), Key);
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal((2026120301u, TransferFailure.None), (probe.Serial, probe.Failure));
        var seen = Assert.Single(master.Seen);
        Assert.Equal(("udp", RecordType.SOA, TsigStatus.Ok, false), (seen.Transport, seen.Type, seen.Tsig.Status, seen.Message.RecursionDesired));
        Assert.Equal((ushort)1232, seen.Message.Edns!.UdpPayloadSize);
    }

    [Fact]
    public async Task A_truncated_SOA_answer_is_asked_again_over_TCP()
    {
        await using var master = new FakeMaster(q => q.Transport == "udp"
            ? Answer(q, Rcode.NoError, [[]], truncated: true)
            : Answer(q, Rcode.NoError, [[Soa(42)]]), Key);
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal((42u, TransferFailure.None), (probe.Serial, probe.Failure));
        Assert.Equal(new[] { "udp", "tcp" }, master.Seen.Select(q => q.Transport));
    }

    [Fact]
    public async Task A_refused_SOA_query_says_who_refused_what()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.Refused, []));
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(((uint?)null, TransferFailure.Refused), (probe.Serial, probe.Failure));
        Assert.Equal($"{master.EndPoint} refused the SOA query for example.com.", probe.Message);
    }

    [Theory]
    [InlineData(Rcode.ServFail, TransferFailure.ServFail)]
    [InlineData(Rcode.NotImp, TransferFailure.NotImplemented)]
    [InlineData(Rcode.NXDomain, TransferFailure.OtherRcode)]
    public async Task SOA_error_rcodes_map_to_failures(Rcode rcode, TransferFailure expected)
    {
        await using var master = new FakeMaster(q => Answer(q, rcode, []));
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(expected, probe.Failure);
        Assert.Contains("example.com.", probe.Message);
    }

    [Fact]
    public async Task An_SOA_answer_with_a_wrong_MAC_is_TsigFailed()
    {
        await using var master = new FakeMaster(q =>
        {
            var answer = Answer(q, Rcode.NoError, [[Soa(3)]]);
            answer[0][3] ^= 0x80;
            return answer;
        }, Key);
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal(TransferFailure.TsigFailed, probe.Failure);
        Assert.Contains("wrong TSIG MAC", probe.Message);
    }

    [Fact]
    public async Task An_unsigned_SOA_answer_to_a_signed_query_is_TsigFailed()
    {
        await using var master = new FakeMaster(q => Answer(q with { Tsig = TsigCodec.VerifyRequest([], new TsigKeyStore(), DateTimeOffset.UtcNow) }, Rcode.NoError, [[Soa(3)]]));
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal(TransferFailure.TsigFailed, probe.Failure);
        Assert.Contains("is not signed", probe.Message);
    }

    [Fact]
    public async Task An_SOA_answer_for_another_owner_is_Malformed()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[Rr("sub 3600 SOA ns1 hostmaster 5 1 1 1 1")]]));
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(TransferFailure.Malformed, probe.Failure);
    }

    [Fact]
    public async Task A_silent_master_is_an_SOA_Timeout_after_two_tries()
    {
        await using var master = new FakeMaster(q => []);
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(TransferFailure.Timeout, probe.Failure);
        Assert.Equal(2, master.Seen.Count);
        Assert.Contains("2 tries", probe.Message);
    }
}
