namespace AkkaDns.Actors.Propagation;

/// <summary>Thresholds of the delivery supervisor (config section <c>akkadns.propagation</c>).</summary>
public sealed record LagPolicyOptions
{
    /// <summary>A datacenter whose oldest un-acked change is older than this is drained.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Consecutive delivery failures that drain a datacenter.</summary>
    public int MaxConsecutiveFailures { get; init; } = 3;
    /// <summary>How long a drained datacenter must stay caught up before it serves again.</summary>
    public TimeSpan HoldDown { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Never fewer serving datacenters than this count …</summary>
    public int FloorCount { get; init; } = 1;
    /// <summary>… nor than this share of all known datacenters (rounded up).</summary>
    public double FloorShare { get; init; } = 0.5;

    public int Floor(int total) => Math.Min(total, Math.Max(FloorCount, (int)Math.Ceiling(FloorShare * total)));
}
