using Akka.Configuration;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

/// <summary>The <c>akkadns.datacenter</c> section of config/akkadns.conf, typed (topic from <c>akkadns.zones</c>).</summary>
public sealed record DatacenterSettings
{
    public const string ConfigPath = "akkadns.datacenter";

    public DatacenterName Name { get; init; } = DatacenterName.Parse("dc-1");
    /// <summary>How long a request to the catalog or a zone may stay unanswered before it is asked again.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Period of the full re-synchronisation (catalog + catch-up of every zone): repairs lost deltas.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Period of the full sweep: every zone asked for its changes, whatever the catalog's versions say (the
    /// safety net for a lost version report). Also at start and whenever the catalog restarted.</summary>
    public TimeSpan FullResyncInterval { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Most asks to zones in flight at once; the rest queue.</summary>
    public int MaxConcurrentRequests { get; init; } = 64;
    /// <summary>The DistributedPubSub topic of zone deltas.</summary>
    public string Topic { get; init; } = "zone-changes";
    /// <summary>Fail static: folder of this edge's local copy of every zone it serves (<see cref="EdgeSnapshotStore"/>),
    /// loaded at start so an edge restarting while the journal is unreachable still answers; null = no local copy.</summary>
    public string? SnapshotDirectory { get; init; }
    /// <summary>After a zone of at least this many records is compiled whole, one compacting full GC returns the load's
    /// garbage to the machine (<see cref="Memory.HeapCompactor"/>); 0 = never.</summary>
    public int CompactAfterLoadRecords { get; init; } = 100_000;

    public static DatacenterSettings FromConfig(Config config)
    {
        var d = new DatacenterSettings { Topic = ZoneSettings.FromConfig(config).Topic };
        var c = config.GetConfig(ConfigPath);
        if (c is null || c.IsEmpty) return d;
        return d with
        {
            Name = DatacenterName.TryParse(c.GetString("name", d.Name.Value), out var name, out var problem)
                ? name! : throw new ConfigurationException($"{ConfigPath}.name: {problem}"),
            RequestTimeout = c.GetTimeSpan("request-timeout", d.RequestTimeout),
            ResyncInterval = c.GetTimeSpan("resync-interval", d.ResyncInterval),
            FullResyncInterval = c.GetTimeSpan("full-resync-interval", d.FullResyncInterval),
            CompactAfterLoadRecords = c.GetInt("compact-after-load", d.CompactAfterLoadRecords) is var k && k >= 0
                ? k : throw new ConfigurationException($"{ConfigPath}.compact-after-load must be 0 (off) or a record count (got {k})"),
            MaxConcurrentRequests = c.GetInt("max-concurrent-requests", d.MaxConcurrentRequests) is var m && m >= 1
                ? m : throw new Akka.Configuration.ConfigurationException($"{ConfigPath}.max-concurrent-requests must be at least 1 (got {m})"),
        };
    }
}
