using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// The serving cache: every zone's current compiled snapshot. One writer publishes or removes zones
/// (swapping an immutable map atomically); any number of readers find the zone for a query name
/// by longest suffix, lock-free.
/// </summary>
public sealed partial class ZoneTable
{
    /// <summary>Publishes (adds or replaces) a zone snapshot atomically.</summary>
    public void Publish(CompiledZone zone) => throw new NotImplementedException();

    /// <summary>Removes a zone; true when it was there.</summary>
    public bool Remove(DnsName origin) => throw new NotImplementedException();

    /// <summary>The zones served now.</summary>
    public IReadOnlyCollection<CompiledZone> Zones => throw new NotImplementedException();

    /// <summary>The zone whose origin is the longest suffix of <paramref name="name"/>, or null.</summary>
    public CompiledZone? FindZone(DnsName name) => throw new NotImplementedException();
}
