using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// The TCP side (RFC 7766): an accept loop, then per connection a loop of 2-byte-length-framed queries answered
/// in order. Bounded everywhere: at most <see cref="DnsServerOptions.MaxTcpConnections"/> connections (more are
/// closed at once), an idle timeout between and within queries, and a query cap per connection.
/// Buffers are rented per connection, not per query. A handler that is also an <see cref="IStreamingQueryHandler"/>
/// may answer a query with a stream of messages (zone transfers): they are written back to back into one batch buffer
/// (<see cref="StreamBatchBytes"/>, a few 16 KiB messages), the batch is sent in one call, and its send awaited before
/// the next batch is written into the same buffer, so a slow reader slows the stream and memory stays one batch per
/// transferring connection.
/// </summary>
internal sealed class TcpFrontEnd
{
    private const int MaxMessage = 65535;
    /// <summary>The buffer a stream's messages are batched in: filled while a largest message (2 + 65535) still fits,
    /// so 13 messages of 16 KiB per send (one send each cost a system call and an await per 16 KiB).</summary>
    internal const int StreamBatchBytes = 256 * 1024;
    /// <summary>SO_SNDBUF of a connection once it streams (the kernel caps it at net.core.wmem_max).</summary>
    internal const int StreamSendBufferBytes = 1024 * 1024;
    private readonly IQueryHandler _handler;
    private readonly IStreamingQueryHandler? _streaming;
    private readonly IDeferredQueryHandler? _deferred;
    private readonly Socket _listener;
    private readonly DnsServerOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _open;
    private long _accepted, _rejected, _queries, _errors;

    private TcpFrontEnd(IQueryHandler handler, Socket listener, DnsServerOptions options)
    {
        _handler = handler; _listener = listener; _options = options;
        _streaming = handler as IStreamingQueryHandler;
        _deferred = handler as IDeferredQueryHandler;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Binds and listens; throws <see cref="SocketException"/> (AddressAlreadyInUse) when the port is taken.</summary>
    public static TcpFrontEnd Bind(IQueryHandler handler, IPEndPoint endpoint, DnsServerOptions options)
    {
        var s = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR lets a restarted server take its port back while old connections sit in TIME_WAIT, and
            // never lets two listeners share a port. Set raw: on Linux .NET's SocketOptionName.ReuseAddress also
            // sets SO_REUSEPORT, which would let a second server bind our port and steal half the connections.
            if (OperatingSystem.IsLinux())
            {
                const int SolSocket = 1, SoReuseAddr = 2;
                Span<byte> one = [1, 0, 0, 0];
                s.SetRawSocketOption(SolSocket, SoReuseAddr, one);
            }
            s.Bind(endpoint);
            s.Listen(512);
        }
        catch
        {
            s.Dispose();
            throw;
        }
        return new TcpFrontEnd(handler, s, options);
    }

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(token).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) when (token.IsCancellationRequested) { break; }
            catch (SocketException) { Interlocked.Increment(ref _errors); continue; }

            if (Interlocked.Increment(ref _open) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _open);
                Interlocked.Increment(ref _rejected);
                Abort(client);
                continue;
            }
            Interlocked.Increment(ref _accepted);
            // Register before the task runs so Stop always sees it; the task removes itself when done.
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = ServeAsync(client, start.Task);
            _connections[client] = task;
            start.SetResult();
        }
    }

    /// <summary>Closes at once with a reset, so a refused client learns immediately and we keep no TIME_WAIT.</summary>
    private static void Abort(Socket s)
    {
        try { s.LingerState = new LingerOption(true, 0); } catch (SocketException) { } catch (ObjectDisposedException) { }
        s.Dispose();
    }

    private async Task ServeAsync(Socket client, Task registered)
    {
        await registered.ConfigureAwait(false);
        var query = ArrayPool<byte>.Shared.Rent(MaxMessage);
        var response = ArrayPool<byte>.Shared.Rent(2 + MaxMessage);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            client.NoDelay = true;
            var remote = client.RemoteEndPoint?.Serialize();
            for (int n = 0; n < _options.MaxQueriesPerTcpConnection; n++)
            {
                idle.CancelAfter(_options.TcpIdleTimeout);
                if (!await ReadExactlyAsync(client, query.AsMemory(0, 2), idle.Token).ConfigureAwait(false)) break;
                int length = query[0] << 8 | query[1];
                if (length == 0) break; // nothing sensible can follow a zero-length frame
                if (!await ReadExactlyAsync(client, query.AsMemory(0, length), idle.Token).ConfigureAwait(false)) break;
                Interlocked.Increment(ref _queries);
                if (_options.Lease is { IsValid: false }) break; // fenced: close the connection, answer nothing
                if (_streaming is not null && StartStream(query, length, remote) is { } stream)
                {
                    using (stream) await SendStreamAsync(client, stream, idle).ConfigureAwait(false);
                    continue;
                }
                if (_deferred is not null && Defer(query, length, remote) is { } pending)
                {
                    await SendDeferredAsync(client, pending, response, idle.Token).ConfigureAwait(false);
                    continue;
                }
                int answer = Answer(query, length, response, remote);
                if (answer < 0) continue; // the handler chose to drop it; the connection stays usable
                response[0] = (byte)(answer >> 8);
                response[1] = (byte)answer;
                await SendAllAsync(client, response.AsMemory(0, 2 + answer), idle.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { } // idle timeout or stopping
        catch (SocketException) { }            // client went away
        catch (ObjectDisposedException) { }    // closed by Stop
        catch (Exception) { Interlocked.Increment(ref _errors); }
        finally
        {
            try { client.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            client.Dispose();
            ArrayPool<byte>.Shared.Return(query);
            ArrayPool<byte>.Shared.Return(response);
            _connections.TryRemove(client, out _);
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>A deferred response (DNS UPDATE, <see cref="IDeferredQueryHandler"/>): asked on spans, outside the state machine.</summary>
    private Task<byte[]?>? Defer(byte[] query, int length, SocketAddress? remote)
    {
        try { return _deferred!.TryDefer(query.AsSpan(0, length), new QueryContext(Transport.Tcp) { RemoteAddress = remote }); }
        catch (Exception) { Interlocked.Increment(ref _errors); return null; }
    }

    private static async Task SendDeferredAsync(Socket client, Task<byte[]?> pending, byte[] response, CancellationToken ct)
    {
        if (await pending.ConfigureAwait(false) is not { Length: > 0 and <= MaxMessage } message) return;
        response[0] = (byte)(message.Length >> 8);
        response[1] = (byte)message.Length;
        message.CopyTo(response, 2);
        await SendAllAsync(client, response.AsMemory(0, 2 + message.Length), ct).ConfigureAwait(false);
    }

    /// <summary>Runs the handler on spans (outside the async state machine); a throwing handler drops the query.</summary>
    private int Answer(byte[] query, int length, byte[] response, SocketAddress? remote)
    {
        try
        {
            return _handler.Handle(query.AsSpan(0, length), response.AsSpan(2, MaxMessage),
                new QueryContext(Transport.Tcp) { RemoteAddress = remote });
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _errors);
            return -1;
        }
    }

    private IResponseStream? StartStream(byte[] query, int length, SocketAddress? remote)
    {
        try
        {
            return _streaming!.TryStartStream(query.AsSpan(0, length), new QueryContext(Transport.Tcp) { RemoteAddress = remote });
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _errors);
            return null; // the ordinary path still answers (or drops) it
        }
    }

    /// <summary>Sends every message of <paramref name="stream"/>, each framed by its length, several per send. A stream
    /// that throws ends the connection: the client cannot tell a cut stream from a finished one otherwise.</summary>
    private async Task SendStreamAsync(Socket client, IResponseStream stream, CancellationTokenSource idle)
    {
        var batch = ArrayPool<byte>.Shared.Rent(StreamBatchBytes);
        try
        {
            // A slow reader (kdig parses every record) drains the socket a little at a time; with the default buffer
            // each drain woke the send up again. A fixed, larger buffer: fewer, bigger resumptions.
            try { client.SendBufferSize = StreamSendBufferBytes; } catch (SocketException) { }
            bool done = false;
            while (!done)
            {
                int used = FillBatch(stream, batch, out done); // throws out to ServeAsync, which counts it and closes
                if (used == 0) return;
                idle.CancelAfter(_options.TcpIdleTimeout); // a reader that takes no batch for the idle timeout is cut off
                await SendAllAsync(client, batch.AsMemory(0, used), idle.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    /// <summary>Length-framed messages of <paramref name="stream"/> back to back while a largest one still fits
    /// (every message is offered the full 65535 bytes, as when sent one by one); the bytes used.</summary>
    internal static int FillBatch(IResponseStream stream, byte[] batch, out bool done)
    {
        int used = 0;
        done = false;
        while (batch.Length - used >= 2 + MaxMessage)
        {
            int n = stream.Next(batch.AsSpan(used + 2, MaxMessage));
            if (n <= 0) { done = true; break; }
            batch[used] = (byte)(n >> 8);
            batch[used + 1] = (byte)n;
            used += 2 + n;
        }
        return used;
    }

    /// <summary>Fills <paramref name="buffer"/>; false on a clean end of stream.</summary>
    private static async ValueTask<bool> ReadExactlyAsync(Socket s, Memory<byte> buffer, CancellationToken token)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await s.ReceiveAsync(buffer[read..], SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private static async ValueTask SendAllAsync(Socket s, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            int n = await s.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            data = data[n..];
        }
    }

    public (long Accepted, long Rejected, long Queries, long Errors) Totals()
        => (Interlocked.Read(ref _accepted), Interlocked.Read(ref _rejected), Interlocked.Read(ref _queries), Interlocked.Read(ref _errors));

    /// <summary>Stops accepting, closes every connection and waits (bounded) for their loops to end.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var s in _connections.Keys) { try { s.Dispose(); } catch (ObjectDisposedException) { } }
        var all = Task.WhenAll(_connections.Values.Append(_acceptLoop));
        await Task.WhenAny(all, Task.Delay(wait)).ConfigureAwait(false);
    }

    public void DisposeUnstarted() => _listener.Dispose();
}
