namespace AkkaDns.Cluster.Node;

/// <summary>What the operator gave on the command line; null means "not given" (fall back to env, then config).</summary>
public sealed record NodeOptions
{
    public string? ConfigFile { get; init; }
    public string? Data { get; init; }
    public string? Dns { get; init; }
    public string? Api { get; init; }
    public string? Journal { get; init; }
    public string? Connection { get; init; }
    public string? Roles { get; init; }
    public string? Datacenter { get; init; }
    public IReadOnlyList<string>? Seeds { get; init; }
    public int? Port { get; init; }
}
