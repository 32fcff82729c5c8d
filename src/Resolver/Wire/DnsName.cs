using System.Buffers.Binary;
using System.Text;

namespace AkkaDns.Resolver.Wire;

/// <summary>
/// An absolute domain name held in uncompressed wire form (length-prefixed labels ending in the root label),
/// original case preserved. Equality, hashing and ordering are ASCII case-insensitive (RFC 4343).
/// Parsed and normalized once where it enters; immutable afterwards.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>, IComparable<DnsName>
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    private readonly byte[] _wire;
    private readonly int _hash;

    public static readonly DnsName Root = new(new byte[] { 0 }, 0);

    private DnsName(byte[] wire, int labelCount)
    {
        _wire = wire;
        LabelCount = labelCount;
        _hash = ComputeHash(wire);
    }

    /// <summary>Uncompressed wire form, original case. Do not mutate.</summary>
    public ReadOnlySpan<byte> Wire => _wire;
    internal byte[] WireArray => _wire;
    public int WireLength => _wire.Length;
    /// <summary>Number of labels, not counting the root label.</summary>
    public int LabelCount { get; }
    public bool IsRoot => LabelCount == 0;

    /// <summary>Builds a name from uncompressed wire bytes; validates label lengths and total length.</summary>
    public static bool TryFromWire(ReadOnlySpan<byte> wire, out DnsName? name, out int consumed)
    {
        name = null; consumed = 0;
        int pos = 0, labels = 0;
        while (true)
        {
            if (pos >= wire.Length) return false;
            int len = wire[pos];
            if (len == 0) { pos++; break; }
            if (len > MaxLabelLength) return false;
            pos += 1 + len;
            labels++;
            if (pos > MaxWireLength) return false;
        }
        if (pos > MaxWireLength) return false;
        name = new DnsName(wire[..pos].ToArray(), labels);
        consumed = pos;
        return true;
    }

    public static DnsName FromWire(ReadOnlySpan<byte> wire)
        => TryFromWire(wire, out var n, out var used) && used == wire.Length
            ? n! : throw new FormatException("invalid wire-format domain name");

    /// <summary>
    /// Parses presentation format (RFC 1035 §5.1): labels separated by dots, <c>\DDD</c> and <c>\X</c> escapes,
    /// "@" for the origin. A name without a trailing dot is relative to <paramref name="origin"/>
    /// (absolute names need no origin).
    /// </summary>
    public static DnsName Parse(string text, DnsName? origin = null)
    {
        if (!TryParse(text, origin, out var name, out var error)) throw new FormatException(error);
        return name!;
    }

    public static bool TryParse(string text, DnsName? origin, out DnsName? name, out string? error)
    {
        name = null; error = null;
        if (string.IsNullOrEmpty(text)) { error = "empty domain name"; return false; }
        if (text == "@")
        {
            if (origin is null) { error = "'@' used with no origin"; return false; }
            name = origin; return true;
        }
        if (text == ".") { name = Root; return true; }

        Span<byte> buf = stackalloc byte[MaxWireLength + 1];
        int pos = 0, labelStart = 0, labels = 0;
        bool absolute = false;
        buf[pos++] = 0; // placeholder for the first label's length
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '.')
            {
                int len = pos - labelStart - 1;
                if (len == 0) { error = $"empty label in '{text}'"; return false; }
                buf[labelStart] = (byte)len;
                labels++;
                if (i == text.Length - 1) { absolute = true; break; }
                labelStart = pos;
                if (pos >= MaxWireLength) { error = $"name '{text}' longer than 255 octets"; return false; }
                buf[pos++] = 0;
                continue;
            }
            byte b;
            if (c == '\\')
            {
                if (i + 1 >= text.Length) { error = $"dangling escape in '{text}'"; return false; }
                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    { error = $"bad \\DDD escape in '{text}'"; return false; }
                    int v = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                    if (v > 255) { error = $"\\DDD escape above 255 in '{text}'"; return false; }
                    b = (byte)v; i += 3;
                }
                else { b = (byte)text[++i]; if (text[i] > 127) { error = $"non-ASCII character in '{text}'"; return false; } }
            }
            else
            {
                if (c > 127) { error = $"non-ASCII character in '{text}' (use punycode)"; return false; }
                b = (byte)c;
            }
            if (pos - labelStart - 1 >= MaxLabelLength) { error = $"label longer than 63 octets in '{text}'"; return false; }
            if (pos >= MaxWireLength) { error = $"name '{text}' longer than 255 octets"; return false; }
            buf[pos++] = b;
        }
        if (!absolute)
        {
            int len = pos - labelStart - 1;
            if (len == 0) { error = $"empty label in '{text}'"; return false; }
            buf[labelStart] = (byte)len;
            labels++;
            if (origin is null) { error = $"relative name '{text}' with no origin"; return false; }
            if (pos + origin._wire.Length > MaxWireLength) { error = $"name '{text}.{origin}' longer than 255 octets"; return false; }
            var wire = new byte[pos + origin._wire.Length];
            buf[..pos].CopyTo(wire);
            origin._wire.CopyTo(wire, pos);
            name = new DnsName(wire, labels + origin.LabelCount);
            return true;
        }
        var abs = new byte[pos + 1];
        buf[..pos].CopyTo(abs);
        abs[pos] = 0;
        if (abs.Length > MaxWireLength) { error = $"name '{text}' longer than 255 octets"; return false; }
        name = new DnsName(abs, labels);
        return true;
    }

    /// <summary>The labels from the leftmost one, each without its length byte.</summary>
    public IEnumerable<byte[]> Labels()
    {
        int pos = 0;
        while (_wire[pos] != 0) { int len = _wire[pos]; yield return _wire.AsSpan(pos + 1, len).ToArray(); pos += 1 + len; }
    }

    /// <summary>Offset, in the wire form, of the suffix that keeps the last <paramref name="labels"/> labels.</summary>
    public int SuffixOffset(int labels)
    {
        int skip = LabelCount - labels, pos = 0;
        if (skip < 0) throw new ArgumentOutOfRangeException(nameof(labels));
        for (int i = 0; i < skip; i++) pos += 1 + _wire[pos];
        return pos;
    }

    /// <summary>The name keeping only its last <paramref name="labels"/> labels.</summary>
    public DnsName Suffix(int labels)
    {
        if (labels == LabelCount) return this;
        if (labels == 0) return Root;
        int off = SuffixOffset(labels);
        return new DnsName(_wire.AsSpan(off).ToArray(), labels);
    }

    public DnsName Parent() => IsRoot ? throw new InvalidOperationException("root has no parent") : Suffix(LabelCount - 1);

    /// <summary>This name with one more label on the left.</summary>
    public DnsName Prepend(ReadOnlySpan<byte> label)
    {
        if (label.Length is 0 or > MaxLabelLength) throw new ArgumentException("bad label length");
        if (_wire.Length + 1 + label.Length > MaxWireLength) throw new ArgumentException("name too long");
        var w = new byte[_wire.Length + 1 + label.Length];
        w[0] = (byte)label.Length; label.CopyTo(w.AsSpan(1)); _wire.CopyTo(w, 1 + label.Length);
        return new DnsName(w, LabelCount + 1);
    }

    /// <summary>Replaces the suffix <paramref name="oldSuffix"/> of this name by <paramref name="newSuffix"/> (DNAME, RFC 6672).</summary>
    public bool TryReplaceSuffix(DnsName oldSuffix, DnsName newSuffix, out DnsName? result)
    {
        result = null;
        if (!IsSubdomainOf(oldSuffix)) return false;
        int keep = SuffixOffset(oldSuffix.LabelCount);
        if (keep + newSuffix._wire.Length > MaxWireLength) return false;
        var w = new byte[keep + newSuffix._wire.Length];
        _wire.AsSpan(0, keep).CopyTo(w); newSuffix._wire.CopyTo(w, keep);
        result = new DnsName(w, LabelCount - oldSuffix.LabelCount + newSuffix.LabelCount);
        return true;
    }

    /// <summary>True when this name equals <paramref name="other"/> or lies below it.</summary>
    public bool IsSubdomainOf(DnsName other)
    {
        if (other.LabelCount > LabelCount) return false;
        int off = SuffixOffset(other.LabelCount);
        return EqualsIgnoreCase(_wire.AsSpan(off), other._wire);
    }

    public bool IsWildcard => LabelCount > 0 && _wire[0] == 1 && _wire[1] == (byte)'*';

    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (a[i] != b[i] && ToLower(a[i]) != ToLower(b[i])) return false;
        return true;
    }

    public static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    /// <summary>Lower-case copy (for canonical forms and keys).</summary>
    public DnsName ToLowerCase()
    {
        var w = (byte[])_wire.Clone();
        int pos = 0;
        while (w[pos] != 0) { int len = w[pos]; for (int i = 1; i <= len; i++) w[pos + i] = ToLower(w[pos + i]); pos += 1 + len; }
        return new DnsName(w, LabelCount);
    }

    private static int ComputeHash(ReadOnlySpan<byte> wire)
    {
        // FNV-1a over the lower-cased bytes: stable across processes (never string.GetHashCode()).
        uint h = 2166136261;
        foreach (var b in wire) { h ^= ToLower(b); h *= 16777619; }
        return (int)h;
    }

    /// <summary>Stable, case-insensitive hash of wire bytes; equal to <see cref="GetHashCode"/> for the same name.</summary>
    public static int HashWire(ReadOnlySpan<byte> wire) => ComputeHash(wire);

    public bool Equals(DnsName? other) => other is not null && (ReferenceEquals(this, other) ||
        (_hash == other._hash && EqualsIgnoreCase(_wire, other._wire)));
    public override bool Equals(object? obj) => obj is DnsName n && Equals(n);
    public override int GetHashCode() => _hash;
    public static bool operator ==(DnsName? a, DnsName? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(DnsName? a, DnsName? b) => !(a == b);

    /// <summary>Canonical DNS name order (RFC 4034 §6.1): compare labels right to left, case-insensitively.</summary>
    public int CompareTo(DnsName? other) => other is null ? 1 : CompareCanonical(_wire, other._wire);

    /// <summary>Canonical order (RFC 4034 §6.1) of two uncompressed wire names, allocation-free (the answer path finds
    /// the NSEC covering a name with it).</summary>
    public static int CompareCanonical(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        // Label offsets on the stack (at most 127 labels in 255 octets): sorting large zones allocates nothing.
        Span<byte> a = stackalloc byte[128];
        Span<byte> b = stackalloc byte[128];
        int na = LabelOffsets(x, a), nb = LabelOffsets(y, b);
        int ia = na - 1, ib = nb - 1;
        while (ia >= 0 && ib >= 0)
        {
            var la = x.Slice(a[ia] + 1, x[a[ia]]);
            var lb = y.Slice(b[ib] + 1, y[b[ib]]);
            int n = Math.Min(la.Length, lb.Length);
            for (int i = 0; i < n; i++)
            {
                int d = ToLower(la[i]) - ToLower(lb[i]);
                if (d != 0) return d;
            }
            if (la.Length != lb.Length) return la.Length - lb.Length;
            ia--; ib--;
        }
        return na - nb;
    }

    private static int LabelOffsets(ReadOnlySpan<byte> wire, Span<byte> offsets)
    {
        int pos = 0, count = 0;
        while (wire[pos] != 0) { offsets[count++] = (byte)pos; pos += 1 + wire[pos]; }
        return count;
    }

    /// <summary>Presentation format, absolute (trailing dot), with RFC 1035 escapes.</summary>
    public override string ToString()
    {
        if (IsRoot) return ".";
        var sb = new StringBuilder(_wire.Length + 8);
        AppendPresentation(sb, _wire);
        return sb.ToString();
    }

    /// <summary>Appends the presentation form of an uncompressed wire name.</summary>
    public static void AppendPresentation(StringBuilder sb, ReadOnlySpan<byte> wire)
    {
        int pos = 0;
        if (wire[0] == 0) { sb.Append('.'); return; }
        while (wire[pos] != 0)
        {
            int len = wire[pos];
            foreach (var b in wire.Slice(pos + 1, len)) AppendLabelByte(sb, b);
            sb.Append('.');
            pos += 1 + len;
        }
    }

    private static void AppendLabelByte(StringBuilder sb, byte b)
    {
        if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
            sb.Append('\\').Append((char)b);
        else if (b <= 0x20 || b >= 0x7f) sb.Append('\\').Append(((int)b).ToString("D3"));
        else sb.Append((char)b);
    }

    /// <summary>Presentation form relative to <paramref name="origin"/> ("@" for the origin itself).</summary>
    public string ToString(DnsName origin)
    {
        if (Equals(origin)) return "@";
        if (!IsSubdomainOf(origin) || origin.IsRoot) return ToString();
        var full = ToString();
        var tail = origin.ToString();
        // presentation of the suffix is the presentation of origin, so trimming is exact
        return full[..(full.Length - tail.Length - 1)];
    }
}
