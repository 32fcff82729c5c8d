using System.Buffers.Binary;
using System.Net;
using AkkaDns.Actors.Transfers;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.Transfers;

/// <summary>
/// Zone transfers on an edge's DNS front end: AXFR and IXFR over TCP as message streams from the snapshot being
/// served, IXFR over UDP as one message; every other query goes to the inner handler (the answerer) untouched.
/// </summary>
/// <remarks>
/// Choices (RFC 5936 §4, RFC 1995, Knot DNS 3.2 where the RFCs leave room):
/// <list type="bullet">
/// <item>Access per zone from its metadata (<see cref="TransferPolicy"/>): a request signed with a TSIG-ALLOW-AXFR key,
/// or from an ALLOW-AXFR-FROM address; nothing set refuses. Refused: REFUSED with the question (signed when the request
/// was), as knotd.</item>
/// <item>A TSIG that does not verify (BADKEY, BADSIG, BADTIME, FORMERR): the answerer's TSIG error answer.</item>
/// <item>A zone this edge does not serve: NOTAUTH (knotd).</item>
/// <item>IXFR without the client's SOA in the authority section: FORMERR (RFC 1995 §3).</item>
/// </list>
/// </remarks>
internal sealed class TransferQueryHandler(IQueryHandler inner, ZoneTable zones, EdgeTransfers transfers) : IQueryHandler, IStreamingQueryHandler
{
    private const ushort NotAuth = 9;
    private const int NotifyOpcode = 4;

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context)
    {
        if (query.Length >= 12 && ((query[2] >> 3) & 0xF) == NotifyOpcode && (query[2] & 0x80) == 0)
        {
            int n = Notify(query, response, context);
            if (n != 0) return n;
        }
        else if (transfers.Expired.Count > 0 && ExpiredZone(query))
            return Copy(Error(query, (ushort)Rcode.ServFail, null, transfers.Clock.GetUtcNow()), response);
        if (context.Transport == Transport.Udp && QuestionType(query) == RecordType.IXFR)
        {
            int n = UdpIxfr(query, response, context);
            if (n != 0) return n;
        }
        return inner.Handle(query, response, context);
    }

    public IResponseStream? TryStartStream(ReadOnlySpan<byte> query, in QueryContext context)
    {
        if (QuestionType(query) is not (RecordType.AXFR or RecordType.IXFR)) return null;
        var start = Start(query, context);
        if (start.Error is { } message) return new SingleMessage(message);
        if (start.Zone is null) return null;
        var signer = start.Tsig is { Status: TsigStatus.Ok } t ? new StreamSigner(new TsigStreamSigner(t), transfers.Clock) : null;
        var request = start.Request!;
        if (request.Type == RecordType.AXFR)
        {
            Log("AXFR", start, context);
            return ZoneTransferStream.Axfr(request, start.Zone, transfers.StreamOptions, signer);
        }
        var plan = Plan(request, start.Zone);
        Log("IXFR " + plan.Kind.ToString().ToLowerInvariant(), start, context);
        return ZoneTransferStream.Ixfr(request, start.Zone, plan, transfers.StreamOptions, signer);
    }

    private void Log(string kind, in Started start, in QueryContext context) =>
        transfers.Served(kind + (context.Transport == Transport.Udp ? " (UDP)" : ""), start.Zone!.Origin, start.Request!.ClientSerial,
            CurrentSerial(start.Zone), Client(context), start.Tsig is { Status: TsigStatus.Ok } t ? t.KeyName?.ToString() : null);

    private int UdpIxfr(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context)
    {
        var start = Start(query, context);
        if (start.Error is { } message)
        {
            if (message.Length > response.Length) return -1;
            message.CopyTo(response);
            return message.Length;
        }
        if (start.Zone is null) return 0;
        var signer = start.Tsig is { Status: TsigStatus.Ok } t ? new StreamSigner(new TsigStreamSigner(t), transfers.Clock) : null;
        int limit = Math.Min(response.Length, UdpLimit(query));
        var plan = Plan(start.Request!, start.Zone);
        Log("IXFR " + plan.Kind.ToString().ToLowerInvariant(), start, context);
        return ZoneTransferStream.WriteUdpIxfr(start.Request!, start.Zone, plan, response[..limit], signer);
    }

    private static int Copy(byte[] message, Span<byte> response)
    {
        if (message.Length > response.Length) return -1;
        message.CopyTo(response);
        return message.Length;
    }

    /// <summary>A question inside a secondary zone expired under the "stop" policy (RFC 1035 §3.3.13: no longer
    /// authoritative), answered SERVFAIL as BIND and Knot do.</summary>
    private bool ExpiredZone(ReadOnlySpan<byte> query)
    {
        if (QueryParser.Parse(query, out var q) == QueryScreen.Drop || !q.HasQuestion) return false;
        var zone = zones.FindZone(query.Slice(ParsedQuery.QNameOffset, q.QNameLength));
        return zone is not null && transfers.Expired.Contains(zone.Origin.ToLowerCase());
    }

    /// <summary>
    /// An incoming NOTIFY (RFC 1996 §3.7) for a zone this cluster is a secondary of: accepted (NOERROR, AA, signed when
    /// the request was) only from one of the zone's MASTERS addresses (any port), and when AXFR-MASTER-TSIG names a key,
    /// only signed with it; then the refresher is told, and refreshes at once. Not a secondary here: NOTAUTH (as knotd);
    /// another source or key: REFUSED. A TSIG that does not verify: 0, so the answerer writes the TSIG error.
    /// </summary>
    private int Notify(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context)
    {
        var now = transfers.Clock.GetUtcNow();
        var tsig = Tsig.VerifyRequest(query, transfers.Keys, now);
        if (tsig.Status is not (TsigStatus.Unsigned or TsigStatus.Ok)) return 0;
        var signed = tsig.Status == TsigStatus.Ok ? tsig : null;
        if (!DnsMessage.TryParse(query, out var message, out _) || message!.Questions.Count != 1 || message.Questions[0].Type != RecordType.SOA)
            return Copy(Error(query, (ushort)Rcode.FormErr, signed, now), response);
        var zone = message.Questions[0].Name.ToLowerCase();
        var config = transfers.View.Current;
        var name = zone.ToString();
        var masters = TransferMetadata.ParseMasters(config.Values(name, TransferMetadata.Masters));
        var from = Client(context);
        if (masters.Count == 0)
        {
            transfers.NotifyRefused(zone, from, "not a secondary zone here");
            return Copy(Error(query, NotAuth, signed, now), response);
        }
        if (from is null || !masters.Any(m => m.Address.Equals(from.IsIPv4MappedToIPv6 ? from.MapToIPv4() : from)))
        {
            transfers.NotifyRefused(zone, from, "not from one of its primaries (" + string.Join(", ", masters) + ")");
            return Copy(Error(query, (ushort)Rcode.Refused, signed, now), response);
        }
        var required = config.Values(name, TransferMetadata.AxfrMasterTsig) is [var k, ..] ? k : null;
        var used = signed?.KeyName?.ToString();
        if (required is not null && !string.Equals(used, required, StringComparison.OrdinalIgnoreCase))
        {
            transfers.NotifyRefused(zone, from, used is null ? $"unsigned; key {required} required" : $"signed with {used}; key {required} required");
            return Copy(Error(query, (ushort)Rcode.Refused, signed, now), response);
        }
        uint? serial = message.Answers.FirstOrDefault(a => a.Type == RecordType.SOA) is { } soa ? SerialNumber.OfSoaRData(soa.RData) : null;
        transfers.Notified(zone, from, serial);
        return Copy(Error(query, 0, signed, now, authoritative: true), response);
    }

    private IxfrPlan Plan(TransferRequest request, CompiledZone zone) =>
        IxfrPlanner.Plan(transfers.History.Get(zone.Origin), request.ClientSerial ?? 0, CurrentSerial(zone));

    private readonly record struct Started(TransferRequest? Request, CompiledZone? Zone, TsigRequest? Tsig, byte[]? Error);

    /// <summary>Parses, verifies and checks access. Zone null and Error null: let the inner handler answer.</summary>
    private Started Start(ReadOnlySpan<byte> query, in QueryContext context)
    {
        var now = transfers.Clock.GetUtcNow();
        var tsig = Tsig.VerifyRequest(query, transfers.Keys, now);
        if (tsig.Status is not (TsigStatus.Unsigned or TsigStatus.Ok)) return default; // the answerer writes the TSIG error
        var signed = tsig.Status == TsigStatus.Ok ? tsig : null;
        if (!TransferRequest.TryParse(query, out var request, out var rcode))
            return rcode == Rcode.FormErr ? new Started(null, null, tsig, Error(query, (ushort)Rcode.FormErr, signed, now)) : default;
        var zone = zones.Get(request!.Zone);
        if (zone is null) return new Started(request, null, tsig, Error(query, NotAuth, signed, now));
        var name = zone.Origin.ToString();
        var config = transfers.View.Current;
        TransferPolicy policy;
        try
        {
            policy = TransferPolicy.FromMetadata(config.Values(name, TransferMetadata.AllowAxfrFrom), config.Values(name, TransferMetadata.TsigAllowAxfr));
        }
        catch (FormatException) { policy = TransferPolicy.RefuseAll; } // the API validates; a damaged value refuses
        var client = Client(context);
        var key = signed?.KeyName?.ToString().ToLowerInvariant();
        if (client is null || policy.Decide(client, key) != AkkaDns.Resolver.Transfer.TransferDecision.Allowed)
            return new Started(request, null, tsig, Error(query, (ushort)Rcode.Refused, signed, now));
        return new Started(request, zone, tsig, null);
    }

    private static IPAddress? Client(in QueryContext context)
    {
        if (context.RemoteAddress is not { } sa) return null;
        var any = sa.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        try { return ((IPEndPoint)new IPEndPoint(any, 0).Create(sa)).Address; }
        catch (ArgumentException) { return null; }
    }

    /// <summary>Header and question of the query, QR set, the RCODE, signed when the request was.</summary>
    private static byte[] Error(ReadOnlySpan<byte> query, ushort rcode, TsigRequest? tsig, DateTimeOffset now, bool authoritative = false)
    {
        int questionEnd = QuestionEnd(query);
        var buffer = new byte[questionEnd + 512];
        query[..questionEnd].CopyTo(buffer);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(query[2..]);
        flags = (ushort)(0x8000 | (flags & 0x7900) | (authoritative ? 0x0400 : 0) | (rcode & 0xF));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(4), (ushort)(questionEnd > 12 ? 1 : 0));
        buffer.AsSpan(6, 6).Clear();
        int length = questionEnd;
        if (tsig is not null && Tsig.SignResponse(buffer, length, tsig, now) is var signed && signed > 0) length = signed;
        return buffer[..length];
    }

    private static int QuestionEnd(ReadOnlySpan<byte> query)
    {
        var screen = QueryParser.Parse(query, out var q);
        return screen != QueryScreen.Drop && q.HasQuestion ? q.QuestionEnd : 12;
    }

    private static int UdpLimit(ReadOnlySpan<byte> query)
    {
        QueryParser.Parse(query, out var q);
        return q.HasOpt ? Math.Max(512, Math.Min((int)q.UdpPayloadSize, 1232)) : 512;
    }

    /// <summary>The question's type, read cheaply (every TCP query passes here): 0 when there is no plain question.</summary>
    private static RecordType QuestionType(ReadOnlySpan<byte> query)
    {
        if (query.Length < 17 || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) != 1) return 0;
        int pos = 12;
        while (pos < query.Length && query[pos] != 0)
        {
            if (query[pos] > 63) return 0;
            pos += 1 + query[pos];
        }
        return pos + 3 <= query.Length - 1 ? (RecordType)BinaryPrimitives.ReadUInt16BigEndian(query[(pos + 1)..]) : 0;
    }

    private static uint CurrentSerial(CompiledZone zone) =>
        zone.Apex.Find(RecordType.SOA) is { } soa ? SerialNumber.OfSoaRData(soa.RData(0)) : 0;

    /// <summary>TSIG for every message of a stream (RFC 8945 §5.3.1).</summary>
    private sealed class StreamSigner(TsigStreamSigner signer, TimeProvider clock) : IMessageSigner
    {
        public int MaxOverhead => signer.MaxRecordLength;
        public int Sign(Span<byte> buffer, int length) => signer.SignNext(buffer, length, clock.GetUtcNow());
    }

    private sealed class SingleMessage(byte[] message) : IResponseStream
    {
        private bool _sent;
        public int Next(Span<byte> buffer)
        {
            if (_sent) return 0;
            _sent = true;
            message.CopyTo(buffer);
            return message.Length;
        }
        public void Dispose() { }
    }
}
