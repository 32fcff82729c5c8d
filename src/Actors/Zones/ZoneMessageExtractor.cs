using Akka.Cluster.Sharding;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// Routes <see cref="IWithZoneId"/> messages to the zone's entity. The shard comes from the base class's stable hash
/// of the entity id (never <c>string.GetHashCode()</c>, which differs between processes), and the base class also
/// handles <c>ShardRegion.StartEntity</c>; this class only maps our messages to an id.
/// </summary>
internal sealed class ZoneMessageExtractor(int maxNumberOfShards) : HashCodeMessageExtractor(maxNumberOfShards)
{
    public override string? EntityId(object message) => message is IWithZoneId z ? z.ZoneId.Value : null;
}
