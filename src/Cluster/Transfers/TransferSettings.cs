using Akka.Configuration;

namespace AkkaDns.Cluster.Transfers;

/// <summary>The <c>akkadns.transfer</c> section of config/akkadns.conf, typed and checked.</summary>
internal sealed record TransferSettings
{
    public const string ConfigPath = "akkadns.transfer";

    public int IxfrHistory { get; init; } = 1000;
    public int MessageBytes { get; init; } = 16384;
    public bool Notify { get; init; } = true;
    public TimeSpan NotifyInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan NotifyMaxInterval { get; init; } = TimeSpan.FromSeconds(60);
    public int NotifyRetries { get; init; } = 5;
    /// <summary>An acknowledged NOTIFY is sent once more when the target has not transferred the new serial from this
    /// edge by then (a secondary busy with the previous refresh may set a NOTIFY aside); 0 turns it off.</summary>
    public TimeSpan NotifyConfirm { get; init; } = TimeSpan.FromMilliseconds(400);

    public static TransferSettings FromConfig(Config config)
    {
        var d = new TransferSettings();
        var c = config.GetConfig(ConfigPath);
        if (c is null || c.IsEmpty) return d;
        var s = d with
        {
            IxfrHistory = c.GetInt("ixfr-history", d.IxfrHistory),
            MessageBytes = c.GetInt("message-bytes", d.MessageBytes),
            Notify = c.GetBoolean("notify", d.Notify),
            NotifyInterval = c.GetTimeSpan("notify-interval", d.NotifyInterval),
            NotifyMaxInterval = c.GetTimeSpan("notify-max-interval", d.NotifyMaxInterval),
            NotifyRetries = c.GetInt("notify-retries", d.NotifyRetries),
            NotifyConfirm = c.GetTimeSpan("notify-confirm", d.NotifyConfirm, allowInfinite: false),
        };
        if (s.IxfrHistory < 1) throw new ConfigurationException($"{ConfigPath}.ixfr-history must be at least 1 (got {s.IxfrHistory})");
        if (s.MessageBytes is < 512 or > 65535) throw new ConfigurationException($"{ConfigPath}.message-bytes must be 512..65535 (got {s.MessageBytes})");
        if (s.NotifyConfirm < TimeSpan.Zero) throw new ConfigurationException($"{ConfigPath}.notify-confirm must not be negative (got {s.NotifyConfirm})");
        if (s.NotifyRetries < 0) throw new ConfigurationException($"{ConfigPath}.notify-retries must not be negative (got {s.NotifyRetries})");
        if (s.NotifyInterval <= TimeSpan.Zero || s.NotifyMaxInterval < s.NotifyInterval)
            throw new ConfigurationException($"{ConfigPath}.notify-interval must be positive and at most notify-max-interval");
        return s;
    }
}
