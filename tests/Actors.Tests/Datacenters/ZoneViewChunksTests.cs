using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Tests.Support.Records;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>Zone content in chunks: served only once every chunk of one version is in.</summary>
public sealed class ZoneViewChunksTests
{
    private static readonly ZoneId Zone = ZoneId.Parse("example.com.");

    private static ZoneViewChunk Chunk(long version, int index, int count) =>
        new(Zone, version, (uint)version, index, count, [A($"h{index}.example.com.", $"192.0.2.{index + 1}")]);

    [Fact]
    public void The_zone_is_complete_once_every_chunk_arrived_in_any_order()
    {
        var (c, view) = ZoneViewChunks.Empty.Add(Chunk(3, 2, 3));
        Assert.Null(view);
        (c, view) = c.Add(Chunk(3, 0, 3));
        Assert.Null(view);
        Assert.True(c.IsAssembling(Zone));
        (c, view) = c.Add(Chunk(3, 1, 3));
        Assert.NotNull(view);
        Assert.Equal((3L, 3u), (view.Version, view.Serial));
        Assert.Equal([N("h0.example.com."), N("h1.example.com."), N("h2.example.com.")], view.Records.Select(r => r.Owner));
        Assert.False(c.IsAssembling(Zone));
    }

    [Fact]
    public void A_chunk_of_another_version_starts_the_zone_over()
    {
        var (c, _) = ZoneViewChunks.Empty.Add(Chunk(3, 0, 2));
        (c, var view) = c.Add(Chunk(4, 1, 2));
        Assert.Null(view);
        (_, view) = c.Add(Chunk(4, 0, 2));
        Assert.Equal(4, view!.Version);
    }

    [Fact]
    public void A_chunk_out_of_range_is_dropped_and_a_removed_zone_forgotten()
    {
        Assert.Same(ZoneViewChunks.Empty, ZoneViewChunks.Empty.Add(Chunk(3, 2, 2)).Chunks);
        var (c, _) = ZoneViewChunks.Empty.Add(Chunk(3, 0, 2));
        Assert.False(c.Forget(Zone).IsAssembling(Zone));
    }
}
