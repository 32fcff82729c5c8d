namespace AkkaDns.Actors.Secondaries;

/// <summary>The <c>akkadns.secondary</c> section of config/akkadns.conf.</summary>
public sealed record SecondarySettings
{
    public const string ConfigPath = "akkadns.secondary";

    public ExpirePolicy DefaultPolicy { get; init; } = ExpirePolicy.Stop;
    public SecondaryTiming Timing { get; init; } = new();
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);

    public static SecondarySettings FromConfig(Akka.Configuration.Config config)
    {
        var d = new SecondarySettings();
        var c = config.GetConfig(ConfigPath);
        if (c is null || c.IsEmpty) return d;
        var policy = c.GetString("expire-policy", "stop");
        if (policy is not ("stop" or "serve"))
            throw new Akka.Configuration.ConfigurationException($"{ConfigPath}.expire-policy must be 'stop' or 'serve' (got '{policy}')");
        var timing = new SecondaryTiming
        {
            MinRefresh = c.GetTimeSpan("min-refresh", d.Timing.MinRefresh),
            MaxRefresh = c.GetTimeSpan("max-refresh", d.Timing.MaxRefresh),
            MinRetry = c.GetTimeSpan("min-retry", d.Timing.MinRetry),
            InitialRetry = c.GetTimeSpan("initial-retry", d.Timing.InitialRetry),
            MaxInFlight = c.GetInt("max-in-flight", d.Timing.MaxInFlight),
        };
        if (timing.MaxInFlight < 1) throw new Akka.Configuration.ConfigurationException($"{ConfigPath}.max-in-flight must be at least 1");
        if (timing.MinRefresh <= TimeSpan.Zero || timing.MaxRefresh < timing.MinRefresh || timing.MinRetry <= TimeSpan.Zero)
            throw new Akka.Configuration.ConfigurationException($"{ConfigPath}: min-refresh and min-retry must be positive, max-refresh at least min-refresh");
        return d with { DefaultPolicy = policy == "serve" ? ExpirePolicy.Serve : ExpirePolicy.Stop, Timing = timing, Tick = c.GetTimeSpan("tick", d.Tick) };
    }
}
