using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

public sealed class RecordKeysTests
{
    [Fact]
    public void Canonical_keys_order_names_exactly_as_DnsName_CompareTo()
    {
        var rng = new Random(12345); // fixed seed: deterministic
        byte[] alphabet = [(byte)'a', (byte)'B', (byte)'z', (byte)'-', 0, 1, 0xFF, (byte)'A'];
        var names = new List<DnsName> { DnsName.Root, DnsName.Parse("example."), DnsName.Parse("a.example."), DnsName.Parse("A.example."), DnsName.Parse("z.a.example.") };
        for (int i = 0; i < 300; i++)
        {
            var n = DnsName.Parse("example.");
            int labels = rng.Next(0, 4);
            for (int l = 0; l < labels; l++)
            {
                var label = new byte[rng.Next(1, 4)];
                for (int k = 0; k < label.Length; k++) label[k] = alphabet[rng.Next(alphabet.Length)];
                n = n.Prepend(label);
            }
            names.Add(n);
        }
        foreach (var a in names)
            foreach (var b in names.Take(60))
                Assert.Equal(Math.Sign(a.CompareTo(b)), Math.Sign(RecordKeys.Compare(RecordKeys.Canonical(a), RecordKeys.Canonical(b))));
    }
}
