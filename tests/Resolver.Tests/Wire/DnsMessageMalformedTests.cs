using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Wire.WireFixtures;

namespace AkkaDns.Resolver.Tests.Wire;

/// <summary>Hostile and broken packets: every one is refused with a reason, none throws, none loops.</summary>
public sealed class DnsMessageMalformedTests
{
    private static string Fails(byte[] wire)
    {
        Assert.False(DnsMessage.TryParse(wire, out var m, out var error), "parsed a malformed packet");
        Assert.Null(m);
        Assert.False(string.IsNullOrEmpty(error));
        return error!;
    }

    public static TheoryData<string> FixtureNames => new() { nameof(Query), nameof(MxResponse), nameof(SoaResponse) };

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Every_prefix_of_a_valid_packet_fails_cleanly(string fixture)
    {
        var bytes = (byte[])typeof(WireFixtures).GetField(fixture)!.GetValue(null)!;
        Assert.True(DnsMessage.TryParse(bytes, out _, out _));
        for (int len = 0; len < bytes.Length; len++) Fails(bytes[..len]);
    }

    [Fact]
    public void Trailing_bytes_are_refused()
        => Assert.Contains("trail", Fails([.. Query, 0x00]));

    [Fact]
    public void Pointer_to_itself_is_refused()
        => Assert.Contains("backwards", Fails(Hex("0000 0000 0001 0000 0000 0000  c00c 0001 0001")));

    [Fact]
    public void Forward_pointer_is_refused()
        => Assert.Contains("backwards", Fails(Hex("0000 0000 0001 0000 0000 0000  c012 0001 0001  01 61 00")));

    [Fact]
    public void Compression_loop_through_a_label_is_refused()
    {
        // question name "a" then a pointer back to its own start (offset 12): a loop that points backwards
        // from where the pointer sits, but not before the run that contains it.
        Assert.Contains("backwards", Fails(Hex("0000 0000 0001 0000 0000 0000  01 61 c00c 0001 0001")));
    }

    [Fact]
    public void Two_pointers_pointing_at_each_other_are_refused()
    {
        // answer 1 owner is a pointer to answer 2's owner (forward), answer 2's owner points back to answer 1's.
        var wire = Hex("0000 8000 0000 0002 0000 0000  c018 0001 0001 00000000 0000  c00c 0001 0001 00000000 0000");
        Fails(wire);
    }

    [Fact]
    public void Pointer_into_the_header_is_refused()
        => Assert.Contains("header", Fails(Hex("0000 8000 0000 0001 0000 0000  c004 0001 0001 00000000 0000")));

    [Fact]
    public void Chains_of_more_pointers_than_labels_allow_are_refused()
    {
        // answer 1: opaque TYPE65280 whose RDATA is a root name then 200 pointers, each to the one before;
        // answer 2: owner is a pointer to the last of them. Every jump goes backwards, only the cap stops it.
        const int chain = 200;
        int rdataStart = 12 + 11;
        var rdata = new List<byte> { 0 };
        for (int i = 0; i < chain; i++)
        {
            int target = i == 0 ? rdataStart : rdataStart + 1 + (i - 1) * 2;
            rdata.Add((byte)(0xC0 | target >> 8)); rdata.Add((byte)target);
        }
        int last = rdataStart + 1 + (chain - 1) * 2;
        var wire = new List<byte>(Hex("0000 8000 0000 0002 0000 0000  00 ff00 0001 00000000"));
        wire.Add((byte)(rdata.Count >> 8)); wire.Add((byte)rdata.Count);
        wire.AddRange(rdata);
        wire.AddRange([(byte)(0xC0 | last >> 8), (byte)last, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
        Assert.Contains("pointers", Fails([.. wire]));

        // the same chain capped at 100 pointers is fine (and yields the root name)
        Assert.True(WireReaderOk(100));
    }

    private static bool WireReaderOk(int chain)
    {
        var buf = new List<byte>(new byte[12]) { 0 };
        for (int i = 0; i < chain; i++) { int t = i == 0 ? 12 : 13 + (i - 1) * 2; buf.Add((byte)(0xC0 | t >> 8)); buf.Add((byte)t); }
        var bytes = buf.ToArray();
        var r = new WireReader(bytes, bytes.Length - 2);
        Span<byte> name = stackalloc byte[255];
        return r.TryReadName(name, out var len) && len == 1 && r.Remaining == 0;
    }

    [Fact]
    public void Label_overrunning_the_message_is_refused()
        => Assert.Contains("overruns", Fails(Hex("0000 0000 0001 0000 0000 0000  3f 6161 0001 0001")));

    [Theory]
    [InlineData("41")]  // 0b01 extended label type (RFC 6891 deprecated it)
    [InlineData("81")]  // 0b10 reserved
    public void Reserved_label_types_are_refused(string firstByte)
        => Assert.Contains("label type", Fails(Hex($"0000 0000 0001 0000 0000 0000  {firstByte} 61 00 0001 0001")));

    [Fact]
    public void Name_longer_than_255_octets_is_refused_even_when_built_from_pointers()
    {
        // answer 1 owner: 3 labels of 63 (193 bytes), answer 2 owner: one 63-byte label + pointer to it = 257.
        var l63 = "3f" + string.Concat(Enumerable.Repeat("61", 63));
        var wire = Hex($"0000 8000 0000 0002 0000 0000  {l63}{l63}{l63}00 0001 0001 00000000 0000  {l63}c00c 0001 0001 00000000 0000");
        Assert.Contains("255", Fails(wire));
    }

    [Theory]
    [InlineData("ffff 0000 0000 0000")]
    [InlineData("0000 ffff 0000 0000")]
    [InlineData("0000 0000 ffff 0000")]
    [InlineData("0000 0000 0000 ffff")]
    [InlineData("ffff ffff ffff ffff")]
    public void Counts_of_65535_with_no_data_fail_before_allocating(string counts)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("counts", Fails(Hex("0000 0000 " + counts)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16_000, "allocated as if the counts were real");
    }

    [Fact]
    public void Count_larger_than_the_records_present_is_refused()
        => Assert.Contains("question class", Fails(Hex("0000 0000 0002 0000 0000 0000  00 0001 0001  01 61 00 0001")));

    [Fact]
    public void Rdlength_past_the_end_is_refused()
        => Assert.Contains("RDATA", Fails(Hex("0000 8000 0000 0001 0000 0000  00 0001 0001 00000000 0005 c0000201")));

    [Theory]
    [InlineData("0004  000a 0001", "claims 1")]         // option claims 1 byte, none left
    [InlineData("0003  000a 00", "truncated")]          // option header cut at 3 bytes
    [InlineData("0006  000a 0008 0102", "claims 8")]    // option data shorter than its length
    [InlineData("0008  000a 0000 000b 0001", "claims 1")] // second option overruns
    public void Bad_opt_option_lengths_are_refused(string rdata, string expected)
    {
        Assert.Contains(expected, Fails(Hex("0000 0000 0000 0000 0000 0001  00 0029 1000 00000000 " + rdata)));
    }

    [Fact]
    public void Opt_outside_additional_is_refused()
        => Assert.Contains("OPT", Fails(Hex("0000 8000 0000 0001 0000 0000  00 0029 1000 00000000 0000")));

    [Fact]
    public void Two_opt_records_are_refused()
        => Assert.Contains("second OPT", Fails(Hex("0000 0000 0000 0000 0000 0002  00 0029 1000 00000000 0000  00 0029 1000 00000000 0000")));

    [Fact]
    public void Opt_not_owned_by_the_root_is_refused()
        => Assert.Contains("root", Fails(Hex("0000 0000 0000 0000 0000 0001  01 61 00 0029 1000 00000000 0000")));

    [Theory]
    [InlineData("000f 0001 00000000 0003  000a 05")]          // MX: exchange label overruns RDATA
    [InlineData("000f 0001 00000000 0004  000a 00 ff")]       // MX: byte after the exchange
    [InlineData("0006 0001 00000000 0006  00 00 00000000")]   // SOA: 16 bytes of counters short
    [InlineData("0002 0001 00000000 0002  c017")]             // NS: target is a pointer to itself (RDATA starts at 23)
    public void Malformed_rdata_of_known_types_is_refused(string rr)
        => Fails(Hex("0000 8000 0000 0001 0000 0000  00 " + rr));

    [Fact]
    public void Random_corruptions_never_throw()
    {
        var rng = new Random(20261127);
        var fixtures = new[] { Query, MxResponse, SoaResponse };
        for (int i = 0; i < 20_000; i++)
        {
            var p = (byte[])fixtures[i % 3].Clone();
            int flips = 1 + rng.Next(4);
            for (int f = 0; f < flips; f++) p[rng.Next(p.Length)] = (byte)rng.Next(256);
            if (DnsMessage.TryParse(p, out var m, out var error))
            {
                Assert.Null(error);
                // whatever parsed must encode and parse again
                Assert.True(DnsMessage.TryParse(m!.Encode(), out _, out var again), again);
            }
            else Assert.NotNull(error);
        }
    }
}
