using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Records;

/// <summary>Seeded random inputs (deterministic): the codec never throws anything but its own error, and whatever
/// it accepts it formats back to text that parses to the same octets.</summary>
public sealed class RDataFuzzTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static IEnumerable<RecordType> Types() =>
        Enum.GetValues<RecordType>().Where(t => !RecordTypes.IsMetaOrQuestionOnly(t)).Append((RecordType)65280);

    [Fact]
    public void Random_wire_rdata_formats_and_reparses_or_is_shown_generically()
    {
        var rng = new Random(20261127);
        int valid = 0;
        foreach (var type in Types())
        {
            for (int n = 0; n < 400; n++)
            {
                var data = RandomWire(rng, type);
                string text = RData.Format(type, data);
                if (RData.IsValid(type, data, out _))
                {
                    valid++;
                    var back = RData.Parse(type, text, Origin);
                    Assert.True(data.AsSpan().SequenceEqual(back), $"{type}: '{text}' parsed to {Convert.ToHexString(back)}, not {Convert.ToHexString(data)}");
                }
                else
                {
                    Assert.StartsWith("\\# ", text);
                    Assert.Throws<RDataFormatException>(() => RData.Parse(type, text, Origin));
                }
                _ = RData.CompressibleNames(type, data);
                _ = RData.TargetName(type, data);
                _ = RData.ToCanonical(type, data);
            }
        }
        Assert.True(valid > 2000, $"only {valid} random RDATA were valid: the generator does not reach the formatters");
    }

    [Fact]
    public void Random_text_is_parsed_or_refused_with_an_RDataFormatException()
    {
        var rng = new Random(7);
        string[] pool =
        [
            "0", "1", "65535", "65536", "4294967296", "-1", "1h", "1x", "192.0.2.1", "::1", "1.2.3", "a", "a.b.", "..", "@",
            "\"q\"", "\"\\300\"", "\\#", "\\# 2", "AAEC", "AB", "A", "-", "\"", "(", ")", ";", "\\", "\\065", "xn--d", "TYPE1",
            "20261201000000", "2T7B4G4V", "00-11-22-33-44-55", "issue", "\"a b\"", "MX", "*", new string('x', 64), "\u00e9",
        ];
        foreach (var type in Types())
            for (int n = 0; n < 300; n++)
            {
                string text = string.Join(' ', Enumerable.Range(0, rng.Next(0, 9)).Select(_ => pool[rng.Next(pool.Length)]));
                try
                {
                    var wire = RData.Parse(type, text, Origin);
                    Assert.True(RData.IsValid(type, wire, out var why), $"{type} '{text}' parsed to invalid RDATA: {why}");
                    Assert.Equal(wire, RData.Parse(type, RData.Format(type, wire), Origin));
                }
                catch (RDataFormatException) { }
            }
    }

    /// <summary>Random octets, often assembled from plausible pieces (names, length-prefixed strings, bit maps) so
    /// that structured types are valid often enough to exercise their formatters.</summary>
    private static byte[] RandomWire(Random rng, RecordType type)
    {
        var w = new List<byte>();
        int pieces = rng.Next(0, 6);
        for (int i = 0; i < pieces; i++)
        {
            switch (rng.Next(6))
            {
                case 0: for (int k = rng.Next(0, 9); k > 0; k--) w.Add((byte)rng.Next(256)); break;
                case 1: // a name
                    for (int l = rng.Next(0, 3); l > 0; l--)
                    {
                        int len = rng.Next(1, 6); w.Add((byte)len);
                        for (int k = 0; k < len; k++) w.Add((byte)rng.Next(256));
                    }
                    w.Add(0); break;
                case 2: // a character-string
                {
                    int len = rng.Next(0, 6); w.Add((byte)len);
                    for (int k = 0; k < len; k++) w.Add((byte)rng.Next(256));
                    break;
                }
                case 3: w.AddRange([0, 1, (byte)(1 << rng.Next(8))]); break; // a one-window bit map
                case 4: w.AddRange(new byte[rng.Next(1, 5)]); break;
                default: w.Add((byte)rng.Next(256)); break;
            }
        }
        // some exact sizes for fixed-size types
        if (rng.Next(4) == 0) return new byte[type switch { RecordType.A => 4, RecordType.AAAA => 16, RecordType.EUI48 => 6, RecordType.EUI64 => 8, _ => rng.Next(0, 12) }]
            .Select(_ => (byte)rng.Next(256)).ToArray();
        return w.ToArray();
    }
}
