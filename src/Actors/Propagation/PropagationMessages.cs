using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Propagation;

/// <summary>Marker of every propagation message; config/propagation.conf binds it to <see cref="PropagationSerializer"/>.</summary>
public interface IPropagationMessage;

/// <summary>Datacenter <paramref name="Datacenter"/> serves <paramref name="Zone"/> at <paramref name="Version"/> since <paramref name="When"/>.</summary>
internal sealed record DeliveryAck(DatacenterName Datacenter, ZoneId Zone, long Version, DateTimeOffset When) : IPropagationMessage;

/// <summary>A delivery to a datacenter failed: a transfer that never completed, an apply that threw, data that failed validation.</summary>
internal sealed record DeliveryFailure(DatacenterName Datacenter, ZoneId Zone, string What, DateTimeOffset When) : IPropagationMessage;

/// <summary>
/// What an edge serves now (zone → version), sent when it changes and as a heartbeat, so a supervisor that moved to
/// another node (singleton hand-over) rebuilds its ledger without waiting for the next change.
/// </summary>
internal sealed record DatacenterReport(DatacenterName Datacenter, IReadOnlyDictionary<ZoneId, long> Versions, DateTimeOffset When) : IPropagationMessage;

/// <summary>A zone reached <paramref name="Version"/> (or was deleted): every datacenter now owes an ack for it.</summary>
public sealed record ZoneVersionPublished(ZoneId Zone, long Version, bool Deleted, DateTimeOffset At) : IPropagationMessage;

/// <summary>Operator verbs; both reply <see cref="OperatorReply"/>.</summary>
public sealed record DrainDatacenter(DatacenterName Name) : IPropagationMessage;
public sealed record UndrainDatacenter(DatacenterName Name) : IPropagationMessage;
public sealed record OperatorReply(DatacenterName Name, bool Ok, string Message) : IPropagationMessage;

/// <summary>Replies <see cref="DeliveryStatusReport"/>.</summary>
public sealed record GetDeliveryStatus : IPropagationMessage
{
    public static readonly GetDeliveryStatus Instance = new();
}

/// <summary>One datacenter as the supervisor sees it.</summary>
public sealed record DatacenterStatus(
    DatacenterName Name,
    bool Serving,
    string Drain,
    string? Why,
    long VersionsBehind,
    int ZonesBehind,
    double SecondsBehind,
    DateTimeOffset? LastAck,
    int ConsecutiveFailures,
    IReadOnlyList<string> RecentFailures,
    string? Alert);

public sealed record DeliveryStatusReport(
    DateTimeOffset At, int Floor, IReadOnlyList<DatacenterStatus> Datacenters, IReadOnlyList<string> Alerts) : IPropagationMessage;
