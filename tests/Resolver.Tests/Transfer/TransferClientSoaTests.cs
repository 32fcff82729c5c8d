using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Resolver.Tests.Transfer.FakeMaster;
using static AkkaDns.Resolver.Tests.Transfer.TransferClientKit;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig;

namespace AkkaDns.Resolver.Tests.Transfer;

/// <summary>The SOA probe of <see cref="TransferClient"/>: signed UDP, TCP after TC, and its failures.</summary>
[Collection(TransferClientKit.Collection)]
public sealed class TransferClientSoaTests
{
    [Fact]
    public async Task The_SOA_probe_reads_the_serial_over_signed_UDP()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[Soa(2026120301)]]), Key);
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal((2026120301u, TransferFailure.None), (probe.Serial, probe.Failure));
        var seen = Assert.Single(master.Seen);
        Assert.Equal(("udp", RecordType.SOA, TsigStatus.Ok, false), (seen.Transport, seen.Type, seen.Tsig.Status, seen.Message.RecursionDesired));
        Assert.Equal((ushort)1232, seen.Message.Edns!.UdpPayloadSize);
    }

    [Fact]
    public async Task A_truncated_SOA_answer_is_asked_again_over_TCP()
    {
        await using var master = new FakeMaster(q => q.Transport == "udp"
            ? Answer(q, Rcode.NoError, [[]], truncated: true)
            : Answer(q, Rcode.NoError, [[Soa(42)]]), Key);
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal((42u, TransferFailure.None), (probe.Serial, probe.Failure));
        Assert.Equal(new[] { "udp", "tcp" }, master.Seen.Select(q => q.Transport));
    }

    [Fact]
    public async Task A_refused_SOA_query_says_who_refused_what()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.Refused, []));
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(((uint?)null, TransferFailure.Refused), (probe.Serial, probe.Failure));
        Assert.Equal($"{master.EndPoint} refused the SOA query for example.com.", probe.Message);
    }

    [Theory]
    [InlineData(Rcode.ServFail, TransferFailure.ServFail)]
    [InlineData(Rcode.NotImp, TransferFailure.NotImplemented)]
    [InlineData(Rcode.NXDomain, TransferFailure.OtherRcode)]
    public async Task SOA_error_rcodes_map_to_failures(Rcode rcode, TransferFailure expected)
    {
        await using var master = new FakeMaster(q => Answer(q, rcode, []));
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(expected, probe.Failure);
        Assert.Contains("example.com.", probe.Message);
    }

    [Fact]
    public async Task An_SOA_answer_with_a_wrong_MAC_is_TsigFailed()
    {
        await using var master = new FakeMaster(q =>
        {
            var answer = Answer(q, Rcode.NoError, [[Soa(3)]]);
            answer[0][3] ^= 0x80;
            return answer;
        }, Key);
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal(TransferFailure.TsigFailed, probe.Failure);
        Assert.Contains("wrong TSIG MAC", probe.Message);
    }

    [Fact]
    public async Task An_unsigned_SOA_answer_to_a_signed_query_is_TsigFailed()
    {
        await using var master = new FakeMaster(q => Answer(q with { Tsig = TsigCodec.VerifyRequest([], new TsigKeyStore(), DateTimeOffset.UtcNow) }, Rcode.NoError, [[Soa(3)]]));
        var probe = await Client().QuerySoaAsync(Source(master, Key), Origin);
        Assert.Equal(TransferFailure.TsigFailed, probe.Failure);
        Assert.Contains("is not signed", probe.Message);
    }

    [Fact]
    public async Task An_SOA_answer_for_another_owner_is_Malformed()
    {
        await using var master = new FakeMaster(q => Answer(q, Rcode.NoError, [[Rr("sub 3600 SOA ns1 hostmaster 5 1 1 1 1")]]));
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(TransferFailure.Malformed, probe.Failure);
    }

    [Fact]
    public async Task A_silent_master_is_an_SOA_Timeout_after_two_tries()
    {
        await using var master = new FakeMaster(q => []);
        var probe = await Client().QuerySoaAsync(Source(master), Origin);
        Assert.Equal(TransferFailure.Timeout, probe.Failure);
        Assert.Equal(2, master.Seen.Count);
        Assert.Contains("2 tries", probe.Message);
    }
}
