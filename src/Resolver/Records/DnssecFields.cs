using System.Globalization;
using System.Text;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Records;

/// <summary>The less common field syntaxes: type bit maps and signature times (RFC 4034), base32hex (RFC 4648 §7,
/// for NSEC3 owner hashes) and EUI-48/64 addresses (RFC 7043).</summary>
internal static class DnssecFields
{
    /// <summary>CERT type mnemonics (RFC 4398 §2.1).</summary>
    public static readonly Dictionary<string, ushort> CertTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PKIX"] = 1, ["SPKI"] = 2, ["PGP"] = 3, ["IPKIX"] = 4, ["ISPKI"] = 5, ["IPGP"] = 6,
        ["ACPKIX"] = 7, ["IACPKIX"] = 8, ["URI"] = 253, ["OID"] = 254,
    };

    // ---- type bit maps (RFC 4034 §4.1.2): windows in increasing order, 1-32 octets each, no trailing zero octet

    public static bool IsValidBitmap(ReadOnlySpan<byte> d, out string? error)
    {
        error = null;
        int last = -1;
        for (int p = 0; p < d.Length;)
        {
            if (p + 2 > d.Length) { error = "a window header is cut short"; return false; }
            int window = d[p], len = d[p + 1];
            if (window <= last) { error = "windows are not in increasing order"; return false; }
            if (len is 0 or > 32) { error = $"window {window} has length {len} (1-32 allowed)"; return false; }
            if (p + 2 + len > d.Length) { error = $"window {window} runs past the end"; return false; }
            if (d[p + 1 + len] == 0) { error = $"window {window} ends in a zero octet"; return false; }
            last = window; p += 2 + len;
        }
        return true;
    }

    public static void AppendBitmap(StringBuilder sb, ReadOnlySpan<byte> d)
    {
        bool first = true;
        for (int p = 0; p < d.Length; p += 2 + d[p + 1])
        {
            int window = d[p], len = d[p + 1];
            for (int i = 0; i < len; i++)
                for (int bit = 0; bit < 8; bit++)
                    if ((d[p + 2 + i] & (0x80 >> bit)) != 0)
                    {
                        if (!first) sb.Append(' ');
                        sb.Append(RecordTypes.ToText((RecordType)(window * 256 + i * 8 + bit)));
                        first = false;
                    }
        }
    }

    public static byte[] BitmapFromTypes(IEnumerable<ushort> types)
    {
        var set = new SortedSet<ushort>(types);
        var w = new List<byte>();
        foreach (var window in set.GroupBy(t => t >> 8))
        {
            var bits = new byte[32];
            int max = 0;
            foreach (var t in window) { int low = t & 0xFF; bits[low >> 3] |= (byte)(0x80 >> (low & 7)); max = Math.Max(max, (low >> 3) + 1); }
            w.Add((byte)window.Key); w.Add((byte)max); w.AddRange(bits.AsSpan(0, max).ToArray());
        }
        return w.ToArray();
    }

    // ---- signature times (RFC 4034 §3.2): YYYYMMDDHHmmSS in UTC, or the number of seconds itself

    public static bool TryParseTime(string text, out uint value)
    {
        value = 0;
        if (text.Length == 14 && text.All(char.IsAsciiDigit))
        {
            if (!DateTime.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)) return false;
            long secs = (long)(t - DateTime.UnixEpoch).TotalSeconds;
            if (secs is < 0 or > uint.MaxValue) return false;
            value = (uint)secs; return true;
        }
        if (!PresentationText.TryParseNumber(text, uint.MaxValue, out var v)) return false;
        value = (uint)v; return true;
    }

    public static string FormatTime(uint seconds) =>
        DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    // ---- base32hex without padding (RFC 4648 §7)

    private const string Base32Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    public static string ToBase32Hex(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b; bits += 8;
            while (bits >= 5) { sb.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5; }
        }
        if (bits > 0) sb.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    public static bool TryFromBase32Hex(string text, out byte[] data)
    {
        var list = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (char c in text)
        {
            int v = Base32Alphabet.IndexOf(char.ToUpperInvariant(c));
            if (v < 0) { data = []; return false; }
            buffer = (buffer << 5) | v; bits += 5;
            if (bits >= 8) { list.Add((byte)(buffer >> (bits - 8))); bits -= 8; }
            buffer &= (1 << bits) - 1;
        }
        data = list.ToArray();
        // leftover bits must be zero padding of fewer than 5 bits, else the text was not produced from octets
        return bits < 5 && buffer == 0;
    }

    // ---- EUI-48 / EUI-64 (RFC 7043 §3.2, §4.2): hex pairs joined by '-'

    public static bool TryParseEui(string text, int octets, out byte[] data)
    {
        data = new byte[octets];
        var parts = text.Split('-');
        if (parts.Length != octets) return false;
        for (int i = 0; i < octets; i++)
        {
            if (parts[i].Length != 2 || !parts[i].All(char.IsAsciiHexDigit)) return false;
            data[i] = Convert.ToByte(parts[i], 16);
        }
        return true;
    }

    public static string FormatEui(ReadOnlySpan<byte> d) => string.Join('-', d.ToArray().Select(b => b.ToString("x2")));
}
