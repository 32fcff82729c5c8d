using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>A query as the fake master saw it: parsed, with its TSIG verified against the master's keys.</summary>
internal sealed record FakeQuery(string Transport, DnsMessage Message, byte[] Raw, TsigRequest Tsig)
{
    public RecordType Type => Message.Questions[0].Type;
    /// <summary>The serial of the SOA in an IXFR query's authority section.</summary>
    public uint? IxfrSerial => Message.Authority.FirstOrDefault(r => r.Type == RecordType.SOA) is { } soa ? SerialNumber.OfSoaRData(soa.RData) : null;
}

/// <summary>
/// A scripted master on 127.0.0.1 (UDP and TCP on one free port): each query goes to the test's handler, which returns
/// the messages to send back. Over TCP, a null in the sequence means "hang" (send nothing more, keep the connection
/// open until disposed); the end of the sequence closes the connection. Messages are built with <see cref="Answer"/>
/// and signed, message by message, like a real master (RFC 8945 §5.3.1) when the query was signed.
/// </summary>
internal sealed class FakeMaster : IAsyncDisposable
{
    public static readonly DnsName Origin = DnsName.Parse("example.com.");

    private readonly Socket _tcp;
    private readonly Socket _udp;
    private readonly Func<FakeQuery, IEnumerable<byte[]?>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _loops = [];

    public TsigKeyStore Keys { get; }
    public IPEndPoint EndPoint { get; }
    public ConcurrentQueue<FakeQuery> Seen { get; } = new();

    public FakeMaster(Func<FakeQuery, IEnumerable<byte[]?>> handler, params TsigKey[] keys)
    {
        _handler = handler;
        Keys = new TsigKeyStore(keys);
        for (int i = 0; ; i++)
        {
            _tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)_tcp.LocalEndPoint!;
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try { _udp.Bind(EndPoint); break; }
            catch (SocketException) when (i < 20) { _tcp.Dispose(); _udp.Dispose(); }
        }
        _tcp.Listen(16);
        _loops.Add(Task.Run(AcceptLoop));
        _loops.Add(Task.Run(UdpLoop));
    }

    private FakeQuery Parse(string transport, byte[] raw) =>
        new(transport, DnsMessage.Parse(raw), raw, TsigCodec.VerifyRequest(raw, Keys, DateTimeOffset.UtcNow));

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try { connection = await _tcp.AcceptAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _loops.Add(Task.Run(() => Serve(connection)));
        }
    }

    private async Task Serve(Socket connection)
    {
        using var _ = connection;
        try
        {
            var header = new byte[2];
            if (!await Fill(connection, header)) return;
            var raw = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
            if (!await Fill(connection, raw)) return;
            var query = Parse("tcp", raw);
            Seen.Enqueue(query);
            foreach (var message in _handler(query))
            {
                if (message is null) { await Task.Delay(Timeout.Infinite, _stop.Token); return; }
                var framed = new byte[message.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
                message.CopyTo(framed, 2);
                await connection.SendAsync(framed, SocketFlags.None, _stop.Token);
            }
            connection.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private static async Task<bool> Fill(Socket s, byte[] into)
    {
        for (int read = 0; read < into.Length;)
        {
            int n = await s.ReceiveAsync(into.AsMemory(read), SocketFlags.None);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private async Task UdpLoop()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult got;
            try { got = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var query = Parse("udp", buffer[..got.ReceivedBytes]);
            Seen.Enqueue(query);
            foreach (var message in _handler(query))
                if (message is not null) await _udp.SendToAsync(message, SocketFlags.None, got.RemoteEndPoint);
        }
    }

    /// <summary>The response messages, one per list of answer records (none: one empty message), signed message by
    /// message when the query was signed or failed TSIG, like a real master (RFC 8945 §5.3.1). <paramref name="unsigned"/>
    /// lists 0-based messages sent without TSIG; the next signed one then covers them, as §5.3.1 allows.</summary>
    public static List<byte[]> Answer(FakeQuery q, Rcode rcode, IReadOnlyList<IReadOnlyList<ResourceRecord>> messages,
        bool truncated = false, ISet<int>? unsigned = null)
    {
        var request = q.Tsig;
        var signer = request.ResponseCarriesTsig ? new TsigStreamSigner(request) : null;
        var result = new List<byte[]>();
        if (messages.Count == 0) messages = [[]];
        byte[] priorMac = [];
        var pending = new List<byte>();
        for (int i = 0; i < messages.Count; i++)
        {
            var m = new DnsMessage
            {
                Id = q.Message.Id, IsResponse = true, Opcode = q.Message.Opcode, AuthoritativeAnswer = rcode == Rcode.NoError,
                Truncated = truncated, Rcode = rcode,
            };
            if (i == 0) m.Questions.AddRange(q.Message.Questions);
            m.Answers.AddRange(messages[i].Select(r => new DnsRecord(r)));
            var wire = m.Encode();
            if (signer is null || unsigned?.Contains(i) == true) { result.Add(wire); pending.AddRange(wire); continue; }
            var buffer = new byte[wire.Length + signer.MaxRecordLength];
            wire.CopyTo(buffer, 0);
            int n;
            if (unsigned is null) n = signer.SignNext(buffer, wire.Length, DateTimeOffset.UtcNow);
            else if (i == 0) n = TsigCodec.SignResponse(buffer, wire.Length, request, DateTimeOffset.UtcNow, out priorMac);
            else
            {
                // Prior MAC, the unsigned messages since, this message, the timers (RFC 8945 §5.3.1).
                ulong now = TsigWire.UnixTime(DateTimeOffset.UtcNow);
                var input = new List<byte> { (byte)(priorMac.Length >> 8), (byte)priorMac.Length };
                input.AddRange(priorMac); input.AddRange(pending); input.AddRange(wire);
                var timers = new byte[8];
                TsigWire.WriteTime(timers, now);
                BinaryPrimitives.WriteUInt16BigEndian(timers.AsSpan(6), request.Fudge);
                input.AddRange(timers);
                var mac = TsigAlgorithms.ComputeMac(request.Key!.Algorithm, request.Key.Secret, input.ToArray());
                n = TsigWire.Append(buffer, wire.Length, request.KeyName!.Wire, request.AlgorithmName!.Wire, now, request.Fudge, mac, request.OriginalId, 0, []);
                priorMac = mac;
            }
            pending.Clear();
            Assert.True(n > 0, "the fake master could not sign");
            result.Add(buffer[..n]);
        }
        return result;
    }

    /// <summary>A record of example.com. from one master-file line ("www 300 A 192.0.2.1").</summary>
    public static ResourceRecord Rr(string line) =>
        MasterFileReader.ReadText("$TTL 3600\n" + line + "\n", Origin).Records.Single();

    public static ResourceRecord Soa(uint serial) => Rr($"@ 3600 SOA ns1 hostmaster {serial} 7200 3600 1209600 300");

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _tcp.Dispose();
        _udp.Dispose();
        try { await Task.WhenAll(_loops.ToArray()).WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException) { }
        _stop.Dispose();
    }
}
