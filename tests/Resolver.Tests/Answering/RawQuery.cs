using System.Buffers.Binary;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Answering;

/// <summary>Hand-built query packets, including malformed ones the codec would refuse to encode.</summary>
public static class RawQuery
{
    public static byte[] Header(ushort id, ushort flags, ushort qd, ushort an = 0, ushort ns = 0, ushort ar = 0)
    {
        var h = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(h, id);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), qd);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(6), an);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(8), ns);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(10), ar);
        return h;
    }

    public static byte[] Question(string name, RecordType type, ushort cls = 1)
    {
        var wire = DnsName.Parse(name).Wire;
        var q = new byte[wire.Length + 4];
        wire.CopyTo(q);
        BinaryPrimitives.WriteUInt16BigEndian(q.AsSpan(wire.Length), (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(q.AsSpan(wire.Length + 2), cls);
        return q;
    }

    /// <summary>An OPT record; <paramref name="options"/> is the raw RDATA.</summary>
    public static byte[] Opt(ushort size = 1232, byte version = 0, bool dnssecOk = false, byte[]? options = null, byte[]? owner = null)
    {
        owner ??= [0];
        options ??= [];
        var o = new byte[owner.Length + 10 + options.Length];
        owner.CopyTo(o, 0);
        int p = owner.Length;
        BinaryPrimitives.WriteUInt16BigEndian(o.AsSpan(p), 41);
        BinaryPrimitives.WriteUInt16BigEndian(o.AsSpan(p + 2), size);
        o[p + 5] = version;
        if (dnssecOk) o[p + 6] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(o.AsSpan(p + 8), (ushort)options.Length);
        options.CopyTo(o, p + 10);
        return o;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
