using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig;

namespace AkkaDns.Resolver.Notify;

/// <summary>How NOTIFYs are retried (RFC 1996 §3.6 leaves both to the operator; its suggested 60 s would let a
/// secondary that lost one datagram wait a minute, so the first retry comes sooner and the interval doubles).</summary>
public sealed record NotifyOptions
{
    /// <summary>Wait for the first answer before sending again; doubled after each try, up to <see cref="MaxInterval"/>.</summary>
    public TimeSpan FirstInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Retransmissions after the first NOTIFY (RFC 1996's default: 5).</summary>
    public int Retries { get; init; } = 5;
}

/// <summary>The fate of one NOTIFY, for logs and metrics.</summary>
public readonly record struct NotifyOutcome(DnsName Zone, uint Serial, IPEndPoint Target, bool Acknowledged, Rcode Rcode, int Attempts, string? Problem);

/// <summary>
/// Sends DNS NOTIFY (RFC 1996) over UDP: one message per (zone, target) in flight, answered or retried on the timers of
/// <see cref="NotifyOptions"/>. A newer serial for the same zone and target replaces the one still being retried (the
/// secondary asks for the SOA anyway, so only the latest matters). Signed with TSIG when a key is given.
/// The question is the zone's SOA; like Knot, no SOA record is sent in the answer section: the secondary reads the
/// serial with its own SOA query (RFC 1996 §3.7).
/// </summary>
public sealed class NotifySender : IAsyncDisposable
{
    private readonly NotifyOptions _options;
    private readonly IPAddress _source;
    private readonly Action<NotifyOutcome>? _report;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<(DnsName Zone, IPEndPoint Target), Pending> _pending = new();

    private sealed class Pending(uint serial, TsigKey? key)
    {
        public uint Serial = serial;
        public TsigKey? Key = key;
        public int Generation;
        /// <summary>Set, under the lock, when the loop has ended and the entry is removed: a newer serial then starts a new one.</summary>
        public bool Closed;
    }

    /// <param name="source">The address NOTIFYs come from (a secondary accepts them only from its primaries' addresses):
    /// the edge's DNS address.</param>
    public NotifySender(IPAddress source, NotifyOptions? options = null, Action<NotifyOutcome>? report = null, TimeProvider? time = null)
    {
        _source = source; _options = options ?? new NotifyOptions(); _report = report; _time = time ?? TimeProvider.System;
    }

    /// <summary>Starts (or re-targets to the newer serial) the NOTIFY of <paramref name="zone"/> to <paramref name="target"/>.</summary>
    public void Notify(DnsName zone, uint serial, IPEndPoint target, TsigKey? key = null)
    {
        var k = (zone, target);
        while (true)
        {
            if (_pending.TryGetValue(k, out var p))
            {
                // Not closed: the running loop sees the new generation before it can end, and sends the new serial.
                lock (p) if (!p.Closed) { p.Serial = serial; p.Key = key; p.Generation++; return; }
                continue; // that loop has just ended (and its entry is gone)
            }
            var fresh = new Pending(serial, key);
            if (_pending.TryAdd(k, fresh)) { _ = Task.Run(() => RunAsync(zone, target, fresh)); return; } // never on the caller's thread
        }
    }

    public int InFlight => _pending.Count;

    private async Task RunAsync(DnsName zone, IPEndPoint target, Pending pending)
    {
        var token = _stop.Token;
        var buffer = new byte[512 + 256];
        var reply = new byte[4096];
        int attempts = 0;
        string? problem = null;
        Rcode rcode = Rcode.NoError;
        bool acked = false;
        uint serial = 0;
        try
        {
            using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var source = target.AddressFamily == _source.AddressFamily ? _source
                : target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            socket.Bind(new IPEndPoint(source, 0));
            var interval = _options.FirstInterval;
            int generation = -1;
            TsigKey? key = null;
            while (!token.IsCancellationRequested)
            {
                lock (pending)
                {
                    if (pending.Generation != generation) { generation = pending.Generation; attempts = 0; interval = _options.FirstInterval; }
                    serial = pending.Serial; key = pending.Key;
                }
                if (attempts > _options.Retries)
                {
                    if (!TryClose(zone, target, pending, generation)) continue; // a newer serial came meanwhile
                    problem = $"no answer after {attempts} tries";
                    break;
                }
                ushort id = (ushort)Random.Shared.Next(0, 65536);
                int length = Build(buffer, id, zone, key);
                attempts++;
                await socket.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, target, token).ConfigureAwait(false);
                var answered = await ReceiveAsync(socket, reply, id, interval, token).ConfigureAwait(false);
                if (answered is { } rc)
                {
                    if (!TryClose(zone, target, pending, generation)) continue; // a newer serial came meanwhile
                    rcode = rc; acked = rc == Rcode.NoError;
                    if (!acked) problem = $"answered {rc}";
                    break;
                }
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, _options.MaxInterval.Ticks));
            }
        }
        catch (OperationCanceledException) { problem = "stopped"; }
        catch (SocketException e) { problem = e.Message; }
        finally
        {
            lock (pending) { pending.Closed = true; Unregister(zone, target, pending); }
        }
        _report?.Invoke(new NotifyOutcome(zone, serial, target, acked, rcode, attempts, problem));
    }

    /// <summary>Ends the loop's entry unless a newer serial came since <paramref name="generation"/> was read: done under
    /// the entry's lock, so a <see cref="Notify"/> either lands before (and the loop goes on) or finds the entry closed.</summary>
    private bool TryClose(DnsName zone, IPEndPoint target, Pending pending, int generation)
    {
        lock (pending)
        {
            if (pending.Generation != generation) return false;
            pending.Closed = true;
            Unregister(zone, target, pending);
            return true;
        }
    }

    private void Unregister(DnsName zone, IPEndPoint target, Pending pending) =>
        _pending.TryRemove(new KeyValuePair<(DnsName, IPEndPoint), Pending>((zone, target), pending));

    /// <summary>The answer's RCODE, or null when none came in time (datagrams that are not the answer are skipped).</summary>
    private async Task<Rcode?> ReceiveAsync(Socket socket, byte[] reply, ushort id, TimeSpan wait, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(wait);
        try
        {
            while (true)
            {
                var r = await socket.ReceiveFromAsync(reply, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token).ConfigureAwait(false);
                if (r.ReceivedBytes < 12) continue;
                ushort rid = BinaryPrimitives.ReadUInt16BigEndian(reply);
                ushort flags = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(2));
                if (rid != id || (flags & 0x8000) == 0 || ((flags >> 11) & 0xF) != (int)Opcode.Notify) continue;
                return (Rcode)(flags & 0xF);
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested) { return null; }
        catch (SocketException) { return null; } // e.g. ICMP port unreachable: nobody listens yet; retried
    }

    /// <summary>NOTIFY for the zone's SOA: opcode 4, AA=1 (RFC 1996 §3.3), one question.</summary>
    internal static int Build(Span<byte> buffer, ushort id, DnsName zone, TsigKey? key)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)(((int)Opcode.Notify << 11) | 0x0400));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], 1);
        buffer[6..12].Clear();
        int pos = 12;
        zone.Wire.CopyTo(buffer[pos..]);
        pos += zone.Wire.Length;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[pos..], (ushort)RecordType.SOA);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(pos + 2)..], 1);
        pos += 4;
        if (key is not null) pos = TsigCodec.SignRequest(buffer, pos, key, DateTimeOffset.UtcNow, out _);
        return pos;
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        return ValueTask.CompletedTask;
    }
}
