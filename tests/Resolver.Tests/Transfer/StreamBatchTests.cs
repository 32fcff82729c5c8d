using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.TransferFixture;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>The TCP front end batches a stream's messages: several length-framed messages per send, none split, each
/// offered the full 65535 bytes, and the concatenation is exactly the stream's messages one by one.</summary>
public sealed class StreamBatchTests
{
    [Fact]
    public void A_batch_holds_several_whole_framed_messages_and_the_batches_are_the_stream()
    {
        var zone = Compile(BigZone(20_000));
        var one = Drain(ZoneTransferStream.Axfr(Request(RecordType.AXFR), zone));

        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), zone);
        var batch = new byte[TcpFrontEnd.StreamBatchBytes];
        var framed = new List<byte[]>();
        int batches = 0;
        bool done = false;
        while (!done)
        {
            int used = TcpFrontEnd.FillBatch(stream, batch, out done);
            if (used == 0) break;
            batches++;
            int pos = 0;
            while (pos < used)
            {
                int n = batch[pos] << 8 | batch[pos + 1];
                Assert.InRange(n, 12, 65535);
                Assert.True(pos + 2 + n <= used, "a message split across batches");
                framed.Add(batch[(pos + 2)..(pos + 2 + n)]);
                pos += 2 + n;
            }
            if (!done) Assert.True(batch.Length - used < 2 + 65535, "a batch left room for another message");
        }

        Assert.Equal(one.Count, framed.Count);
        for (int i = 0; i < one.Count; i++) Assert.Equal(one[i], framed[i]);
        Assert.True(batches * 8 <= framed.Count, $"{framed.Count} messages in {batches} batches");
    }

    [Fact]
    public void An_oversized_record_still_gets_its_own_message_inside_a_batch()
    {
        string big = string.Join(' ', Enumerable.Range(0, 200).Select(i => "\"" + new string((char)('a' + i % 26), 250) + "\""));
        var zone = Compile(SmallZone + $"\nhuge TXT {big}\n");
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), zone);
        var batch = new byte[TcpFrontEnd.StreamBatchBytes];
        var sizes = new List<int>();
        bool done = false;
        while (!done)
        {
            int used = TcpFrontEnd.FillBatch(stream, batch, out done);
            for (int pos = 0; pos < used; pos += 2 + (batch[pos] << 8 | batch[pos + 1])) sizes.Add(batch[pos] << 8 | batch[pos + 1]);
        }
        Assert.Contains(sizes, n => n > 16384);
    }
}

/// <summary>The second and later records of a node point at the first one's owner, within a message only.</summary>
public sealed class OwnerPointerTests
{
    [Fact]
    public void Later_records_of_a_node_have_their_owner_as_a_pointer_to_the_first_ones()
    {
        var zone = Compile(SmallZone + "\nmulti A 192.0.2.1\nmulti A 192.0.2.2\nmulti AAAA 2001:db8::1\nmulti TXT \"t\"\n");
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), zone);
        var messages = Drain(stream);
        var m = Assert.Single(messages);
        // Every "multi" owner after the first is exactly 2 bytes, a pointer; the records parse back to the zone.
        var parsed = DnsMessage.Parse(m);
        Assert.Equal(4, parsed.Answers.Count(r => r.ToResourceRecord().Owner.Equals(DnsName.Parse("multi.example."))));
        var multi = DnsName.Parse("multi.example.").Wire[..6].ToArray(); // \x05multi
        int first = m.AsSpan().IndexOf(multi);
        Assert.True(first > 0);
        Assert.Equal(-1, m.AsSpan(first + 6).IndexOf(multi));
        Assert.Equal(Lines(Load(SmallZone + "\nmulti A 192.0.2.1\nmulti A 192.0.2.2\nmulti AAAA 2001:db8::1\nmulti TXT \"t\"\n").Records),
            Lines(Answers(messages).SkipLast(1)));
    }

    [Fact]
    public void A_node_split_across_messages_repeats_its_owner_in_the_next_message()
    {
        var lines = string.Join('\n', Enumerable.Range(0, 300).Select(i => $"many A 10.0.{i >> 8}.{i & 255}"));
        var text = SmallZone + "\n" + lines + "\n";
        using var stream = ZoneTransferStream.Axfr(Request(RecordType.AXFR), Compile(text), new TransferStreamOptions { MessageSize = 1024 });
        var messages = Drain(stream);
        Assert.True(messages.Count > 3);
        Assert.All(messages, m => Assert.True(DnsMessage.TryParse(m, out _, out var error), error));
        Assert.Equal(Lines(Load(text).Records), Lines(Answers(messages).SkipLast(1)));
    }
}
