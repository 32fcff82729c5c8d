using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Transfer;

/// <summary>
/// A zone transfer query (AXFR, RFC 5936; IXFR, RFC 1995), parsed once per transfer. Holds copies of what the
/// response stream needs after the query buffer is reused: id, flags, the question as sent (0x20 case kept).
/// </summary>
public sealed class TransferRequest
{
    private TransferRequest(ushort id, ushort flags, DnsName zone, RecordType type, RecordClass @class, byte[] question, uint? clientSerial)
    {
        Id = id; Flags = flags; Zone = zone; Type = type; Class = @class; Question = question; ClientSerial = clientSerial;
    }

    public ushort Id { get; }
    /// <summary>The query's header flags (opcode and RD are copied into every response message).</summary>
    public ushort Flags { get; }
    public Opcode Opcode => (Opcode)((Flags >> 11) & 0xF);
    public DnsName Zone { get; }
    /// <summary><see cref="RecordType.AXFR"/> or <see cref="RecordType.IXFR"/>.</summary>
    public RecordType Type { get; }
    public RecordClass Class { get; }
    /// <summary>The question section's bytes exactly as the query sent them.</summary>
    public byte[] Question { get; }
    /// <summary>IXFR: the SERIAL of the SOA the client sent in the authority section (RFC 1995 §3). Null for AXFR.</summary>
    public uint? ClientSerial { get; }

    /// <summary>AXFR or IXFR: the cheap test a handler makes before parsing a query as a transfer.</summary>
    public static bool IsTransferType(RecordType type) => type is RecordType.AXFR or RecordType.IXFR;

    /// <summary>
    /// True with <paramref name="request"/> for a well-formed AXFR or IXFR query. False with
    /// <paramref name="error"/> = <see cref="Rcode.NoError"/> when the packet is not a transfer query (the ordinary
    /// answer path takes it, and its screening answers or drops it); false with <see cref="Rcode.FormErr"/> for a
    /// transfer query that is malformed, e.g. an IXFR without the client's SOA (RFC 1995 §3).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> query, out TransferRequest? request, out Rcode error)
    {
        request = null;
        error = Rcode.NoError;
        var screen = QueryParser.Parse(query, out var q);
        if (!q.HasQuestion || !IsTransferType(q.QType) || q.Opcode != Opcode.Query) return false;
        if (screen != QueryScreen.Ok)
        {
            // BADVERS and the like: the ordinary path writes those answers.
            if (screen == QueryScreen.FormErr) error = Rcode.FormErr;
            return false;
        }

        var zone = DnsName.FromWire(query.Slice(ParsedQuery.QNameOffset, q.QNameLength));
        uint? serial = null;
        if (q.QType == RecordType.IXFR)
        {
            // QueryParser has checked the framing; the full reader expands the SOA's compressed names.
            if (q.NsCount != 1 || !DnsMessage.TryParse(query, out var m, out _) || m!.Authority.Count != 1
                || m.Authority[0] is not { Type: RecordType.SOA } soa || !soa.Owner.Equals(zone) || soa.RData.Length < 22)
            { error = Rcode.FormErr; return false; }
            serial = SerialNumber.OfSoaRData(soa.RData);
        }
        var question = query.Slice(ParsedQuery.HeaderLength, q.QuestionEnd - ParsedQuery.HeaderLength).ToArray();
        request = new TransferRequest(q.Id, q.Flags, zone, q.QType, (RecordClass)q.QClass, question, serial);
        return true;
    }
}
