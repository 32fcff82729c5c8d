using Akka.Configuration;

namespace AkkaDns.Actors.Zones;

/// <summary>The <c>akkadns.zones</c> section of config/akkadns.conf, typed.</summary>
public sealed record ZoneSettings
{
    public const string ConfigPath = "akkadns.zones";
    public const string CatalogName = "zone-catalog";

    public string Role { get; init; } = "zones";
    public string TypeName { get; init; } = "zone";
    public int ShardCount { get; init; } = 100;
    public int SnapshotEvery { get; init; } = 100;
    public string Topic { get; init; } = "zone-changes";
    public TimeSpan CatalogRetry { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Largest payload sent in one cross-node message (deltas, zone chunks), well below Akka.Remote's
    /// maximum-frame-size (128000 bytes by default): larger content goes in chunks.</summary>
    public long MaxMessageBytes { get; init; } = 64000;
    /// <summary>The blast-radius guard (<c>akkadns.safeguards</c>).</summary>
    public BlastRadiusSettings Guard { get; init; } = BlastRadiusSettings.Default;
    /// <summary>The zone actors' clock (change times, held changes and their expiry); tests pass a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Signing (<c>akkadns.dnssec</c>).</summary>
    public DnssecSettings Dnssec { get; init; } = DnssecSettings.Default;
    /// <summary>The node's DNSSEC key-encryption key; null where none was given (signing refused there). Set at start-up
    /// from <see cref="DnssecSettings.Kek"/> or DATA/dnssec-kek.</summary>
    public KeyProtector? KeyProtector { get; init; }
    /// <summary>How often the <see cref="DnssecWatch"/> looks for zones whose signatures or keys are due.</summary>
    public TimeSpan DnssecWatchInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>After a whole-zone event (creation, replacement, rollback, signing…) or the recovery of a zone of at least
    /// this many records, one compacting full GC returns the load's garbage (<see cref="Memory.HeapCompactor"/>); 0 = never.</summary>
    public int CompactAfterLoadRecords { get; init; } = 100_000;

    /// <summary>Reads <c>akkadns.zones</c> from a full configuration; missing keys keep the defaults above.</summary>
    public static ZoneSettings FromConfig(Config config)
    {
        var d = new ZoneSettings();
        var c = config.GetConfig(ConfigPath);
        if (c is null || c.IsEmpty) return d;
        var s = new ZoneSettings
        {
            Role = c.GetString("role", d.Role),
            TypeName = c.GetString("type-name", d.TypeName),
            ShardCount = c.GetInt("shard-count", d.ShardCount),
            SnapshotEvery = c.GetInt("snapshot-every", d.SnapshotEvery),
            Topic = c.GetString("topic", d.Topic),
            CatalogRetry = c.GetTimeSpan("catalog-retry", d.CatalogRetry),
            MaxMessageBytes = c.GetByteSize("max-message-bytes") ?? d.MaxMessageBytes,
            Guard = BlastRadiusSettings.FromConfig(config),
            Dnssec = DnssecSettings.FromConfig(config),
            DnssecWatchInterval = c.GetTimeSpan("dnssec-watch-interval", d.DnssecWatchInterval),
            CompactAfterLoadRecords = c.GetInt("compact-after-load", d.CompactAfterLoadRecords),
        };
        if (s.CompactAfterLoadRecords < 0)
            throw new ConfigurationException($"{ConfigPath}.compact-after-load must be 0 (off) or a record count (is {s.CompactAfterLoadRecords})");
        if (s.ShardCount < 1) throw new ConfigurationException($"{ConfigPath}.shard-count must be at least 1 (is {s.ShardCount})");
        if (s.MaxMessageBytes < 1024) throw new ConfigurationException($"{ConfigPath}.max-message-bytes must be at least 1024 (is {s.MaxMessageBytes})");
        if (s.SnapshotEvery < 1) throw new ConfigurationException($"{ConfigPath}.snapshot-every must be at least 1 (is {s.SnapshotEvery})");
        return s;
    }
}
