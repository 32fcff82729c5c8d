using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.FrontEnd;

namespace AkkaDns.Resolver.Tests.FrontEndTests;

/// <summary>
/// Bursts from several clients into one loop, so the Linux loop receives and sends them in batches (recvmmsg and
/// sendmmsg): every answer must go back to its own client with its own bytes and length, dropped queries must stay
/// unanswered, and the portable one-packet loop (UdpBatch = 1) must behave the same.
/// </summary>
public sealed class UdpBatchTests
{
    private const int Clients = 3, PerClient = 60;

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public async Task Bursts_from_several_clients_are_answered_each_to_its_own_sender(int batch)
    {
        var handler = new EchoHandler();
        await using var server = new DnsServer(handler, new DnsServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1, UdpBatch = batch,
        });
        await server.StartAsync();

        var sockets = new Socket[Clients];
        try
        {
            for (int c = 0; c < Clients; c++)
            {
                sockets[c] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
                sockets[c].Connect(server.LocalEndPoint);
            }
            // All sends first (interleaved between clients), then all reads: the loop sees full queues.
            for (int i = 0; i < PerClient; i++)
                for (int c = 0; c < Clients; c++)
                    sockets[c].Send(Query(c, i));

            int dropsPerClient = Enumerable.Range(0, PerClient).Count(IsDropped);
            for (int c = 0; c < Clients; c++)
            {
                var expected = new HashSet<string>();
                for (int i = 0; i < PerClient; i++)
                {
                    if (IsDropped(i)) continue;
                    var r = Query(c, i);
                    r[2] |= 0x80;
                    expected.Add(Convert.ToHexString(r));
                }
                var got = new HashSet<string>();
                var buf = new byte[4096];
                while (got.Count < expected.Count)
                {
                    int n = sockets[c].Receive(buf);
                    Assert.True(got.Add(Convert.ToHexString(buf, 0, n)), "an answer came twice");
                }
                Assert.Equal(expected, got);
            }

            // The last queries are dropped ones, so the counters may trail the answers a little: wait, bounded.
            var clock = Stopwatch.StartNew();
            while (server.Counters.UdpQueries < Clients * PerClient && clock.Elapsed < TimeSpan.FromSeconds(3)) await Task.Delay(10);
            var counters = server.Counters;
            Assert.Equal(Clients * PerClient, counters.UdpQueries);
            Assert.Equal(Clients * dropsPerClient, counters.UdpDropped);
            Assert.Equal(Clients * (PerClient - dropsPerClient), counters.UdpResponses);
            Assert.Equal(0, counters.UdpErrors);
        }
        finally
        {
            foreach (var s in sockets) s?.Dispose();
        }
    }

    private static bool IsDropped(int i) => i % 7 == 3;

    // Lengths vary (17..21 bytes) so a mix-up of slots or lengths inside a batch shows.
    private static byte[] Query(int client, int i)
    {
        var q = new byte[17 + i % 5];
        q[0] = IsDropped(i) ? (byte)0xFF : (byte)0x12;
        q[1] = (byte)i;
        q[3] = (byte)client;
        q[^1] = (byte)(client * 31 + i);
        return q;
    }
}
