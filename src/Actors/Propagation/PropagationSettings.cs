using Akka.Configuration;
using AkkaDns.Actors.Chunking;

namespace AkkaDns.Actors.Propagation;

/// <summary>The fault switch for tests: an edge that drops or delays deltas (config <c>akkadns.propagation.fault</c>, env AKKADNS_FAULT).</summary>
public enum FaultMode { None, DropDeltas, DelayDeltas }

/// <summary>Typed <c>akkadns.propagation</c> settings (config/propagation.conf), environment overrides applied.</summary>
public sealed record PropagationSettings
{
    public int ChunkSize { get; init; } = 65536;
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public LagPolicyOptions Policy { get; init; } = new();
    public TimeSpan EvaluateInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(2);
    public FaultMode Fault { get; init; } = FaultMode.None;
    public TimeSpan FaultDelay { get; init; } = TimeSpan.FromSeconds(10);
    public Fencing.FenceOptions Fence { get; init; } = new();

    public static string ConfigFile(string configDir) => Path.Combine(configDir, "propagation.conf");

    /// <summary>Reads <c>akkadns.propagation</c> from <paramref name="config"/>; AKKADNS_FAULT / AKKADNS_FAULT_DELAY win.</summary>
    public static PropagationSettings From(Config config, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var p = config.GetConfig("akkadns.propagation") ?? Config.Empty;
        var s = p.GetConfig("supervisor") ?? Config.Empty;
        var e = p.GetConfig("edge") ?? Config.Empty;
        var d = new PropagationSettings();
        var chunking = ChunkingSettings.From(config);

        var faultText = environment("AKKADNS_FAULT") is { Length: > 0 } env ? env : p.HasPath("fault") ? p.GetString("fault") : "none";
        var fault = ParseFault(faultText);
        var delayText = environment("AKKADNS_FAULT_DELAY");
        var delay = delayText is { Length: > 0 } ? ParseDelay(delayText) : p.HasPath("fault-delay") ? p.GetTimeSpan("fault-delay") : d.FaultDelay;

        // For tests and operators without a config file: AKKADNS_PROPAGATION_MAX_LAG=2s and friends win.
        TimeSpan Span(string env, Config c, string key, TimeSpan fallback) =>
            environment(env) is { Length: > 0 } v ? ParseDelay(v) : c.HasPath(key) ? c.GetTimeSpan(key) : fallback;
        int Int(string env, Config c, string key, int fallback) =>
            environment(env) is { Length: > 0 } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : c.HasPath(key) ? c.GetInt(key) : fallback;
        double Dbl(string env, Config c, string key, double fallback) =>
            environment(env) is { Length: > 0 } v ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : c.HasPath(key) ? c.GetDouble(key) : fallback;

        var maxLag = Span("AKKADNS_PROPAGATION_MAX_LAG", s, "max-lag", d.Policy.MaxLag);
        var f = p.GetConfig("fence") ?? Config.Empty;
        var fenceText = environment("AKKADNS_FENCE") is { Length: > 0 } fe ? fe : f.HasPath("enabled") ? f.GetString("enabled") : "on";
        var fenceLease = f.HasPath("lease") && f.GetTimeSpan("lease") > TimeSpan.Zero ? f.GetTimeSpan("lease") : maxLag;
        var probe = f.HasPath("probe-interval") ? f.GetTimeSpan("probe-interval") : TimeSpan.FromMilliseconds(500);
        if (probe <= TimeSpan.Zero || probe * 2 >= fenceLease)
            throw new ConfigurationException($"akkadns.propagation.fence.probe-interval: {probe} must be above 0 and below half the lease ({fenceLease})");
        var fence = new Fencing.FenceOptions
        {
            Enabled = fenceText.Trim().ToLowerInvariant() switch
            {
                "on" or "true" or "yes" => true,
                "off" or "false" or "no" => false,
                _ => throw new ConfigurationException($"akkadns.propagation.fence.enabled (or AKKADNS_FENCE): '{fenceText}' is not on or off"),
            },
            Lease = fenceLease,
            ProbeInterval = probe,
            StartupGrace = f.HasPath("startup-grace") && f.GetTimeSpan("startup-grace") > TimeSpan.Zero ? f.GetTimeSpan("startup-grace") : fenceLease,
        };

        return new PropagationSettings
        {
            Fence = fence,
            ChunkSize = chunking.ChunkSize,
            TransferTimeout = chunking.TransferTimeout,
            Policy = new LagPolicyOptions
            {
                MaxLag = maxLag,
                MaxConsecutiveFailures = Int("AKKADNS_PROPAGATION_MAX_FAILURES", s, "max-consecutive-failures", d.Policy.MaxConsecutiveFailures),
                HoldDown = Span("AKKADNS_PROPAGATION_HOLD_DOWN", s, "hold-down", d.Policy.HoldDown),
                FloorCount = Int("AKKADNS_PROPAGATION_FLOOR_COUNT", s, "floor-count", d.Policy.FloorCount),
                FloorShare = Dbl("AKKADNS_PROPAGATION_FLOOR_SHARE", s, "floor-share", d.Policy.FloorShare),
            },
            EvaluateInterval = s.HasPath("evaluate-interval") ? s.GetTimeSpan("evaluate-interval") : d.EvaluateInterval,
            AckInterval = e.HasPath("ack-interval") ? e.GetTimeSpan("ack-interval") : d.AckInterval,
            ReportInterval = e.HasPath("report-interval") ? e.GetTimeSpan("report-interval") : d.ReportInterval,
            Fault = fault,
            FaultDelay = delay,
        };
    }

    public static FaultMode ParseFault(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "" => FaultMode.None,
        "drop-deltas" => FaultMode.DropDeltas,
        "delay-deltas" => FaultMode.DelayDeltas,
        _ => throw new ConfigurationException($"akkadns.propagation.fault (or AKKADNS_FAULT): '{text}' is not one of none, drop-deltas, delay-deltas"),
    };

    private static TimeSpan ParseDelay(string text) =>
        ConfigurationFactory.ParseString($"v = {text}").GetTimeSpan("v");
}
