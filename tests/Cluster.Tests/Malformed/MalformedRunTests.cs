using System.Net;
using System.Net.Sockets;
using AkkaDns.Cluster.Tests.Differential;
using ARSoft.Tools.Net.Dns;

namespace AkkaDns.Cluster.Tests.Malformed;

/// <summary>
/// Throws the <see cref="MalformedPackets"/> corpus at a live <c>akkadns serve</c> process over UDP and TCP.
/// Whatever it answers must be a well-formed response to that packet; afterwards the process is still alive and
/// still answers a normal query correctly.
/// </summary>
public sealed class MalformedRunTests(AkkaDnsFixture akka) : IClassFixture<AkkaDnsFixture>
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Server_survives_the_malformed_corpus_over_udp_and_still_answers()
    {
        var corpus = MalformedPackets.Build();
        Assert.True(corpus.Count >= 300, $"corpus has only {corpus.Count} packets");

        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        udp.ReceiveBufferSize = 4 << 20;
        var sent = 0;
        foreach (var (_, packet) in corpus)
        {
            if (packet.Length > 65000) continue; // too big for one datagram on loopback with headers; sent over TCP
            await udp.SendToAsync(packet, SocketFlags.None, akka.Server.EndPoint);
            if (++sent % 32 == 0) await Task.Delay(2); // pace the burst so the answers are not lost to buffer overflow
        }

        var problems = new List<string>();
        var buffer = new byte[65535];
        using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                while (true)
                {
                    var n = await udp.ReceiveAsync(buffer, SocketFlags.None, quiet.Token);
                    CheckResponse(buffer.AsSpan(0, n).ToArray(), problems);
                }
            }
            catch (OperationCanceledException) { /* drained */ }
        }

        await AssertStillServes();
        Assert.True(problems.Count == 0, "bad responses to malformed packets:\n" + string.Join('\n', problems.Take(20)));
    }

    [Fact]
    public async Task Server_survives_malformed_packets_over_tcp_and_still_answers()
    {
        var corpus = MalformedPackets.Build();
        // Every 7th packet of the corpus plus the hand-made ones at the end: each costs a connection.
        var picked = corpus.Where((_, i) => i % 7 == 0).Concat(corpus.TakeLast(25)).ToList();
        var problems = new List<string>();
        foreach (var batch in picked.Chunk(16))
        {
            var answers = await Task.WhenAll(batch.Select(p => DnsWire.TcpAsync(akka.Server.EndPoint, p.Packet, TimeSpan.FromSeconds(1))));
            for (var i = 0; i < batch.Length; i++)
                if (answers[i] is { } a) CheckResponse(a, problems, batch[i].Packet, batch[i].What);
        }

        // TCP framing abuse: a length prefix longer than what follows, then a half-close; a zero length.
        foreach (var raw in new[] { new byte[] { 0x01, 0x00, 1, 2, 3 }, new byte[] { 0, 0 }, new byte[] { 0xff } })
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await tcp.ConnectAsync(akka.Server.EndPoint);
            await tcp.SendAsync(raw, SocketFlags.None);
            tcp.Shutdown(SocketShutdown.Send);
        }

        await AssertStillServes();
        Assert.True(problems.Count == 0, "bad responses to malformed packets:\n" + string.Join('\n', problems.Take(20)));
    }

    /// <summary>Any answer must parse, be a response (QR=1) and carry an ID that some packet of ours had.</summary>
    private static void CheckResponse(byte[] response, List<string> problems, byte[]? packet = null, string? what = null)
    {
        try
        {
            var m = DnsMessage.Parse(new ArraySegment<byte>(response));
            if (m.IsQuery) problems.Add($"{what ?? "udp"}: an answer with QR=0: {Convert.ToHexString(response)}");
            if (packet is { Length: >= 2 } && m.TransactionID != DnsWire.Id(packet))
                problems.Add($"{what}: answer ID {m.TransactionID} for a packet with ID {DnsWire.Id(packet)}");
        }
        catch (Exception e)
        {
            problems.Add($"{what ?? "udp"}: answer does not parse ({e.Message}): {Convert.ToHexString(response)}");
        }
    }

    private async Task AssertStillServes()
    {
        Assert.False(akka.Server.HasExited, $"akkadns serve died. Output:\n{akka.Server.Output}");
        foreach (var transport in new[] { "udp", "tcp" })
        {
            var query = DnsWire.BuildQuery(0x7777, "www.rich.example.", QuerySet.A);
            var wire = await DnsWire.ExchangeAsync(transport, akka.Server.EndPoint, query, QueryTimeout);
            Assert.True(wire is not null, $"no answer over {transport} after the malformed run. Output:\n{akka.Server.Output}");
            var r = DecodedResponse.Decode(wire!);
            Assert.Equal(0, r.Rcode);
            Assert.True(r.Aa && r.Qr, $"flags [{r.Flags}]");
            Assert.Equal(new[] { "www.rich.example. 3600 IN A 192.0.2.80", "www.rich.example. 3600 IN A 192.0.2.81" }, r.Answer);
        }
        Assert.DoesNotContain("Unhandled exception", akka.Server.Output, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The corpus itself, without a server.</summary>
public sealed class MalformedPacketsTests
{
    [Fact]
    public void The_corpus_is_deterministic_and_a_few_hundred_strong()
    {
        var a = MalformedPackets.Build();
        var b = MalformedPackets.Build();
        Assert.InRange(a.Count, 300, 1000);
        Assert.Equal(a.Count, b.Count);
        Assert.All(a.Zip(b), p => Assert.Equal(p.Item1.Packet, p.Item2.Packet));
        Assert.NotEqual(a.Select(p => p.Packet.Length), MalformedPackets.Build(seed: 1).Select(p => p.Packet.Length));
    }
}
