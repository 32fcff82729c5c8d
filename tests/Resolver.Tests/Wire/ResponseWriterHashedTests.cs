using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Wire;

/// <summary>ResponseWriter's hashed compression (zone transfers) compresses exactly as the linear one (the answer path):
/// the same lengths for the same names, pointers only to equal earlier names, targets taken back by Rollback.</summary>
public sealed class ResponseWriterHashedTests
{
    private static readonly string[] Names =
    [
        "example.", "www.example.", "WWW.Example.", "mail.example.", "a.b.c.example.", "b.c.example.", "c.example.",
        "example.net.", "ns.example.net.", "x.", "www.example.", "deep.a.b.c.EXAMPLE.", "example.", ".",
    ];

    [Fact]
    public void Hashed_and_linear_modes_write_names_to_the_same_lengths_and_the_names_read_back()
    {
        var linear = new byte[4096];
        var hashed = new byte[4096];
        var l = new ResponseWriter(linear, stackalloc ushort[64]);
        var h = new ResponseWriter(hashed, stackalloc ushort[64], stackalloc uint[128]);
        Span<byte> header = stackalloc byte[12];
        l.TryWriteBytes(header); h.TryWriteBytes(header);
        var offsets = new List<int>();
        for (int round = 0; round < 3; round++)
            foreach (var text in Names)
            {
                var name = DnsName.Parse(text).Wire;
                offsets.Add(h.Position);
                Assert.True(l.TryWriteName(name));
                Assert.True(h.TryWriteName(name));
                Assert.Equal(l.Position, h.Position);
            }
        Assert.True(h.Position < offsets.Count * 10, "compressed");
        int k = 0;
        for (int round = 0; round < 3; round++)
            foreach (var text in Names)
                Assert.Equal(DnsName.Parse(text), ReadName(hashed, offsets[k++]));
    }

    [Fact]
    public void Rollback_takes_the_targets_back_so_no_pointer_names_overwritten_bytes()
    {
        var buffer = new byte[512];
        var w = new ResponseWriter(buffer, stackalloc ushort[16], stackalloc uint[32]);
        w.TryWriteBytes(stackalloc byte[12]);
        var mark = w.Mark();
        Assert.True(w.TryWriteName(DnsName.Parse("gone.example.").Wire));
        w.Rollback(mark);
        Assert.True(w.TryWriteBytes(new byte[20])); // overwrites what "gone.example." left
        int at = w.Position;
        Assert.True(w.TryWriteName(DnsName.Parse("gone.example.").Wire));
        Assert.Equal(at + DnsName.Parse("gone.example.").WireLength, w.Position); // written whole: nothing to point at
        Assert.Equal(DnsName.Parse("gone.example."), ReadName(buffer, at));
    }

    [Fact]
    public void Targets_stop_at_the_log_size_and_past_0x3FFF_and_writing_goes_on_uncompressed()
    {
        var buffer = new byte[20000];
        var w = new ResponseWriter(buffer, stackalloc ushort[4], stackalloc uint[8]);
        w.TryWriteBytes(stackalloc byte[12]);
        var offsets = new List<(int, string)>();
        for (int i = 0; i < 2000; i++)
        {
            string text = $"h{i % 7}.zone{i % 3}.example.";
            offsets.Add((w.Position, text));
            Assert.True(w.TryWriteName(DnsName.Parse(text).Wire));
        }
        Assert.True(w.Position > 0x4000);
        foreach (var (at, text) in offsets) Assert.Equal(DnsName.Parse(text), ReadName(buffer, at));
    }

    private static DnsName ReadName(byte[] message, int at)
    {
        var labels = new List<string>();
        int pos = at, hops = 0;
        while (true)
        {
            int len = message[pos];
            if ((len & 0xC0) == 0xC0)
            {
                int target = (len & 0x3F) << 8 | message[pos + 1];
                Assert.True(target < pos, "a pointer goes backwards");
                Assert.True(++hops < 64);
                pos = target;
                continue;
            }
            if (len == 0) break;
            labels.Add(System.Text.Encoding.ASCII.GetString(message, pos + 1, len));
            pos += 1 + len;
        }
        return DnsName.Parse(labels.Count == 0 ? "." : string.Join('.', labels) + ".");
    }
}
