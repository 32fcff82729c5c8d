using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Answering;

public sealed record AnswerOptions
{
    /// <summary>Largest UDP response we send to an EDNS client (RFC 9715 / DNS flag day 2020 default 1232).</summary>
    public int MaxUdpPayload { get; init; } = 1232;

    /// <summary>TSIG keys accepted on signed queries (RFC 8945); null: every signed query is answered NOTAUTH/BADKEY.</summary>
    public ITsigKeyring? Keyring { get; init; }

    /// <summary>Clock for TSIG time checks and signatures; null means <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? Clock { get; init; }
}

/// <summary>
/// Where a query is answered: screens the packet (NSD order), finds the zone, runs the RFC 1034 §4.3.2
/// algorithm against the compiled snapshot and writes the response. Allocation-free in the steady state.
/// </summary>
/// <remarks>
/// Choices where the RFCs leave room, matched to Knot DNS 3.2 unless said otherwise:
/// <list type="bullet">
/// <item>ANY (RFC 8482 §4.1): one RRset, the node's RRset with the lowest type number (what knotd returns).</item>
/// <item>Class other than IN or ANY: REFUSED, AA=0. AXFR/IXFR reaching the answerer (no transfer handler in front, as in `akkadns serve`; on edges Cluster's TransferQueryHandler takes them first): NOTAUTH with only QR set, as knotd; AXFR over UDP NOTIMP (knotd, NSD).</item>
/// <item>Truncation (RFC 2181 §9): when the answer or authority section does not fit, TC=1 and all three sections
/// empty (as knotd); additional records that do not fit are left out without TC, except a referral's glue for in-domain
/// name servers (RFC 9471 §3.1: all of it, or TC, as knotd).</item>
/// <item>CD is copied (RFC 6840 §5.9 asks for it; knotd does not copy it: a listed difference). RA=0.</item>
/// <item>Opcode other than QUERY is NOTIMP even for UPDATE (knotd answers FORMERR to a zone-less UPDATE).</item>
/// <item>Out-of-zone REFUSED carries EDE 20 "Not Authoritative" (RFC 8914) when the query had EDNS, as knotd.</item>
/// <item>FORMERR (bad counts, bad question, bad/second OPT, trailing bytes) echoes the id and, when it parsed, the
/// question; it carries an OPT only when the rest of the packet was well formed (as knotd). Packets shorter than a
/// header and responses (QR=1) are dropped.</item>
/// <item>Not implemented: NSID and EXPIRE options (knotd answers them; they are only sent when asked for).</item>
/// <item>TSIG (RFC 8945), checked after the NSD screening and before the answer: a TSIG that is not the last additional
/// record, a second one, one in the answer or authority section, or a malformed one: FORMERR, unsigned. Unknown key,
/// algorithm other than the key's, or no keyring configured: NOTAUTH with TSIG error BADKEY; bad MAC: NOTAUTH/BADSIG;
/// both answered with the question only and a TSIG record with an empty MAC (as knotd). Time outside the fudge:
/// NOTAUTH/BADTIME, signed, the request's time signed echoed and ours in Other Data. MACs truncated below
/// max(10, half the hash) (§5.2.2.1): FORMERR. A good TSIG: answered as usual with room kept for the largest TSIG
/// record of that key, then signed; NOTIMP and BADVERS answers to a verified query are signed too. Our fudge is the
/// request's. Unsigned queries take none of this path (it allocates; they stay allocation-free). Checked against knotd
/// 3.2 with dig: same RCODE, flags (AA=0, RD copied), OPT + empty-MAC TSIG for BADKEY and BADSIG. Difference: knotd
/// accepts a key on queries only when an ACL names it (a defined key with no ACL is BADKEY); every key in our
/// keyring is accepted.</item>
/// </list>
/// </remarks>
public sealed partial class Answerer(ZoneTable zones, AnswerOptions options) : IQueryHandler
{
    /// <summary>Compression targets per response; names past this many labels are simply written uncompressed.</summary>
    private const int CompressionTableSize = 128;
    private const int OptLength = 11;
    private const int EdeOptionLength = 6;
    private const ushort EdeNotAuthoritative = 20;
    private const ushort NotAuth = 9;
    private const ushort YxDomain = 6;

    public ZoneTable Zones { get; } = zones;
    public AnswerOptions Options { get; } = options;

    [SkipLocalsInit]
    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context)
    {
        var screen = QueryParser.Parse(query, out var q);
        if (screen == QueryScreen.Drop) return -1;

        int limit = context.Transport == Transport.Tcp ? ushort.MaxValue
            : q.HasOpt ? Math.Max(512, Math.Min((int)q.UdpPayloadSize, Options.MaxUdpPayload)) : 512;
        limit = Math.Min(limit, response.Length);
        int questionLength = q.QuestionEnd - ParsedQuery.HeaderLength;
        TsigRequest? tsig = q.HasTsig ? CheckTsig(query, q, ref screen) : null;
        int signedLimit = limit;
        if (tsig is not null) limit -= tsig.ResponseRecordLength;
        if (limit < ParsedQuery.HeaderLength + questionLength + OptLength + EdeOptionLength) return -1; // caller's buffer cannot hold any answer

        Span<ushort> table = stackalloc ushort[CompressionTableSize];
        // Field by field into the one local: `r = new ResponseState(…)` built a temporary and copied its ~350 bytes of
        // reference slots (the stack lists) with a write-barrier bulk move, 3% of a serving loop's time in a profile.
        scoped ResponseState r = default;
        r.W = new ResponseWriter(response[..limit], table);
        r.Query = q;
        r.MaxUdpPayload = Options.MaxUdpPayload;
        r.W.TryWriteBytes(query[..ParsedQuery.HeaderLength]); // placeholder; the header is rewritten at the end
        if (q.HasQuestion)
        {
            r.W.TryWriteBytes(query.Slice(ParsedQuery.HeaderLength, questionLength)); // echoed as sent (0x20 case kept)
            r.W.RegisterName(ParsedQuery.QNameOffset);
        }
        r.AfterQuestion = r.W.Mark();
        if (q.HasOpt) r.W.SetLimit(limit - OptLength);

        switch (screen)
        {
            case QueryScreen.NotImp: r.Rcode = (ushort)Rcode.NotImp; break;
            case QueryScreen.FormErr: r.Rcode = (ushort)Rcode.FormErr; break;
            case QueryScreen.BadVers: r.Rcode = (ushort)Rcode.BadVers; break;
            case QueryScreen.Ok when tsig is { Status: not TsigStatus.Ok }: r.Rcode = NotAuth; break;
            default: Answer(query, context.Transport, ref r); break;
        }
        int length = Finish(ref r, limit);
        return tsig is null ? length : SignResponse(response[..signedLimit], length, tsig);
    }

    private void Answer(ReadOnlySpan<byte> query, Transport transport, ref ResponseState r)
    {
        ref readonly var q = ref r.Query;
        if (q.QClass is not ((ushort)RecordClass.IN or (ushort)RecordClass.ANY)) { r.Rcode = (ushort)Rcode.Refused; return; }
        // Transfers are served by a handler in front of this one (Cluster/Transfers on edges); what reaches here is not. AXFR over UDP is not implemented at all (knotd and NSD say NOTIMP); AXFR over TCP
        // and IXFR on either transport: we are not a transfer source for the zone (NOTAUTH, as knotd).
        if (q.QType is RecordType.AXFR or RecordType.IXFR)
        {
            r.Rcode = q.QType == RecordType.AXFR && transport == Transport.Udp ? (ushort)Rcode.NotImp : NotAuth;
            r.ClearRd = true;
            return;
        }

        var qname = query.Slice(ParsedQuery.QNameOffset, q.QNameLength);
        var zone = Zones.FindZone(qname);
        if (zone is null) { r.Rcode = (ushort)Rcode.Refused; r.Ede = EdeNotAuthoritative; return; }
        // DS lives on the parent side of a cut (RFC 4035 §3.1.4.1): asked for at a zone's apex, it is answered from
        // the parent zone when we serve that too (the parent sees a delegation with DS there), else from the child.
        if (q.QType == RecordType.DS && zone.Origin.WireLength == qname.Length && qname.Length > 1)
        {
            var parent = Zones.FindZone(qname[(1 + qname[0])..]);
            if (parent is not null) zone = parent;
        }
        Resolve(zone, qname, q.QType, ref r);
    }

    private static int Finish(ref ResponseState r, int limit)
    {
        ref var w = ref r.W;
        w.SetLimit(limit);
        var q = r.Query;
        ushort flags = (ushort)(0x8000 | (q.Flags & 0x7800)); // QR, opcode copied
        if (r.Aa) flags |= 0x0400;
        if (r.Tc) flags |= 0x0200;
        if (q.RecursionDesired && !r.ClearRd) flags |= 0x0100;
        if (q.CheckingDisabled && !r.ClearRd) flags |= 0x0010;
        flags |= (ushort)(r.Rcode & 0xF);
        var buf = w.Buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buf, q.Id);
        BinaryPrimitives.WriteUInt16BigEndian(buf[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(buf[4..], (ushort)(q.HasQuestion ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(buf[6..], (ushort)r.An);
        BinaryPrimitives.WriteUInt16BigEndian(buf[8..], (ushort)r.Ns);
        int ar = r.Ar;
        if (q.HasOpt && WriteOpt(ref w, ref r)) ar++;
        BinaryPrimitives.WriteUInt16BigEndian(buf[10..], (ushort)ar);
        return w.Position;
    }

    /// <summary>Our OPT (RFC 6891 §6.1.2): root owner, our payload size, extended RCODE bits, version 0, DO echoed.</summary>
    private static bool WriteOpt(ref ResponseWriter w, ref ResponseState r)
    {
        uint ttl = (uint)((r.Rcode >> 4) & 0xFF) << 24;
        if (r.Query.DnssecOk) ttl |= 0x8000;
        var mark = w.Mark();
        bool ede = r.Ede != 0 && w.Remaining >= OptLength + EdeOptionLength;
        if (!(w.TryWriteBytes([0]) && w.TryWriteU16((ushort)RecordType.OPT) && w.TryWriteU16((ushort)Math.Clamp(r.MaxUdpPayload, 512, ushort.MaxValue))
              && w.TryWriteU32(ttl) && w.TryWriteU16((ushort)(ede ? EdeOptionLength : 0))
              && (!ede || (w.TryWriteU16(15) && w.TryWriteU16(2) && w.TryWriteU16(r.Ede)))))
        { w.Rollback(mark); return false; }
        return true;
    }
}
