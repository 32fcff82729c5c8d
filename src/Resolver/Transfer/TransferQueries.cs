using System.Buffers.Binary;
using System.Security.Cryptography;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig;

namespace AkkaDns.Resolver.Transfer;

/// <summary>A query as sent: its wire form (signed when a key was given), id, and the MAC the response verifier needs.</summary>
internal sealed record SentQuery(byte[] Wire, ushort Id, RecordType Type, byte[]? Mac);

/// <summary>The client side's small wire helpers: building (and signing) SOA, AXFR and IXFR queries, checking a
/// response's header and question, and naming RCODEs and TSIG errors for messages.</summary>
internal static class TransferQueries
{
    /// <param name="ourSoa">For IXFR: the SOA placed in the authority section (its serial is what we hold).</param>
    public static SentQuery Build(DnsName zone, RecordType type, TsigKey? key, DateTimeOffset now, bool edns, ResourceRecord? ourSoa = null)
    {
        ushort id = (ushort)RandomNumberGenerator.GetInt32(0, 65536); // unpredictable: the UDP SOA answer is spoofable otherwise
        var m = DnsMessage.CreateQuery(zone, type, id, recursionDesired: false, ednsPayload: edns ? (ushort)1232 : null);
        if (ourSoa is not null) m.Authority.Add(new DnsRecord(ourSoa));
        var wire = m.Encode();
        if (key is null) return new SentQuery(wire, id, type, null);
        var buffer = new byte[wire.Length + TsigCodec.MaxRecordLength(key)];
        wire.CopyTo(buffer, 0);
        int n = TsigCodec.SignRequest(buffer, wire.Length, key, now, out var mac);
        if (n < 0) throw new InvalidOperationException($"the {RecordTypes.ToText(type)} query for {zone} could not be signed with {key}");
        return new SentQuery(buffer[..n], id, type, mac);
    }

    /// <summary>The SOA for an IXFR query's authority section: ours with its serial set to <paramref name="serial"/>
    /// (a minimal one when our copy has none).</summary>
    public static ResourceRecord IxfrSoa(DnsName zone, ZoneCopy current)
    {
        var soa = current.Records.FirstOrDefault(r => r.Type == RecordType.SOA && r.Owner.Equals(zone) && r.RData.Length >= 22);
        byte[] rdata;
        if (soa is not null) rdata = (byte[])soa.RData.Clone();
        else
        {
            rdata = new byte[zone.WireLength * 2 + 20];
            zone.Wire.CopyTo(rdata);
            zone.Wire.CopyTo(rdata.AsSpan(zone.WireLength));
        }
        BinaryPrimitives.WriteUInt32BigEndian(rdata.AsSpan(rdata.Length - 20), current.Serial);
        return new ResourceRecord(zone, RecordType.SOA, soa?.Ttl ?? 0, rdata);
    }

    /// <summary>Null when the message answers <paramref name="query"/> (QR set, same id and opcode, and the question,
    /// when present, is ours), else what is wrong.</summary>
    public static string? HeaderProblem(DnsMessage m, SentQuery query, DnsName zone, bool questionRequired)
    {
        if (!m.IsResponse) return "a message without QR set";
        if (m.Id != query.Id) return $"a message with id {m.Id}, not {query.Id}";
        if (m.Opcode != Opcode.Query) return $"a message with opcode {m.Opcode}";
        if (m.Questions.Count > 1) return $"a message with {m.Questions.Count} questions";
        if (m.Questions.Count == 0) return questionRequired && m.Rcode == Rcode.NoError ? "a response without the question" : null;
        var q = m.Questions[0];
        if (!q.Name.Equals(zone) || q.Type != query.Type || q.Class != RecordClass.IN)
            return $"a response to another question ({q})";
        return null;
    }

    public static TransferFailure FailureOf(Rcode rcode) => (ushort)rcode switch
    {
        (ushort)Rcode.Refused => TransferFailure.Refused,
        9 => TransferFailure.NotAuth,
        (ushort)Rcode.NotImp => TransferFailure.NotImplemented,
        (ushort)Rcode.ServFail => TransferFailure.ServFail,
        _ => TransferFailure.OtherRcode,
    };

    public static string RcodeText(Rcode rcode) => (ushort)rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        16 => "BADVERS",
        var other => "RCODE " + other,
    };

    /// <summary>What an error response says, e.g. "refused", "answered NOTAUTH (TSIG error BADKEY) to".</summary>
    public static string RcodeVerb(DnsMessage m)
    {
        if (m.Rcode == Rcode.Refused) return "refused";
        var tsig = TsigErrorText(m);
        return $"answered {RcodeText(m.Rcode)}{(tsig is null ? "" : $" (TSIG error {tsig})")} to";
    }

    /// <summary>The TSIG error of the message's TSIG record ("BADKEY", "BADSIG", "BADTIME", …), null when none or NOERROR.</summary>
    public static string? TsigErrorText(DnsMessage m)
    {
        var tsig = m.Additional.LastOrDefault(r => r.Type == RecordType.TSIG);
        if (tsig is null) return null;
        var rdata = tsig.RData.AsSpan();
        // Algorithm name (never compressed, RFC 8945 §4.2), time (6), fudge (2), MAC size (2), MAC, original id (2), error (2).
        int pos = 0;
        while (pos < rdata.Length && rdata[pos] != 0) pos += 1 + rdata[pos];
        pos += 1 + 6 + 2;
        if (pos + 2 > rdata.Length) return "(malformed TSIG)";
        pos += 2 + BinaryPrimitives.ReadUInt16BigEndian(rdata[pos..]) + 2;
        if (pos + 2 > rdata.Length) return "(malformed TSIG)";
        return BinaryPrimitives.ReadUInt16BigEndian(rdata[pos..]) switch
        {
            0 => null,
            (ushort)TsigError.BadSig => "BADSIG",
            (ushort)TsigError.BadKey => "BADKEY",
            (ushort)TsigError.BadTime => "BADTIME",
            (ushort)TsigError.BadTrunc => "BADTRUNC",
            var e => e.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Why a response to a signed query is not acceptable, for a TsigFailed message.</summary>
    public static string TsigProblem(TsigStatus status, TsigKey key) => status switch
    {
        TsigStatus.Unsigned => "is not signed",
        TsigStatus.BadKey => $"is not signed with the key {key.Name}",
        TsigStatus.BadSig => $"carries a wrong TSIG MAC (key {key.Name})",
        TsigStatus.BadTime => "is signed at a time outside the fudge (clocks apart?)",
        TsigStatus.BadTrunc => "carries a truncated MAC",
        _ => "carries a malformed TSIG record",
    };
}
