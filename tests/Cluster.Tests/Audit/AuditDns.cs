using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AkkaDns.Cluster.Tests.Audit;

/// <summary>
/// The audit's own small DNS codec, independent of the server's: a question out, the reply's CNAME, TXT and A records
/// back (names read with compression pointers, bounded so a hostile reply cannot loop).
/// </summary>
public static class AuditDns
{
    public static byte[] Query(ushort id, AuditQuery query) => query == AuditQuery.VersionedTxt
        ? Query(id, "x." + AuditChecker.Zone, qtype: 16)
        : Query(id, "k." + AuditChecker.Zone, qtype: 1);

    /// <summary>A query for <paramref name="name"/> and <paramref name="qtype"/>, class IN, no flags, no EDNS.</summary>
    public static byte[] Query(ushort id, string name, ushort qtype)
    {
        var q = new List<byte> { (byte)(id >> 8), (byte)id, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.TrimEnd('.').Split('.')) { q.Add((byte)label.Length); q.AddRange(Encoding.ASCII.GetBytes(label)); }
        q.Add(0);
        q.AddRange([(byte)(qtype >> 8), (byte)qtype, 0, 1]);
        return [.. q];
    }

    public static ushort IdOf(ReadOnlySpan<byte> reply) => reply.Length < 2 ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(reply);

    /// <summary>Reads a reply; null when it is too short or malformed to be a DNS message.</summary>
    public static AuditAnswer? Parse(ReadOnlySpan<byte> m, AuditQuery query, double receivedAt)
    {
        if (m.Length < 12 || (m[2] & 0x80) == 0) return null;
        int rcode = m[3] & 0x0F, qd = m[4] << 8 | m[5], an = m[6] << 8 | m[7], at = 12;
        string? cnameOwner = null, txtOwner = null, txtValue = null;
        int? cnameVersion = null;
        var addresses = new List<string>();
        for (int i = 0; i < qd; i++)
        {
            if (ReadName(m, ref at) is null || at + 4 > m.Length) return null;
            at += 4;
        }
        for (int i = 0; i < an; i++)
        {
            var owner = ReadName(m, ref at);
            if (owner is null || at + 10 > m.Length) return null;
            int type = m[at] << 8 | m[at + 1], len = m[at + 8] << 8 | m[at + 9];
            at += 10;
            if (at + len > m.Length) return null;
            var rdata = m.Slice(at, len);
            switch (type)
            {
                case 5:
                    var target = at;
                    var name = ReadName(m, ref target);
                    cnameOwner = owner;
                    cnameVersion = VersionOf(name);
                    break;
                case 16:
                    txtOwner = owner;
                    txtValue = rdata.Length > 0 && rdata[0] + 1 <= rdata.Length ? Encoding.ASCII.GetString(rdata.Slice(1, rdata[0])) : "";
                    break;
                case 1 when len == 4:
                    addresses.Add($"{rdata[0]}.{rdata[1]}.{rdata[2]}.{rdata[3]}");
                    break;
            }
            at += len;
        }
        return new AuditAnswer(query, receivedAt, rcode, cnameOwner, cnameVersion, txtOwner, txtValue, addresses);
    }

    /// <summary>N of <c>tN.audit.example.</c>; -1 for any other name.</summary>
    private static int VersionOf(string? name)
    {
        var suffix = "." + AuditChecker.Zone;
        if (name is null || !name.StartsWith('t') || !name.EndsWith(suffix, StringComparison.Ordinal)) return -1;
        return int.TryParse(name.AsSpan(1, name.Length - 1 - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    /// <summary>A lower-cased absolute name; null when malformed (out of bounds, a pointer loop, too long).</summary>
    public static string? ReadName(ReadOnlySpan<byte> m, ref int at)
    {
        var sb = new StringBuilder();
        int pos = at, jumps = 0;
        bool jumped = false;
        while (true)
        {
            if (pos >= m.Length) return null;
            byte b = m[pos];
            if (b == 0) { if (!jumped) at = pos + 1; break; }
            if ((b & 0xC0) == 0xC0)
            {
                if (pos + 1 >= m.Length || ++jumps > 20) return null;
                if (!jumped) at = pos + 2;
                jumped = true;
                pos = (b & 0x3F) << 8 | m[pos + 1];
                continue;
            }
            if (pos + 1 + b > m.Length || sb.Length > 255) return null;
            sb.Append(Encoding.ASCII.GetString(m.Slice(pos + 1, b)).ToLowerInvariant()).Append('.');
            pos += b + 1;
        }
        return sb.Length == 0 ? "." : sb.ToString();
    }
}
