using System.Buffers.Binary;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>
/// The authenticated denial records: an NSEC chain in canonical order (RFC 4034 §4, RFC 4035 §2.3) or an NSEC3 chain
/// in hash order (RFC 5155 §7.1) with NSEC3PARAM at the apex. Choices: TTL = min(SOA MINIMUM, SOA TTL) (RFC 9077 §3.2);
/// empty non-terminals get an NSEC3 (never an NSEC); with opt-out, insecure delegations get none and every NSEC3
/// carries the opt-out flag (RFC 5155 §6); a delegation's bit map holds only NS, DS and RRSIG (RFC 4035 §2.3).
/// </summary>
internal static class DenialChain
{
    public static uint Ttl(RRset soa)
    {
        var rd = soa.Records[0].RData;
        uint minimum = BinaryPrimitives.ReadUInt32BigEndian(rd.AsSpan(rd.Length - 4));
        return Math.Min(minimum, soa.Ttl);
    }

    /// <summary>The types a node's NSEC/NSEC3 bit map lists (the denial record's own type added by the caller).</summary>
    public static List<ushort> BitmapTypes(ZoneNode node, bool signed)
    {
        var types = new List<ushort>(node.Sets.Count + 2);
        switch (node.Kind)
        {
            case NodeKind.Apex or NodeKind.Authoritative:
                foreach (var s in node.Sets) types.Add((ushort)s.Type);
                if (signed && node.Sets.Count > 0) types.Add((ushort)RecordType.RRSIG);
                break;
            case NodeKind.Delegation:
                types.Add((ushort)RecordType.NS);
                if (node.Find(RecordType.DS) is not null) { types.Add((ushort)RecordType.DS); if (signed) types.Add((ushort)RecordType.RRSIG); }
                break;
        }
        return types;
    }

    /// <summary>NSEC records, one per apex/authoritative/delegation name, the last pointing back to the apex.</summary>
    public static List<RRset> Nsec(ZoneTree tree, uint ttl)
    {
        var owners = tree.Nodes.Where(n => n.Kind is NodeKind.Apex or NodeKind.Authoritative or NodeKind.Delegation).ToList();
        var result = new List<RRset>(owners.Count);
        for (int i = 0; i < owners.Count; i++)
        {
            var node = owners[i];
            var next = owners[(i + 1) % owners.Count].Name;
            var types = BitmapTypes(node, signed: true);
            types.Add((ushort)RecordType.NSEC);
            if (!types.Contains((ushort)RecordType.RRSIG)) types.Add((ushort)RecordType.RRSIG); // the NSEC itself is signed
            var bitmap = Bitmap(types);
            var rdata = new byte[next.WireLength + bitmap.Length];
            next.Wire.CopyTo(rdata);
            bitmap.CopyTo(rdata, next.WireLength);
            var set = new RRset(node.Name, RecordType.NSEC, ttl);
            set.Add(new ResourceRecord(node.Name, RecordType.NSEC, ttl, rdata));
            result.Add(set);
        }
        return result;
    }

    /// <summary>Whether a node gets an NSEC3 (RFC 5155 §7.1).</summary>
    public static bool HasNsec3(ZoneNode n, bool optOut) => n.Kind switch
    {
        NodeKind.Apex or NodeKind.Authoritative or NodeKind.EmptyNonTerminal => true,
        NodeKind.Delegation => !optOut || n.Find(RecordType.DS) is not null,
        _ => false,
    };

    /// <summary>NSEC3 records in hash order; <paramref name="hashes"/> gives each node's owner hash.</summary>
    public static List<RRset> Nsec3(ZoneTree tree, SigningPolicy policy, uint ttl, Func<ZoneNode, byte[]> hashes)
    {
        var entries = new List<(byte[] Hash, ZoneNode Node)>(tree.Nodes.Length);
        foreach (var n in tree.Nodes) if (HasNsec3(n, policy.OptOut)) entries.Add((hashes(n), n));
        entries.Sort(static (a, b) => a.Hash.AsSpan().SequenceCompareTo(b.Hash));
        var salt = policy.Nsec3Salt;
        var result = new List<RRset>(entries.Count);
        Span<char> label = stackalloc char[Nsec3Hash.LabelLength];
        Span<byte> labelBytes = stackalloc byte[Nsec3Hash.LabelLength];
        for (int i = 0; i < entries.Count; i++)
        {
            var (hash, node) = entries[i];
            var next = entries[(i + 1) % entries.Count].Hash;
            if (i + 1 < entries.Count && next.AsSpan().SequenceEqual(hash))
                throw new InvalidOperationException($"NSEC3 hash collision between {node.Name} and {entries[i + 1].Node.Name}: change the salt");
            var bitmap = Bitmap(BitmapTypes(node, signed: true));
            var rdata = Nsec3RData(policy, next, bitmap);
            Nsec3Hash.WriteLabel(hash, label);
            for (int k = 0; k < label.Length; k++) labelBytes[k] = (byte)label[k];
            var owner = tree.Origin.Prepend(labelBytes);
            var set = new RRset(owner, RecordType.NSEC3, ttl);
            set.Add(new ResourceRecord(owner, RecordType.NSEC3, ttl, rdata));
            result.Add(set);
        }
        return result;
    }

    /// <summary>RFC 4034 §4.1.2 type bit maps (the same bytes as DnssecFields.BitmapFromTypes, without its sets and
    /// LINQ: this runs once per name of the zone on every signing run).</summary>
    public static byte[] Bitmap(List<ushort> types)
    {
        if (types.Count == 0) return [];
        types.Sort();
        Span<byte> buf = stackalloc byte[256 * 34];
        int o = 0, i = 0;
        while (i < types.Count)
        {
            int window = types[i] >> 8, start = o;
            buf.Slice(o, 34).Clear();
            buf[o] = (byte)window;
            int max = 0;
            for (; i < types.Count && types[i] >> 8 == window; i++)
            {
                int low = types[i] & 0xFF;
                buf[o + 2 + (low >> 3)] |= (byte)(0x80 >> (low & 7));
                max = Math.Max(max, (low >> 3) + 1);
            }
            buf[o + 1] = (byte)max;
            o = start + 2 + max;
        }
        return buf[..o].ToArray();
    }

    public static byte[] Nsec3ParamRData(SigningPolicy policy)
    {
        var rdata = new byte[5 + policy.Nsec3Salt.Length];
        rdata[0] = Nsec3Hash.Sha1;
        rdata[1] = 0; // RFC 5155 §4.1.2: the opt-out flag is never set in NSEC3PARAM
        BinaryPrimitives.WriteUInt16BigEndian(rdata.AsSpan(2), policy.Nsec3Iterations);
        rdata[4] = (byte)policy.Nsec3Salt.Length;
        policy.Nsec3Salt.CopyTo(rdata, 5);
        return rdata;
    }

    /// <summary>NSEC3 RDATA (RFC 5155 §3.2): SHA-1, the opt-out flag, the policy's iterations and salt, the next hashed
    /// owner, the type bitmap.</summary>
    internal static byte[] Nsec3RData(SigningPolicy policy, ReadOnlySpan<byte> nextHash, byte[] bitmap)
    {
        var salt = policy.Nsec3Salt;
        var rdata = new byte[5 + salt.Length + 1 + Nsec3Hash.Length + bitmap.Length];
        rdata[0] = Nsec3Hash.Sha1;
        rdata[1] = (byte)(policy.OptOut ? 1 : 0);
        BinaryPrimitives.WriteUInt16BigEndian(rdata.AsSpan(2), policy.Nsec3Iterations);
        rdata[4] = (byte)salt.Length;
        salt.CopyTo(rdata, 5);
        int p = 5 + salt.Length;
        rdata[p++] = Nsec3Hash.Length;
        nextHash.CopyTo(rdata.AsSpan(p));
        bitmap.CopyTo(rdata, p + Nsec3Hash.Length);
        return rdata;
    }
}
