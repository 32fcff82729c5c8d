using System.Net;
using System.Net.Sockets;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// A handler that answers some messages (DNS UPDATE) later, once work elsewhere is done (the change journaled). Both
/// front ends ask first: UDP sends the response to the client's address when the task completes, TCP writes it on the
/// connection (the next query on that connection waits for it). Every other query takes the normal, synchronous,
/// allocation-free <see cref="IQueryHandler.Handle"/> path.
/// </summary>
public interface IDeferredQueryHandler
{
    /// <summary>The pending response for this message, or null when it is not one to defer (decide cheaply, without
    /// allocating: every query passes here). The task yields null to send nothing. Copy what must outlive the call:
    /// <paramref name="query"/> and the context's address are reused buffers.</summary>
    Task<byte[]?>? TryDefer(ReadOnlySpan<byte> query, in QueryContext context);
}

internal static class DeferredResponses
{
    /// <summary>UDP: asks <paramref name="handler"/>; when it defers, sends the response to a copy of
    /// <paramref name="remote"/> once ready and returns true.</summary>
    public static bool TryDeferUdp(IDeferredQueryHandler? handler, Socket socket, ReadOnlySpan<byte> query, SocketAddress remote, int remoteSize)
    {
        if (handler?.TryDefer(query, new QueryContext(Transport.Udp) { RemoteAddress = remote }) is not { } pending) return false;
        var to = new SocketAddress(remote.Family, remote.Buffer.Length);
        remote.Buffer.Span.CopyTo(to.Buffer.Span);
        to.Size = Math.Min(remoteSize, to.Buffer.Length);
        _ = pending.ContinueWith(t =>
        {
            if (!t.IsCompletedSuccessfully || t.Result is not { Length: > 0 } response) return;
            try { socket.SendTo(response, SocketFlags.None, to); }
            catch (SocketException) { } // the client went away: nothing to do
            catch (ObjectDisposedException) { } // stopping
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }
}
