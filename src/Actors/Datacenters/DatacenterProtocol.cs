using AkkaDns.Actors.Serialization;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

public static class DatacenterProtocol
{
    /// <summary>Replies <see cref="EdgeZones"/>.</summary>
    public sealed record GetEdgeZones : IAkkaDnsMessage
    {
        public static readonly GetEdgeZones Instance = new();
    }

    /// <summary>One zone as this datacenter serves it. <see cref="Problem"/> is set when a newer version could not be
    /// applied (it keeps serving <see cref="Version"/>: fail static); <see cref="Pending"/> when it is catching up.</summary>
    public sealed record HeldZone(ZoneId ZoneId, long Version, uint Serial, int RecordCount, bool Pending, string? Problem);

    /// <summary>What the datacenter serves now. <see cref="Loaded"/> turns true once the start-up load completed.</summary>
    public sealed record EdgeZones(Propagation.DatacenterName Datacenter, bool Loaded, IReadOnlyList<HeldZone> Zones) : IAkkaDnsMessage;
}
