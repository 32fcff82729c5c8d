using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Transfer;

public sealed partial class TransferClient
{
    /// <summary>One AXFR or IXFR exchange on one TCP connection.</summary>
    private sealed record Attempt(IncomingTransferKind Kind, uint Serial, IReadOnlyList<ResourceRecord>? Records,
        TransferFailure Failure, string Message, int Messages, long Bytes, bool WorthAxfrFallback);

    private async Task<Attempt> TransferAsync(TransferSource master, DnsName zone, ZoneCopy? current, CancellationToken ct)
    {
        var session = new Session(this, master, zone, current);
        using var idle = new CancellationTokenSource(_options.IdleTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token);
        string phase = "to accept the TCP connection";
        try
        {
            using var socket = await ConnectAsync(master.Address, linked.Token).ConfigureAwait(false);
            await SendFramedAsync(socket, session.Query.Wire, linked.Token).ConfigureAwait(false);
            var buffer = new byte[65535];
            while (true)
            {
                idle.CancelAfter(_options.IdleTimeout);
                phase = session.Messages == 0 ? "to answer" : $"to send a message after {session.Messages}";
                if (!await ReadExactAsync(socket, buffer.AsMemory(0, 2), linked.Token).ConfigureAwait(false))
                    return session.EndOfStream();
                int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                if (session.Bytes + length > _options.MaxBytes) return session.TooManyBytes(length);
                if (!await ReadExactAsync(socket, buffer.AsMemory(0, length), linked.Token).ConfigureAwait(false))
                    return session.Fail(TransferFailure.Malformed, "the connection closed inside a message", fallback: true);
                if (session.Accept(buffer.AsSpan(0, length)) is { } done) return done;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return session.Fail(TransferFailure.Timeout, $"{master.Address} took more than {Seconds(_options.IdleTimeout)} {phase} during the {session.What}", plain: true);
        }
        catch (SocketException e)
        {
            return session.Fail(TransferFailure.Network, $"{master.Address}: the {session.What} failed after {session.Messages} message(s): {Describe(e)}", plain: true);
        }
    }

    /// <summary>The state of one exchange: the query, the TSIG verifier and the zone being assembled.</summary>
    private sealed class Session
    {
        private readonly TransferClient _client;
        private readonly TransferSource _master;
        private readonly DnsName _zone;
        private readonly ZoneCopy? _current;
        private readonly TsigResponseVerifier? _verifier;
        private readonly IncomingTransferAssembler _assembler;

        public Session(TransferClient client, TransferSource master, DnsName zone, ZoneCopy? current)
        {
            _client = client; _master = master; _zone = zone; _current = current;
            var type = current is null ? RecordType.AXFR : RecordType.IXFR;
            What = $"{RecordTypes.ToText(type)} of {zone}";
            Query = TransferQueries.Build(zone, type, master.Key, client._clock.GetUtcNow(), edns: false,
                current is null ? null : TransferQueries.IxfrSoa(zone, current));
            if (master.Key is { } key) _verifier = new TsigResponseVerifier(key, Query.Mac!);
            _assembler = new IncomingTransferAssembler(zone, current, client._options.MaxRecords);
        }

        public SentQuery Query { get; }
        public string What { get; }
        public int Messages { get; private set; }
        public long Bytes { get; private set; }

        /// <summary>Takes the next message; a result when the exchange is over (done or failed), null to read on.</summary>
        public Attempt? Accept(ReadOnlySpan<byte> raw)
        {
            Messages++;
            Bytes += raw.Length;
            var tsig = _verifier?.Verify(raw, _client._clock.GetUtcNow()) ?? TsigStatus.Ok;
            if (!DnsMessage.TryParse(raw, out var m, out var error))
                return Fail(TransferFailure.Malformed, $"message {Messages} does not parse: {error}", fallback: true);
            if (TransferQueries.HeaderProblem(m!, Query, _zone, questionRequired: Messages == 1) is { } problem)
                return Fail(TransferFailure.Malformed, $"message {Messages} is {problem}", fallback: true);
            if (m!.Rcode != Rcode.NoError)
            {
                bool fallback = Messages == 1 && m.Rcode is Rcode.Refused or Rcode.NotImp or Rcode.FormErr;
                return Fail(TransferQueries.FailureOf(m.Rcode), $"{_master.Address} {TransferQueries.RcodeVerb(m)} the {What}", fallback, plain: true);
            }
            if (_master.Key is { } key && _verifier is { } verifier)
            {
                if (tsig == TsigStatus.FormErr && verifier.UnsignedInARow > TsigResponseVerifier.MaxUnsignedInARow)
                    return Fail(TransferFailure.TsigFailed, $"{_master.Address} sent more than {TsigResponseVerifier.MaxUnsignedInARow} unsigned messages in a row during the {What}", plain: true);
                bool covered = tsig == TsigStatus.Ok || (tsig == TsigStatus.Unsigned && Messages > 1);
                if (!covered)
                    return Fail(TransferFailure.TsigFailed, $"message {Messages} of {_master.Address}'s answer to the signed {What} {TransferQueries.TsigProblem(tsig, key)}", plain: true);
            }
            var step = _assembler.Add(m.Answers);
            if (step == IncomingTransferAssembler.Step.More) return null;
            if (step == IncomingTransferAssembler.Step.Failed)
                return Fail(_assembler.Failure, _assembler.Problem, fallback: _assembler.Failure == TransferFailure.Malformed);
            if (_verifier is { UnsignedInARow: > 0 })
                return Fail(TransferFailure.TsigFailed, $"the last message of {_master.Address}'s answer to the signed {What} is not signed", plain: true);
            return Completed();
        }

        private Attempt Completed()
        {
            uint serial = _assembler.Serial;
            var where = $"{_master.Address}";
            if (_assembler.Kind == IncomingTransferKind.UpToDate)
                return new Attempt(IncomingTransferKind.UpToDate, serial, null, TransferFailure.None,
                    $"{where} has nothing newer for {_zone} than our serial {_current!.Serial} (its serial {serial})", Messages, Bytes, false);
            var records = _assembler.Result()!;
            if (records.Count <= 1)
                return Fail(TransferFailure.Empty, $"{where} sent {_zone} serial {serial} with nothing but its SOA ({What})", plain: true);
            if (records.Count > _client._options.MaxRecords)
                return Fail(TransferFailure.TooLarge, $"{_zone} would hold {records.Count} records after the {What} from {where}, more than {_client._options.MaxRecords}", plain: true);
            var how = _assembler.Kind == IncomingTransferKind.Incremental
                ? $"incrementally from serial {_current!.Serial}" : $"in full ({What})";
            return new Attempt(_assembler.Kind, serial, records, TransferFailure.None,
                $"{where} sent {_zone} serial {serial} {how}: {records.Count} records, {Messages} message(s), {Bytes} bytes", Messages, Bytes, false);
        }

        public Attempt EndOfStream()
        {
            if (Messages == 0)
                return Fail(TransferFailure.Network, $"{_master.Address} closed the connection without answering the {What}", plain: true);
            _assembler.EndOfStream();
            return Fail(_assembler.Failure, _assembler.Problem, fallback: true);
        }

        public Attempt TooManyBytes(int next) => Fail(TransferFailure.TooLarge,
            $"the {What} from {_master.Address} is larger than {_client._options.MaxBytes} bytes ({Bytes} received, next message {next})", plain: true);

        /// <param name="plain">The message is complete as given; otherwise it is a problem of the stream, prefixed here.</param>
        public Attempt Fail(TransferFailure failure, string message, bool fallback = false, bool plain = false)
        {
            var text = plain ? message : failure switch
            {
                TransferFailure.TooLarge => $"the {What} from {_master.Address} is too large: {message}",
                _ => $"the {What} from {_master.Address} is malformed: {message}",
            };
            return new Attempt(IncomingTransferKind.Full, 0, null, failure, text, Messages, Bytes, fallback && _current is not null);
        }
    }

    private async Task<Socket> ConnectAsync(IPEndPoint remote, CancellationToken ct)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            BindLocal(socket, remote);
            await socket.ConnectAsync(remote, ct).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One DNS message over TCP: two length bytes, then the message (RFC 1035 §4.2.2), in one send.</summary>
    private static async Task SendFramedAsync(Socket socket, byte[] message, CancellationToken ct)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        int sent = 0;
        while (sent < framed.Length)
            sent += await socket.SendAsync(framed.AsMemory(sent), SocketFlags.None, ct).ConfigureAwait(false);
    }

    /// <summary>Fills <paramref name="into"/>; false when the peer closes the connection first.</summary>
    private static async Task<bool> ReadExactAsync(Socket socket, Memory<byte> into, CancellationToken ct)
    {
        int read = 0;
        while (read < into.Length)
        {
            int n = await socket.ReceiveAsync(into[read..], SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    /// <summary>One length-prefixed message into <paramref name="buffer"/>: its length, -1 on EOF before it;
    /// <see cref="EndOfStreamException"/> on EOF inside it.</summary>
    private static async Task<int> ReadMessageAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        if (!await ReadExactAsync(socket, buffer.AsMemory(0, 2), ct).ConfigureAwait(false)) return -1;
        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
        if (!await ReadExactAsync(socket, buffer.AsMemory(0, length), ct).ConfigureAwait(false))
            throw new EndOfStreamException();
        return length;
    }
}
