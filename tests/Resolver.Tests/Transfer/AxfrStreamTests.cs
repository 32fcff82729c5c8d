using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.TransferFixture;

namespace AkkaDns.Resolver.Tests.Transfer;

public sealed class AxfrStreamTests
{
    [Fact]
    public void Axfr_parses_back_to_exactly_the_zones_records_with_the_soa_first_and_last()
    {
        var zone = Load(SmallZone);
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), CompiledZone.Compile(zone));
        var messages = Drain(stream);
        var answers = Answers(messages);

        Assert.Equal(RecordType.SOA, answers[0].Type);
        Assert.Equal(RecordType.SOA, answers[^1].Type);
        Assert.Equal(answers[0], answers[^1]);
        Assert.Equal(1, answers.Count(r => r.Type == RecordType.SOA && !ReferenceEquals(r, answers[^1])));
        Assert.Equal(Lines(zone.Records), Lines(answers.Take(answers.Count - 1)));
    }

    [Fact]
    public void Every_message_carries_the_query_id_qr_aa_and_the_question_only_in_the_first()
    {
        var zone = Compile(BigZone(2000));
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR, id: 0x1234), zone, new TransferStreamOptions { MessageSize = 4096 });
        var messages = Drain(stream).Select(m => DnsMessage.Parse(m)).ToList();

        Assert.True(messages.Count > 5, $"{messages.Count} messages");
        Assert.All(messages, m =>
        {
            Assert.Equal(0x1234, m.Id);
            Assert.True(m.IsResponse);
            Assert.True(m.AuthoritativeAnswer);
            Assert.False(m.Truncated);
            Assert.Equal(Opcode.Query, m.Opcode);
            Assert.Equal(Rcode.NoError, m.Rcode);
            Assert.Empty(m.Authority);
            Assert.Empty(m.Additional);
        });
        Assert.Equal(new DnsQuestion(Origin, RecordType.AXFR), Assert.Single(messages[0].Questions));
        Assert.All(messages.Skip(1), m => Assert.Empty(m.Questions));
    }

    [Fact]
    public void A_zone_of_50k_records_streams_in_many_messages_each_within_the_target_and_compressed()
    {
        var text = BigZone(25_000);
        var zone = Load(text);
        Assert.True(zone.Records.Count > 50_000);
        const int target = 16384;
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), CompiledZone.Compile(zone), new TransferStreamOptions { MessageSize = target });
        var messages = Drain(stream);

        Assert.All(messages, m => Assert.InRange(m.Length, 12, target));
        Assert.True(messages.Count >= 50, $"{messages.Count} messages");
        Assert.Equal(messages.Count, stream.MessagesWritten);
        var answers = Answers(messages);
        Assert.Equal(zone.Records.Count + 1, answers.Count);
        Assert.Equal(Lines(zone.Records), Lines(answers.Take(answers.Count - 1)));

        // Uncompressed: each record's owner, fixed fields and RDATA, plus a header per message and the question.
        long uncompressed = answers.Sum(r => (long)r.Owner.WireLength + 10 + r.RData.Length) + 12L * messages.Count + Origin.WireLength + 4;
        long sent = messages.Sum(m => (long)m.Length);
        Assert.True(sent < uncompressed * 0.7, $"sent {sent} bytes, uncompressed {uncompressed}");
    }

    [Fact]
    public void With_a_signer_every_message_is_signed_within_the_target()
    {
        var signer = new FakeSigner(overhead: 100);
        const int target = 2048;
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), Compile(BigZone(1000)), new TransferStreamOptions { MessageSize = target }, signer);
        var messages = Drain(stream);

        Assert.True(messages.Count > 10);
        Assert.Equal(messages.Count, signer.Calls);
        Assert.All(messages, m => Assert.InRange(m.Length, 100, target));
        Assert.All(messages, m => Assert.Equal(RecordType.TSIG, Assert.Single(DnsMessage.Parse(m).Additional).Type));
    }

    [Fact]
    public void A_record_larger_than_the_target_gets_a_message_of_its_own_and_an_rrset_may_split()
    {
        string big = string.Join(' ', Enumerable.Range(0, 12).Select(i => "\"" + new string((char)('a' + i), 250) + "\""));
        var zone = Load(SmallZone + $"\nhuge TXT {big}\nhuge TXT \"small\"\n");
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), CompiledZone.Compile(zone), new TransferStreamOptions { MessageSize = 1024 });
        var messages = Drain(stream);

        var oversized = Assert.Single(messages, m => m.Length > 1024);
        Assert.Single(DnsMessage.Parse(oversized).Answers);
        Assert.Equal(Lines(zone.Records), Lines(Answers(messages).SkipLast(1)));
    }

    [Fact]
    public void An_old_snapshot_streams_unchanged_while_a_newer_version_is_published()
    {
        var zone = Load(BigZone(3000));
        var v1 = CompiledZone.Compile(zone, version: 1);
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), v1, new TransferStreamOptions { MessageSize = 1024 });
        var buffer = new byte[65535];
        var messages = new List<byte[]> { buffer[..stream.Next(buffer)] };

        var removed = DnsName.Parse("host7.dept7.example.");
        var v2 = v1.WithChanges([new RRsetUpdate(removed, RecordType.A, []), new RRsetUpdate(DnsName.Parse("new.example."), RecordType.A, [A("new", "192.0.2.9")])], version: 2);
        Assert.Null(v2.FindNode(removed)?.Find(RecordType.A));

        messages.AddRange(Drain(stream));
        Assert.Equal(Lines(zone.Records), Lines(Answers(messages).SkipLast(1)));
    }

    [Fact]
    public void Every_prefix_of_every_message_fails_to_parse_and_the_whole_parses()
    {
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), Compile(SmallZone), new TransferStreamOptions { MessageSize = 512 });
        foreach (var m in Drain(stream))
        {
            Assert.True(DnsMessage.TryParse(m, out _, out var error), error);
            for (int n = 0; n < m.Length; n++) Assert.False(DnsMessage.TryParse(m.AsSpan(0, n), out _, out _), $"prefix {n}");
        }
    }
}
