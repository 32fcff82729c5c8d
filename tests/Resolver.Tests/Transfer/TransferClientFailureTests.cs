using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.FakeMaster;
using static AkkaDns.Resolver.Tests.Transfer.TransferClientKit;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary><see cref="TransferClient"/> transfers that fail: the RCODE and TSIG failures (RFC 8945 §5.3.1), broken
/// streams, the limits, timeouts and cancelling. Each names the failure it must end with.</summary>
[Collection(TransferClientKit.Collection)]
public sealed class TransferClientFailureTests
{
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
}
