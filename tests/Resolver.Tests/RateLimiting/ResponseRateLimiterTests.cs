using AkkaDns.Resolver.RateLimiting;

namespace AkkaDns.Resolver.Tests.RateLimiting;

public sealed class ResponseRateLimiterTests
{
    private const long Second = 1000; // fake clock: 1,000 ticks a second
    private static readonly byte[] ClientA = [192, 0, 2, 10];
    private static readonly byte[] ClientASameSlash24 = [192, 0, 2, 77];
    private static readonly byte[] ClientB = [198, 51, 100, 1];

    private static ResponseRateLimiter Limiter(int rate = 5, int slip = 2, int window = 1) =>
        new(new RateLimitOptions { ResponsesPerSecond = rate, Slip = slip, WindowSeconds = window, TableSize = 1024 }, Second);

    private static (int send, int drop, int slip) Run(ResponseRateLimiter rrl, byte[] addr, ResponseKind kind, int n, long now)
    {
        int s = 0, d = 0, t = 0;
        for (int i = 0; i < n; i++)
            switch (rrl.Check(addr, kind, now))
            {
                case RateLimitDecision.Send: s++; break;
                case RateLimitDecision.Drop: d++; break;
                default: t++; break;
            }
        return (s, d, t);
    }

    [Fact]
    public void A_flood_from_one_source_is_limited_to_the_rate_and_every_second_limited_response_slips()
    {
        var rrl = Limiter(rate: 5, slip: 2);
        var (send, drop, slip) = Run(rrl, ClientA, ResponseKind.Positive, 105, now: 10 * Second);
        Assert.Equal(5, send);
        Assert.Equal(50, slip);
        Assert.Equal(50, drop);
        Assert.Equal(5, rrl.Sent);
        Assert.Equal(50, rrl.Slipped);
        Assert.Equal(50, rrl.Dropped);
    }

    [Fact]
    public void The_bucket_is_shared_by_the_source_prefix_but_not_by_other_prefixes()
    {
        var rrl = Limiter(rate: 3, slip: 0);
        Assert.Equal(3, Run(rrl, ClientA, ResponseKind.Positive, 10, 0).send);
        Assert.Equal(0, Run(rrl, ClientASameSlash24, ResponseKind.Positive, 10, 0).send);
        Assert.Equal(3, Run(rrl, ClientB, ResponseKind.Positive, 10, 0).send);
    }

    [Fact]
    public void Each_response_kind_has_its_own_bucket()
    {
        var rrl = Limiter(rate: 2, slip: 0);
        Assert.Equal(2, Run(rrl, ClientA, ResponseKind.Positive, 5, 0).send);
        Assert.Equal(2, Run(rrl, ClientA, ResponseKind.NxDomain, 5, 0).send);
    }

    [Fact]
    public void Tokens_come_back_with_time_up_to_rate_times_window()
    {
        var rrl = Limiter(rate: 4, slip: 0, window: 2);
        Assert.Equal(8, Run(rrl, ClientA, ResponseKind.Positive, 20, 0).send);               // fresh bucket: full window
        Assert.Equal(0, Run(rrl, ClientA, ResponseKind.Positive, 5, Second / 2).send);      // half a second: nothing earned
        Assert.Equal(4, Run(rrl, ClientA, ResponseKind.Positive, 20, Second).send);         // one second: one rate's worth
        Assert.Equal(8, Run(rrl, ClientA, ResponseKind.Positive, 20, 100 * Second).send);   // long quiet: capped at the window
    }

    [Fact]
    public void Loopback_is_exempt_by_default_and_limited_when_the_exemption_is_off()
    {
        byte[] loop = [127, 0, 0, 2];
        var exempt = Limiter(rate: 1);
        Assert.Equal(50, Run(exempt, loop, ResponseKind.Positive, 50, 0).send);
        var strict = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 1, Slip = 0, ExemptLoopback = false }, Second);
        Assert.Equal(1, Run(strict, loop, ResponseKind.Positive, 50, 0).send);
    }

    [Fact]
    public void Ipv6_sources_share_a_bucket_per_slash_56()
    {
        var rrl = Limiter(rate: 2, slip: 0);
        byte[] a = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x11, 0, 0, 0, 0, 0, 0, 0, 1];
        byte[] sameSlash56 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x22, 0, 0, 0, 0, 0, 0, 0, 9];
        byte[] other = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 1, 0x00, 0, 0, 0, 0, 0, 0, 0, 1];
        Assert.Equal(2, Run(rrl, a, ResponseKind.Positive, 5, 0).send);
        Assert.Equal(0, Run(rrl, sameSlash56, ResponseKind.Positive, 5, 0).send);
        Assert.Equal(2, Run(rrl, other, ResponseKind.Positive, 5, 0).send);
    }

    [Fact]
    public void Ipv4_mapped_sources_on_a_dual_stack_socket_share_a_bucket_per_slash_24_like_plain_ipv4()
    {
        var rrl = Limiter(rate: 2, slip: 0);
        byte[] mappedA = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 10];
        byte[] mappedOther = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 198, 51, 100, 1];
        Assert.Equal(2, Run(rrl, mappedA, ResponseKind.Positive, 5, 0).send);
        Assert.Equal(0, Run(rrl, ClientASameSlash24, ResponseKind.Positive, 5, 0).send); // same key as the plain IPv4 /24
        Assert.Equal(2, Run(rrl, mappedOther, ResponseKind.Positive, 5, 0).send);       // another /24: its own bucket
    }

    [Fact]
    public void Many_sources_each_keep_their_own_spent_bucket()
    {
        // 200 distinct /24s: each gets exactly its rate, and a second round at the same instant gets nothing
        // (a key that lost or shared its bucket would be sent again from a fresh one).
        var rrl = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 3, Slip = 0 }, Second);
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < 200; i++)
                Assert.Equal(round == 0 ? 3 : 0, Run(rrl, [10, 0, (byte)i, 1], ResponseKind.Positive, 10, 0).send);
    }

    [Fact]
    public void Disabled_limiter_sends_everything()
    {
        var rrl = new ResponseRateLimiter(new RateLimitOptions { Enabled = false, ResponsesPerSecond = 1 }, Second);
        Assert.Equal(100, Run(rrl, ClientA, ResponseKind.Positive, 100, 0).send);
    }

    [Fact]
    public void A_slip_keeps_header_and_question_sets_TC_and_clears_the_sections()
    {
        // id 0x1234, QR AA, 1 question (www.example. A), 1 answer (compressed owner, A 192.0.2.1)
        byte[] response =
        [
            0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0,
            3, (byte)'w', (byte)'w', (byte)'w', 7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 0, 0, 1, 0, 1,
            0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
        ];
        int len = ResponseRateLimiter.MakeSlip(response, response.Length);
        Assert.Equal(29, len);
        Assert.Equal(0x86, response[2]);                 // QR AA TC
        Assert.Equal(1, response[5]);                    // question kept
        Assert.Equal(0, response[7]);                    // no answers
        Assert.Equal(-1, ResponseRateLimiter.MakeSlip(response, 20)); // question cut short
    }

    [Theory]
    [InlineData(0x84, 0x00, 1, 0, ResponseKind.Positive)]
    [InlineData(0x84, 0x00, 0, 1, ResponseKind.NoData)]
    [InlineData(0x80, 0x00, 0, 2, ResponseKind.Referral)]
    [InlineData(0x84, 0x03, 0, 1, ResponseKind.NxDomain)]
    [InlineData(0x80, 0x05, 0, 0, ResponseKind.Error)]
    public void Responses_are_classified_from_their_header(byte flags1, byte flags2, byte an, byte ns, ResponseKind expected)
    {
        byte[] header = [0, 1, flags1, flags2, 0, 1, 0, an, 0, ns, 0, 0];
        Assert.Equal(expected, ResponseKinds.Classify(header));
    }
}
