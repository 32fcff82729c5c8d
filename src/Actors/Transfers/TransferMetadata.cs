using System.Net;

namespace AkkaDns.Actors.Transfers;

/// <summary>
/// Per-zone metadata kinds, as PowerDNS names them (domainmetadata). The kinds used by transfers and UPDATE are
/// validated and normalized here; any other kind is stored as given, like PowerDNS does.
/// </summary>
public static class TransferMetadata
{
    /// <summary>Addresses or networks a secondary may AXFR from ("AUTO-NS" kept as PowerDNS spells it).</summary>
    public const string AllowAxfrFrom = "ALLOW-AXFR-FROM";
    /// <summary>Key names a transfer may be signed with.</summary>
    public const string TsigAllowAxfr = "TSIG-ALLOW-AXFR";
    /// <summary>Extra NOTIFY targets: address, address:port, [IPv6]:port.</summary>
    public const string AlsoNotify = "ALSO-NOTIFY";
    /// <summary>The one key this node signs its own transfer requests with (as a secondary).</summary>
    public const string AxfrMasterTsig = "AXFR-MASTER-TSIG";
    public const string TsigAllowDnsUpdate = "TSIG-ALLOW-DNSUPDATE";
    /// <summary>A secondary zone's primaries, in the order they are tried: address or address:port (53 when absent).
    /// Present makes the zone a secondary ("Slave" in PowerDNS's API), whose content only transfers change.</summary>
    public const string Masters = "MASTERS";
    /// <summary>What a secondary does when its SOA expire passes without a successful refresh: "stop" (RFC 1035:
    /// stop answering, SERVFAIL) or "serve" (keep answering the last good copy). Absent: the node's default.</summary>
    public const string ExpirePolicy = "X-AKKADNS-EXPIRE";
    /// <summary>Set (to the UTC time) by the secondary refresher when a zone expired under the "stop" policy; edges
    /// answer SERVFAIL for it until a refresh succeeds and clears it.</summary>
    public const string Expired = "X-AKKADNS-EXPIRED";
    public const string AllowDnsUpdateFrom = "ALLOW-DNSUPDATE-FROM";
    /// <summary>Least privilege for UPDATE keys: lines <c>KEYNAME OWNER-PATTERN TYPE[,TYPE]</c>
    /// (<see cref="AkkaDns.Resolver.Update.UpdatePolicyLine"/>); a key with lines may change only what they allow.</summary>
    public const string UpdatePolicy = "X-AKKADNS-UPDATE-POLICY";

    /// <summary>Upper case; letters, digits and '-' (PowerDNS kinds, and X-… ones of one's own).</summary>
    public static bool TryNormalizeKind(string? text, out string kind, out string error)
    {
        kind = ""; error = "";
        var t = text?.Trim().ToUpperInvariant() ?? "";
        if (t.Length == 0) { error = "metadata kind missing"; return false; }
        if (t.Length > 64 || !t.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'))
        { error = $"bad metadata kind '{text!.Trim()}': letters, digits and '-' only"; return false; }
        kind = t;
        return true;
    }

    /// <summary>Validates and normalizes the values of one kind; the error names the value at fault.</summary>
    public static bool TryNormalizeValues(string kind, IReadOnlyList<string> values, out List<string> normalized, out string error)
    {
        normalized = []; error = "";
        foreach (var raw in values)
        {
            var v = raw?.Trim() ?? "";
            if (v.Length == 0) { error = $"{kind}: empty value"; return false; }
            // The replicated encoding separates values with tabs and kinds with new lines.
            if (v.Any(char.IsControl)) { error = $"{kind}: value '{v}' holds a control character"; return false; }
            string? n; string? why;
            switch (kind)
            {
                case AllowAxfrFrom or AllowDnsUpdateFrom: (n, why) = Network(v); break;
                case AlsoNotify: (n, why) = Endpoint(v); break;
                case Masters: (n, why) = Endpoint(v); n = n is null ? null : WithDefaultPort(n); break;
                case ExpirePolicy:
                    n = v.ToLowerInvariant() is "stop" or "serve" ? v.ToLowerInvariant() : null; why = "is not 'stop' or 'serve'"; break;
                case TsigAllowAxfr or TsigAllowDnsUpdate or AxfrMasterTsig:
                    n = TsigKeyNames.TryNormalize(v, out var name, out var e) ? name : null; why = e; break;
                case UpdatePolicy:
                    n = AkkaDns.Resolver.Update.UpdatePolicyLine.TryParse(v, out var line, out var pe) ? line!.ToString() : null; why = pe; break;
                default: (n, why) = (v, null); break;
            }
            if (n is null) { error = $"{kind}: '{v}' {why}"; return false; }
            if (!normalized.Contains(n)) normalized.Add(n);
        }
        if (kind == AxfrMasterTsig && normalized.Count > 1) { error = $"{kind} takes one key name, got {normalized.Count}: {string.Join(", ", normalized)}"; return false; }
        return true;
    }

    private static (string?, string?) Network(string v)
    {
        if (v.Equals("AUTO-NS", StringComparison.OrdinalIgnoreCase)) return ("AUTO-NS", null);
        if (!v.Contains('/')) return TryAddress(v, out var a) ? (a.ToString(), null) : (null, "is not an IP address or CIDR network");
        if (!TryAddress(v[..v.IndexOf('/')], out var address) || !IPNetwork.TryParse(v, out var net)) return (null, "is not a CIDR network (bad address or prefix length)");
        // 10.0.0.1/8 may be a typo for 10.0.0.1/32: refuse it rather than open the whole /8.
        var bytes = address.GetAddressBytes();
        for (int bit = net.PrefixLength; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        var masked = new IPNetwork(new IPAddress(bytes), net.PrefixLength);
        if (!masked.BaseAddress.Equals(address)) return (null, $"has bits set after the /{net.PrefixLength} prefix (the network is {masked})");
        return (masked.ToString(), null);
    }

    private static (string?, string?) Endpoint(string v)
    {
        // A bare IPv6 address has colons but no port; [addr]:port has one.
        if (TryAddress(v, out var bare)) return (bare.ToString(), null);
        var host = v.StartsWith('[') && v.IndexOf("]:", StringComparison.Ordinal) is > 0 and var close ? v[1..close]
            : v.Count(c => c == ':') == 1 ? v[..v.IndexOf(':')] : null;
        if (host is null || !TryAddress(host, out _) || !IPEndPoint.TryParse(v, out var ep)) return (null, "is not an address, address:port or [IPv6]:port");
        if (ep.Port == 0) return (null, "has port 0");
        var addr = ep.Address.ToString();
        return (ep.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{addr}]:{ep.Port}" : $"{addr}:{ep.Port}", null);
    }

    /// <summary>An endpoint as <see cref="Endpoint"/> normalized it, with port 53 when it has none.</summary>
    private static string WithDefaultPort(string endpoint) =>
        endpoint.StartsWith('[') || (!endpoint.Contains("::") && endpoint.Count(c => c == ':') == 1) ? endpoint
        : endpoint.Contains(':') ? $"[{endpoint}]:53" : endpoint + ":53";

    /// <summary>The endpoints of a normalized MASTERS value list.</summary>
    public static IReadOnlyList<IPEndPoint> ParseMasters(IReadOnlyList<string> values) =>
        values.Select(v => IPEndPoint.TryParse(v, out var ep) ? ep : null).OfType<IPEndPoint>().ToList();

    /// <summary>IPAddress.TryParse also takes "1" or "10.1" (0.0.0.1, 10.0.0.1) and scope ids: an IPv4 address
    /// here has four dotted parts, an IPv6 one no scope.</summary>
    private static bool TryAddress(string v, out IPAddress address)
    {
        address = IPAddress.None;
        if (v.Contains('%') || v.StartsWith('[')) return false;
        if (!IPAddress.TryParse(v, out var a)) return false;
        if (!v.Contains(':') && v.Split('.').Length != 4) return false;
        address = a;
        return true;
    }
}
