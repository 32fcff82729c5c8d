using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Cluster.Tests.Differential;

namespace AkkaDns.Cluster.Tests.Safeguards;

/// <summary>What one edge answered for one A query: the RCODE and the A addresses in the answer section.</summary>
public sealed record ProbeAnswer(int Rcode, IReadOnlyList<string> Addresses)
{
    public override string ToString() => Rcode == 0 ? "[" + string.Join(",", Addresses) + "]" : $"rcode {Rcode}";
}

/// <summary>
/// Asks many A questions of one DNS server over one UDP socket, a window of them in flight at a time (a few thousand
/// queries a second, where a dig process or a LookupClient per name would take minutes for 100k names). Queries are
/// built by <see cref="DnsWire"/> (not by our own codec); answers are parsed here. A query without a reply is sent
/// again (UDP may drop under load) a bounded number of times; it then stays absent from the result.
/// </summary>
public static class UdpProbe
{
    public static async Task<Dictionary<string, ProbeAnswer>> QueryA(IPEndPoint server, IReadOnlyList<string> names,
        int window = 512, int attempts = 4, TimeSpan? roundTimeout = null)
    {
        var timeout = roundTimeout ?? TimeSpan.FromSeconds(2);
        var results = new Dictionary<string, ProbeAnswer>(names.Count, StringComparer.OrdinalIgnoreCase);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20;
        socket.Connect(server);
        var buffer = new byte[4096];
        ushort nextId = (ushort)Random.Shared.Next(65536);
        var todo = names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        for (int attempt = 0; attempt < attempts && todo.Count > 0; attempt++)
        {
            var missing = new List<string>();
            for (int start = 0; start < todo.Count; start += window)
            {
                var batch = todo.Skip(start).Take(window).ToList();
                var inFlight = new Dictionary<ushort, string>(batch.Count);
                foreach (var name in batch)
                {
                    var id = nextId++;
                    inFlight[id] = name;
                    // An ICMP "port unreachable" for an earlier query surfaces here: nobody listens (a drained edge).
                    try { await socket.SendAsync(DnsWire.BuildQuery(id, name, 1), SocketFlags.None); }
                    catch (SocketException) { }
                }
                using var cts = new CancellationTokenSource(timeout);
                while (inFlight.Count > 0)
                {
                    int n;
                    try { n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token); }
                    catch (OperationCanceledException) { break; }
                    catch (SocketException) { continue; } // ICMP port unreachable: nobody listens (a drained edge); the timeout ends the wait
                    if (n < 12) continue;
                    var id = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                    if (!inFlight.Remove(id, out var name)) continue;
                    results[name] = Parse(buffer.AsSpan(0, n));
                }
                missing.AddRange(inFlight.Values);
            }
            todo = missing;
        }
        return results;
    }

    private static ProbeAnswer Parse(ReadOnlySpan<byte> m)
    {
        int rcode = m[3] & 0xF;
        int qd = BinaryPrimitives.ReadUInt16BigEndian(m[4..]), an = BinaryPrimitives.ReadUInt16BigEndian(m[6..]);
        int p = 12;
        for (int i = 0; i < qd; i++) p = SkipName(m, p) + 4;
        var addresses = new List<string>();
        for (int i = 0; i < an; i++)
        {
            p = SkipName(m, p);
            var type = BinaryPrimitives.ReadUInt16BigEndian(m[p..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(m[(p + 8)..]);
            p += 10;
            if (type == 1 && length == 4) addresses.Add($"{m[p]}.{m[p + 1]}.{m[p + 2]}.{m[p + 3]}");
            p += length;
        }
        addresses.Sort(StringComparer.Ordinal);
        return new ProbeAnswer(rcode, addresses);
    }

    private static int SkipName(ReadOnlySpan<byte> m, int p)
    {
        while (true)
        {
            var len = m[p];
            if (len == 0) return p + 1;
            if ((len & 0xC0) == 0xC0) return p + 2;
            p += len + 1;
        }
    }
}
