using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Actors.Datacenters;

/// <summary>A zone as this edge serves it: the last state that compiled, and what went wrong since, if anything.
/// <see cref="State"/> carries the version, serial and lineage but no records (empty on an edge): the
/// <see cref="Compiled"/> zone is the one copy of them (<see cref="EdgeTableWriter"/>).</summary>
internal sealed record ServedZone(ZoneState State, string? Problem)
{
    public long Version => State.Version;

    /// <summary>What the table serves for this version (null only in tests of the pure sync rules).</summary>
    public CompiledZone? Compiled { get; init; }

    /// <summary>The state with its records read back from the compiled zone, in <see cref="ZoneState"/>'s order: for the
    /// rare event that needs the whole zone (a replacement, a rollback), which costs a pass over the zone anyway.</summary>
    public ZoneState WithRecords() =>
        Compiled is { } z ? State with { Records = ZoneState.Order(z.EnumerateRecords(), State.Id.Name) } : State;
}
