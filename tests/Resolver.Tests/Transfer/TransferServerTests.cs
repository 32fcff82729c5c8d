using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.TransferFixture;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>Serves AXFR of one zone as a stream; every other query gets REFUSED through the ordinary path.</summary>
internal sealed class AxfrOnlyHandler(CompiledZone zone) : IQueryHandler, IStreamingQueryHandler
{
    public int Streams, Ordinary;

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context)
    {
        Interlocked.Increment(ref Ordinary);
        if (query.Length < 12) return -1;
        query[..12].CopyTo(response);
        response[2] = (byte)(0x80 | (query[2] & 0x79));
        response[3] = (byte)Rcode.Refused;
        response[4..12].Clear();
        return 12;
    }

    public IResponseStream? TryStartStream(ReadOnlySpan<byte> query, in QueryContext context)
    {
        if (!TransferRequest.TryParse(query, out var request, out _) || request!.Type != RecordType.AXFR || !request.Zone.Equals(zone.Origin)) return null;
        Interlocked.Increment(ref Streams);
        return ZoneTransferStream.Axfr(request, zone);
    }
}

public sealed class TransferServerTests : IAsyncLifetime
{
    private const int Hosts = 10_000; // 20,003 records
    private readonly AkkaDns.Resolver.Zones.Zone _zone = Load(BigZone(Hosts));
    private AxfrOnlyHandler _handler = null!;
    private DnsServer _server = null!;

    public async Task InitializeAsync()
    {
        _handler = new AxfrOnlyHandler(CompiledZone.Compile(_zone));
        _server = new DnsServer(_handler, new DnsServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1 });
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("kdig")]
    [InlineData("dig")]
    public async Task A_real_client_fetches_the_whole_zone(string tool)
    {
        var output = await Run(tool, $"-p {_server.LocalEndPoint.Port} @127.0.0.1 example. AXFR");
        var records = output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(';')).ToList();

        Assert.True(_zone.Records.Count > 20_000);
        Assert.Equal(_zone.Records.Count + 1, records.Count); // the SOA comes first and last
        Assert.Equal(1, _handler.Streams);
        Assert.Contains("host9999.dept49.example.", output);
    }

    [Fact]
    public async Task The_connection_answers_ordinary_queries_after_a_stream()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.LocalEndPoint);
        var s = tcp.GetStream();
        await Send(s, Query(RecordType.AXFR, id: 1));
        await Send(s, Query(RecordType.SOA, id: 2));

        int records = 0, soas = 0;
        DnsMessage m;
        do
        {
            m = DnsMessage.Parse(await Receive(s));
            Assert.Equal(1, m.Id);
            records += m.Answers.Count;
            soas += m.Answers.Count(r => r.Type == RecordType.SOA);
        } while (soas < 2);
        Assert.Equal(_zone.Records.Count + 1, records);

        var after = DnsMessage.Parse(await Receive(s));
        Assert.Equal(2, after.Id);
        Assert.Equal(Rcode.Refused, after.Rcode);
    }

    private static async Task Send(NetworkStream s, byte[] query)
    {
        var framed = new byte[2 + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await s.WriteAsync(framed);
    }

    private static async Task<byte[]> Receive(NetworkStream s)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var len = new byte[2];
        await s.ReadExactlyAsync(len, cts.Token);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(len)];
        await s.ReadExactlyAsync(message, cts.Token);
        return message;
    }

    private static async Task<string> Run(string tool, string args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        Assert.True(p.ExitCode == 0, $"{tool} {args} exited {p.ExitCode}: {await stderr}");
        return await stdout;
    }
}
