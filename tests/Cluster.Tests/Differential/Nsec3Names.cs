using System.Security.Cryptography;
using System.Text;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// Maps NSEC3 hashed owner names back to the names they hash (RFC 5155 §5: SHA-1 over the canonical wire name and the
/// salt, no extra iterations here), so two signers' chains compare name by name. Written here, not taken from
/// src/Resolver/Dnssec/Nsec3Hash.cs, so a bug there cannot hide itself.
/// </summary>
public static class Nsec3Names
{
    /// <summary>Every owner of the master file (first token of a line that does not start with blank, ';' or '$'),
    /// relative to <paramref name="origin"/>, and every name between it and the apex (empty non-terminals).</summary>
    public static IReadOnlyDictionary<string, string> Map(string masterFile, string origin)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { origin };
        foreach (var line in masterFile.Split('\n'))
        {
            if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line[0] is ';' or '$') continue;
            var owner = line.Split([' ', '\t'], 2)[0];
            var name = owner == "@" ? origin : owner.EndsWith('.') ? owner : $"{owner}.{origin}";
            for (var n = name; n.Length > origin.Length; n = n[(n.IndexOf('.') + 1)..]) names.Add(n.ToLowerInvariant());
        }
        return names.ToDictionary(n => Label(Hash(n)), n => n);
    }

    public static byte[] Hash(string name, byte[]? salt = null, int iterations = 0)
    {
        salt ??= [];
        var wire = DnsWire.EncodeName(name.ToLowerInvariant());
        var h = SHA1.HashData([.. wire, .. salt]);
        for (var i = 0; i < iterations; i++) h = SHA1.HashData([.. h, .. salt]);
        return h;
    }

    /// <summary>Base32 with the extended hex alphabet, lower case, no padding (RFC 4648 §7, RFC 5155 §3.3).</summary>
    public static string Label(byte[] hash)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        var sb = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5) { sb.Append(alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5; }
        }
        if (bits > 0) sb.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }
}
