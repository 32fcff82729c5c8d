using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig; // inside AkkaDns.Resolver.*, "Tsig" names the namespace

// Not "...Tests.Tsig": that namespace would shadow the Tsig class.
namespace AkkaDns.Resolver.Tests.TsigTests;

/// <summary>A query signed by BIND's dig 9.18 (hmac-sha256, key "fixture.key", EDNS with a cookie), captured off
/// the wire: a real vector, independent of our own signer.</summary>
public sealed class TsigFixtureTests
{
    private const string DigQuery =
        "239e01200001000000000002076578616d706c65000006000100002904d000000000000c000a00084315512776c03c4f07" +
        "66697874757265036b65790000fa00ff00000000003d0b686d61632d7368613235360000006b114b73012c0020fcda7e0c" +
        "65692d25e50d42caea00b0899e29b6d273e6fac5acb590317c882440239e00000000";
    private static readonly byte[] Query = Convert.FromHexString(DigQuery);
    private static readonly DateTimeOffset Signed = DateTimeOffset.FromUnixTimeSeconds(0x6b114b73);
    private static readonly TsigKey Key = new(DnsName.Parse("fixture.key."), TsigAlgorithm.HmacSha256,
        Convert.FromBase64String("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="));

    [Fact]
    public void The_dig_signed_query_verifies()
    {
        var request = TsigCodec.VerifyRequest(Query, new TsigKeyStore([Key]), Signed.AddSeconds(5));
        Assert.Equal(TsigStatus.Ok, request.Status);
        Assert.Equal((ushort)0x239e, request.OriginalId);
        Assert.Equal((ushort)300, request.Fudge);
        Assert.Equal(32, request.Mac.Length);
        Assert.Equal(Query.Length - (13 + 10 + 61), request.TsigOffset); // owner, RR header, RDATA
    }

    [Fact]
    public void The_dig_signed_query_fails_with_another_secret_or_outside_the_fudge()
    {
        var other = Key with { Secret = [1, 2, 3, 4] };
        Assert.Equal(TsigStatus.BadSig, TsigCodec.VerifyRequest(Query, new TsigKeyStore([other]), Signed).Status);
        Assert.Equal(TsigStatus.BadTime, TsigCodec.VerifyRequest(Query, new TsigKeyStore([Key]), Signed.AddSeconds(301)).Status);
        Assert.Equal(TsigStatus.BadTime, TsigCodec.VerifyRequest(Query, new TsigKeyStore([Key]), Signed.AddSeconds(-301)).Status);
    }

    [Fact]
    public void Every_prefix_of_the_dig_query_fails_cleanly()
    {
        var keys = new TsigKeyStore([Key]);
        for (int n = 0; n < Query.Length; n++)
            Assert.NotEqual(TsigStatus.Ok, TsigCodec.VerifyRequest(Query.AsSpan(0, n), keys, Signed).Status);
    }
}
