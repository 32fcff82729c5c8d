using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Records;

/// <summary>Raised when RDATA text or bytes are not valid for their type; the message says what and where.</summary>
internal sealed class RDataFormatException(string message) : FormatException(message);

/// <summary>
/// RDATA of every type: presentation text ⇄ uncompressed wire form, driven by one descriptor per type
/// (like Knot's rdata descriptors). Unknown types use RFC 3597 <c>\# len hex</c>.
/// </summary>
public static partial class RData
{
    /// <summary>Largest RDATA (RDLENGTH is 16 bits).</summary>
    public const int MaxLength = ushort.MaxValue;

    /// <summary>Parses RDATA presentation text (e.g. "10 mail.example.com.") of <paramref name="type"/>;
    /// relative names are completed with <paramref name="origin"/>. Throws <see cref="RDataFormatException"/>.</summary>
    public static byte[] Parse(RecordType type, string text, DnsName origin)
    {
        List<Token> tokens;
        try { tokens = PresentationTokenizer.Tokens(text); }
        catch (TokenizeException e) { throw new RDataFormatException($"{RecordTypes.ToText(type)} RDATA: {e.Message}"); }
        return Parse(type, tokens, 0, origin);
    }

    /// <summary>Presentation text of wire RDATA (absolute names). Malformed RDATA is shown as <c>\# len hex</c>.</summary>
    public static string Format(RecordType type, ReadOnlySpan<byte> rdata) => Format(type, rdata, null);

    /// <summary>Presentation text of wire RDATA with names written relative to <paramref name="origin"/> where that
    /// reads back to the very same bytes (the name ends in the origin's exact octets, case included).</summary>
    public static string Format(RecordType type, ReadOnlySpan<byte> rdata, DnsName? origin)
    {
        if (!RDataDescriptors.TryGet(type, out var fields) || !TrySplit(fields, rdata, null, out _)) return FormatGeneric(rdata);
        if (type == RecordType.LOC && !LocFields.IsPresentable(rdata)) return FormatGeneric(rdata); // valid, but no exact text
        var sb = new StringBuilder(rdata.Length * 2);
        var parts = new List<Part>(fields.Length);
        TrySplit(fields, rdata, parts, out _);
        foreach (var p in parts)
        {
            if (p.Length == 0 && p.Field.Kind is FieldKind.TypeBitmap or FieldKind.SvcParams) continue; // an empty bit map has no text
            if (sb.Length > 0) sb.Append(' ');
            AppendField(sb, p.Field.Kind, rdata.Slice(p.Offset, p.Length), origin);
        }
        return sb.ToString();
    }

    /// <summary>RFC 3597 generic form: <c>\# len hex</c> (<c>\# 0</c> when empty).</summary>
    public static string FormatGeneric(ReadOnlySpan<byte> rdata)
        => rdata.Length == 0 ? "\\# 0" : $"\\# {rdata.Length} {Convert.ToHexString(rdata)}";

    /// <summary>Checks that wire RDATA is well formed for its type.</summary>
    public static bool IsValid(RecordType type, ReadOnlySpan<byte> rdata, out string? error)
    {
        error = null;
        if (rdata.Length > MaxLength) { error = $"RDATA of {rdata.Length} octets is longer than {MaxLength}"; return false; }
        if (!RDataDescriptors.TryGet(type, out var fields)) return true; // opaque (RFC 3597): any bytes
        if (TrySplit(fields, rdata, null, out var why)) return true;
        error = $"{RecordTypes.ToText(type)} {why}";
        return false;
    }

    /// <summary>Canonical RDATA (RFC 4034 §6.2): the names inside lower-cased for the types on that RFC's list;
    /// other types, opaque and malformed RDATA are returned unchanged.</summary>
    public static byte[] ToCanonical(RecordType type, ReadOnlySpan<byte> rdata)
    {
        var copy = rdata.ToArray();
        if (!LowercasedInCanonicalForm(type) || !RDataDescriptors.TryGet(type, out var fields)) return copy;
        var parts = new List<Part>(fields.Length);
        if (!TrySplit(fields, rdata, parts, out _)) return copy;
        foreach (var p in parts)
        {
            if (p.Field.Kind is not (FieldKind.Name or FieldKind.CompressibleName)) continue;
            for (int pos = p.Offset; copy[pos] != 0; pos += 1 + copy[pos])
                for (int k = 1; k <= copy[pos]; k++) copy[pos + k] = DnsName.ToLower(copy[pos + k]);
        }
        return copy;
    }

    /// <summary>The types whose RDATA names RFC 4034 §6.2 lower-cases (NSEC taken off the list by RFC 6840 §5.1);
    /// names inside later types (SVCB, DSYNC, LP, …) keep their case.</summary>
    private static bool LowercasedInCanonicalForm(RecordType type) => type is RecordType.NS or RecordType.MD or RecordType.MF
        or RecordType.CNAME or RecordType.SOA or RecordType.MB or RecordType.MG or RecordType.MR or RecordType.PTR
        or RecordType.HINFO or RecordType.MINFO or RecordType.MX or RecordType.RP or RecordType.AFSDB or RecordType.RT
        or RecordType.SIG or RecordType.PX or RecordType.NXT or RecordType.NAPTR or RecordType.KX or RecordType.SRV
        or RecordType.DNAME or RecordType.A6 or RecordType.RRSIG;

    /// <summary>True when <paramref name="type"/> has a presentation format of its own here (else only <c>\#</c>).</summary>
    public static bool HasDescriptor(RecordType type) => RDataDescriptors.TryGet(type, out _);

    /// <summary>The (offset, length) of each domain name inside the RDATA that may be compressed on output
    /// (RFC 3597 §4: only the RFC 1035 types NS, CNAME, SOA, PTR, MX, MB, MD, MF, MG, MR, MINFO).</summary>
    public static IReadOnlyList<(int Offset, int Length)> CompressibleNames(RecordType type, ReadOnlySpan<byte> rdata)
    {
        if (!RDataDescriptors.TryGet(type, out var fields)) return [];
        var parts = new List<Part>(fields.Length);
        if (!TrySplit(fields, rdata, parts, out _)) return [];
        List<(int, int)>? names = null;
        foreach (var p in parts)
            if (p.Field.Kind == FieldKind.CompressibleName) (names ??= new(2)).Add((p.Offset, p.Length));
        return names is null ? [] : names;
    }

    /// <summary>The name that additional-section processing or chasing follows: NS/CNAME/DNAME/PTR target,
    /// MX exchange, SRV target; null for other types.</summary>
    public static DnsName? TargetName(RecordType type, ReadOnlySpan<byte> rdata)
    {
        int offset = type switch
        {
            RecordType.NS or RecordType.CNAME or RecordType.DNAME or RecordType.PTR => 0,
            RecordType.MX => 2,
            RecordType.SRV => 6,
            _ => -1,
        };
        if (offset < 0 || rdata.Length <= offset) return null;
        return DnsName.TryFromWire(rdata[offset..], out var name, out int used) && offset + used == rdata.Length ? name : null;
    }

    internal readonly record struct Part(Field Field, int Offset, int Length);

    /// <summary>Walks wire RDATA along the descriptor; fills <paramref name="parts"/> when given.
    /// Fails with a reason naming the field when the bytes do not fit.</summary>
    private static bool TrySplit(Field[] fields, ReadOnlySpan<byte> rdata, List<Part>? parts, out string? error)
    {
        error = null;
        int pos = 0;
        foreach (var f in fields)
        {
            int rest = rdata.Length - pos, len;
            switch (f.Kind)
            {
                case FieldKind.Name or FieldKind.CompressibleName:
                    if (!DnsName.TryFromWire(rdata[pos..], out _, out len)) { error = $"{f.Label}: not a valid uncompressed domain name"; return false; }
                    break;
                case FieldKind.U8: len = 1; break;
                case FieldKind.U16 or FieldKind.CertType: len = 2; break;
                case FieldKind.U32 or FieldKind.Ttl or FieldKind.IPv4: len = 4; break;
                case FieldKind.IPv6: len = 16; break;
                case FieldKind.CharString or FieldKind.HexWithLength:
                    len = rest > 0 ? 1 + rdata[pos] : 1; break;
                case FieldKind.CaaTag:
                    len = rest > 0 ? 1 + rdata[pos] : 1;
                    if (rest > 0 && (rdata[pos] == 0 || rest < len || !IsAlnum(rdata.Slice(pos + 1, len - 1))))
                    { error = $"{f.Label}: must be 1-255 ASCII letters and digits"; return false; }
                    break;
                case FieldKind.CharStrings:
                    if (rest == 0) { error = $"{f.Label}: needs at least one character-string"; return false; }
                    for (int p = pos; p < rdata.Length; p += 1 + rdata[p])
                        if (p + 1 + rdata[p] > rdata.Length) { error = $"{f.Label}: character-string runs past the end of the RDATA"; return false; }
                    len = rest; break;
                case FieldKind.Base64 or FieldKind.Hex:
                    if (rest == 0) { error = $"{f.Label}: is empty"; return false; }
                    len = rest; break;
                case FieldKind.StringRemainder: len = rest; break;
                case FieldKind.TypeCode: len = 2; break;
                case FieldKind.Time: len = 4; break;
                case FieldKind.Eui48: len = 6; break;
                case FieldKind.Eui64 or FieldKind.Locator64: len = 8; break;
                case FieldKind.DsyncScheme: len = 1; break;
                case FieldKind.Base32WithLength:
                    len = rest > 0 ? 1 + rdata[pos] : 1;
                    if (rest > 0 && rdata[pos] == 0) { error = $"{f.Label}: is empty"; return false; }
                    break;
                case FieldKind.TypeBitmap:
                    if (!DnssecFields.IsValidBitmap(rdata[pos..], out var bitmapError)) { error = $"{f.Label}: {bitmapError}"; return false; }
                    len = rest; break;
                case FieldKind.Loc:
                    if (!LocFields.IsValid(rdata[pos..], out var locError)) { error = $"{f.Label}: {locError}"; return false; }
                    len = rest; break;
                case FieldKind.SvcParams:
                    if (!SvcbFields.IsValid(rdata[pos..], out var svcError)) { error = $"{f.Label}: {svcError}"; return false; }
                    len = rest; break;
                default: throw new InvalidOperationException(f.Kind.ToString());
            }
            if (len > rest) { error = $"{f.Label}: RDATA ends early ({rdata.Length} octets)"; return false; }
            parts?.Add(new Part(f, pos, len));
            pos += len;
        }
        if (pos != rdata.Length) { error = $"has {rdata.Length - pos} octets left after {fields[^1].Label}"; return false; }
        return true;
    }

    private static bool IsAlnum(ReadOnlySpan<byte> s)
    {
        foreach (var b in s) if (!char.IsAsciiLetterOrDigit((char)b)) return false;
        return true;
    }

    private static void AppendField(StringBuilder sb, FieldKind kind, ReadOnlySpan<byte> d, DnsName? origin)
    {
        switch (kind)
        {
            case FieldKind.Name or FieldKind.CompressibleName: PresentationText.AppendName(sb, d, origin); break;
            case FieldKind.U8: sb.Append(d[0]); break;
            case FieldKind.U16 or FieldKind.CertType: sb.Append(BinaryPrimitives.ReadUInt16BigEndian(d)); break;
            case FieldKind.U32 or FieldKind.Ttl: sb.Append(BinaryPrimitives.ReadUInt32BigEndian(d)); break;
            case FieldKind.IPv4: sb.Append(d[0]).Append('.').Append(d[1]).Append('.').Append(d[2]).Append('.').Append(d[3]); break;
            case FieldKind.IPv6: sb.Append(new IPAddress(d).ToString()); break;
            case FieldKind.CharString: PresentationText.AppendQuoted(sb, d[1..]); break;
            case FieldKind.CharStrings:
                for (int p = 0; p < d.Length; p += 1 + d[p])
                {
                    if (p > 0) sb.Append(' ');
                    PresentationText.AppendQuoted(sb, d.Slice(p + 1, d[p]));
                }
                break;
            case FieldKind.Base64: sb.Append(Convert.ToBase64String(d)); break;
            case FieldKind.Hex: sb.Append(Convert.ToHexString(d)); break;
            case FieldKind.HexWithLength: sb.Append(d.Length == 1 ? "-" : Convert.ToHexString(d[1..])); break;
            case FieldKind.CaaTag: sb.Append(Encoding.ASCII.GetString(d[1..])); break;
            case FieldKind.StringRemainder: PresentationText.AppendQuoted(sb, d); break;
            case FieldKind.TypeCode: sb.Append(RecordTypes.ToText((RecordType)BinaryPrimitives.ReadUInt16BigEndian(d))); break;
            case FieldKind.Time: sb.Append(DnssecFields.FormatTime(BinaryPrimitives.ReadUInt32BigEndian(d))); break;
            case FieldKind.TypeBitmap: DnssecFields.AppendBitmap(sb, d); break;
            case FieldKind.SvcParams: SvcbFields.Append(sb, d); break;
            case FieldKind.Loc: LocFields.Append(sb, d); break;
            case FieldKind.Base32WithLength: sb.Append(DnssecFields.ToBase32Hex(d[1..])); break;
            case FieldKind.Eui48 or FieldKind.Eui64: sb.Append(DnssecFields.FormatEui(d)); break;
            case FieldKind.Locator64:
                for (int g = 0; g < 8; g += 2) sb.Append(g > 0 ? ":" : "").Append(BinaryPrimitives.ReadUInt16BigEndian(d[g..]).ToString("X4"));
                break;
            case FieldKind.DsyncScheme: if (d[0] == 1) sb.Append("NOTIFY"); else sb.Append(d[0]); break;
        }
    }
}
