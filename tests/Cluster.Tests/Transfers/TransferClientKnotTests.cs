using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AkkaDns.Cluster.Tests.Support;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Cluster.Tests.Transfers;

/// <summary>
/// AkkaDns as a secondary: <see cref="TransferClient"/> against a real Knot primary (<see cref="KnotPrimary"/>) with TSIG:
/// the SOA probe, an AXFR equal to the zone, knotc changes taken back by IXFR as differences, and Knot's refusals.
/// </summary>
public sealed class TransferClientKnotTests
{
    internal const string Origin = "xfr.example.";
    internal const string ZoneText = """
        $ORIGIN xfr.example.
        $TTL 3600
        @       SOA  ns1 hostmaster 10 3600 900 604800 300
        @       NS   ns1
        @       MX   10 mail
        ns1     A    127.0.0.1
        www     A    192.0.2.1
        www     AAAA 2001:db8::1
        txt     TXT  "hello world" "two"
        _sip._tcp SRV 0 5 5060 www
        """;

    private static readonly DnsName Zone = DnsName.Parse(Origin);

    private static (string Name, string Algorithm, string Secret) KnotKey(string algorithm) =>
        ($"akkadns-{algorithm}.", algorithm, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    private static TsigKey ClientKey((string Name, string Algorithm, string Secret) k)
    {
        Assert.True(TsigAlgorithms.TryParse(k.Algorithm, out var alg), k.Algorithm);
        return new TsigKey(DnsName.Parse(k.Name), alg, Convert.FromBase64String(k.Secret));
    }

    private static TransferClient Client(IPAddress? local = null) => new(new TransferClientOptions
    {
        SoaTimeout = TimeSpan.FromSeconds(2),
        IdleTimeout = TimeSpan.FromSeconds(10),
        LocalAddress = local,
    }, TimeProvider.System);

    private static List<string> Sorted(IEnumerable<ResourceRecord> records) =>
        records.Select(r => r.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

    private static List<ResourceRecord> ZoneRecords(string text) => MasterFileReader.ReadText(text, Zone).Records.ToList();

    /// <summary>The zone text's records with the SOA serial Knot now has.</summary>
    private static List<ResourceRecord> WithSerial(IEnumerable<ResourceRecord> records, uint serial) => records
        .Select(r => r.Type != RecordType.SOA ? r : new ResourceRecord(r.Owner, r.Type, r.Ttl, SoaWithSerial(r.RData, serial)))
        .ToList();

    private static byte[] SoaWithSerial(byte[] rdata, uint serial)
    {
        var copy = (byte[])rdata.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(copy.Length - 20), serial);
        return copy;
    }

    [Fact]
    public void The_knot_primary_harness_bumps_the_serial_on_each_transaction()
    {
        using var knot = KnotPrimary.Start(Origin, ZoneText);
        Assert.Equal(10u, knot.Serial());
        knot.Set("mail 300 A 192.0.2.9", "txt2 60 TXT \"a b\" c");
        Assert.Equal(11u, knot.Serial());
        knot.Unset("www AAAA");
        Assert.Equal(12u, knot.Serial());
        knot.Replace("""
            $ORIGIN xfr.example.
            $TTL 3600
            @       SOA  ns1 hostmaster 1 3600 900 604800 300
            @       NS   ns1
            ns1     A    127.0.0.1
            only    A    192.0.2.77
            """);
        Assert.Equal(13u, knot.Serial());
    }

    [Theory]
    [InlineData("hmac-sha256")]
    [InlineData("hmac-md5")]
    public async Task Probe_AXFR_then_IXFR_of_knotc_changes_from_a_signing_Knot(string algorithm)
    {
        var key = KnotKey(algorithm);
        using var knot = KnotPrimary.Start(Origin, ZoneText, key);
        var master = new TransferSource(knot.EndPoint, ClientKey(key));
        var client = Client();

        var probe = await client.QuerySoaAsync(master, Zone);
        Assert.True(probe.Failure == TransferFailure.None, probe.Message + "\n" + knot.Log);
        Assert.Equal(10u, probe.Serial);

        var axfr = await client.FetchAsync(master, Zone, null);
        Assert.True(axfr.Failure == TransferFailure.None, axfr.Message + "\n" + knot.Log);
        Assert.Equal((IncomingTransferKind.Full, 10u), (axfr.Kind, axfr.Serial));
        Assert.Equal(RecordType.SOA, axfr.Records![0].Type);
        Assert.Equal(Sorted(ZoneRecords(ZoneText)), Sorted(axfr.Records));

        knot.Set("mail 300 A 192.0.2.9", "www 3600 A 192.0.2.2");
        knot.Unset("www AAAA");
        Assert.Equal(12u, knot.Serial());

        var ixfr = await client.FetchAsync(master, Zone, new ZoneCopy(axfr.Serial, axfr.Records));
        Assert.True(ixfr.Failure == TransferFailure.None, ixfr.Message + "\n" + knot.Log);
        Assert.Equal((IncomingTransferKind.Incremental, 12u, false), (ixfr.Kind, ixfr.Serial, ixfr.FellBackToAxfr));
        var expected = WithSerial(ZoneRecords(ZoneText), 12)
            .Where(r => !(r.Type == RecordType.AAAA && r.Owner.Equals(DnsName.Parse("www." + Origin))))
            .Append(FromText("mail 300 A 192.0.2.9")).Append(FromText("www 3600 A 192.0.2.2"));
        Assert.Equal(Sorted(expected), Sorted(ixfr.Records!));
        Assert.Equal(12u, SerialNumber.Of(ixfr.Records![0]));

        // The oracle: a fresh AXFR of serial 12 holds exactly what the IXFR built.
        var fresh = await client.FetchAsync(master, Zone, null);
        Assert.Equal(Sorted(fresh.Records!), Sorted(ixfr.Records));

        var again = await client.FetchAsync(master, Zone, new ZoneCopy(ixfr.Serial, ixfr.Records));
        Assert.Equal((TransferFailure.None, IncomingTransferKind.UpToDate, 12u), (again.Failure, again.Kind, again.Serial));
        Assert.Null(again.Records);
    }

    [Theory]
    [InlineData("hmac-sha256")]
    [InlineData("hmac-md5")]
    public async Task A_zone_of_many_messages_verifies_Knots_TSIG_on_every_message(string algorithm)
    {
        var text = new System.Text.StringBuilder(ZoneText);
        for (int i = 0; i < 3000; i++) text.Append($"\nhost{i} 300 TXT \"record {i} of a zone that needs many messages\"");
        var key = KnotKey(algorithm);
        using var knot = KnotPrimary.Start(Origin, text.ToString() + "\n", key);
        var master = new TransferSource(knot.EndPoint, ClientKey(key));

        var axfr = await Client().FetchAsync(master, Zone, null);
        Assert.True(axfr.Failure == TransferFailure.None, axfr.Message + "\n" + knot.Log);
        Assert.True(axfr.Messages > 3, $"{axfr.Messages} message(s)");
        Assert.Equal(Sorted(ZoneRecords(text.ToString())), Sorted(axfr.Records!));
    }

    [Fact]
    public async Task A_replaced_zone_arrives_by_IXFR_as_the_new_content()
    {
        var key = KnotKey("hmac-sha256");
        using var knot = KnotPrimary.Start(Origin, ZoneText, key);
        var master = new TransferSource(knot.EndPoint, ClientKey(key));
        var client = Client(local: IPAddress.Parse("127.0.0.2"));
        var axfr = await client.FetchAsync(master, Zone, null);
        Assert.True(axfr.Failure == TransferFailure.None, axfr.Message + "\n" + knot.Log);

        const string replacement = """
            $ORIGIN xfr.example.
            $TTL 3600
            @       SOA  ns1 hostmaster 1 3600 900 604800 300
            @       NS   ns1
            ns1     A    127.0.0.1
            only    A    192.0.2.77
            """;
        knot.Replace(replacement);
        var ixfr = await client.FetchAsync(master, Zone, new ZoneCopy(axfr.Serial, axfr.Records!));
        Assert.True(ixfr.Failure == TransferFailure.None, ixfr.Message + "\n" + knot.Log);
        Assert.Equal((IncomingTransferKind.Incremental, 11u), (ixfr.Kind, ixfr.Serial));
        // Knot keeps its SOA (serial bumped), the rest is the replacement's.
        var soa = WithSerial(ZoneRecords(ZoneText).Where(r => r.Type == RecordType.SOA), 11);
        Assert.Equal(Sorted(soa.Concat(ZoneRecords(replacement).Where(r => r.Type != RecordType.SOA))), Sorted(ixfr.Records!));
    }

    [Fact]
    public async Task A_wrong_secret_and_an_unknown_key_are_NotAuth()
    {
        var key = KnotKey("hmac-sha256");
        using var knot = KnotPrimary.Start(Origin, ZoneText, key);
        var client = Client();

        var wrongSecret = ClientKey(key) with { Secret = RandomNumberGenerator.GetBytes(32) };
        var badSig = await client.FetchAsync(new TransferSource(knot.EndPoint, wrongSecret), Zone, null);
        Assert.True(badSig.Failure is TransferFailure.NotAuth or TransferFailure.TsigFailed, badSig.Message);
        Assert.Contains("BADSIG", badSig.Message);
        Assert.Contains(knot.EndPoint.ToString(), badSig.Message);
        Assert.Null(badSig.Records);

        var unknown = ClientKey(key) with { Name = DnsName.Parse("nobody.knows.") };
        var badKey = await client.QuerySoaAsync(new TransferSource(knot.EndPoint, unknown), Zone);
        Assert.Equal(TransferFailure.NotAuth, badKey.Failure);
        Assert.Contains("BADKEY", badKey.Message);
        Assert.Contains(Origin, badKey.Message);
    }

    [Fact]
    public async Task Knot_denies_transfers_without_an_ACL_and_unsigned_ones_when_a_key_is_required()
    {
        using (var closed = KnotPrimary.Start(Origin, ZoneText, allowTransfer: false))
        {
            var master = new TransferSource(closed.EndPoint, null);
            var probe = await Client().QuerySoaAsync(master, Zone);
            Assert.Equal((10u, TransferFailure.None), (probe.Serial, probe.Failure)); // queries are still answered
            // Knot 3.2 answers a transfer its ACLs deny with NOTAUTH (no TSIG error), not REFUSED.
            var axfr = await Client().FetchAsync(master, Zone, null);
            Assert.Equal(TransferFailure.NotAuth, axfr.Failure);
            Assert.Equal($"{closed.EndPoint} answered NOTAUTH to the AXFR of {Origin}", axfr.Message);
            var ixfr = await Client().FetchAsync(master, Zone, new ZoneCopy(9, ZoneRecords(ZoneText)));
            Assert.Equal((TransferFailure.NotAuth, false), (ixfr.Failure, ixfr.FellBackToAxfr));
        }

        var key = KnotKey("hmac-sha256");
        using var signed = KnotPrimary.Start(Origin, ZoneText, key);
        var unsigned = await Client().FetchAsync(new TransferSource(signed.EndPoint, null), Zone, null);
        Assert.Equal(TransferFailure.NotAuth, unsigned.Failure);
        Assert.Equal($"{signed.EndPoint} answered NOTAUTH to the AXFR of {Origin}", unsigned.Message);
    }

    [Fact]
    public async Task The_knot_primary_sends_a_signed_NOTIFY_after_a_change()
    {
        var key = KnotKey("hmac-sha256");
        // Knot 3.2 may send its NOTIFY over TCP: listen on both, one port.
        var port = KnotRunner.FreeUdpAndTcpPort();
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
        tcp.Listen(4);
        using var knot = KnotPrimary.Start(Origin, ZoneText, key, notify: new IPEndPoint(IPAddress.Loopback, port));
        knot.Set("new 300 A 192.0.2.50");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var overUdp = ReceiveUdp(udp, cts.Token);
        var overTcp = ReceiveTcp(tcp, cts.Token);
        DnsMessage m;
        try { m = await await Task.WhenAny(overUdp, overTcp); }
        catch (OperationCanceledException) { Assert.Fail("no NOTIFY within 10 s:\n" + knot.Log); throw; }
        finally { cts.Cancel(); }
        Assert.Equal(Opcode.Notify, m.Opcode);
        Assert.Equal(Zone, m.Questions[0].Name);
        Assert.Contains(m.Additional, r => r.Type == RecordType.TSIG && r.Owner.Equals(DnsName.Parse(key.Name)));

        static async Task<DnsMessage> ReceiveUdp(Socket socket, CancellationToken ct)
        {
            var buffer = new byte[4096];
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            return DnsMessage.Parse(buffer.AsSpan(0, n));
        }

        static async Task<DnsMessage> ReceiveTcp(Socket listener, CancellationToken ct)
        {
            using var connection = await listener.AcceptAsync(ct);
            var buffer = new byte[65537];
            int read = 0;
            while (read < 2 || read < 2 + (buffer[0] << 8 | buffer[1]))
            {
                int n = await connection.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
                if (n == 0) throw new EndOfStreamException("the NOTIFY connection closed early");
                read += n;
            }
            return DnsMessage.Parse(buffer.AsSpan(2, buffer[0] << 8 | buffer[1]));
        }
    }

    private static ResourceRecord FromText(string line) => MasterFileReader.ReadText("$TTL 3600\n" + line + "\n", Zone).Records.Single();
}
