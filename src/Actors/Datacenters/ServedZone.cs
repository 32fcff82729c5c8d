using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

/// <summary>A zone as this edge serves it: the last state that compiled, and what went wrong since, if anything.</summary>
internal sealed record ServedZone(ZoneState State, string? Problem)
{
    public long Version => State.Version;
}
