using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Wire;
using Xunit;

namespace AkkaDns.Resolver.Tests.Dnssec;

public class Nsec3HashTests
{
    // RFC 5155 Appendix A: salt aabbccdd, 12 additional iterations.
    [Theory]
    [InlineData("example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom")]
    [InlineData("a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl")]
    [InlineData("ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi")]
    [InlineData("ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr")]
    [InlineData("*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en")]
    [InlineData("xx.example.", "t644ebqk9bibcna874givr6joj62mlhv")]
    [InlineData("A.EXAMPLE.", "35mthgpgcu1qg68fab165klnsnk3dpvl")]
    public void Matches_the_RFC_5155_examples(string name, string label)
    {
        Span<byte> hash = stackalloc byte[Nsec3Hash.Length];
        Assert.True(Nsec3Hash.TryHash(DnsName.Parse(name).Wire, [0xaa, 0xbb, 0xcc, 0xdd], 12, hash));
        Assert.Equal(label, Nsec3Hash.ToLabel(hash));
    }

    [Fact]
    public void Hashing_does_not_allocate()
    {
        var wire = DnsName.Parse("www.example.com.").Wire.ToArray();
        Span<byte> hash = stackalloc byte[Nsec3Hash.Length];
        Nsec3Hash.TryHash(wire, [], 0, hash);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Nsec3Hash.TryHash(wire, [], 0, hash);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
