using System.Net;
using AkkaDns.Actors.Propagation;

namespace AkkaDns.Cluster.Node;

public enum JournalKind { Sqlite, PostgreSql }

/// <summary>Everything a node needs to start, resolved once from config files, environment and options.</summary>
public sealed record NodeSettings
{
    public const string SystemName = "akkadns";

    public required string DataDir { get; init; }
    public required IPEndPoint Dns { get; init; }
    public required IPEndPoint Api { get; init; }
    public required JournalKind Journal { get; init; }
    public required string ConnectionString { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
    public required DatacenterName Datacenter { get; init; }
    public required IReadOnlyList<string> Seeds { get; init; }
    public required string Hostname { get; init; }
    public required int Port { get; init; }
    /// <summary>The configured key, or null when the node should use/generate DATA/api-key.</summary>
    public string? ApiKey { get; init; }
    public required TimeSpan AskTimeout { get; init; }
    public required TimeSpan StartupTimeout { get; init; }

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    /// <summary>The SQL plugin's provider name for linq2db.</summary>
    public string ProviderName => JournalSettings.ProviderName;

    /// <summary>The journal as the actors' storage layer takes it.</summary>
    public AkkaDns.Actors.Storage.JournalSettings JournalSettings => Journal == JournalKind.Sqlite
        ? new(AkkaDns.Actors.Storage.JournalProvider.Sqlite, ConnectionString)
        : AkkaDns.Actors.Storage.JournalSettings.PostgreSql(ConnectionString);
}

/// <summary>The cluster roles (DESIGN.md "Roles and data flow").</summary>
internal static class NodeRoles
{
    /// <summary>Hosts the zone shard region (the primary data).</summary>
    public const string Zones = "zones";
    /// <summary>One datacenter: serving cache and DNS front end.</summary>
    public const string Edge = "edge";
    public static readonly IReadOnlyList<string> All = [Zones, Edge];
}
