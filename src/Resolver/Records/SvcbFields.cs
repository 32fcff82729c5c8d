using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AkkaDns.Resolver.Records;

/// <summary>
/// SVCB/HTTPS SvcParams (RFC 9460 §2.1-§7): on the wire, (key, length, value) triples in strictly increasing key
/// order; in text, <c>key=value</c> words such as <c>alpn=h2,h3 port=443 ipv4hint=192.0.2.1</c>. Unknown keys are
/// <c>keyNNNNN</c> with an opaque character-string value.
/// </summary>
/// <remarks>Named keys: the IANA SvcParamKeys registry as of 2026 up to 11: RFC 9460 (0-6), dohpath (7, RFC 9461),
/// ohttp (8, RFC 9540 §4: no value), tls-supported-groups (9, draft-ietf-tls-key-share-prediction: 16-bit TLS group
/// code points, decimal, comma-separated), docpath (10, RFC 9953 §3: path segments as an alpn-style value-list, none
/// for the root path) and pvd (11, draft-ietf-intarea-proxy-config: no value). Key 12 (oots) and later keys are
/// written <c>key12=…</c> with their value as opaque octets, the generic form RFC 9460 §2.1 gives every key.</remarks>
internal static class SvcbFields
{
    private static readonly string[] Names =
        ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint", "dohpath", "ohttp", "tls-supported-groups", "docpath", "pvd"];

    private const ushort Mandatory = 0, Alpn = 1, NoDefaultAlpn = 2, Port = 3, Ipv4Hint = 4, Ech = 5, Ipv6Hint = 6,
        Ohttp = 8, TlsSupportedGroups = 9, DocPath = 10, Pvd = 11;

    /// <summary>Keys whose value is always empty (a flag).</summary>
    private static bool IsFlag(ushort key) => key is NoDefaultAlpn or Ohttp or Pvd;

    private static string KeyName(ushort key) => key < Names.Length ? Names[key] : "key" + key;

    private static bool TryKey(string text, out ushort key)
    {
        int i = Array.IndexOf(Names, text.ToLowerInvariant());
        if (i >= 0) { key = (ushort)i; return true; }
        key = 0;
        return text.StartsWith("key", StringComparison.OrdinalIgnoreCase) && text.Length > 3
            && PresentationText.TryParseNumber(text[3..], 65534, out var v) && (key = (ushort)v) == v;
    }

    public static bool IsValid(ReadOnlySpan<byte> d, out string? error)
    {
        error = null;
        int last = -1;
        for (int p = 0; p < d.Length;)
        {
            if (p + 4 > d.Length) { error = "a SvcParam header is cut short"; return false; }
            ushort key = BinaryPrimitives.ReadUInt16BigEndian(d[p..]);
            int len = BinaryPrimitives.ReadUInt16BigEndian(d[(p + 2)..]);
            if (key <= last) { error = $"SvcParam keys are not in increasing order at {KeyName(key)}"; return false; }
            if (key == 65535) { error = "SvcParam key 65535 is reserved"; return false; }
            if (p + 4 + len > d.Length) { error = $"SvcParam {KeyName(key)} runs past the end"; return false; }
            var v = d.Slice(p + 4, len);
            bool ok = key switch
            {
                Mandatory => len > 0 && len % 2 == 0,
                Alpn => len > 0 && CharStringsOk(v),
                NoDefaultAlpn or Ohttp or Pvd => len == 0,
                Port => len == 2,
                Ipv4Hint => len > 0 && len % 4 == 0,
                Ipv6Hint => len > 0 && len % 16 == 0,
                TlsSupportedGroups => len > 0 && len % 2 == 0,
                DocPath => CharStringsOk(v),
                _ => true,
            };
            if (!ok) { error = $"SvcParam {KeyName(key)} has a malformed value"; return false; }
            last = key; p += 4 + len;
        }
        return true;
    }

    private static bool CharStringsOk(ReadOnlySpan<byte> v)
    {
        for (int p = 0; p < v.Length; p += 1 + v[p])
            if (v[p] == 0 || p + 1 + v[p] > v.Length) return false;
        return true;
    }

    public static void Append(StringBuilder sb, ReadOnlySpan<byte> d)
    {
        bool first = true;
        for (int p = 0; p < d.Length;)
        {
            ushort key = BinaryPrimitives.ReadUInt16BigEndian(d[p..]);
            int len = BinaryPrimitives.ReadUInt16BigEndian(d[(p + 2)..]);
            var v = d.Slice(p + 4, len);
            if (!first) sb.Append(' ');
            first = false;
            sb.Append(KeyName(key));
            switch (key)
            {
                case 0:
                    sb.Append('=');
                    for (int i = 0; i < len; i += 2)
                        sb.Append(i > 0 ? "," : "").Append(KeyName(BinaryPrimitives.ReadUInt16BigEndian(v[i..])));
                    break;
                case Alpn or DocPath:
                {
                    if (len == 0) break; // docpath with no segments: the root path
                    // each ALPN id (or docpath segment): ',' and '\' escaped twice over (value-list, then char-string; RFC 9460 App. A.1)
                    var list = new StringBuilder();
                    for (int i = 0; i < len; i += 1 + v[i])
                    {
                        if (i > 0) list.Append(',');
                        foreach (var b in v.Slice(i + 1, v[i]))
                            if (b == (byte)',') list.Append(@"\\,");     // two backslashes, then the comma (as RFC 9460 App. D writes it)
                            else if (b == (byte)'\\') list.Append(@"\\\\"); // four backslashes for one
                            else if (b is (byte)'"') list.Append('\\').Append('"');
                            else if (b < 0x21 || b >= 0x7f) list.Append('\\').Append(((int)b).ToString("D3"));
                            else list.Append((char)b);
                    }
                    sb.Append("=\"").Append(list).Append('"');
                    break;
                }
                case NoDefaultAlpn or Ohttp or Pvd: break;
                case TlsSupportedGroups:
                    sb.Append('=');
                    for (int i = 0; i < len; i += 2) sb.Append(i > 0 ? "," : "").Append(BinaryPrimitives.ReadUInt16BigEndian(v[i..]));
                    break;
                case 3: sb.Append('=').Append(BinaryPrimitives.ReadUInt16BigEndian(v)); break;
                case 4:
                    sb.Append('=');
                    for (int i = 0; i < len; i += 4) sb.Append(i > 0 ? "," : "").Append(new IPAddress(v.Slice(i, 4)));
                    break;
                case 6:
                    sb.Append('=');
                    for (int i = 0; i < len; i += 16) sb.Append(i > 0 ? "," : "").Append(new IPAddress(v.Slice(i, 16)));
                    break;
                case 5: sb.Append('=').Append(Convert.ToBase64String(v)); break;
                default:
                    if (len > 0) { sb.Append('='); PresentationText.AppendQuoted(sb, v); }
                    break;
            }
            p += 4 + len;
        }
    }

    /// <summary>Parses <c>key[=value]</c> words (a value may follow as a separate quoted token after "key=").</summary>
    public static byte[] Parse(List<Token> tokens, ref int i, string what)
    {
        var parms = new SortedDictionary<ushort, byte[]>();
        for (; i < tokens.Count; i++)
        {
            var tok = tokens[i];
            if (tok.Quoted) throw new RDataFormatException($"{what}: {tok.Display} is not key=value");
            string text = tok.Text, keyText = text, raw = "";
            bool hasValue = false;
            int eq = text.IndexOf('=');
            if (eq >= 0)
            {
                keyText = text[..eq]; raw = text[(eq + 1)..]; hasValue = true;
                if (raw.Length == 0 && i + 1 < tokens.Count && tokens[i + 1].Quoted) raw = tokens[++i].Text;
            }
            if (!TryKey(keyText, out var key)) throw new RDataFormatException($"{what}: unknown SvcParam key '{keyText}'");
            if (parms.ContainsKey(key)) throw new RDataFormatException($"{what}: SvcParam {KeyName(key)} appears twice");
            // keyNNNNN (RFC 9460 §2.1's generic form, which servers that lack the key's name write, knotd 3.2 among
            // them) takes the value as opaque octets whatever the key; the wire check below still applies
            bool generic = !Array.Exists(Names, n => n.Equals(keyText, StringComparison.OrdinalIgnoreCase));
            parms[key] = generic ? Opaque(hasValue, raw, what) : Value(key, hasValue, raw, what);
        }
        var w = new List<byte>();
        foreach (var (key, value) in parms)
        {
            if (value.Length > ushort.MaxValue) throw new RDataFormatException($"{what}: SvcParam {KeyName(key)} is too long");
            w.Add((byte)(key >> 8)); w.Add((byte)key); w.Add((byte)(value.Length >> 8)); w.Add((byte)value.Length); w.AddRange(value);
        }
        var result = w.ToArray();
        if (!IsValid(result, out var error)) throw new RDataFormatException($"{what}: {error}");
        return result;
    }

    private static byte[] Opaque(bool hasValue, string raw, string what)
    {
        if (!hasValue) return [];
        return PresentationText.TryDecodeString(raw, out var bytes, out var err) ? bytes : throw new RDataFormatException($"{what}: value {err}");
    }

    private static byte[] Value(ushort key, bool hasValue, string raw, string what)
    {
        string name = KeyName(key);
        if (IsFlag(key))
            return hasValue ? throw new RDataFormatException($"{what}: {name} takes no value") : [];
        if (!hasValue && key is DocPath) return []; // the root path
        if (!hasValue && key is (<= Ipv6Hint or TlsSupportedGroups)) throw new RDataFormatException($"{what}: {name} needs a value");
        if (!PresentationText.TryDecodeString(raw, out var bytes, out var err)) throw new RDataFormatException($"{what}: {name} value {err}");
        string text = Encoding.UTF8.GetString(bytes);
        var w = new List<byte>();
        switch (key)
        {
            case 0:
                foreach (var k in text.Split(','))
                {
                    if (!TryKey(k, out var mk)) throw new RDataFormatException($"{what}: mandatory lists unknown key '{k}'");
                    w.Add((byte)(mk >> 8)); w.Add((byte)mk);
                }
                break;
            case Alpn or DocPath:
                if (key == DocPath && bytes.Length == 0) break; // docpath="": the root path
                foreach (var id in SplitValueList(bytes))
                {
                    if (id.Count is 0 or > 255) throw new RDataFormatException($"{what}: {name} {(key == Alpn ? "ids" : "segments")} must be 1-255 octets");
                    w.Add((byte)id.Count); w.AddRange(id);
                }
                break;
            case TlsSupportedGroups:
            {
                var seen = new HashSet<ushort>();
                foreach (var g in text.Split(','))
                {
                    if (!PresentationText.TryParseNumber(g, ushort.MaxValue, out var group))
                        throw new RDataFormatException($"{what}: tls-supported-groups '{g}' is not a number 0-65535");
                    if (!seen.Add((ushort)group)) throw new RDataFormatException($"{what}: tls-supported-groups lists {g} twice");
                    w.Add((byte)(group >> 8)); w.Add((byte)group);
                }
                break;
            }
            case 3:
                if (!PresentationText.TryParseNumber(text, ushort.MaxValue, out var port)) throw new RDataFormatException($"{what}: port '{text}' is not a number 0-65535");
                w.Add((byte)(port >> 8)); w.Add((byte)port);
                break;
            case 4:
                foreach (var a in text.Split(','))
                {
                    var b = new byte[4];
                    if (!PresentationText.TryParseIPv4(a, b)) throw new RDataFormatException($"{what}: ipv4hint '{a}' is not an IPv4 address");
                    w.AddRange(b);
                }
                break;
            case 6:
                foreach (var a in text.Split(','))
                {
                    if (!a.Contains(':') || a.AsSpan().IndexOfAny("%[]/") >= 0 || !IPAddress.TryParse(a, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
                        throw new RDataFormatException($"{what}: ipv6hint '{a}' is not an IPv6 address");
                    w.AddRange(ip.GetAddressBytes());
                }
                break;
            case 5:
            {
                var buf = new byte[text.Length];
                if (!Convert.TryFromBase64String(text, buf, out int n)) throw new RDataFormatException($"{what}: ech '{text}' is not base64");
                w.AddRange(buf.AsSpan(0, n).ToArray());
                break;
            }
            default: w.AddRange(bytes); break;
        }
        return w.ToArray();
    }

    /// <summary>Splits decoded octets at commas not escaped by a backslash (RFC 9460 Appendix A.1 value-list).</summary>
    private static List<List<byte>> SplitValueList(byte[] bytes)
    {
        var items = new List<List<byte>> { new() };
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\\' && i + 1 < bytes.Length) { items[^1].Add(bytes[++i]); continue; }
            if (bytes[i] == (byte)',') { items.Add(new()); continue; }
            items[^1].Add(bytes[i]);
        }
        return items;
    }
}
