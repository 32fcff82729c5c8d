using System.Collections.Immutable;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

/// <summary>Zone content arriving in chunks (<see cref="ZoneViewChunk"/>), per zone (pure, immutable): a zone is
/// served only once all its chunks of one version are in. A chunk of another version, lineage or count starts the zone over.</summary>
internal sealed record ZoneViewChunks
{
    public static readonly ZoneViewChunks Empty = new();

    private ImmutableDictionary<ZoneId, ImmutableArray<ZoneViewChunk?>> Parts { get; init; } =
        ImmutableDictionary<ZoneId, ImmutableArray<ZoneViewChunk?>>.Empty;

    private ZoneViewChunks() { }

    /// <summary>Adds a chunk; <c>Complete</c> is the whole zone once its last chunk arrived.</summary>
    public (ZoneViewChunks Chunks, ZoneView? Complete) Add(ZoneViewChunk c)
    {
        if (c.Count <= 0 || c.Index < 0 || c.Index >= c.Count) return (this, null);
        if (!Parts.TryGetValue(c.ZoneId, out var parts) || parts.Length != c.Count
            || parts.FirstOrDefault(p => p is not null) is { } other && (other.Version != c.Version || other.Lineage != c.Lineage))
            parts = ImmutableArray.Create(new ZoneViewChunk?[c.Count]);
        parts = parts.SetItem(c.Index, c);
        if (parts.Any(p => p is null)) return (this with { Parts = Parts.SetItem(c.ZoneId, parts) }, null);
        return (this with { Parts = Parts.Remove(c.ZoneId) },
            new ZoneView(c.ZoneId, c.Version, c.Serial, parts.SelectMany(p => p!.Records).ToList()) { Lineage = c.Lineage });
    }

    public bool IsAssembling(ZoneId id) => Parts.ContainsKey(id);

    public ZoneViewChunks Forget(ZoneId id) => Parts.ContainsKey(id) ? this with { Parts = Parts.Remove(id) } : this;
}
