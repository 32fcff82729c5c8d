using System.Buffers.Binary;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tsig;

/// <summary>Where the TSIG record of a message is, found by walking every section.</summary>
internal struct TsigLocation
{
    /// <summary>Offset of the owner name of the first TSIG record (0: none).</summary>
    public int Offset;
    /// <summary>Exactly one TSIG, and it is the last additional record.</summary>
    public bool IsLast;
    /// <summary>A TSIG in the answer or authority section, or more than one.</summary>
    public bool Misplaced;
    /// <summary>The message could not be walked to its end.</summary>
    public bool Malformed;
    public readonly bool Present => Offset > 0 || Misplaced;
}

/// <summary>The fields of one TSIG record (RFC 8945 §4.2). Spans point into the message.</summary>
internal ref struct TsigFields
{
    public ReadOnlySpan<byte> AlgorithmName;
    public ulong TimeSigned;
    public ushort Fudge;
    public ReadOnlySpan<byte> Mac;
    public ushort OriginalId;
    public ushort Error;
    public ReadOnlySpan<byte> Other;
}

/// <summary>Finding, reading and writing TSIG records, and building the MAC input (RFC 8945 §4.3).</summary>
internal static class TsigWire
{
    public const ushort TypeTsig = 250;
    public const ushort ClassAny = 255;
    private const int HeaderLength = 12;

    public static TsigLocation Locate(ReadOnlySpan<byte> m)
    {
        var loc = new TsigLocation();
        if (m.Length < HeaderLength) { loc.Malformed = true; return loc; }
        int qd = BinaryPrimitives.ReadUInt16BigEndian(m[4..]), an = BinaryPrimitives.ReadUInt16BigEndian(m[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(m[8..]), ar = BinaryPrimitives.ReadUInt16BigEndian(m[10..]);
        int pos = HeaderLength;
        for (int i = 0; i < qd; i++)
        {
            // A question for type TSIG is not a TSIG record (and QueryParser does not count it as one either).
            if (!QueryParser.TrySkipName(m, ref pos) || pos + 4 > m.Length) { loc.Malformed = true; return loc; }
            pos += 4;
        }
        int total = an + ns + ar;
        for (int i = 0; i < total; i++)
        {
            int start = pos;
            if (!QueryParser.TrySkipName(m, ref pos) || pos + 10 > m.Length) { loc.Malformed = true; return loc; }
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(m[pos..]);
            int rdlen = BinaryPrimitives.ReadUInt16BigEndian(m[(pos + 8)..]);
            pos += 10 + rdlen;
            if (pos > m.Length) { loc.Malformed = true; return loc; }
            if (type != TypeTsig) continue;
            if (i < an + ns || loc.Offset > 0) loc.Misplaced = true;
            else { loc.Offset = start; loc.IsLast = i == total - 1; }
        }
        if (pos != m.Length) loc.Malformed = true;
        return loc;
    }

    /// <summary>Reads the TSIG record at <paramref name="offset"/>: its owner into <paramref name="owner"/> (lowercased)
    /// and its RDATA. False when it is not well formed (wrong class or TTL, RDATA not exactly filled).</summary>
    public static bool TryRead(ReadOnlySpan<byte> m, int offset, Span<byte> owner, out int ownerLength, out TsigFields f)
    {
        f = default;
        var r = new WireReader(m, offset);
        if (!r.TryReadName(owner, out ownerLength)) return false;
        ToLower(owner[..ownerLength]);
        r.ReadUInt16();
        ushort cls = r.ReadUInt16();
        uint ttl = r.ReadUInt32();
        int rdlen = r.ReadUInt16();
        int rdStart = r.Position;
        // The algorithm name is never compressed (RFC 8945 §4.2); read it in place.
        int algStart = r.Position, algLen = 0;
        while (!r.Failed)
        {
            byte len = r.ReadByte();
            algLen += 1 + len;
            if (len == 0) break;
            if (len > DnsName.MaxLabelLength || algLen > DnsName.MaxWireLength) return false;
            r.Skip(len);
        }
        f.AlgorithmName = m.Slice(algStart, Math.Min(algLen, m.Length - algStart));
        f.TimeSigned = ((ulong)r.ReadUInt16() << 32) | r.ReadUInt32();
        f.Fudge = r.ReadUInt16();
        f.Mac = r.ReadBytes(r.ReadUInt16());
        f.OriginalId = r.ReadUInt16();
        f.Error = r.ReadUInt16();
        f.Other = r.ReadBytes(r.ReadUInt16());
        return !r.Failed && cls == ClassAny && ttl == 0 && r.Position - rdStart == rdlen;
    }

    public static int RecordLength(int ownerLength, int algLength, int macLength, int otherLength)
        => ownerLength + 10 + algLength + 10 + macLength + 6 + otherLength; // RR header; time, fudge, MAC size; id, error, other length

    /// <summary>Appends a TSIG record to <c>buffer[..length]</c> and bumps ARCOUNT; -1 when it does not fit.</summary>
    public static int Append(Span<byte> buffer, int length, ReadOnlySpan<byte> owner, ReadOnlySpan<byte> alg, ulong time,
        ushort fudge, ReadOnlySpan<byte> mac, ushort originalId, ushort error, ReadOnlySpan<byte> other)
    {
        int total = RecordLength(owner.Length, alg.Length, mac.Length, other.Length);
        if (length < HeaderLength || length + total > buffer.Length) return -1;
        var b = buffer[length..];
        owner.CopyTo(b); int p = owner.Length;
        BinaryPrimitives.WriteUInt16BigEndian(b[p..], TypeTsig);
        BinaryPrimitives.WriteUInt16BigEndian(b[(p + 2)..], ClassAny);
        BinaryPrimitives.WriteUInt32BigEndian(b[(p + 4)..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(b[(p + 8)..], (ushort)(total - owner.Length - 10));
        p += 10;
        alg.CopyTo(b[p..]); p += alg.Length;
        WriteTime(b[p..], time); p += 6;
        BinaryPrimitives.WriteUInt16BigEndian(b[p..], fudge); p += 2;
        BinaryPrimitives.WriteUInt16BigEndian(b[p..], (ushort)mac.Length); p += 2;
        mac.CopyTo(b[p..]); p += mac.Length;
        BinaryPrimitives.WriteUInt16BigEndian(b[p..], originalId);
        BinaryPrimitives.WriteUInt16BigEndian(b[(p + 2)..], error);
        BinaryPrimitives.WriteUInt16BigEndian(b[(p + 4)..], (ushort)other.Length); p += 6;
        other.CopyTo(b[p..]);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(buffer[10..]) + 1));
        return length + total;
    }

    /// <summary>
    /// The bytes the MAC covers (RFC 8945 §4.3): the prior MAC with its length (responses), the message with
    /// <paramref name="originalId"/> as its id and ARCOUNT lowered when the TSIG is still in it, then either all
    /// TSIG variables (owner and algorithm lowercase) or, for later messages of a stream (§5.3.1), the timers only.
    /// </summary>
    public static byte[] MacInput(ReadOnlySpan<byte> priorMac, bool withPrior, ReadOnlySpan<byte> message, ushort originalId,
        bool decrementArcount, ReadOnlySpan<byte> owner, ReadOnlySpan<byte> alg, ulong time, ushort fudge, ushort error,
        ReadOnlySpan<byte> other, bool timersOnly)
    {
        int vars = timersOnly ? 8 : owner.Length + 6 + alg.Length + 12 + other.Length; // class, TTL; time, fudge, error, other length
        var d = new byte[(withPrior ? 2 + priorMac.Length : 0) + message.Length + vars];
        int p = 0;
        if (withPrior)
        {
            BinaryPrimitives.WriteUInt16BigEndian(d, (ushort)priorMac.Length);
            priorMac.CopyTo(d.AsSpan(2));
            p = 2 + priorMac.Length;
        }
        var msg = d.AsSpan(p, message.Length);
        message.CopyTo(msg);
        BinaryPrimitives.WriteUInt16BigEndian(msg, originalId);
        if (decrementArcount) BinaryPrimitives.WriteUInt16BigEndian(msg[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(msg[10..]) - 1));
        p += message.Length;
        var v = d.AsSpan(p);
        if (!timersOnly)
        {
            owner.CopyTo(v); ToLower(v[..owner.Length]); v = v[owner.Length..];
            BinaryPrimitives.WriteUInt16BigEndian(v, ClassAny);
            BinaryPrimitives.WriteUInt32BigEndian(v[2..], 0);
            v = v[6..];
            alg.CopyTo(v); ToLower(v[..alg.Length]); v = v[alg.Length..];
        }
        WriteTime(v, time);
        BinaryPrimitives.WriteUInt16BigEndian(v[6..], fudge);
        if (!timersOnly)
        {
            BinaryPrimitives.WriteUInt16BigEndian(v[8..], error);
            BinaryPrimitives.WriteUInt16BigEndian(v[10..], (ushort)other.Length);
            other.CopyTo(v[12..]);
        }
        return d;
    }

    public static void WriteTime(Span<byte> b, ulong time)
    {
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)(time >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(b[2..], (uint)time);
    }

    public static ulong UnixTime(DateTimeOffset now) => (ulong)Math.Max(0, now.ToUnixTimeSeconds()) & 0xFFFF_FFFF_FFFF;

    public static void ToLower(Span<byte> s) { for (int i = 0; i < s.Length; i++) s[i] = DnsName.ToLower(s[i]); }
}
