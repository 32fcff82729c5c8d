namespace AkkaDns.Actors.Propagation.Fencing;

/// <summary>
/// Self-fencing of an edge (config <c>akkadns.propagation.fence</c>, env AKKADNS_FENCE=off). An edge answers only
/// while it holds a lease: granted by the supervisor (which says whether this datacenter serves), or, while the
/// supervisor is silent for everyone, by a majority of the edges. See <see cref="EdgeFenceRules"/>.
/// </summary>
public sealed record FenceOptions
{
    public bool Enabled { get; init; } = true;
    /// <summary>How long one grant lets the edge answer, counted from when it asked (default: the supervisor's max-lag).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How often the edge asks the supervisor and its peers.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long a freshly started edge answers before its first grant (the serving gate still applies).</summary>
    public TimeSpan StartupGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A peer that heard the supervisor less than this long ago proves the control plane is up.</summary>
    public TimeSpan Fresh => Lease / 2;
}
