using System.Collections.Immutable;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Propagation;

public enum DrainReason { None, Lag, Failures, Operator }

/// <summary>What the supervisor knows of one datacenter. Immutable.</summary>
internal sealed record DatacenterDelivery(
    DatacenterName Name,
    ImmutableDictionary<ZoneId, long> Acked,
    DateTimeOffset? LastAck,
    int ConsecutiveFailures,
    ImmutableList<string> RecentFailures,
    bool Serving,
    DrainReason Drain,
    string? DrainDetail,
    DateTimeOffset? CaughtUpSince)
{
    /// <summary>When the last delivery failure arrived: a failure run with nothing behind ends after a quiet hold-down.</summary>
    public DateTimeOffset? LastFailure { get; init; }

    public static DatacenterDelivery New(DatacenterName name) =>
        new(name, ImmutableDictionary<ZoneId, long>.Empty, null, 0, ImmutableList<string>.Empty, true, DrainReason.None, null, null);
}
