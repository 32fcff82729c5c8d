using System.Buffers.Binary;
using System.Net;
using System.Text;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Safeguards;
using AkkaDns.Cluster.Transfers;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Update;
using AkkaDns.Resolver.Wire;
using Microsoft.Extensions.Logging;

namespace AkkaDns.Cluster.Update;

/// <summary>
/// DNS UPDATE (RFC 2136) on an edge's DNS front end, in front of the whole query chain: an UPDATE (opcode 5) is
/// answered later (<see cref="IDeferredQueryHandler"/>), once the zone actor has checked it against its own state and
/// journaled it; every other message goes to the inner handler untouched.
/// </summary>
/// <remarks>
/// Choices (RFC 2136, RFC 8914, BIND 9 and Knot DNS 3 where the RFCs leave room):
/// <list type="bullet">
/// <item>Access per zone from its metadata, as PowerDNS: signed with a TSIG-ALLOW-DNSUPDATE key, or from an
/// ALLOW-DNSUPDATE-FROM network; nothing set refuses (REFUSED). A key with X-AKKADNS-UPDATE-POLICY lines may change
/// only what they allow (<see cref="UpdatePolicyLine"/>), else REFUSED.</item>
/// <item>A TSIG that does not verify: NOTAUTH with the TSIG error (RFC 8945 §5.2), as knotd.</item>
/// <item>A zone this edge does not serve: NOTAUTH. A secondary zone (MASTERS set): REFUSED; §3.1.1 lets a secondary
/// forward to its primary, we do not.</item>
/// <item>Prerequisites failing: the RFC's RCODE (YXDOMAIN, YXRRSET, NXDOMAIN, NXRRSET, NOTZONE). A change the
/// blast-radius guard holds: REFUSED with an Extended DNS Error (18 Prohibited) naming the held change; a zone rule
/// broken (a public suffix, CNAME beside data…): REFUSED, EDE 0 with the rule. The zone actors unreachable: SERVFAIL.</item>
/// <item>The EDE text travels in an OPT record only when the request had one (RFC 6891 §6.1.1: nsupdate and knsupdate
/// send none); the same text is always logged.</item>
/// <item>The response echoes the zone section; the other sections are empty (§3.8). Signed when the request was.</item>
/// </list>
/// </remarks>
internal sealed class UpdateQueryHandler(IQueryHandler inner, ZoneTable zones, EdgeTransfers transfers, Func<IZoneService> zoneService, ILogger log)
    : IQueryHandler, IStreamingQueryHandler, IDeferredQueryHandler
{
    private const int UpdateOpcode = 5;
    private const ushort EdeOption = 15;
    private const ushort EdeOther = 0, EdeProhibited = 18, EdeNotAuthoritative = 20, EdeNotSupported = 21;

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context) => inner.Handle(query, response, context);

    public IResponseStream? TryStartStream(ReadOnlySpan<byte> query, in QueryContext context) =>
        inner is IStreamingQueryHandler streaming ? streaming.TryStartStream(query, context) : null;

    public Task<byte[]?>? TryDefer(ReadOnlySpan<byte> query, in QueryContext context)
    {
        if (query.Length < 12 || ((query[2] >> 3) & 0xF) != UpdateOpcode || (query[2] & 0x80) != 0) return null;
        var copy = query.ToArray();
        var client = Client(context);
        try { return Start(copy, client); }
        catch (Exception e)
        {
            log.LogWarning(e, "DNS UPDATE from {Client}: failed", client);
            return Task.FromResult<byte[]?>(Respond(copy, Rcode.ServFail, null, EdeOther, "internal error"));
        }
    }

    private Task<byte[]?> Start(byte[] query, IPAddress? client)
    {
        var now = transfers.Clock.GetUtcNow();
        var tsig = Tsig.VerifyRequest(query, transfers.Keys, now);
        if (tsig.Status == TsigStatus.FormErr) return Done(Respond(query, Rcode.FormErr, null, EdeOther, "malformed TSIG"));
        if (tsig.Status is not (TsigStatus.Unsigned or TsigStatus.Ok))
        {
            log.LogInformation("DNS UPDATE from {Client}: TSIG {Status} (key {Key})", client, tsig.Status, tsig.KeyName);
            return Done(Respond(query, Rcode.NotAuth, tsig, EdeOther, $"TSIG {tsig.Status}"));
        }
        var signed = tsig.Status == TsigStatus.Ok ? tsig : null;
        var keyName = signed?.KeyName?.ToString().ToLowerInvariant();
        if (!UpdateParser.TryParse(query, out var request, out var failure))
            return Done(Refuse(query, failure!.Rcode, signed, EdeOther, failure.Message, client, keyName));
        var zone = zones.Get(request!.Zone);
        if (zone is null)
            return Done(Refuse(query, Rcode.NotAuth, signed, EdeNotAuthoritative, $"zone {request.Zone} is not served here", client, keyName));
        var name = zone.Origin.ToString();
        var config = transfers.View.Current;
        if (config.Values(name, TransferMetadata.Masters).Count > 0)
            return Done(Refuse(query, Rcode.Refused, signed, EdeNotSupported,
                $"zone {name} is a secondary (MASTERS set): update it on its primary", client, keyName));
        TransferPolicy access;
        try { access = TransferPolicy.FromMetadata(config.Values(name, TransferMetadata.AllowDnsUpdateFrom), config.Values(name, TransferMetadata.TsigAllowDnsUpdate)); }
        catch (FormatException) { access = TransferPolicy.RefuseAll; } // the API validates; a damaged value refuses
        if (client is null || access.Decide(client, keyName) != AkkaDns.Resolver.Transfer.TransferDecision.Allowed)
            return Done(Refuse(query, Rcode.Refused, signed, EdeProhibited,
                keyName is null ? $"updates of {name} need a TSIG-ALLOW-DNSUPDATE key or an ALLOW-DNSUPDATE-FROM address" : $"key {keyName} may not update {name}",
                client, keyName));
        if (keyName is not null)
        {
            var lines = config.Values(name, TransferMetadata.UpdatePolicy)
                .Select(v => UpdatePolicyLine.TryParse(v, out var l, out _) ? l : new UpdatePolicyLine(keyName.TrimEnd('.'), "", [])) // damaged: allows nothing
                .OfType<UpdatePolicyLine>().ToList();
            if (UpdatePolicy.Check(zone.Origin, keyName, lines, request.Updates) is { } outside)
                return Done(Refuse(query, Rcode.Refused, signed, EdeProhibited, outside, client, keyName));
        }
        var who = $"dns-update {(keyName is null ? "" : "key " + keyName.TrimEnd('.') + " ")}from {client}";
        return ForwardAsync(query, request, zone.Origin, signed, who, client, keyName);
    }

    private async Task<byte[]?> ForwardAsync(byte[] query, UpdateRequest request, DnsName zone, TsigRequest? signed, string who, IPAddress? client, string? keyName)
    {
        ZoneService.ZoneResult<UpdateApplied> result;
        try { result = await zoneService().UpdateAsync(zone, request.Prerequisites, request.Updates, who).ConfigureAwait(false); }
        catch (Exception e) // the zone service not ready, the node stopping: the client still gets an answer
        {
            log.LogWarning(e, "DNS UPDATE of {Zone} by {Who}: the zone service failed", zone, who);
            return Refuse(query, Rcode.ServFail, signed, EdeOther, "the zone actors could not be asked; nothing was applied", client, keyName);
        }
        if (result.IsOk)
        {
            log.LogInformation("DNS UPDATE of {Zone} by {Who}: {Count} update(s) applied, version {Version}, serial {Serial}",
                zone, who, request.Updates.Count, result.Value.Version, result.Value.Serial);
            return Respond(query, Rcode.NoError, signed, 0, null);
        }
        return result.Error switch
        {
            UpdateRefusedError u => Refuse(query, (Rcode)u.Rcode, signed, EdeOther, u.Message, client, keyName),
            HeldChange h => Refuse(query, Rcode.Refused, signed, EdeProhibited,
                $"held by the blast-radius guard as change {h.ChangeId}: {h.Message}; nothing applied (akkadns change confirm {h.ChangeId})", client, keyName),
            ZoneError.NotFound n => Refuse(query, Rcode.NotAuth, signed, EdeNotAuthoritative, n.Message, client, keyName),
            ZoneError.Invalid i => Refuse(query, Rcode.Refused, signed, EdeOther,
                i.Problems is { Count: > 0 } p ? string.Join("; ", p) : i.Message, client, keyName),
            var other => Refuse(query, Rcode.ServFail, signed, EdeOther, other!.Message, client, keyName),
        };
    }

    private byte[] Refuse(byte[] query, Rcode rcode, TsigRequest? signed, ushort ede, string text, IPAddress? client, string? keyName)
    {
        log.LogInformation("DNS UPDATE from {Client}{Key} refused {Rcode}: {Why}", client, keyName is null ? "" : " key " + keyName, rcode, text);
        return Respond(query, rcode, signed, ede, text);
    }

    private static Task<byte[]?> Done(byte[] response) => Task.FromResult<byte[]?>(response);

    /// <summary>Header and zone section of the request, QR and the RCODE set, an EDE when the request had EDNS, signed
    /// when it was.</summary>
    private byte[] Respond(byte[] query, Rcode rcode, TsigRequest? tsig, ushort ede, string? text)
    {
        int questionEnd = QuestionEnd(query, out bool edns);
        var buffer = new byte[questionEnd + 11 + 6 + (text is null ? 0 : Math.Min(Encoding.UTF8.GetByteCount(text), 400)) + 512];
        query.AsSpan(0, questionEnd).CopyTo(buffer);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(2));
        flags = (ushort)(0x8000 | (flags & 0x7800) | ((ushort)rcode & 0xF));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(4), (ushort)(questionEnd > 12 ? 1 : 0));
        buffer.AsSpan(6, 6).Clear();
        int length = questionEnd;
        if (edns)
        {
            var info = text is null ? [] : Truncate(Encoding.UTF8.GetBytes(text), 400);
            bool withEde = text is not null;
            int rdlen = withEde ? 4 + 2 + info.Length : 0;
            var opt = buffer.AsSpan(length);
            opt[0] = 0; // root owner
            BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)RecordType.OPT);
            BinaryPrimitives.WriteUInt16BigEndian(opt[3..], 1232);
            BinaryPrimitives.WriteUInt32BigEndian(opt[5..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(opt[9..], (ushort)rdlen);
            if (withEde)
            {
                BinaryPrimitives.WriteUInt16BigEndian(opt[11..], EdeOption);
                BinaryPrimitives.WriteUInt16BigEndian(opt[13..], (ushort)(2 + info.Length));
                BinaryPrimitives.WriteUInt16BigEndian(opt[15..], ede);
                info.CopyTo(opt[17..]);
            }
            length += 11 + rdlen;
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(10), 1);
        }
        if (tsig is not null && Tsig.SignResponse(buffer, length, tsig, transfers.Clock.GetUtcNow()) is var n && n > 0) length = n;
        return buffer[..length];
    }

    private static byte[] Truncate(byte[] utf8, int max)
    {
        if (utf8.Length <= max) return utf8;
        int cut = max;
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80) cut--; // never split a UTF-8 sequence
        return utf8[..cut];
    }

    /// <summary>Where the zone section ends (12 when it cannot be read), and whether the request carries an OPT record.</summary>
    private static int QuestionEnd(byte[] query, out bool edns)
    {
        edns = false;
        if (DnsMessage.TryParse(query, out var m, out _)) edns = m!.Edns is not null;
        if (BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) != 1) return 12;
        int pos = 12;
        while (pos < query.Length && query[pos] != 0)
        {
            if (query[pos] > 63) return 12;
            pos += 1 + query[pos];
        }
        return pos + 5 <= query.Length ? pos + 5 : 12;
    }

    private static IPAddress? Client(in QueryContext context)
    {
        if (context.RemoteAddress is not { } sa) return null;
        var any = sa.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        try
        {
            var address = ((IPEndPoint)new IPEndPoint(any, 0).Create(sa)).Address;
            return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }
        catch (ArgumentException) { return null; }
    }
}
