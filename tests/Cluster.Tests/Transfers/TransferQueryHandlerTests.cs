using System.Net;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Transfers;
using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaDns.Cluster.Tests.Transfers;

/// <summary>
/// The edge's transfer handler in process: access from the zone's metadata (address or TSIG key), REFUSED / NOTAUTH /
/// FORMERR as knotd answers them, AXFR and IXFR streams from the served snapshot, IXFR over UDP from the recorded
/// history, and every other query handed to the answerer untouched.
/// </summary>
public sealed class TransferQueryHandlerTests : IAsyncDisposable
{
    private static readonly DnsName Origin = DnsName.Parse("example.");
    private const ushort NotAuth = 9;

    private const string ZoneText = """
        $ORIGIN example.
        $TTL 3600
        @        IN SOA ns1 hostmaster 2 7200 3600 1209600 300
        @        NS    ns1
        @        MX    10 mail
        ns1      A     192.0.2.53
        mail     A     192.0.2.25
        www      A     192.0.2.80
        www      A     192.0.2.81
        www      AAAA  2001:db8::80
        """;

    private static readonly TsigKey Allowed = new(DnsName.Parse("xfr-key."), TsigAlgorithm.HmacSha256, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly TsigKey Other = new(DnsName.Parse("other-key."), TsigAlgorithm.HmacSha256, Enumerable.Range(50, 32).Select(i => (byte)i).ToArray());

    private static readonly QueryContext Tcp = new(Transport.Tcp) { RemoteAddress = new IPEndPoint(IPAddress.Loopback, 1234).Serialize() };
    private static readonly QueryContext Udp = new(Transport.Udp) { RemoteAddress = new IPEndPoint(IPAddress.Loopback, 1234).Serialize() };

    private readonly Zone _zone = ZoneLoader.LoadText(ZoneText, Origin);
    private readonly ZoneTable _table = new();
    private readonly TransferConfigView _view = new();
    private readonly EdgeTransfers _transfers;
    private readonly Answerer _answerer;
    private readonly TransferQueryHandler _handler;

    public TransferQueryHandlerTests()
    {
        _table.Publish(CompiledZone.Compile(_zone));
        _transfers = new EdgeTransfers(new TransferSettings { Notify = false }, _view, IPAddress.Loopback, NullLogger<EdgeTransfers>.Instance, _table);
        _answerer = new Answerer(_table, new AnswerOptions { Keyring = _transfers.Keys });
        _handler = new TransferQueryHandler(_answerer, _table, _transfers);
    }

    public ValueTask DisposeAsync() => _transfers.DisposeAsync();

    /// <summary>Publishes the cluster's keys (both test keys) and the zone's metadata.</summary>
    private void Configure(params (string Kind, string Value)[] metadata)
    {
        var keys = new Dictionary<string, TsigKeyData>
        {
            ["xfr-key."] = new("xfr-key.", "hmac-sha256", Convert.ToBase64String(Allowed.Secret)),
            ["other-key."] = new("other-key.", "hmac-sha256", Convert.ToBase64String(Other.Secret)),
        };
        var kinds = metadata.GroupBy(m => m.Kind).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.Value).ToList());
        var zones = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>();
        if (kinds.Count > 0) zones[ZoneId.Parse("example.").Value] = kinds;
        _view.Publish(new TransferConfigSnapshot(keys, zones));
        Assert.Equal(2, _transfers.Keys.Count);
    }

    private static ResourceRecord Soa(uint serial) =>
        new(Origin, RecordType.SOA, 3600, RData.Parse(RecordType.SOA, $"ns1 hostmaster {serial} 7200 3600 1209600 300", Origin));

    private static ResourceRecord A(string owner, string address) =>
        new(DnsName.Parse(owner, Origin), RecordType.A, 3600, RData.Parse(RecordType.A, address, Origin));

    private static byte[] Query(RecordType type, string zone = "example.", uint? ixfrSerial = null, ushort id = 0x1234)
    {
        var m = DnsMessage.CreateQuery(DnsName.Parse(zone), type, id);
        if (ixfrSerial is { } serial)
            m.Authority.Add(new DnsRecord(new ResourceRecord(DnsName.Parse(zone), RecordType.SOA, 0,
                RData.Parse(RecordType.SOA, $"ns1.{zone} hostmaster.{zone} {serial} 0 0 0 0", Origin))));
        return m.Encode();
    }

    private static (byte[] Query, byte[] Mac) Signed(byte[] query, TsigKey key)
    {
        var buffer = new byte[query.Length + 256];
        query.CopyTo(buffer, 0);
        int n = AkkaDns.Resolver.Tsig.Tsig.SignRequest(buffer, query.Length, key, DateTimeOffset.UtcNow, out var mac);
        Assert.True(n > query.Length);
        return (buffer[..n], mac);
    }

    private List<byte[]> Stream(byte[] query, in QueryContext context)
    {
        using var stream = _handler.TryStartStream(query, context);
        Assert.NotNull(stream);
        var messages = new List<byte[]>();
        var buffer = new byte[65535];
        for (int n; (n = stream.Next(buffer)) > 0;)
        {
            messages.Add(buffer[..n]);
            Assert.True(messages.Count < 10_000, "stream does not end");
        }
        Assert.Equal(0, stream.Next(buffer));
        return messages;
    }

    private static DnsMessage Parse(byte[] wire)
    {
        Assert.True(DnsMessage.TryParse(wire, out var m, out var error), error);
        return m!;
    }

    private static List<string> Lines(IEnumerable<ResourceRecord> records) =>
        records.Select(r => r.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

    private static void AssertSingleError(List<byte[]> messages, ushort rcode, ushort id = 0x1234)
    {
        var m = Parse(Assert.Single(messages));
        Assert.True(m.IsResponse);
        Assert.Equal(id, m.Id);
        Assert.Equal((Rcode)rcode, m.Rcode);
        Assert.Empty(m.Answers);
        Assert.Single(m.Questions);
    }

    [Fact]
    public void A_zone_without_transfer_metadata_refuses()
    {
        Configure();
        AssertSingleError(Stream(Query(RecordType.AXFR), Tcp), (ushort)Rcode.Refused);
    }

    [Fact]
    public void An_allowed_address_gets_the_whole_zone_between_two_soas()
    {
        Configure((TransferMetadata.AllowAxfrFrom, "127.0.0.1"));

        var messages = Stream(Query(RecordType.AXFR), Tcp);

        var parsed = messages.Select(Parse).ToList();
        Assert.All(parsed, m => { Assert.True(m.IsResponse); Assert.Equal(Rcode.NoError, m.Rcode); Assert.Equal(0x1234, m.Id); });
        var answers = parsed.SelectMany(m => m.Answers).Select(r => r.ToResourceRecord()).ToList();
        Assert.Equal(RecordType.SOA, answers[0].Type);
        Assert.Equal(RecordType.SOA, answers[^1].Type);
        Assert.Equal(answers[0].ToString(), answers[^1].ToString());
        Assert.Equal(Lines(_zone.Records), Lines(answers.Take(answers.Count - 1)));
    }

    [Fact]
    public void An_address_outside_the_allowed_network_is_refused()
    {
        Configure((TransferMetadata.AllowAxfrFrom, "10.0.0.0/8"));
        AssertSingleError(Stream(Query(RecordType.AXFR), Tcp), (ushort)Rcode.Refused);
    }

    [Fact]
    public void A_request_signed_with_an_allowed_key_gets_every_message_signed()
    {
        Configure((TransferMetadata.TsigAllowAxfr, "xfr-key."));
        var (query, mac) = Signed(Query(RecordType.AXFR), Allowed);

        var messages = Stream(query, Tcp);

        var verifier = new TsigResponseVerifier(Allowed, mac);
        foreach (var message in messages) Assert.Equal(TsigStatus.Ok, verifier.Verify(message, DateTimeOffset.UtcNow));
        var answers = messages.Select(Parse).SelectMany(m => m.Answers).Select(r => r.ToResourceRecord()).ToList();
        Assert.Equal(Lines(_zone.Records), Lines(answers.Take(answers.Count - 1)));
        Assert.Equal(RecordType.SOA, answers[^1].Type);
    }

    [Fact]
    public void A_request_signed_with_an_allowed_key_gets_signed_messages_even_when_the_zone_needs_several()
    {
        // A small message size forces a multi-message stream: each message carries a TSIG the verifier accepts in turn.
        var transfers = new EdgeTransfers(new TransferSettings { Notify = false, MessageBytes = 512 }, _view, IPAddress.Loopback, NullLogger<EdgeTransfers>.Instance, _table);
        var handler = new TransferQueryHandler(_answerer, _table, transfers);
        var big = string.Join("\n", Enumerable.Range(0, 200).Select(i => $"host{i} A 10.0.{i / 256}.{i % 256}"));
        var zone = ZoneLoader.LoadText(ZoneText + "\n" + big + "\n", Origin);
        _table.Publish(CompiledZone.Compile(zone));
        Configure((TransferMetadata.TsigAllowAxfr, "xfr-key."));
        var (query, mac) = Signed(Query(RecordType.AXFR), Allowed);

        using var stream = handler.TryStartStream(query, Tcp);
        Assert.NotNull(stream);
        var verifier = new TsigResponseVerifier(Allowed, mac);
        var buffer = new byte[65535];
        var answers = new List<ResourceRecord>();
        int count = 0;
        for (int n; (n = stream.Next(buffer)) > 0; count++)
        {
            Assert.Equal(TsigStatus.Ok, verifier.Verify(buffer.AsSpan(0, n), DateTimeOffset.UtcNow));
            answers.AddRange(Parse(buffer[..n]).Answers.Select(r => r.ToResourceRecord()));
        }
        Assert.True(count > 1, $"{count} message(s)");
        Assert.Equal(Lines(zone.Records), Lines(answers.Take(answers.Count - 1)));
    }

    [Fact]
    public void A_request_signed_with_a_key_not_listed_is_refused_and_the_refusal_is_signed()
    {
        Configure((TransferMetadata.TsigAllowAxfr, "xfr-key."));
        var (query, mac) = Signed(Query(RecordType.AXFR), Other);

        var messages = Stream(query, Tcp);

        AssertSingleError(messages, (ushort)Rcode.Refused);
        Assert.Equal(TsigStatus.Ok, new TsigResponseVerifier(Other, mac).Verify(messages[0], DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_zone_not_served_here_is_notauth()
    {
        Configure((TransferMetadata.AllowAxfrFrom, "127.0.0.1"));
        AssertSingleError(Stream(Query(RecordType.AXFR, zone: "elsewhere."), Tcp), NotAuth);
    }

    [Fact]
    public void Ixfr_without_the_clients_soa_is_formerr()
    {
        Configure((TransferMetadata.AllowAxfrFrom, "127.0.0.1"));
        AssertSingleError(Stream(Query(RecordType.IXFR), Tcp), (ushort)Rcode.FormErr);
    }

    [Fact]
    public void Ixfr_from_the_current_serial_is_one_soa()
    {
        Configure((TransferMetadata.AllowAxfrFrom, "127.0.0.1"));

        var messages = Stream(Query(RecordType.IXFR, ixfrSerial: 2), Tcp);

        var m = Parse(Assert.Single(messages));
        Assert.Equal(Rcode.NoError, m.Rcode);
        var soa = Assert.Single(m.Answers).ToResourceRecord();
        Assert.Equal(Soa(2).ToString().ToLowerInvariant(), soa.ToString().ToLowerInvariant());
    }

    [Fact]
    public void Ixfr_over_udp_answers_the_recorded_change_incrementally()
    {
        Configure((TransferMetadata.AllowAxfrFrom, "127.0.0.1"));
        // Version 1 had www A 192.0.2.79 where version 2 has .81; recorded as the datacenter actor does.
        _transfers.Serving(Origin, 2, new ServedDiff(Soa(1), Soa(2), [A("www", "192.0.2.79")], [A("www", "192.0.2.81")]));
        var response = new byte[65535];

        int n = _handler.Handle(Query(RecordType.IXFR, ixfrSerial: 1), response, Udp);

        Assert.True(n > 0, $"length {n}");
        Assert.True(n <= 512);
        var m = Parse(response[..n]);
        Assert.Equal(Rcode.NoError, m.Rcode);
        Assert.False(m.Truncated);
        var answers = m.Answers.Select(r => r.ToResourceRecord().ToString().ToLowerInvariant()).ToList();
        string S(uint serial) => Soa(serial).ToString().ToLowerInvariant();
        Assert.Equal([S(2), S(1), A("www", "192.0.2.79").ToString().ToLowerInvariant(), S(2), A("www", "192.0.2.81").ToString().ToLowerInvariant(), S(2)], answers);
    }

    [Fact]
    public void Ixfr_over_udp_from_a_refused_client_is_refused()
    {
        Configure((TransferMetadata.AllowAxfrFrom, "10.0.0.0/8"));
        var response = new byte[65535];

        int n = _handler.Handle(Query(RecordType.IXFR, ixfrSerial: 1), response, Udp);

        Assert.True(n > 0);
        Assert.Equal(Rcode.Refused, Parse(response[..n]).Rcode);
    }

    [Theory]
    [InlineData(Transport.Udp)]
    [InlineData(Transport.Tcp)]
    public void An_ordinary_query_is_answered_by_the_answerer_unchanged(Transport transport)
    {
        Configure((TransferMetadata.AllowAxfrFrom, "127.0.0.1"));
        var context = new QueryContext(transport) { RemoteAddress = new IPEndPoint(IPAddress.Loopback, 1234).Serialize() };
        var query = Query(RecordType.A, zone: "www.example.");
        var direct = new byte[4096];
        var through = new byte[4096];

        int expected = _answerer.Handle(query, direct, context);
        int actual = _handler.Handle(query, through, context);

        Assert.Null(_handler.TryStartStream(query, context));
        Assert.True(expected > 0);
        Assert.Equal(direct[..expected], through[..actual]);
        var m = Parse(through[..actual]);
        Assert.Equal(2, m.Answers.Count);
        Assert.True(m.AuthoritativeAnswer);
    }
}
