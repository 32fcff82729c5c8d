using System.Buffers.Binary;

namespace AkkaDns.Resolver.Wire;

/// <summary>What the screening of a query decided, in NSD's order (<c>query.c</c>).</summary>
public enum QueryScreen : byte
{
    /// <summary>Well formed: answer it.</summary>
    Ok,
    /// <summary>Shorter than a header, or QR=1: send nothing.</summary>
    Drop,
    /// <summary>Opcode other than QUERY.</summary>
    NotImp,
    /// <summary>Bad counts, bad question, bad or repeated OPT.</summary>
    FormErr,
    /// <summary>EDNS version above 0 (RFC 6891 §6.1.3).</summary>
    BadVers,
}

/// <summary>
/// The parts of a query the answer path needs, found in place in the packet (no copy, no allocation).
/// The question name is the uncompressed wire name at offset 12, <see cref="QNameLength"/> bytes long.
/// </summary>
public struct ParsedQuery
{
    public const int HeaderLength = 12;
    public const int QNameOffset = 12;

    public ushort Id;
    public ushort Flags;
    public ushort QdCount, AnCount, NsCount, ArCount;
    /// <summary>True when exactly one question was read completely.</summary>
    public bool HasQuestion;
    public int QNameLength;
    public int QLabelCount;
    public RecordType QType;
    public ushort QClass;
    /// <summary>Offset just after the question (12 when there is none).</summary>
    public int QuestionEnd;
    /// <summary>A single, well-formed OPT record was present.</summary>
    public bool HasOpt;
    public ushort UdpPayloadSize;
    public byte EdnsVersion;
    public bool DnssecOk;
    /// <summary>Offset of the owner name of the TSIG record in the additional section (0: none).</summary>
    public int TsigOffset;
    /// <summary>That TSIG is the last additional record (RFC 8945 §5.1 requires it).</summary>
    public bool TsigIsLast;
    /// <summary>A TSIG in the answer or authority section, or a second one: FORMERR.</summary>
    public bool TsigElsewhere;

    public readonly Opcode Opcode => (Opcode)((Flags >> 11) & 0xF);
    public readonly bool IsResponse => (Flags & 0x8000) != 0;
    public readonly bool RecursionDesired => (Flags & 0x0100) != 0;
    public readonly bool CheckingDisabled => (Flags & 0x0010) != 0;
    /// <summary>The query carries a TSIG record somewhere.</summary>
    public readonly bool HasTsig => TsigOffset > 0 || TsigElsewhere;
}

/// <summary>
/// Screens a query packet in place: header, the one question, and the additional section (for OPT).
/// Every read is bounds-checked against the packet; nothing throws and nothing is allocated.
/// </summary>
public static class QueryParser
{
    private const ushort OptType = 41;
    private const ushort TsigType = 250;

    public static QueryScreen Parse(ReadOnlySpan<byte> packet, out ParsedQuery q)
    {
        q = default;
        q.QuestionEnd = ParsedQuery.HeaderLength;
        if (packet.Length < ParsedQuery.HeaderLength) return QueryScreen.Drop;
        q.Id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        q.Flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        q.QdCount = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        q.AnCount = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        q.NsCount = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        q.ArCount = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        if (q.IsResponse) return QueryScreen.Drop;

        // The question and OPT are read even for the error cases: the response echoes the question
        // and carries an OPT whenever the query had a usable one.
        // The whole packet is walked (as knotd does) so that a FORMERR still carries an OPT when the query had a good one.
        bool questionOk = q.QdCount == 1 && TryReadQuestion(packet, ref q);
        int pos = ParsedQuery.HeaderLength;
        bool walkOk = TrySkipQuestions(packet, ref pos, q.QdCount)
            && TrySkipRecords(packet, ref pos, q.AnCount + q.NsCount, ref q)
            && TryReadAdditional(packet, ref pos, ref q)
            && pos == packet.Length; // trailing bytes: FORMERR without OPT, as knotd
        if (!walkOk) q.HasOpt = false;
        // A query has no answer records; only IXFR carries one in authority (RFC 1995 §3).
        bool sectionsOk = q.AnCount == 0 && (q.NsCount == 0 || (questionOk && q.QType == RecordType.IXFR));

        if (q.Opcode != Opcode.Query) return QueryScreen.NotImp;
        if (!questionOk || !sectionsOk || !walkOk) return QueryScreen.FormErr;
        if (q.HasOpt && q.EdnsVersion != 0) return QueryScreen.BadVers;
        return QueryScreen.Ok;
    }

    /// <summary>Reads the question at offset 12: an uncompressed name (a pointer there cannot point backwards
    /// to anything), then type and class.</summary>
    private static bool TryReadQuestion(ReadOnlySpan<byte> p, ref ParsedQuery q)
    {
        int pos = ParsedQuery.QNameOffset, labels = 0;
        while (true)
        {
            if (pos >= p.Length) return false;
            int len = p[pos];
            if (len == 0) { pos++; break; }
            if (len > DnsName.MaxLabelLength) return false; // pointers and extended label types
            pos += 1 + len;
            labels++;
            if (pos - ParsedQuery.QNameOffset >= DnsName.MaxWireLength) return false;
        }
        if (pos + 4 > p.Length) return false;
        q.QNameLength = pos - ParsedQuery.QNameOffset;
        q.QLabelCount = labels;
        q.QType = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(p[pos..]);
        q.QClass = BinaryPrimitives.ReadUInt16BigEndian(p[(pos + 2)..]);
        q.QuestionEnd = pos + 4;
        q.HasQuestion = true;
        return true;
    }

    private static bool TrySkipQuestions(ReadOnlySpan<byte> p, ref int pos, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!TrySkipName(p, ref pos) || pos + 4 > p.Length) return false;
            pos += 4;
        }
        return true;
    }

    private static bool TrySkipRecords(ReadOnlySpan<byte> p, ref int pos, int count, ref ParsedQuery q)
    {
        for (int i = 0; i < count; i++)
        {
            if (!TrySkipName(p, ref pos) || pos + 10 > p.Length) return false;
            if (BinaryPrimitives.ReadUInt16BigEndian(p[pos..]) == TsigType) q.TsigElsewhere = true;
            int rdlen = BinaryPrimitives.ReadUInt16BigEndian(p[(pos + 8)..]);
            pos += 10;
            if (pos + rdlen > p.Length) return false;
            pos += rdlen;
        }
        return true;
    }

    /// <summary>Walks the additional section: every record must fit; at most one OPT, owned by the root,
    /// with options that exactly fill its RDATA. A TSIG is only located (RFC 8945 checks happen in Tsig).</summary>
    private static bool TryReadAdditional(ReadOnlySpan<byte> p, ref int pos, ref ParsedQuery q)
    {
        for (int i = 0; i < q.ArCount; i++)
        {
            int nameStart = pos;
            if (!TrySkipName(p, ref pos)) return false;
            if (pos + 10 > p.Length) return false;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(p[pos..]);
            ushort cls = BinaryPrimitives.ReadUInt16BigEndian(p[(pos + 2)..]);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(p[(pos + 4)..]);
            int rdlen = BinaryPrimitives.ReadUInt16BigEndian(p[(pos + 8)..]);
            pos += 10;
            if (pos + rdlen > p.Length) return false;
            if (type == OptType)
            {
                if (q.HasOpt) return false;                       // RFC 6891 §6.1.1: more than one OPT
                if (pos - 10 - nameStart != 1 || p[nameStart] != 0) return false; // owner must be the root
                if (!OptionsWellFormed(p.Slice(pos, rdlen))) return false;
                q.HasOpt = true;
                q.UdpPayloadSize = Math.Max(cls, (ushort)512);    // §6.2.3: values below 512 mean 512
                q.EdnsVersion = (byte)(ttl >> 16);
                q.DnssecOk = (ttl & 0x8000) != 0;
            }
            else if (type == TsigType)
            {
                if (q.TsigOffset > 0) q.TsigElsewhere = true; // a second TSIG
                else { q.TsigOffset = nameStart; q.TsigIsLast = i == q.ArCount - 1; }
            }
            pos += rdlen;
        }
        return true;
    }

    private static bool OptionsWellFormed(ReadOnlySpan<byte> rdata)
    {
        int pos = 0;
        while (pos < rdata.Length)
        {
            if (pos + 4 > rdata.Length) return false;
            int len = BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 2)..]);
            pos += 4 + len;
        }
        return pos == rdata.Length;
    }

    /// <summary>Skips a possibly compressed name (the pointer target is not followed: only its two bytes count).</summary>
    internal static bool TrySkipName(ReadOnlySpan<byte> p, ref int pos)
    {
        int start = pos;
        while (true)
        {
            if (pos >= p.Length) return false;
            int len = p[pos];
            if (len == 0) { pos++; return true; }
            if ((len & 0xC0) == 0xC0) { if (pos + 2 > p.Length) return false; pos += 2; return true; }
            if (len > DnsName.MaxLabelLength) return false;
            pos += 1 + len;
            if (pos - start > DnsName.MaxWireLength) return false;
        }
    }
}
