using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using AkkaDns.Resolver.RateLimiting;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// The Linux receive loop: up to <c>batch</c> queries per recvmmsg call and their answers in one sendmmsg call, so
/// a busy loop makes two system calls per batch instead of two per packet (Knot's and NSD's UDP path). All buffers
/// are native memory allocated once per loop; a quiet loop blocks for the first datagram only (MSG_WAITFORONE), so
/// latency is the same as the one-packet loop. Queries that do not fit the receive slot are dropped (no DNS query
/// is that large). Stopping shuts the socket down, which wakes the blocked call.
/// </summary>
internal sealed unsafe class UdpBatchLoop : IDisposable
{
    private const int QuerySlot = 4096;
    private const int ResponseSlot = 65535;
    private const int NameSlot = 32; // sockaddr_in6 is 28 bytes

    private readonly Socket _socket;
    private readonly IQueryHandler _handler;
    private readonly IDeferredQueryHandler? _deferred;
    private readonly ResponseRateLimiter? _limiter;
    private readonly UdpLoopCounters _counters;
    private readonly Func<bool> _stopping;
    private readonly int _batch;
    private readonly ServingLease? _lease;
    private readonly byte* _queries, _responses, _names;
    private readonly LinuxMmsg.IoVec* _recvIov, _sendIov;
    private readonly LinuxMmsg.MMsgHdr* _recv, _send;
    private readonly bool[] _sendIsSlip;

    public UdpBatchLoop(Socket socket, IQueryHandler handler, ResponseRateLimiter? limiter, UdpLoopCounters counters, Func<bool> stopping, int batch, ServingLease? lease = null)
    {
        _lease = lease;
        _socket = socket; _handler = handler; _deferred = handler as IDeferredQueryHandler; _limiter = limiter; _counters = counters; _stopping = stopping;
        _batch = batch;
        _sendIsSlip = new bool[batch];
        _queries = (byte*)NativeMemory.Alloc((nuint)(batch * QuerySlot));
        _responses = (byte*)NativeMemory.Alloc((nuint)(batch * ResponseSlot));
        _names = (byte*)NativeMemory.AllocZeroed((nuint)(batch * NameSlot));
        _recvIov = (LinuxMmsg.IoVec*)NativeMemory.AllocZeroed((nuint)(batch * sizeof(LinuxMmsg.IoVec)));
        _sendIov = (LinuxMmsg.IoVec*)NativeMemory.AllocZeroed((nuint)(batch * sizeof(LinuxMmsg.IoVec)));
        _recv = (LinuxMmsg.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(batch * sizeof(LinuxMmsg.MMsgHdr)));
        _send = (LinuxMmsg.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(batch * sizeof(LinuxMmsg.MMsgHdr)));
        for (int i = 0; i < batch; i++)
        {
            _recvIov[i] = new LinuxMmsg.IoVec { Base = _queries + i * QuerySlot, Length = QuerySlot };
            _recv[i].Header.Iov = &_recvIov[i];
            _recv[i].Header.IovLength = 1;
            _recv[i].Header.Name = _names + i * NameSlot;
            _send[i].Header.Iov = &_sendIov[i];
            _send[i].Header.IovLength = 1;
        }
    }

    public void Run()
    {
        SafeHandle handle;
        bool added = false;
        try
        {
            handle = _socket.SafeHandle;
            handle.DangerousAddRef(ref added); // the fd stays ours (not closed and reused) while we are inside a call
        }
        catch (ObjectDisposedException)
        {
            // Stopped before this thread first ran (a server started and stopped at once): nothing to serve. Letting
            // this escape would end the process, as any exception on a thread of our own does.
            return;
        }
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            var family = _socket.AddressFamily;
            var remote = new SocketAddress(family, SocketAddress.GetMaximumAddressSize(family));
            int addressOffset = family == AddressFamily.InterNetworkV6 ? 8 : 4;
            int addressLength = family == AddressFamily.InterNetworkV6 ? 16 : 4;
            int failuresInARow = 0;
            while (!_stopping())
            {
                for (int i = 0; i < _batch; i++)
                {
                    _recv[i].Header.NameLength = NameSlot;
                    _recv[i].Header.Flags = 0;
                }
                int n = LinuxMmsg.RecvMmsg(fd, _recv, (uint)_batch, LinuxMmsg.MsgWaitForOne, null);
                if (_stopping()) break;
                if (n <= 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (n < 0 && errno is LinuxMmsg.EIntr or LinuxMmsg.EAgain) continue;
                    // e.g. an ICMP error reported on the socket: not fatal, but never spin a core on a broken socket
                    _counters.Errors++;
                    if (++failuresInARow > 100) Thread.Sleep(1);
                    continue;
                }
                failuresInARow = 0;
                int toSend = 0;
                // Fenced: the whole batch is dropped (checked after the receive, so nothing queued during a freeze
                // is answered before the lease is granted again).
                if (_lease is { IsValid: false }) { _counters.Queries += n; _counters.Dropped += n; continue; }
                for (int i = 0; i < n; i++)
                {
                    _counters.Queries++;
                    ref var h = ref _recv[i];
                    if ((h.Header.Flags & LinuxMmsg.MsgTrunc) != 0) { _counters.Dropped++; continue; }
                    int nameLength = (int)Math.Min(h.Header.NameLength, (uint)Math.Min(NameSlot, remote.Buffer.Length));
                    var name = new ReadOnlySpan<byte>(h.Header.Name, nameLength);
                    int length;
                    bool slipped = false;
                    try
                    {
                        name.CopyTo(remote.Buffer.Span);
                        var query = new ReadOnlySpan<byte>(_queries + i * QuerySlot, (int)h.Length);
                        var response = new Span<byte>(_responses + i * ResponseSlot, ResponseSlot);
                        if (_deferred is not null && DeferredResponses.TryDeferUdp(_deferred, _socket, query, remote, nameLength)) continue;
                        length = _handler.Handle(query, response, new QueryContext(Transport.Udp) { RemoteAddress = remote });
                        if (length < 0) { _counters.Dropped++; continue; }
                        if (_limiter is not null && nameLength >= addressOffset + addressLength
                            && !UdpFrontEnd.RateLimitAllows(_limiter, name.Slice(addressOffset, addressLength), response, ref length, ref slipped, _counters))
                            continue;
                    }
                    catch (Exception)
                    {
                        _counters.Errors++; // a handler bug: drop this packet, keep serving
                        continue;
                    }
                    _sendIsSlip[toSend] = slipped;
                    _sendIov[toSend] = new LinuxMmsg.IoVec { Base = _responses + i * ResponseSlot, Length = (nuint)length };
                    _send[toSend].Header.Name = h.Header.Name;
                    _send[toSend].Header.NameLength = (uint)nameLength;
                    toSend++;
                }
                SendAll(fd, toSend);
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    // sendmmsg may send fewer than asked; a message that fails is counted as an error and skipped.
    private void SendAll(int fd, int count)
    {
        int done = 0;
        while (done < count && !_stopping())
        {
            int sent = LinuxMmsg.SendMmsg(fd, _send + done, (uint)(count - done), 0);
            if (sent < 0 && Marshal.GetLastPInvokeError() == LinuxMmsg.EIntr) continue;
            if (sent <= 0) { _counters.Errors++; done++; continue; }
            for (int i = done; i < done + sent; i++)
                if (_sendIsSlip[i]) _counters.Slipped++; else _counters.Responses++;
            done += sent;
        }
    }

    public void Dispose()
    {
        NativeMemory.Free(_queries); NativeMemory.Free(_responses); NativeMemory.Free(_names);
        NativeMemory.Free(_recvIov); NativeMemory.Free(_sendIov); NativeMemory.Free(_recv); NativeMemory.Free(_send);
    }
}
