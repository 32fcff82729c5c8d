using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Tests.Support;

/// <summary>Typed ids from text, for tests that name many datacenters and zones (<c>using static</c>).</summary>
internal static class Ids
{
    public static DatacenterName Dc(string name) => DatacenterName.Parse(name);
    public static ZoneId Zid(string name) => ZoneId.Parse(name);
}
