using System.Net;
using AkkaDns.Resolver.Transfer;

namespace AkkaDns.Resolver.Tests.Transfer;

public sealed class TransferPolicyTests
{
    public static TheoryData<string, string[], string[], string, string?, TransferDecision> Cases => new()
    {
        { "nothing configured refuses", [], [], "127.0.0.1", null, TransferDecision.Refused },
        { "nothing configured refuses even a signed request", [], [], "127.0.0.1", "key1", TransferDecision.Refused },
        { "listed address", ["192.0.2.1"], [], "192.0.2.1", null, TransferDecision.Allowed },
        { "other address", ["192.0.2.1"], [], "192.0.2.2", null, TransferDecision.Refused },
        { "inside a v4 prefix", ["10.0.0.0/8"], [], "10.20.30.40", null, TransferDecision.Allowed },
        { "outside a v4 prefix", ["10.0.0.0/8"], [], "11.0.0.1", null, TransferDecision.Refused },
        { "host bits in a prefix are masked", ["10.1.2.3/16"], [], "10.1.99.99", null, TransferDecision.Allowed },
        { "inside a v6 prefix", ["2001:db8::/32"], [], "2001:db8:1::5", null, TransferDecision.Allowed },
        { "v6 single address", ["2001:db8::1"], [], "2001:db8::2", null, TransferDecision.Refused },
        { "v4-mapped client matches v4", ["192.0.2.0/24"], [], "::ffff:192.0.2.7", null, TransferDecision.Allowed },
        { "comma separated in one value", ["192.0.2.1, 198.51.100.0/24"], [], "198.51.100.9", null, TransferDecision.Allowed },
        { "AUTO-NS is ignored", ["AUTO-NS"], [], "192.0.2.1", null, TransferDecision.Refused },
        { "listed key", [], ["xfr-key."], "203.0.113.1", "xfr-key", TransferDecision.Allowed },
        { "key names ignore case and final dot", [], ["XFR-Key"], "203.0.113.1", "xfr-key.", TransferDecision.Allowed },
        { "unlisted key falls back to the address", ["203.0.113.0/24"], ["xfr-key"], "203.0.113.1", "other", TransferDecision.Allowed },
        { "unlisted key from an unlisted address", ["192.0.2.0/24"], ["xfr-key"], "203.0.113.1", "other", TransferDecision.Refused },
        { "keys only: unsigned request refused", [], ["xfr-key"], "127.0.0.1", null, TransferDecision.Refused },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_as_powerdns(string because, string[] allowFrom, string[] keys, string client, string? key, TransferDecision expected)
    {
        var policy = TransferPolicy.FromMetadata(allowFrom, keys);
        Assert.True(expected == policy.Decide(IPAddress.Parse(client), key), because);
    }

    [Theory]
    [InlineData("192.0.2.300")]
    [InlineData("10.0.0.0/33")]
    [InlineData("not-an-address")]
    [InlineData("2001:db8::/129")]
    public void A_bad_address_value_is_named_in_the_error(string bad)
    {
        var e = Assert.Throws<FormatException>(() => TransferPolicy.FromMetadata(["192.0.2.1", bad], []));
        Assert.Contains(bad, e.Message);
        Assert.Contains(TransferPolicy.AllowAxfrFrom, e.Message);
    }

    [Fact]
    public void A_bad_key_name_is_named_in_the_error()
    {
        var e = Assert.Throws<FormatException>(() => TransferPolicy.FromMetadata([], ["a..b"]));
        Assert.Contains("a..b", e.Message);
        Assert.Contains(TransferPolicy.TsigAllowAxfr, e.Message);
    }
}
