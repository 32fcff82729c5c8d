using System.Globalization;
using System.Net;
using AkkaDns.Resolver.RateLimiting;

namespace AkkaDns.Cluster.Serve;

/// <summary>What <c>akkadns serve</c> was asked to do, checked once at start-up.</summary>
internal sealed record ServeSettings(IReadOnlyList<string> ZoneArguments, IPEndPoint Listen, int MaxUdpPayload, TimeSpan TcpIdleTimeout)
{
    /// <summary>UDP response rate limiting (on by default, loopback exempt by default).</summary>
    public RateLimitOptions RateLimit { get; init; } = new();
    /// <summary>Datagrams per recvmmsg/sendmmsg call on Linux (1: the one-packet loop).</summary>
    public int UdpBatch { get; init; } = 32;

    public const string DefaultListen = "127.0.0.1:5300";

    /// <summary>"ADDRESS:PORT" ("[v6]:PORT" for IPv6). The port is required: a silent default would hide typos.</summary>
    public static bool TryParseListen(string text, out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null; error = null;
        int colon = text.LastIndexOf(':');
        bool hasPort = colon > 0 && colon > text.LastIndexOf(']')
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (!hasPort || !IPEndPoint.TryParse(text, out endpoint))
        {
            error = $"--listen '{text}' is not ADDRESS:PORT (e.g. 127.0.0.1:5300 or [::1]:5300)";
            endpoint = null;
            return false;
        }
        return true;
    }

    /// <summary>RFC 6891 floors the EDNS payload at 512; the 2-byte length caps it at 65535.</summary>
    public static bool TryCheckMaxUdpPayload(int value, out string? error)
    {
        error = value is >= 512 and <= 65535 ? null : $"--max-udp-payload {value} is outside 512..65535";
        return error is null;
    }

    /// <summary>Checks the --rrl-* values; each error names the option and the allowed range.</summary>
    public static bool TryBuildRateLimit(bool off, int rate, int slip, int window, int ipv4Prefix, bool limitLoopback,
        out RateLimitOptions? options, out string? error)
    {
        options = null;
        error = rate is < 1 or > 1_000_000 ? $"--rrl-rate {rate} is outside 1..1000000 responses per second"
            : slip is < 0 or > 100 ? $"--rrl-slip {slip} is outside 0..100 (0 drops every limited response)"
            : window is < 1 or > 3600 ? $"--rrl-window {window} is outside 1..3600 seconds"
            : ipv4Prefix is < 8 or > 32 ? $"--rrl-ipv4-prefix {ipv4Prefix} is outside 8..32"
            : null;
        if (error is not null) return false;
        options = new RateLimitOptions
        {
            Enabled = !off, ResponsesPerSecond = rate, Slip = slip, WindowSeconds = window,
            Ipv4PrefixLength = ipv4Prefix, ExemptLoopback = !limitLoopback,
        };
        return true;
    }
}
