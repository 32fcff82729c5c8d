using System.Text;

namespace AkkaDns.Resolver.Records;

/// <summary>Small presentation-format helpers shared by the RDATA codec and the master-file reader/writer.</summary>
internal static class PresentationText
{
    /// <summary>Largest TTL a record may carry (RFC 2181 §8: 2^31 - 1).</summary>
    public const uint MaxRecordTtl = int.MaxValue;

    /// <summary>
    /// Parses a TTL or SOA timer: plain seconds ("3600") or numbers with units s, m, h, d, w in any case and
    /// order ("1h30m", "1W2D", "1h30" where a trailing bare number means seconds).
    /// </summary>
    public static bool TryParseTtl(string text, uint max, out uint value, out string? error)
    {
        value = 0; error = null;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0])) { error = "must start with a digit"; return false; }
        ulong total = 0, num = 0;
        bool haveNum = false;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                num = num * 10 + (ulong)(c - '0'); haveNum = true;
                if (num > uint.MaxValue) { error = "is too large"; return false; }
                continue;
            }
            ulong mult = char.ToLowerInvariant(c) switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
            if (mult == 0) { error = $"has an unknown unit '{c}' (use s, m, h, d or w)"; return false; }
            if (!haveNum) { error = $"has unit '{c}' without a number"; return false; }
            total += num * mult; num = 0; haveNum = false;
            if (total > max) { error = $"is larger than {max}"; return false; }
        }
        total += num;
        if (total > max) { error = $"is larger than {max}"; return false; }
        value = (uint)total;
        return true;
    }

    /// <summary>Decimal number without sign or spaces, at most <paramref name="max"/>.</summary>
    public static bool TryParseNumber(string text, ulong max, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 20) return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (ulong)(c - '0');
            if (value > max) return false;
        }
        return true;
    }

    /// <summary>Decodes the raw text of a character-string (quotes already removed) into octets:
    /// <c>\DDD</c> is one octet by value, <c>\X</c> is X; other non-ASCII characters become UTF-8.</summary>
    public static bool TryDecodeString(string raw, out byte[] bytes, out string? error)
    {
        error = null;
        var list = new List<byte>(raw.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '\\')
            {
                if (i + 1 >= raw.Length) { bytes = []; error = "ends with a lone backslash"; return false; }
                if (char.IsAsciiDigit(raw[i + 1]))
                {
                    if (i + 3 >= raw.Length || !char.IsAsciiDigit(raw[i + 2]) || !char.IsAsciiDigit(raw[i + 3]))
                    { bytes = []; error = "has a \\DDD escape without three digits"; return false; }
                    int v = (raw[i + 1] - '0') * 100 + (raw[i + 2] - '0') * 10 + (raw[i + 3] - '0');
                    if (v > 255) { bytes = []; error = $"has escape \\{raw.Substring(i + 1, 3)} above 255"; return false; }
                    list.Add((byte)v); i += 3; continue;
                }
                c = raw[++i];
            }
            if (c < 0x80) list.Add((byte)c);
            else
            {
                int len = char.IsHighSurrogate(c) && i + 1 < raw.Length
                    ? Encoding.UTF8.GetBytes(raw.AsSpan(i++, 2), utf8)
                    : Encoding.UTF8.GetBytes(raw.AsSpan(i, 1), utf8);
                for (int k = 0; k < len; k++) list.Add(utf8[k]);
            }
        }
        bytes = list.ToArray();
        return true;
    }

    /// <summary>Appends octets as a quoted character-string: '"' and '\' escaped, non-printable octets as \DDD.</summary>
    public static void AppendQuoted(StringBuilder sb, ReadOnlySpan<byte> data)
    {
        sb.Append('"');
        foreach (var b in data)
        {
            if (b is (byte)'"' or (byte)'\\') sb.Append('\\').Append((char)b);
            else if (b < 0x20 || b >= 0x7f) sb.Append('\\').Append(((int)b).ToString("D3"));
            else sb.Append((char)b);
        }
        sb.Append('"');
    }

    /// <summary>Appends a wire name: relative to <paramref name="origin"/> ("@" for the origin itself) when its tail is
    /// byte-for-byte the origin's wire form, so that reading it back under that origin yields the same octets
    /// (a case-insensitive match would silently change the case of the tail); absolute otherwise.</summary>
    public static void AppendName(StringBuilder sb, ReadOnlySpan<byte> wire, Wire.DnsName? origin)
    {
        if (origin is not null && !origin.IsRoot)
        {
            var o = origin.Wire;
            if (wire.SequenceEqual(o)) { sb.Append('@'); return; }
            if (wire.Length > o.Length && wire[^o.Length..].SequenceEqual(o))
            {
                // the tail must start on a label boundary
                int pos = 0, cut = wire.Length - o.Length;
                while (pos < cut) pos += 1 + wire[pos];
                if (pos == cut)
                {
                    var head = new byte[cut + 1];
                    wire[..cut].CopyTo(head);
                    Wire.DnsName.AppendPresentation(sb, head);
                    sb.Length--; // drop the trailing dot: relative
                    return;
                }
            }
        }
        Wire.DnsName.AppendPresentation(sb, wire);
    }

    /// <summary>A name as text relative to <paramref name="origin"/> where that is exact (see <see cref="AppendName"/>).</summary>
    public static string NameText(Wire.DnsName name, Wire.DnsName? origin)
    {
        var sb = new StringBuilder(name.WireLength + 4);
        AppendName(sb, name.Wire, origin);
        return sb.ToString();
    }

    /// <summary>Strict dotted-quad IPv4 (no short forms such as "10.1", no octal, no spaces).</summary>
    public static bool TryParseIPv4(string text, Span<byte> into)
    {
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        for (int i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !TryParseNumber(parts[i], 255, out var v)) return false;
            into[i] = (byte)v;
        }
        return true;
    }
}
