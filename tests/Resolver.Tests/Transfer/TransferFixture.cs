using System.Text;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>Zone text → compiled zone; transfer queries built and response streams drained and decoded with the
/// project's own DnsMessage codec.</summary>
internal static class TransferFixture
{
    public static readonly DnsName Origin = DnsName.Parse("example.");

    public const string SmallZone = """
        $ORIGIN example.
        $TTL 3600
        @        IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
        @        NS    ns1
        @        NS    ns2.example.net.
        @        MX    10 mail
        @        A     192.0.2.1
        @        TXT   "apex"
        ns1      A     192.0.2.53
        mail     A     192.0.2.25
        www      A     192.0.2.80
        www      A     192.0.2.81
        www      AAAA  2001:db8::80
        alias    CNAME www
        *.wild   A     192.0.2.99
        sub      NS    ns.sub
        ns.sub   A     192.0.2.200
        deep.below.sub A 192.0.2.201
        _sip._tcp SRV  0 5 5060 sip
        sip      A     192.0.2.60
        """;

    public static Zone Load(string text) => ZoneLoader.LoadText(text, Origin);

    public static CompiledZone Compile(string text) => CompiledZone.Compile(Load(text));

    /// <summary>A zone of about <paramref name="hosts"/> * 2 + 3 records (an A and a TXT per host).</summary>
    public static string BigZone(int hosts, uint serial = 1)
    {
        var sb = new StringBuilder();
        sb.AppendLine("$ORIGIN example.").AppendLine("$TTL 300");
        sb.AppendLine($"@ IN SOA ns1 hostmaster {serial} 7200 3600 1209600 300");
        sb.AppendLine("@ NS ns1").AppendLine("ns1 A 192.0.2.53");
        for (int i = 0; i < hosts; i++)
            sb.AppendLine($"host{i}.dept{i % 50} A 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}").AppendLine($"host{i}.dept{i % 50} TXT \"record {i}\"");
        return sb.ToString();
    }

    public static byte[] Query(RecordType type, ushort id = 0x4242, uint? ixfrSerial = null, string zone = "example.")
    {
        var m = DnsMessage.CreateQuery(DnsName.Parse(zone), type, id);
        if (ixfrSerial is { } serial)
            m.Authority.Add(new DnsRecord(new ResourceRecord(DnsName.Parse(zone), RecordType.SOA, 0,
                RData.Parse(RecordType.SOA, $"ns1.example. hostmaster.example. {serial} 0 0 0 0", Origin))));
        return m.Encode();
    }

    public static TransferRequest Request(RecordType type, ushort id = 0x4242, uint? ixfrSerial = null)
    {
        Assert.True(TransferRequest.TryParse(Query(type, id, ixfrSerial), out var request, out var error), $"parse: {error}");
        return request!;
    }

    public static List<byte[]> Drain(IResponseStream stream, int bufferSize = 65535)
    {
        var messages = new List<byte[]>();
        var buffer = new byte[bufferSize];
        for (int n; (n = stream.Next(buffer)) > 0;)
        {
            messages.Add(buffer[..n]);
            Assert.True(messages.Count < 1_000_000, "stream does not end");
        }
        Assert.Equal(0, stream.Next(buffer)); // done stays done
        return messages;
    }

    public static List<DnsRecord> Answers(IEnumerable<byte[]> messages)
        => messages.SelectMany(m => DnsMessage.Parse(m).Answers).ToList();

    /// <summary>Records as sorted "owner ttl TYPE rdata" lines (owner lower-cased), for multiset comparison.</summary>
    public static List<string> Lines(IEnumerable<ResourceRecord> records)
        => records.Select(r => r.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();

    public static List<string> Lines(IEnumerable<DnsRecord> records) => Lines(records.Select(r => r.ToResourceRecord()));

    public static ResourceRecord Soa(uint serial)
        => new(Origin, RecordType.SOA, 3600, RData.Parse(RecordType.SOA, $"ns1 hostmaster {serial} 7200 3600 1209600 300", Origin));

    public static ResourceRecord A(string owner, string address, uint ttl = 300)
        => new(DnsName.Parse(owner, Origin), RecordType.A, ttl, RData.Parse(RecordType.A, address, Origin));
}

/// <summary>A stand-in for TSIG: appends a fixed-size fake record (type TSIG, owner the root) and bumps ARCOUNT.</summary>
internal sealed class FakeSigner(int overhead = 100) : IMessageSigner
{
    public int MaxOverhead => overhead;
    public int Calls { get; private set; }

    public int Sign(Span<byte> buffer, int length)
    {
        Calls++;
        int rdlength = overhead - 11;
        if (length + overhead > buffer.Length) return -1;
        var r = buffer[length..];
        r[0] = 0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(r[1..], (ushort)RecordType.TSIG);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(r[3..], 255);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(r[5..], 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(r[9..], (ushort)rdlength);
        r.Slice(11, rdlength).Fill(0xAB);
        ushort ar = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(buffer[10..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], (ushort)(ar + 1));
        return length + overhead;
    }
}
