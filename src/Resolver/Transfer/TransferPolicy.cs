using System.Net;

namespace AkkaDns.Resolver.Transfer;

public enum TransferDecision : byte { Allowed, Refused }

/// <summary>
/// Who may transfer a zone, from PowerDNS domain metadata (pure, immutable). As PowerDNS: a request signed with a key
/// named in TSIG-ALLOW-AXFR is allowed; otherwise the client's address must be in ALLOW-AXFR-FROM; with neither
/// configured, every transfer is refused. The key name must be one the caller has verified (a TSIG that checked out).
/// </summary>
/// <remarks>
/// ALLOW-AXFR-FROM values are addresses or CIDR prefixes, IPv4 or IPv6, one per value (commas and spaces inside a
/// value also separate entries, as in pdns.conf's allow-axfr-ips). PowerDNS's <c>AUTO-NS</c> (the addresses of the
/// zone's NS names) needs a resolver and is ignored here. An IPv4-mapped IPv6 client (::ffff:a.b.c.d) is matched as
/// its IPv4 address.
/// </remarks>
public sealed class TransferPolicy
{
    public const string AllowAxfrFrom = "ALLOW-AXFR-FROM";
    public const string TsigAllowAxfr = "TSIG-ALLOW-AXFR";
    public static readonly TransferPolicy RefuseAll = new([], []);

    private readonly IPNetwork[] _networks;
    private readonly HashSet<string> _keys;

    private TransferPolicy(IPNetwork[] networks, HashSet<string> keys) { _networks = networks; _keys = keys; }

    public IReadOnlyList<IPNetwork> Networks => _networks;
    public IReadOnlyCollection<string> KeyNames => _keys;
    public bool IgnoredAutoNs { get; private init; }

    /// <summary>Builds a policy from the two metadata kinds' values. Throws <see cref="FormatException"/> naming the
    /// metadata kind and the value that is neither an address nor a prefix, or not a key name.</summary>
    public static TransferPolicy FromMetadata(IEnumerable<string>? allowAxfrFrom, IEnumerable<string>? tsigAllowAxfr)
    {
        var networks = new List<IPNetwork>();
        bool autoNs = false;
        foreach (var value in allowAxfrFrom ?? [])
            foreach (var entry in Entries(value))
            {
                if (entry.Equals("AUTO-NS", StringComparison.OrdinalIgnoreCase)) { autoNs = true; continue; }
                networks.Add(ParseNetwork(entry, value));
            }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in tsigAllowAxfr ?? [])
            foreach (var entry in Entries(value))
            {
                if (!Wire.DnsName.TryParse(entry.EndsWith('.') ? entry : entry + ".", null, out var name, out var error))
                    throw new FormatException($"{TsigAllowAxfr} value '{value}': '{entry}' is not a key name ({error})");
                keys.Add(Normalize(name!.ToString()));
            }
        return new TransferPolicy(networks.ToArray(), keys) { IgnoredAutoNs = autoNs };
    }

    public TransferDecision Decide(IPAddress client, string? verifiedKeyName)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (verifiedKeyName is not null && _keys.Contains(Normalize(verifiedKeyName))) return TransferDecision.Allowed;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        foreach (var net in _networks)
            if (net.Contains(client)) return TransferDecision.Allowed;
        return TransferDecision.Refused;
    }

    private static IEnumerable<string> Entries(string value)
        => (value ?? "").Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IPNetwork ParseNetwork(string entry, string value)
    {
        if (entry.Contains('/'))
        {
            // IPNetwork.TryParse refuses a prefix with host bits set (10.0.0.1/8); PowerDNS's Netmask masks them off.
            var slash = entry.IndexOf('/');
            if (IPAddress.TryParse(entry[..slash], out var baseAddress) && int.TryParse(entry[(slash + 1)..], out var bits)
                && bits >= 0 && bits <= (baseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
                return new IPNetwork(Mask(baseAddress, bits), bits);
        }
        else if (IPAddress.TryParse(entry, out var address))
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        throw new FormatException($"{AllowAxfrFrom} value '{value}': '{entry}' is not an IP address or CIDR prefix");
    }

    private static IPAddress Mask(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(bits - 8 * i, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    /// <summary>Key names compare as DNS names: case-insensitive, with or without the final dot.</summary>
    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
