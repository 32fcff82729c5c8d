namespace AkkaDns.Resolver.RateLimiting;

/// <summary>
/// Response rate limiting settings (Knot's rrl module, BIND's rate-limit). Defaults follow Knot: 20 responses per
/// second per bucket, slip 2 (every 2nd limited response goes out truncated so real clients retry over TCP).
/// </summary>
public sealed record RateLimitOptions
{
    public bool Enabled { get; init; } = true;
    /// <summary>Responses per second allowed per (source prefix, response kind).</summary>
    public int ResponsesPerSecond { get; init; } = 20;
    /// <summary>Seconds of credit a quiet bucket may bank (burst allowance = rate × window).</summary>
    public int WindowSeconds { get; init; } = 1;
    /// <summary>Every Nth limited response is sent truncated (TC=1); 0 drops them all; 1 truncates all.</summary>
    public int Slip { get; init; } = 2;
    public int Ipv4PrefixLength { get; init; } = 24;
    public int Ipv6PrefixLength { get; init; } = 56;
    /// <summary>Buckets in the table (fixed size: no allocation under a flood).</summary>
    public int TableSize { get; init; } = 65536;
    /// <summary>Loopback sources are exempt unless this is false (tests and local benchmarks turn it off).</summary>
    public bool ExemptLoopback { get; init; } = true;
}
