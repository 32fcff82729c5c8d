using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Transfer;

/// <summary>
/// The secondary's side of zone transfers: asks a master for its SOA serial (UDP, TCP after TC) and takes the zone by
/// AXFR (RFC 5936) or IXFR (RFC 1995), every message's TSIG verified when the master has a key (RFC 8945 §5.3.1).
/// Pure DNS: no actors, no logging; every failure comes back as a <see cref="TransferFailure"/> with a message naming
/// the master, the zone and what went wrong. Cancelling <c>ct</c> throws <see cref="OperationCanceledException"/>;
/// the timeouts of <see cref="TransferClientOptions"/> run on <paramref name="clock"/>, which also signs and checks TSIG times.
/// </summary>
/// <remarks>
/// Choices the RFCs leave open, and what others do:
/// <list type="bullet">
/// <item>SOA probe: two UDP tries (as Knot's refresh does one, BIND retries), RD clear, EDNS 1232; TC set: once more over TCP.</item>
/// <item>An error RCODE is reported as such even when the error response is unsigned (BADKEY answers are, §5.3.2);
/// a NOERROR answer to a signed query must verify, or it is TsigFailed.</item>
/// <item>IXFR falls back to AXFR once, on the same master, when the IXFR is refused, NOTIMP, FORMERR, or its answer is
/// malformed or does not apply to our copy (Knot and BIND do the same); not on timeouts, network errors, TSIG failures.</item>
/// <item>Inside a stream, up to 99 unsigned messages in a row are accepted, covered by the next signed one; the last
/// message must be signed (§5.3.1).</item>
/// </list>
/// </remarks>
public sealed partial class TransferClient(TransferClientOptions options, TimeProvider clock)
{
    private const int MaxUdpAnswer = 65535;
    private readonly TransferClientOptions _options = options;
    private readonly TimeProvider _clock = clock;

    /// <summary>The master's SOA serial for <paramref name="zone"/>.</summary>
    public async Task<SoaProbe> QuerySoaAsync(TransferSource master, DnsName zone, CancellationToken ct = default)
    {
        const string what = "SOA query";
        try
        {
            using var socket = new Socket(master.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            BindLocal(socket, master.Address);
            // Connected: datagrams from anyone else are dropped by the kernel, and ICMP "port unreachable" becomes an error.
            await socket.ConnectAsync(master.Address, ct).ConfigureAwait(false);
            var buffer = new byte[MaxUdpAnswer];
            for (int attempt = 0; attempt < 2; attempt++)
            {
                var query = TransferQueries.Build(zone, RecordType.SOA, master.Key, _clock.GetUtcNow(), edns: true);
                await socket.SendAsync(query.Wire, SocketFlags.None, ct).ConfigureAwait(false);
                int n = await ReceiveAnswerAsync(socket, buffer, query.Id, ct).ConfigureAwait(false);
                if (n < 0) continue;
                if (n >= 3 && (buffer[2] & 0x02) != 0) return await QuerySoaOverTcpAsync(master, zone, ct).ConfigureAwait(false);
                return InterpretSoa(master, zone, query, buffer.AsSpan(0, n), "");
            }
            return SoaFailure(TransferFailure.Timeout,
                $"{master.Address} did not answer the {what} for {zone} within {Seconds(_options.SoaTimeout)} (2 tries over UDP)");
        }
        catch (SocketException e)
        {
            return SoaFailure(TransferFailure.Network, $"{master.Address}: the {what} for {zone} failed: {Describe(e)}");
        }
    }

    /// <summary>Takes the zone: AXFR when <paramref name="current"/> is null, else IXFR from <c>current.Serial</c>
    /// (with one AXFR fallback). The result's Records are the whole zone, SOA first.</summary>
    public async Task<IncomingTransfer> FetchAsync(TransferSource master, DnsName zone, ZoneCopy? current, CancellationToken ct = default)
    {
        if (current is null) return Finish(await TransferAsync(master, zone, null, ct).ConfigureAwait(false), null);
        var ixfr = await TransferAsync(master, zone, current, ct).ConfigureAwait(false);
        if (!ixfr.WorthAxfrFallback) return Finish(ixfr, null);
        var axfr = await TransferAsync(master, zone, null, ct).ConfigureAwait(false);
        return Finish(axfr, ixfr);
    }

    private IncomingTransfer Finish(Attempt last, Attempt? failedIxfr)
    {
        int messages = last.Messages + (failedIxfr?.Messages ?? 0);
        long bytes = last.Bytes + (failedIxfr?.Bytes ?? 0);
        var message = failedIxfr is null ? last.Message : $"{last.Message} (after the IXFR failed: {failedIxfr.Message})";
        return new IncomingTransfer(last.Kind, last.Serial, last.Failure == TransferFailure.None ? last.Records : null,
            last.Failure, message, messages, bytes, failedIxfr is not null);
    }

    /// <summary>Waits up to the SOA timeout for a datagram carrying our id; -1 on timeout.</summary>
    private async Task<int> ReceiveAnswerAsync(Socket socket, byte[] buffer, ushort id, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.SoaTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (n >= 12 && (buffer[0] << 8 | buffer[1]) == id && (buffer[2] & 0x80) != 0) return n;
                // Another id (a late answer to the first try) or a runt: keep waiting.
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return -1;
        }
    }

    private async Task<SoaProbe> QuerySoaOverTcpAsync(TransferSource master, DnsName zone, CancellationToken ct)
    {
        var query = TransferQueries.Build(zone, RecordType.SOA, master.Key, _clock.GetUtcNow(), edns: true);
        using var timeout = new CancellationTokenSource(_options.SoaTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var socket = await ConnectAsync(master.Address, linked.Token).ConfigureAwait(false);
            await SendFramedAsync(socket, query.Wire, linked.Token).ConfigureAwait(false);
            var buffer = new byte[65535];
            int n = await ReadMessageAsync(socket, buffer, linked.Token).ConfigureAwait(false);
            if (n < 0)
                return SoaFailure(TransferFailure.Network, $"{master.Address} closed the TCP connection without answering the SOA query for {zone} (UDP answer was truncated)");
            return InterpretSoa(master, zone, query, buffer.AsSpan(0, n), " over TCP");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SoaFailure(TransferFailure.Timeout, $"{master.Address} did not answer the SOA query for {zone} over TCP within {Seconds(_options.SoaTimeout)} (UDP answer was truncated)");
        }
        catch (EndOfStreamException)
        {
            return SoaFailure(TransferFailure.Malformed, $"{master.Address} closed the TCP connection inside its answer to the SOA query for {zone}");
        }
    }

    private SoaProbe InterpretSoa(TransferSource master, DnsName zone, SentQuery query, ReadOnlySpan<byte> raw, string how)
    {
        string what = $"SOA query for {zone}{how}";
        TsigStatus tsig = master.Key is { } key ? new TsigResponseVerifier(key, query.Mac!).Verify(raw, _clock.GetUtcNow()) : TsigStatus.Ok;
        if (!DnsMessage.TryParse(raw, out var m, out var error))
            return SoaFailure(TransferFailure.Malformed, $"{master.Address} sent an unparsable answer to the {what}: {error}");
        if (TransferQueries.HeaderProblem(m!, query, zone, questionRequired: true) is { } problem)
            return SoaFailure(TransferFailure.Malformed, $"{master.Address} answered the {what} with {problem}");
        if (m!.Rcode != Rcode.NoError)
            return SoaFailure(TransferQueries.FailureOf(m.Rcode), $"{master.Address} {TransferQueries.RcodeVerb(m)} the {what}");
        if (master.Key is { } k && tsig != TsigStatus.Ok)
            return SoaFailure(TransferFailure.TsigFailed, $"the answer of {master.Address} to the signed {what} {TransferQueries.TsigProblem(tsig, k)}");
        var soa = m.Answers.FirstOrDefault(r => r.Type == RecordType.SOA && r.Owner.Equals(zone) && r.Class == RecordClass.IN);
        if (soa is null)
            return SoaFailure(TransferFailure.Malformed, $"{master.Address} answered the {what} without the zone's SOA in the answer section{(m.AuthoritativeAnswer ? "" : " (not authoritative)")}");
        return new SoaProbe(SerialNumber.OfSoaRData(soa.RData), TransferFailure.None, $"{master.Address} has serial {SerialNumber.OfSoaRData(soa.RData)} for {zone}");
    }

    private static SoaProbe SoaFailure(TransferFailure failure, string message) => new(null, failure, message);

    private void BindLocal(Socket socket, IPEndPoint remote)
    {
        if (_options.LocalAddress is { } local) socket.Bind(new IPEndPoint(local, 0));
        else if (IPAddress.IsLoopback(remote.Address)) socket.Bind(new IPEndPoint(remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
        _ => e.Message,
    };
}
