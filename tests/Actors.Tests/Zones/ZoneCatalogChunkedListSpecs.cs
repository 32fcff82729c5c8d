using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Tests.Propagation;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using Xunit.Abstractions;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>
/// Thousands of zones make the catalog's list larger than one frame (10,000 zones ≈ 350 kB against Akka.Remote's
/// 128,000 bytes): the catalog then answers in chunks, and <see cref="ChunkedReply.Ask"/> puts the list together.
/// The chunk size is set to the minimum (1 kB) so a few hundred zones are enough to need many chunks.
/// </summary>
public sealed class ZoneCatalogChunkedListSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public ZoneCatalogChunkedListSpecs(ITestOutputHelper output)
        : base(new SqliteTestJournal(), "catalog-chunks", output,
            overlay: ConfigurationFactory.ParseString("akkadns.propagation.chunk-size = 1024"), fallback: PropagationTestConfig.Shipped,
            joinCluster: false)
    {
    }

    [Fact]
    public async Task A_list_larger_than_the_chunk_size_arrives_whole_through_ChunkedReply()
    {
        var catalog = Sys.ActorOf(ZoneCatalog.PropsFor(new ZoneSettings()));
        var names = Enumerable.Range(0, 300).Select(i => ZoneId.Parse($"zone-{i:D4}.example.")).ToList();
        foreach (var id in names) await catalog.Ask<ZoneRegistered>(new RegisterZone(id, 1, true), Timeout);

        // A plain Ask takes the first chunk only: proof that the list really travels in pieces.
        var first = await catalog.Ask<object>(ListZones.Instance, Timeout);
        Assert.IsType<TransferChunk>(first);

        var whole = await ChunkedReply.Ask(Sys, catalog, ListZones.Instance, Timeout);
        var list = Assert.IsType<ZoneList>(whole);
        Assert.Equal(names.OrderBy(n => n).ToList(), list.Zones.Select(z => z.ZoneId).OrderBy(n => n).ToList());
    }
}
