using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.FakeMaster;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>The scripted-master helpers shared by the <see cref="TransferClient"/> tests: a key, a zone, a client with
/// small limits, and the AXFR shape.</summary>
internal static class TransferClientKit
{
    /// <summary>The three test classes run one after another, as when they were one: their timeouts are short.</summary>
    public const string Collection = "transfer client";

    internal static readonly TsigKey Key = new(DnsName.Parse("xfr.key."), TsigAlgorithm.HmacSha256,
        Convert.FromBase64String("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="));

    internal static readonly ResourceRecord[] Zone1 =
    [
        Soa(1), Rr("@ NS ns1"), Rr("ns1 A 192.0.2.53"), Rr("www A 192.0.2.1"), Rr("old A 192.0.2.9"), Rr("txt TXT \"a b\""),
    ];

    internal static TransferClient Client(TimeSpan? idle = null, int maxRecords = 5_000_000, long maxBytes = 1L << 31) => new(new TransferClientOptions
    {
        SoaTimeout = TimeSpan.FromMilliseconds(500),
        IdleTimeout = idle ?? TimeSpan.FromSeconds(5),
        MaxRecords = maxRecords,
        MaxBytes = maxBytes,
    }, TimeProvider.System);

    internal static TransferSource Source(FakeMaster master, TsigKey? key = null) => new(master.EndPoint, key);

    internal static List<string> Sorted(IEnumerable<ResourceRecord> records) => records.Select(r => r.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

    internal static void AssertZone(IReadOnlyList<ResourceRecord>? actual, uint serial, params ResourceRecord[] expected)
    {
        Assert.NotNull(actual);
        Assert.Equal(RecordType.SOA, actual[0].Type);
        Assert.Equal(serial, SerialNumber.Of(actual[0]));
        Assert.Single(actual, r => r.Type == RecordType.SOA);
        Assert.Equal(Sorted(expected), Sorted(actual));
    }

    /// <summary>AXFR form: SOA, the records split over messages, SOA.</summary>
    internal static List<byte[]> Axfr(FakeQuery q, IReadOnlyList<ResourceRecord> zone, int perMessage = 2)
    {
        var stream = zone.Append(zone[0]).ToList();
        var messages = stream.Chunk(perMessage).Select(c => (IReadOnlyList<ResourceRecord>)c).ToList();
        return Answer(q, Rcode.NoError, messages);
    }
}
