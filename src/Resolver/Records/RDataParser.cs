using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Records;

public static partial class RData
{
    /// <summary>Parses the RDATA tokens from <paramref name="start"/> on (the master-file reader's entry point).</summary>
    internal static byte[] Parse(RecordType type, List<Token> tokens, int start, DnsName origin)
    {
        string typeText = RecordTypes.ToText(type);
        if (start < tokens.Count && tokens[start] is { Quoted: false, Text: "\\#" })
            return ParseGeneric(type, typeText, tokens, start + 1);
        if (!RDataDescriptors.TryGet(type, out var fields))
            throw new RDataFormatException($"type {typeText} has no presentation format here; write its RDATA as \\# <length> <hex> (RFC 3597)");

        var w = new List<byte>(32);
        int i = start;
        foreach (var f in fields)
        {
            // the field's name for messages, built only when one is thrown
            var what = new FieldName(typeText, f.Label);
            if (f.Kind == FieldKind.TypeBitmap)
            {
                // zero or more type mnemonics up to the end (an NSEC3 of an empty non-terminal has none)
                var types = new List<ushort>();
                for (; i < tokens.Count; i++)
                {
                    if (tokens[i].Quoted || !RecordTypes.TryParse(tokens[i].Text, out var covered))
                        throw new RDataFormatException($"{what} '{tokens[i].Text}' is not a record type");
                    types.Add((ushort)covered);
                }
                w.AddRange(DnssecFields.BitmapFromTypes(types));
                continue;
            }
            if (f.Kind == FieldKind.SvcParams)
            {
                w.AddRange(SvcbFields.Parse(tokens, ref i, what.ToString())); // none at all is AliasMode's usual form
                continue;
            }
            if (i >= tokens.Count) throw new RDataFormatException($"{what} is missing");
            var tok = tokens[i];
            switch (f.Kind)
            {
                case FieldKind.Name or FieldKind.CompressibleName:
                    if (tok.Quoted) throw new RDataFormatException($"{what} {tok.Display} must not be quoted");
                    if (!DnsName.TryParse(tok.Text, origin, out var name, out var err))
                        throw new RDataFormatException($"{what} '{tok.Text}' is not a valid domain name: {err}");
                    w.AddRange(name!.Wire.ToArray()); i++; break;
                case FieldKind.U8: w.Add((byte)Number(what, tok, byte.MaxValue)); i++; break;
                case FieldKind.U16: AddU16(w, (ushort)Number(what, tok, ushort.MaxValue)); i++; break;
                case FieldKind.U32: AddU32(w, (uint)Number(what, tok, uint.MaxValue)); i++; break;
                case FieldKind.Ttl:
                    string? terr = "is quoted";
                    if (tok.Quoted || !PresentationText.TryParseTtl(tok.Text, uint.MaxValue, out var secs, out terr))
                        throw new RDataFormatException($"{what} '{tok.Text}' is not a time value (seconds or units like 1h30m): it {terr}");
                    AddU32(w, secs); i++; break;
                case FieldKind.IPv4:
                    var v4 = new byte[4];
                    if (tok.Quoted || !PresentationText.TryParseIPv4(tok.Text, v4))
                        throw new RDataFormatException($"{what} '{tok.Text}' is not an IPv4 address (dotted quad)");
                    w.AddRange(v4); i++; break;
                case FieldKind.IPv6:
                    if (tok.Quoted || tok.Text.AsSpan().IndexOfAny("%[]/") >= 0 || !tok.Text.Contains(':') || !IPAddress.TryParse(tok.Text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                        throw new RDataFormatException($"{what} '{tok.Text}' is not an IPv6 address");
                    w.AddRange(v6.GetAddressBytes()); i++; break;
                case FieldKind.CharString: AddCharString(w, what, tok); i++; break;
                case FieldKind.CharStrings:
                    for (; i < tokens.Count; i++) AddSplitCharStrings(w, what, tokens[i]);
                    break;
                case FieldKind.Base64:
                {
                    string b64 = Join(tokens, ref i);
                    var buf = new byte[b64.Length];
                    if (!Convert.TryFromBase64String(b64, buf, out int n) || n == 0)
                        throw new RDataFormatException($"{what} '{b64}' is not base64");
                    w.AddRange(buf.AsSpan(0, n).ToArray());
                    break;
                }
                case FieldKind.Hex:
                {
                    string hex = Join(tokens, ref i);
                    w.AddRange(Hex(what, hex, allowEmpty: false));
                    break;
                }
                case FieldKind.HexWithLength:
                {
                    var salt = tok.Text == "-" && !tok.Quoted ? [] : Hex(what, tok.Text, allowEmpty: false);
                    if (salt.Length > 255) throw new RDataFormatException($"{what} is {salt.Length} octets, more than 255");
                    w.Add((byte)salt.Length); w.AddRange(salt); i++; break;
                }
                case FieldKind.CaaTag:
                {
                    if (tok.Text.Length is 0 or > 255 || !tok.Text.All(char.IsAsciiLetterOrDigit))
                        throw new RDataFormatException($"{what} '{tok.Text}' must be 1-255 ASCII letters and digits");
                    w.Add((byte)tok.Text.Length);
                    foreach (char c in tok.Text) w.Add((byte)c);
                    i++; break;
                }
                case FieldKind.Loc: w.AddRange(LocFields.Parse(tokens, ref i, what.ToString())); break;
                case FieldKind.CertType:
                    AddU16(w, DnssecFields.CertTypes.TryGetValue(tok.Text, out var certType) && !tok.Quoted
                        ? certType : (ushort)Number(what, tok, ushort.MaxValue));
                    i++; break;
                case FieldKind.TypeCode:
                    if (tok.Quoted || !RecordTypes.TryParse(tok.Text, out var code))
                        throw new RDataFormatException($"{what} '{tok.Text}' is not a record type");
                    AddU16(w, (ushort)code); i++; break;
                case FieldKind.Time:
                    if (tok.Quoted || !DnssecFields.TryParseTime(tok.Text, out var time))
                        throw new RDataFormatException($"{what} '{tok.Text}' is not a time (YYYYMMDDHHmmSS in UTC, or seconds)");
                    AddU32(w, time); i++; break;
                case FieldKind.Base32WithLength:
                {
                    if (tok.Quoted || !DnssecFields.TryFromBase32Hex(tok.Text, out var hash) || hash.Length is 0 or > 255)
                        throw new RDataFormatException($"{what} '{tok.Text}' is not base32hex of 1-255 octets");
                    w.Add((byte)hash.Length); w.AddRange(hash); i++; break;
                }
                case FieldKind.Eui48 or FieldKind.Eui64:
                {
                    int octets = f.Kind == FieldKind.Eui48 ? 6 : 8;
                    if (tok.Quoted || !DnssecFields.TryParseEui(tok.Text, octets, out var eui))
                        throw new RDataFormatException($"{what} '{tok.Text}' is not {octets} hex pairs joined by '-'");
                    w.AddRange(eui); i++; break;
                }
                case FieldKind.Locator64:
                    if (tok.Quoted || !TryParseLocator64(tok.Text, out var locator))
                        throw new RDataFormatException($"{what} '{tok.Text}' is not four groups of 1-4 hex digits joined by ':'");
                    w.AddRange(locator); i++; break;
                case FieldKind.DsyncScheme:
                    w.Add(!tok.Quoted && tok.Text.Equals("NOTIFY", StringComparison.OrdinalIgnoreCase) ? (byte)1 : (byte)Number(what, tok, byte.MaxValue));
                    i++; break;
                case FieldKind.StringRemainder:
                {
                    if (!PresentationText.TryDecodeString(tok.Text, out var bytes, out var serr))
                        throw new RDataFormatException($"{what} {tok.Display} {serr}");
                    w.AddRange(bytes); i++; break;
                }
            }
        }
        if (i < tokens.Count)
            throw new RDataFormatException($"{typeText} has unexpected '{tokens[i].Display}' after {fields[^1].Label}");
        if (w.Count > MaxLength) throw new RDataFormatException($"{typeText} RDATA of {w.Count} octets is longer than {MaxLength}");
        return w.ToArray();
    }

    private static byte[] ParseGeneric(RecordType type, string typeText, List<Token> tokens, int i)
    {
        if (i >= tokens.Count) throw new RDataFormatException($"{typeText} \\# needs a length (RFC 3597)");
        var lenTok = tokens[i++];
        if (lenTok.Quoted || !PresentationText.TryParseNumber(lenTok.Text, MaxLength, out var len))
            throw new RDataFormatException($"{typeText} \\# length '{lenTok.Text}' is not a number 0-{MaxLength}");
        string hex = i < tokens.Count ? Join(tokens, ref i) : "";
        var data = Hex(new FieldName(typeText, "\\# data"), hex, allowEmpty: true);
        if ((ulong)data.Length != len)
            throw new RDataFormatException($"{typeText} \\# says {len} octets but the hex holds {data.Length}");
        if (!IsValid(type, data, out var why))
            throw new RDataFormatException($"{typeText} \\# RDATA is not valid for the type: {why}");
        return data;
    }

    private static ulong Number(FieldName what, Token tok, ulong max)
    {
        if (tok.Quoted || !PresentationText.TryParseNumber(tok.Text, max, out var v))
            throw new RDataFormatException($"{what} '{tok.Text}' is not a number 0-{max}");
        return v;
    }

    private static void AddCharString(List<byte> w, FieldName what, Token tok)
    {
        if (!PresentationText.TryDecodeString(tok.Text, out var bytes, out var err))
            throw new RDataFormatException($"{what} {tok.Display} {err}");
        if (bytes.Length > 255)
            throw new RDataFormatException($"{what} {tok.Display} is {bytes.Length} octets; a character-string holds at most 255 (split it into several strings)");
        w.Add((byte)bytes.Length); w.AddRange(bytes);
    }

    /// <summary>TXT-like data (RFC 1035 §3.3.14: one or more character-strings): a string of more than 255 octets, as
    /// DKIM keys are often given, becomes consecutive 255-octet strings and a shorter last one, as PowerDNS splits it
    /// (RFC 7208 §3.3 and RFC 6376 §3.6.2.2 read the strings of one record joined together, so the meaning is kept).
    /// The split counts decoded octets: an escape such as <c>\DDD</c> is one octet, and a UTF-8 character may be cut.</summary>
    private static void AddSplitCharStrings(List<byte> w, FieldName what, Token tok)
    {
        if (!PresentationText.TryDecodeString(tok.Text, out var bytes, out var err))
            throw new RDataFormatException($"{what} {tok.Display} {err}");
        int pos = 0;
        do
        {
            int n = Math.Min(255, bytes.Length - pos);
            w.Add((byte)n);
            w.AddRange(bytes.AsSpan(pos, n));
            pos += n;
        } while (pos < bytes.Length);
    }

    /// <summary>Concatenates the remaining unquoted tokens (base64/hex may be split by spaces).</summary>
    private static string Join(List<Token> tokens, ref int i)
    {
        var sb = new System.Text.StringBuilder();
        for (; i < tokens.Count; i++) sb.Append(tokens[i].Text);
        return sb.ToString();
    }

    private static byte[] Hex(FieldName what, string hex, bool allowEmpty)
    {
        if (hex.Length == 0 && allowEmpty) return [];
        if (hex.Length == 0) throw new RDataFormatException($"{what} is missing");
        if (hex.Length % 2 != 0) throw new RDataFormatException($"{what} '{hex}' has an odd number of hex digits");
        foreach (char c in hex)
            if (!char.IsAsciiHexDigit(c)) throw new RDataFormatException($"{what} '{hex}' is not hex ('{c}')");
        return Convert.FromHexString(hex);
    }

    /// <summary>RFC 6742 §2.1.2: "0014:4fff:ff20:ee64", each group 1-4 hex digits.</summary>
    private static bool TryParseLocator64(string text, out byte[] value)
    {
        value = new byte[8];
        var groups = text.Split(':');
        if (groups.Length != 4) return false;
        for (int g = 0; g < 4; g++)
        {
            if (groups[g].Length is 0 or > 4 || !ushort.TryParse(groups[g], System.Globalization.NumberStyles.AllowHexSpecifier, null, out var v)) return false;
            BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2 * g), v);
        }
        return true;
    }

    /// <summary>"MX preference": the type and field a message names.</summary>
    private readonly record struct FieldName(string Type, string Label)
    {
        public override string ToString() => Type + " " + Label;
    }

    private static void AddU16(List<byte> w, ushort v) { w.Add((byte)(v >> 8)); w.Add((byte)v); }
    private static void AddU32(List<byte> w, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        w.AddRange(b.ToArray());
    }
}
