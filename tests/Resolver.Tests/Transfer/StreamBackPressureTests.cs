using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.FrontEnd;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>The TCP front end writes the next message of a stream only once the previous one is sent: a client that
/// stops reading stops the stream, and memory stays one message.</summary>
public sealed class StreamBackPressureTests
{
    private const int MessageSize = 60_000;

    private sealed class EndlessStream : IResponseStream
    {
        public int Calls;
        public volatile bool Disposed;

        public int Next(Span<byte> buffer)
        {
            Interlocked.Increment(ref Calls);
            buffer[..MessageSize].Fill(0x55);
            return MessageSize;
        }

        public void Dispose() => Disposed = true;
    }

    private sealed class EndlessHandler : IQueryHandler, IStreamingQueryHandler
    {
        public readonly EndlessStream Stream = new();
        public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context) => -1;
        public IResponseStream? TryStartStream(ReadOnlySpan<byte> query, in QueryContext context) => Stream;
    }

    [Fact]
    public async Task A_client_that_stops_reading_stops_the_stream_and_closing_disposes_it()
    {
        var handler = new EndlessHandler();
        await using var server = new DnsServer(handler, new DnsServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1 });
        await server.StartAsync();
        using var tcp = new TcpClient { ReceiveBufferSize = 64 * 1024 };
        await tcp.ConnectAsync(server.LocalEndPoint);
        var s = tcp.GetStream();
        var query = new byte[2 + 17];
        BinaryPrimitives.WriteUInt16BigEndian(query, 17);
        await s.WriteAsync(query);

        int stalled = await SettledCalls(handler.Stream);
        Assert.InRange(stalled, 1, 200); // socket buffers only: at most a few MB in flight, never the whole stream

        var sink = new byte[1 << 20];
        long read = 0;
        while (read < (stalled + 20L) * MessageSize) read += await s.ReadAsync(sink); // past what was in flight
        Assert.True(Volatile.Read(ref handler.Stream.Calls) > stalled, "reading resumes the stream");

        tcp.Close();
        var deadline = Stopwatch.StartNew();
        while (!handler.Stream.Disposed && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        Assert.True(handler.Stream.Disposed, "the stream is disposed when the client goes away");
    }

    /// <summary>The stream's call count once it has not moved for 300 ms (the sends are blocked on a full socket).</summary>
    private static async Task<int> SettledCalls(EndlessStream stream)
    {
        var deadline = Stopwatch.StartNew();
        int last = -1;
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(300);
            int now = Volatile.Read(ref stream.Calls);
            if (now == last && now > 0) return now;
            last = now;
        }
        throw new Xunit.Sdk.XunitException($"the stream never stalled ({last} messages written)");
    }
}
