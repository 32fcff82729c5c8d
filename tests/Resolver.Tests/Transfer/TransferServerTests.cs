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

/// <summary>Serves AXFR and IXFR of one zone as streams; every other query gets REFUSED through the ordinary path.</summary>
internal sealed class TransferTestHandler(CompiledZone zone, ZoneHistoryTable history) : IQueryHandler, IStreamingQueryHandler
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
        if (!TransferRequest.TryParse(query, out var request, out _) || !request!.Zone.Equals(zone.Origin)) return null;
        Interlocked.Increment(ref Streams);
        if (request.Type == RecordType.AXFR) return ZoneTransferStream.Axfr(request, zone);
        uint current = SerialNumber.OfSoaRData(zone.Apex.Find(RecordType.SOA)!.RData(0));
        return ZoneTransferStream.Ixfr(request, zone, IxfrPlanner.Plan(history.Get(zone.Origin), request.ClientSerial!.Value, current));
    }
}

public sealed class TransferServerTests : IAsyncLifetime
{
    private const int Hosts = 10_000; // 20,003 records
    private readonly AkkaDns.Resolver.ZoneFiles.Zone _zone = Load(BigZone(Hosts, serial: 2));
    private TransferTestHandler _handler = null!;
    private DnsServer _server = null!;

    public async Task InitializeAsync()
    {
        var history = new ZoneHistoryTable();
        history.Record(Origin, new ZoneDiff(Soa(1), Soa(2), [A("old", "192.0.2.7")], [A("host0.dept0", "10.0.0.0")]));
        _handler = new TransferTestHandler(CompiledZone.Compile(_zone), history);
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
    public async Task Kdig_reads_an_incremental_transfer_and_its_statistics_count_many_axfr_messages()
    {
        var ixfr = await Run("kdig", $"-p {_server.LocalEndPoint.Port} @127.0.0.1 example. IXFR=1 +noall +answer");
        var lines = ixfr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(';')).Select(l => string.Join(' ', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(6, lines.Count);
        Assert.Equal(["SOA", "SOA", "A", "SOA", "A", "SOA"], lines.Select(l => l.Split(' ')[3]));
        Assert.Contains(" 2 7200 ", lines[0]);
        Assert.Contains(" 1 7200 ", lines[1]);
        Assert.StartsWith("old.example. ", lines[2]);
        Assert.StartsWith("host0.dept0.example. ", lines[4]);

        var axfr = await Run("kdig", $"-p {_server.LocalEndPoint.Port} @127.0.0.1 example. AXFR +noall +stats");
        var stats = System.Text.RegularExpressions.Regex.Match(axfr, @"\((\d+) messages, (\d+) records\)");
        Assert.True(stats.Success, axfr);
        Assert.InRange(int.Parse(stats.Groups[1].Value), 20, 200); // ~16 KiB each
        Assert.Equal(_zone.Records.Count + 1, int.Parse(stats.Groups[2].Value));
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
