using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Notify;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig;

namespace AkkaDns.Resolver.Tests.Notify;

/// <summary>
/// NOTIFY (RFC 1996) against a UDP socket standing in for the secondary: the message's shape, acknowledgement, retries
/// on a silent secondary, a newer serial replacing the one being retried, and TSIG.
/// </summary>
public sealed class NotifySenderTests : IDisposable
{
    private static readonly DnsName Zone = DnsName.Parse("example.");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly Socket _secondary = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<NotifyOutcome> _outcomes = [];
    private readonly TaskCompletionSource<NotifyOutcome> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NotifySenderTests() => _secondary.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public void Dispose() => _secondary.Dispose();

    private IPEndPoint Target => (IPEndPoint)_secondary.LocalEndPoint!;

    private NotifySender Sender(TimeSpan interval, int retries) =>
        new(IPAddress.Loopback, new NotifyOptions { FirstInterval = interval, MaxInterval = interval, Retries = retries }, Report);

    private void Report(NotifyOutcome outcome)
    {
        lock (_outcomes) _outcomes.Add(outcome);
        _first.TrySetResult(outcome);
    }

    private async Task<NotifyOutcome> Outcome() => await _first.Task.WaitAsync(Bound);

    private async Task<(byte[] Datagram, EndPoint From)> Receive()
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Bound);
        var r = await _secondary.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        return (buffer[..r.ReceivedBytes], r.RemoteEndPoint);
    }

    /// <summary>The secondary's answer: the header with QR set and NOERROR, the question echoed (TSIG left off).</summary>
    private async Task Answer(byte[] notify, EndPoint from)
    {
        var m = DnsMessage.Parse(notify);
        int questionEnd = 12 + m.Questions[0].Name.Wire.Length + 4;
        var reply = notify[..questionEnd];
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(2));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), (ushort)((flags | 0x8000) & 0xFFF0));
        reply.AsSpan(6, 6).Clear();
        await _secondary.SendToAsync(reply, SocketFlags.None, from);
    }

    [Fact]
    public async Task The_notify_is_opcode_4_authoritative_with_the_zones_soa_question()
    {
        await using var sender = Sender(TimeSpan.FromSeconds(2), 0);
        sender.Notify(Zone, 7, Target);

        var (datagram, from) = await Receive();

        Assert.True(DnsMessage.TryParse(datagram, out var m, out var error), error);
        Assert.Equal(Opcode.Notify, m!.Opcode);
        Assert.Equal(4, (int)m.Opcode);
        Assert.Equal(4, (datagram[2] >> 3) & 0xF);
        Assert.False(m.IsResponse);
        Assert.True(m.AuthoritativeAnswer);
        var q = Assert.Single(m.Questions);
        Assert.Equal(Zone, q.Name);
        Assert.Equal(RecordType.SOA, q.Type);
        Assert.Equal(RecordClass.IN, q.Class);
        Assert.Empty(m.Answers);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)from).Address);
        await Answer(datagram, from);
        Assert.True((await Outcome()).Acknowledged);
    }

    [Fact]
    public async Task An_answered_notify_is_acknowledged_after_one_attempt()
    {
        await using var sender = Sender(TimeSpan.FromSeconds(5), 2);
        sender.Notify(Zone, 42, Target);

        var (datagram, from) = await Receive();
        await Answer(datagram, from);
        var outcome = await Outcome();

        Assert.True(outcome.Acknowledged, outcome.Problem);
        Assert.Equal(1, outcome.Attempts);
        Assert.Equal(42u, outcome.Serial);
        Assert.Equal(Zone, outcome.Zone);
        Assert.Equal(Target, outcome.Target);
        Assert.Equal(Rcode.NoError, outcome.Rcode);
        Assert.Null(outcome.Problem);
        Assert.Equal(0, sender.InFlight);
    }

    [Fact]
    public async Task An_unanswered_notify_is_retried_and_then_reported_failed()
    {
        await using var sender = Sender(TimeSpan.FromMilliseconds(50), 2);
        sender.Notify(Zone, 42, Target);

        var outcome = await Outcome();

        Assert.False(outcome.Acknowledged);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(42u, outcome.Serial);
        Assert.NotNull(outcome.Problem);
        Assert.Equal(0, sender.InFlight);
        // All three tries reached the secondary, each a NOTIFY of the zone.
        for (int i = 0; i < 3; i++)
        {
            var (datagram, _) = await Receive();
            var m = DnsMessage.Parse(datagram);
            Assert.Equal(Opcode.Notify, m.Opcode);
            Assert.Equal(Zone, m.Questions[0].Name);
        }
        Assert.Equal(0, _secondary.Available);
        lock (_outcomes) Assert.Single(_outcomes);
    }

    [Fact]
    public async Task A_newer_serial_while_retrying_replaces_the_pending_one()
    {
        await using var sender = Sender(TimeSpan.FromMilliseconds(100), 5);
        sender.Notify(Zone, 1, Target);

        var (first, _) = await Receive(); // left unanswered: the sender is retrying serial 1
        Assert.Equal(Opcode.Notify, DnsMessage.Parse(first).Opcode);
        sender.Notify(Zone, 2, Target);
        Assert.Equal(1, sender.InFlight); // the same NOTIFY in flight, re-targeted
        // From now on the secondary answers every try; an answer to a try sent just before the change makes the
        // sender send once more, for serial 2.
        using var stop = new CancellationTokenSource();
        var responder = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                SocketReceiveFromResult r;
                try { r = await _secondary.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token); }
                catch (OperationCanceledException) { return; }
                await Answer(buffer[..r.ReceivedBytes], r.RemoteEndPoint);
            }
        });
        var outcome = await Outcome();

        Assert.True(outcome.Acknowledged, outcome.Problem);
        Assert.Equal(2u, outcome.Serial);
        lock (_outcomes) Assert.Single(_outcomes);
        Assert.Equal(0, sender.InFlight);
        stop.Cancel();
        await responder.WaitAsync(Bound);
    }

    [Fact]
    public async Task The_last_serial_is_always_sent_even_when_it_comes_as_the_previous_one_ends()
    {
        // A secondary that answers at once, and serials that keep coming: whichever try a serial lands on (before the
        // loop sends, while it waits, as it ends), the latest one is acknowledged in the end.
        var acked = new TaskCompletionSource<NotifyOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        const uint last = 300;
        await using var sender = new NotifySender(IPAddress.Loopback, new NotifyOptions { FirstInterval = TimeSpan.FromSeconds(1), Retries = 5 },
            o => { if (o.Serial == last) acked.TrySetResult(o); });
        using var stop = new CancellationTokenSource();
        var responder = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                SocketReceiveFromResult r;
                try { r = await _secondary.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token); }
                catch (OperationCanceledException) { return; }
                await Answer(buffer[..r.ReceivedBytes], r.RemoteEndPoint);
            }
        });

        for (uint serial = 1; serial <= last; serial++)
        {
            sender.Notify(Zone, serial, Target);
            if (serial % 3 == 0) await Task.Yield();
        }
        var outcome = await acked.Task.WaitAsync(Bound);

        Assert.True(outcome.Acknowledged, outcome.Problem);
        stop.Cancel();
        await responder.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_signed_notify_verifies_with_the_key()
    {
        var key = new TsigKey(DnsName.Parse("notify-key."), TsigAlgorithm.HmacSha256, Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
        await using var sender = Sender(TimeSpan.FromSeconds(5), 1);
        sender.Notify(Zone, 9, Target, key);

        var (datagram, from) = await Receive();

        var verified = TsigCodec.VerifyRequest(datagram, new TsigKeyStore([key]), DateTimeOffset.UtcNow);
        Assert.Equal(TsigStatus.Ok, verified.Status);
        Assert.Equal(key.Name, verified.KeyName);
        var other = new TsigKey(key.Name, TsigAlgorithm.HmacSha256, new byte[32]);
        Assert.Equal(TsigStatus.BadSig, TsigCodec.VerifyRequest(datagram, new TsigKeyStore([other]), DateTimeOffset.UtcNow).Status);
        var m = DnsMessage.Parse(datagram);
        Assert.Equal(Opcode.Notify, m.Opcode);
        Assert.Equal(RecordType.TSIG, Assert.Single(m.Additional).Type);
        await Answer(datagram, from);
        Assert.True((await Outcome()).Acknowledged);
    }
}
