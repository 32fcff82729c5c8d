using System.Text;
using AkkaDns.Resolver.Tsig;

// Not "...Tests.Tsig": that namespace would shadow the Tsig class.
namespace AkkaDns.Resolver.Tests.TsigTests;

/// <summary>The algorithm table against the published HMAC vectors: RFC 2202 (MD5, SHA-1) and RFC 4231
/// (SHA-224, SHA-256, SHA-384, SHA-512; SHA-224 is our own implementation).</summary>
public sealed class TsigAlgorithmTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s);
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
    private static byte[] Repeat(byte b, int n) => Enumerable.Repeat(b, n).ToArray();

    private const string LargeKeyData = "Test Using Larger Than Block-Size Key - Hash Key First";
    private const string LargeKeyLargeData = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";

    public static TheoryData<string, TsigAlgorithm, string> Vectors() => new()
    {
        // RFC 2202 §2 (MD5) and §3 (SHA-1), test cases 1, 2, 3 and 6.
        { "2202-1", TsigAlgorithm.HmacMd5, "9294727a3638bb1c13f48ef8158bfc9d" },
        { "2202-2", TsigAlgorithm.HmacMd5, "750c783e6ab0b503eaa86e310a5db738" },
        { "2202-3", TsigAlgorithm.HmacMd5, "56be34521d144c88dbb8c733f0e8b3f6" },
        { "2202-6", TsigAlgorithm.HmacMd5, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
        { "2202-1", TsigAlgorithm.HmacSha1, "b617318655057264e28bc0b6fb378c8ef146be00" },
        { "2202-2", TsigAlgorithm.HmacSha1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
        { "2202-3", TsigAlgorithm.HmacSha1, "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
        { "2202-6", TsigAlgorithm.HmacSha1, "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
        // RFC 4231 §4, test cases 1, 2, 3, 4, 6, 7.
        { "4231-1", TsigAlgorithm.HmacSha224, "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22" },
        { "4231-2", TsigAlgorithm.HmacSha224, "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44" },
        { "4231-3", TsigAlgorithm.HmacSha224, "7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea" },
        { "4231-4", TsigAlgorithm.HmacSha224, "6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a" },
        { "4231-6", TsigAlgorithm.HmacSha224, "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e" },
        { "4231-7", TsigAlgorithm.HmacSha224, "3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1" },
        { "4231-1", TsigAlgorithm.HmacSha256, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "4231-2", TsigAlgorithm.HmacSha256, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "4231-6", TsigAlgorithm.HmacSha256, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { "4231-7", TsigAlgorithm.HmacSha256, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
        { "4231-1", TsigAlgorithm.HmacSha384, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
        { "4231-2", TsigAlgorithm.HmacSha384, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649" },
        { "4231-7", TsigAlgorithm.HmacSha384, "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e" },
        { "4231-1", TsigAlgorithm.HmacSha512, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
        { "4231-2", TsigAlgorithm.HmacSha512, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
        { "4231-6", TsigAlgorithm.HmacSha512, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
    };

    private static (byte[] Key, byte[] Data) Case(string id, TsigAlgorithm alg) => id switch
    {
        "2202-1" => (Repeat(0x0b, alg == TsigAlgorithm.HmacMd5 ? 16 : 20), Ascii("Hi There")),
        "2202-2" or "4231-2" => (Ascii("Jefe"), Ascii("what do ya want for nothing?")),
        "2202-3" => (Repeat(0xaa, alg == TsigAlgorithm.HmacMd5 ? 16 : 20), Repeat(0xdd, 50)),
        "2202-6" => (Repeat(0xaa, 80), Ascii(LargeKeyData)),
        "4231-1" => (Repeat(0x0b, 20), Ascii("Hi There")),
        "4231-3" => (Repeat(0xaa, 20), Repeat(0xdd, 50)),
        "4231-4" => (Hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), Repeat(0xcd, 50)),
        "4231-6" => (Repeat(0xaa, 131), Ascii(LargeKeyData)),
        "4231-7" => (Repeat(0xaa, 131), Ascii(LargeKeyLargeData)),
        _ => throw new ArgumentException(id),
    };

    [Theory, MemberData(nameof(Vectors))]
    public void Mac_matches_the_published_vector(string id, TsigAlgorithm alg, string expected)
    {
        var (key, data) = Case(id, alg);
        var mac = TsigAlgorithms.ComputeMac(alg, key, data);
        Assert.Equal(expected, Convert.ToHexStringLower(mac));
        Assert.Equal(TsigAlgorithms.MacLength(alg), mac.Length);
    }

    [Theory]
    [InlineData("hmac-md5.sig-alg.reg.int", TsigAlgorithm.HmacMd5)]
    [InlineData("HMAC-MD5.SIG-ALG.REG.INT.", TsigAlgorithm.HmacMd5)]
    [InlineData("hmac-md5", TsigAlgorithm.HmacMd5)]
    [InlineData("hmac-sha1", TsigAlgorithm.HmacSha1)]
    [InlineData("hmac-sha224.", TsigAlgorithm.HmacSha224)]
    [InlineData("HMAC-SHA256", TsigAlgorithm.HmacSha256)]
    [InlineData("hmac-sha384", TsigAlgorithm.HmacSha384)]
    [InlineData("Hmac-Sha512.", TsigAlgorithm.HmacSha512)]
    public void Names_parse_in_any_case_with_or_without_the_final_dot(string name, TsigAlgorithm expected)
    {
        Assert.True(TsigAlgorithms.TryParse(name, out var alg));
        Assert.Equal(expected, alg);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hmac-sha")]
    [InlineData("gss-tsig")]
    [InlineData("hmac-sha256..")]
    public void Unknown_names_do_not_parse(string name) => Assert.False(TsigAlgorithms.TryParse(name, out _));

    [Fact]
    public void Every_algorithm_round_trips_through_its_name_and_wire_name()
    {
        foreach (var alg in TsigAlgorithms.All)
        {
            Assert.True(TsigAlgorithms.TryParse(TsigAlgorithms.ToName(alg), out var back));
            Assert.Equal(alg, back);
            Assert.True(TsigAlgorithms.TryFromWire(TsigAlgorithms.WireName(alg).Wire, out var fromWire));
            Assert.Equal(alg, fromWire);
            Assert.Equal(TsigAlgorithms.ToName(alg) + ".", TsigAlgorithms.WireName(alg).ToString());
        }
    }
}
