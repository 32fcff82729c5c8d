using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AkkaDns.Resolver.Records;

/// <summary>
/// LOC RDATA (RFC 1876): 16 octets on the wire; in text
/// <c>d1 [m1 [s1]] N|S d2 [m2 [s2]] E|W alt[m] [size[m] [hp[m] [vp[m]]]]</c>.
/// </summary>
internal static class LocFields
{
    private const uint Equator = 1u << 31;       // latitude/longitude origin, in thousandths of an arc second
    private const long AltitudeBase = 10000000;  // altitude origin: 100,000 m below the WGS 84 spheroid, in cm

    /// <summary>Wire check: 16 octets. Lenient on purpose, as Knot and NSD are: odd values stay loadable and are
    /// shown as <c>\#</c> (see <see cref="IsPresentable"/>).</summary>
    public static bool IsValid(ReadOnlySpan<byte> d, out string? error)
    {
        error = d.Length == 16 ? null : $"is {d.Length} octets, not 16";
        return error is null;
    }

    /// <summary>True when the text form reads back to the same octets: version 0, each size/precision octet a digit
    /// times a power of ten (or 0), latitude and longitude in range.</summary>
    public static bool IsPresentable(ReadOnlySpan<byte> d)
    {
        if (d.Length != 16 || d[0] != 0) return false;
        for (int i = 1; i <= 3; i++)
            if ((d[i] >> 4) > 9 || (d[i] & 0xF) > 9 || (d[i] >> 4 == 0 && d[i] != 0)) return false;
        long lat = (long)BinaryPrimitives.ReadUInt32BigEndian(d[4..]) - Equator, lon = (long)BinaryPrimitives.ReadUInt32BigEndian(d[8..]) - Equator;
        return Math.Abs(lat) <= 90L * 3600000 && Math.Abs(lon) <= 180L * 3600000;
    }

    public static void Append(StringBuilder sb, ReadOnlySpan<byte> d)
    {
        AppendAngle(sb, BinaryPrimitives.ReadUInt32BigEndian(d[4..]), 'N', 'S');
        sb.Append(' ');
        AppendAngle(sb, BinaryPrimitives.ReadUInt32BigEndian(d[8..]), 'E', 'W');
        long alt = BinaryPrimitives.ReadUInt32BigEndian(d[12..]) - AltitudeBase;
        sb.Append(' ').Append(alt < 0 ? "-" : "").Append(Math.Abs(alt) / 100).Append('.').Append((Math.Abs(alt) % 100).ToString("D2")).Append('m');
        for (int i = 1; i <= 3; i++) sb.Append(' ').Append(Precision(d[i])).Append('m');
    }

    private static void AppendAngle(StringBuilder sb, uint raw, char positive, char negative)
    {
        long v = (long)raw - Equator;
        char hemisphere = v < 0 ? negative : positive;
        v = Math.Abs(v);
        long thousandths = v % 1000, secs = v / 1000 % 60, mins = v / 60000 % 60, degs = v / 3600000;
        sb.Append(degs).Append(' ').Append(mins).Append(' ').Append(secs).Append('.').Append(thousandths.ToString("D3")).Append(' ').Append(hemisphere);
    }

    /// <summary>Metres of a size/precision octet (mantissa × 10^exponent centimetres).</summary>
    private static string Precision(byte b)
    {
        decimal cm = (b >> 4) * (decimal)Math.Pow(10, b & 0xF);
        return (cm / 100).ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Walks the tokens; a missing or quoted one is an error naming the field.</summary>
    private sealed class Cursor(List<Token> tokens, int start, string what)
    {
        public int Position { get; private set; } = start;
        public bool More => Position < tokens.Count;
        public string Next(string field) => Position < tokens.Count && !tokens[Position].Quoted
            ? tokens[Position++].Text : throw new RDataFormatException($"{what} {field} is missing");
    }

    public static byte[] Parse(List<Token> tokens, ref int i, string what)
    {
        var c = new Cursor(tokens, i, what);
        uint lat = Angle(c, what, "latitude", 'N', 'S', 90);
        uint lon = Angle(c, what, "longitude", 'E', 'W', 180);
        long alt = Metres(c.Next("altitude"), what, "altitude", allowNegative: true);
        if (alt + AltitudeBase is < 0 or > uint.MaxValue) throw new RDataFormatException($"{what} altitude is out of range");
        byte size = 0x12, hp = 0x16, vp = 0x13; // defaults: 1 m, 10,000 m, 10 m
        if (c.More) size = PrecisionByte(c.Next("size"), what, "size");
        if (c.More) hp = PrecisionByte(c.Next("horizontal precision"), what, "horizontal precision");
        if (c.More) vp = PrecisionByte(c.Next("vertical precision"), what, "vertical precision");
        i = c.Position;
        var d = new byte[16];
        d[1] = size; d[2] = hp; d[3] = vp;
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), lat);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(8), lon);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(12), (uint)(alt + AltitudeBase));
        return d;
    }

    private static uint Angle(Cursor c, string what, string field, char positive, char negative, int maxDegrees)
    {
        Func<string, string> next = c.Next;
        string degText = next(field);
        if (!PresentationText.TryParseNumber(degText, (ulong)maxDegrees, out var deg)) throw new RDataFormatException($"{what} {field} degrees '{degText}' are not 0-{maxDegrees}");
        ulong min = 0; long thousandths = 0;
        string t = next(field);
        if (char.IsAsciiDigit(t[0]))
        {
            if (!PresentationText.TryParseNumber(t, 59, out min)) throw new RDataFormatException($"{what} {field} minutes '{t}' are not 0-59");
            t = next(field);
            if (char.IsAsciiDigit(t[0]))
            {
                if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var sec) || sec >= 60 || decimal.Round(sec, 3) != sec)
                    throw new RDataFormatException($"{what} {field} seconds '{t}' are not 0-59.999");
                thousandths = (long)(sec * 1000);
                t = next(field);
            }
        }
        char h = t.Length == 1 ? char.ToUpperInvariant(t[0]) : '?';
        if (h != positive && h != negative) throw new RDataFormatException($"{what} {field} hemisphere '{t}' is not {positive} or {negative}");
        long value = ((long)deg * 3600 + (long)min * 60) * 1000 + thousandths;
        if (value > (long)maxDegrees * 3600000) throw new RDataFormatException($"{what} {field} is beyond {maxDegrees} degrees");
        return (uint)(Equator + (h == positive ? value : -value));
    }

    /// <summary>Centimetres of "12.34m" / "12.34" (two decimals at most).</summary>
    private static long Metres(string text, string what, string field, bool allowNegative)
    {
        string t = text.EndsWith('m') || text.EndsWith('M') ? text[..^1] : text;
        var style = NumberStyles.AllowDecimalPoint | (allowNegative ? NumberStyles.AllowLeadingSign : NumberStyles.None);
        if (!decimal.TryParse(t, style, CultureInfo.InvariantCulture, out var m) || decimal.Round(m, 2) != m || Math.Abs(m) > 100_000_000)
            throw new RDataFormatException($"{what} {field} '{text}' is not metres with at most two decimals");
        return (long)(m * 100);
    }

    private static byte PrecisionByte(string text, string what, string field)
    {
        long cm = Metres(text, what, field, allowNegative: false);
        int exponent = 0;
        while (cm >= 10 && cm % 10 == 0 && exponent < 9) { cm /= 10; exponent++; }
        while (cm > 9 && exponent < 9) { cm = (cm + 5) / 10; exponent++; } // round what does not fit one digit
        if (cm > 9) throw new RDataFormatException($"{what} {field} '{text}' is larger than 90,000,000 m");
        return (byte)((int)cm << 4 | exponent); // cm is one digit here
    }
}
