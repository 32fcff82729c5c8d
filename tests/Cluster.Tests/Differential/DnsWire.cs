using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>How a test query is built: header bits, EDNS, opcode. Defaults are a plain non-recursive QUERY.</summary>
public sealed record QueryOptions(
    bool Rd = false,
    bool Cd = false,
    ushort? EdnsSize = null,
    bool Do = false,
    byte EdnsVersion = 0,
    byte Opcode = 0,
    ushort QClass = 1,
    byte[]? EdnsOptions = null)
{
    public static readonly QueryOptions Plain = new();
}

/// <summary>
/// Builds query packets byte by byte (our own writer is not used, so a codec bug cannot hide itself)
/// and exchanges them over UDP or TCP with bounded timeouts.
/// </summary>
public static class DnsWire
{
    public const int HeaderSize = 12;

    /// <summary>Encodes a presentation name exactly as written: the case of each letter is kept (0x20 tests).</summary>
    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        if (name != ".")
        {
            foreach (var label in name.TrimEnd('.').Split('.'))
            {
                var raw = Encoding.ASCII.GetBytes(label);
                if (raw.Length is 0 or > 63) throw new ArgumentException($"bad label '{label}' in {name}");
                bytes.Add((byte)raw.Length);
                bytes.AddRange(raw);
            }
        }
        bytes.Add(0);
        return bytes.ToArray();
    }

    public static byte[] BuildQuery(ushort id, string name, ushort type, QueryOptions? options = null)
    {
        var o = options ?? QueryOptions.Plain;
        var packet = new List<byte>(64);
        ushort flags = (ushort)((o.Opcode & 0xf) << 11);
        if (o.Rd) flags |= 0x0100;
        if (o.Cd) flags |= 0x0010;
        AppendU16(packet, id);
        AppendU16(packet, flags);
        AppendU16(packet, 1);                            // QDCOUNT
        AppendU16(packet, 0);
        AppendU16(packet, 0);
        AppendU16(packet, (ushort)(o.EdnsSize is null ? 0 : 1)); // ARCOUNT
        packet.AddRange(EncodeName(name));
        AppendU16(packet, type);
        AppendU16(packet, o.QClass);
        if (o.EdnsSize is { } size) packet.AddRange(Opt(size, o.Do, o.EdnsVersion, o.EdnsOptions));
        return packet.ToArray();
    }

    /// <summary>An OPT pseudo-RR (RFC 6891 §6.1.2) with no options.</summary>
    public static byte[] Opt(ushort payloadSize, bool dnssecOk = false, byte version = 0, byte[]? rdata = null, ushort? rdlengthOverride = null)
    {
        var opt = new List<byte> { 0 };                  // root owner
        AppendU16(opt, 41);                              // TYPE OPT
        AppendU16(opt, payloadSize);                     // CLASS = requestor's payload size
        opt.Add(0);                                      // extended RCODE
        opt.Add(version);
        AppendU16(opt, (ushort)(dnssecOk ? 0x8000 : 0));
        rdata ??= [];
        AppendU16(opt, rdlengthOverride ?? (ushort)rdata.Length);
        opt.AddRange(rdata);
        return opt.ToArray();
    }

    public static void AppendU16(List<byte> to, ushort value)
    {
        to.Add((byte)(value >> 8));
        to.Add((byte)value);
    }

    /// <summary>The question section of a packet as raw bytes (name as sent, type, class), or null if it has none or it is cut.</summary>
    public static byte[]? RawQuestion(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) == 0) return null;
        var i = HeaderSize;
        while (i < packet.Length)
        {
            var len = packet[i];
            if (len == 0) { i++; break; }
            if ((len & 0xc0) != 0) return null;          // a question name is never compressed in what we compare
            i += 1 + len;
        }
        return i + 4 <= packet.Length ? packet[HeaderSize..(i + 4)].ToArray() : null;
    }

    public static ushort Id(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet);

    /// <summary>Sends one datagram and waits for the datagram with the same ID; null when none arrives in time (dropped).</summary>
    public static async Task<byte[]?> UdpAsync(IPEndPoint server, byte[] query, TimeSpan timeout)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendToAsync(query, SocketFlags.None, server);
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[65535];
        try
        {
            while (true)
            {
                var r = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
                if (!server.Equals(r.RemoteEndPoint)) continue;
                if (query.Length >= 2 && r.ReceivedBytes >= 2 && (buffer[0] != query[0] || buffer[1] != query[1])) continue;
                return buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            }
        }
        catch (OperationCanceledException) { return null; }
    }

    /// <summary>One query on a fresh TCP connection with 2-byte length framing (RFC 1035 §4.2.2);
    /// null when the server closes or stays silent (dropped).</summary>
    public static async Task<byte[]?> TcpAsync(IPEndPoint server, byte[] query, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await tcp.ConnectAsync(server, cts.Token);
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed, 2);
            await tcp.SendAsync(framed, SocketFlags.None, cts.Token);
            var len = new byte[2];
            if (!await ReadExactlyAsync(tcp, len, cts.Token)) return null;
            var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(len)];
            return await ReadExactlyAsync(tcp, body, cts.Token) ? body : null;
        }
        catch (OperationCanceledException) { return null; }
        catch (SocketException) { return null; }
    }

    public static async Task<bool> ReadExactlyAsync(Socket socket, byte[] into, CancellationToken ct)
    {
        var read = 0;
        while (read < into.Length)
        {
            var n = await socket.ReceiveAsync(into.AsMemory(read), SocketFlags.None, ct);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public static Task<byte[]?> ExchangeAsync(string transport, IPEndPoint server, byte[] query, TimeSpan timeout) =>
        transport switch
        {
            "udp" => UdpAsync(server, query, timeout),
            "tcp" => TcpAsync(server, query, timeout),
            _ => throw new ArgumentException($"unknown transport {transport}"),
        };
}
