using System.Collections;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Actors.Datacenters;

/// <summary>A compiled zone's records as a collection that is walked, never stored: what the local copy's writer
/// writes from, on its own thread (a compiled zone is immutable, so that is safe while newer versions are served).</summary>
internal sealed class CompiledRecords(CompiledZone zone) : IReadOnlyCollection<ResourceRecord>
{
    private int _count = -1;

    public int Count => _count >= 0 ? _count : _count = zone.CountRecords();

    public IEnumerator<ResourceRecord> GetEnumerator() => zone.EnumerateRecords().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
