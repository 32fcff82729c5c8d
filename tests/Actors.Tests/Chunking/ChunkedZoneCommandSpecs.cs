using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.ZoneFiles;
using Xunit.Abstractions;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Chunking;

/// <summary>
/// A zone command larger than the chunk size travels as <see cref="ZoneCommandChunk"/>s through the shard region and
/// is applied once whole (one version), with one small reply. On a real journal (SQLite) and a one-node cluster with
/// remoting, so <see cref="ChunkedTransport.Prepare"/> really splits.
/// </summary>
public sealed class ChunkedZoneCommandSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const int ChunkSize = 4096;
    private IActorRef _region = ActorRefs.Nobody;

    public ChunkedZoneCommandSpecs(ITestOutputHelper output)
        : base(new SqliteTestJournal(), "chunked-commands", output, fallback: PropagationTestConfig.Shipped)
    {
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_region, _, _) = SingleNode.StartZones(Sys);
    }

    private static string MasterFile(string zone, int hosts, string prefix = "10.0")
    {
        var text = new StringBuilder($"$ORIGIN {zone}\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n");
        for (int i = 0; i < hosts; i++) text.Append($"h{i} IN A {prefix}.{i >> 8 & 255}.{i & 255}\n");
        return text.ToString();
    }

    private Task<object> AskChunked(IZoneCommand command) =>
        ChunkedTransport.Ask(Sys, _region, command, c => new ZoneCommandChunk(command.ZoneId, c), ChunkSize, Timeout);

    [Fact]
    public async Task A_create_and_a_replace_larger_than_the_chunk_size_go_in_pieces_and_apply_whole_as_one_version()
    {
        var id = ZoneId.Parse("chunked.example.");
        var create = new CreateZone(id, [], [], "test", MasterFile: MasterFile("chunked.example.", 2000));
        Assert.True(ChunkedTransport.Prepare(Sys, create, ChunkSize).Count > 5, "the command must be many chunks");

        var created = Assert.IsType<ZoneCommandResult.Accepted>(await AskChunked(create));
        Assert.Equal(1, created.Version);

        var replaced = Assert.IsType<ZoneCommandResult.Accepted>(
            await AskChunked(new ReplaceZone(id, MasterFile("chunked.example.", 3000), "test"))); // adds 1000 (removing would be held)
        Assert.Equal(2, replaced.Version);

        var view = Assert.IsType<ZoneView>(await _region.Ask<object>(new GetZone(id), Timeout));
        Assert.Equal(2, view.Version);
        Assert.Equal(3000 + 3, view.Records.Count);
        Assert.Contains(view.Records, r => r.ToString().Contains("h2999.chunked.example.") && r.ToString().Contains("10.0.11.183"));
    }

    [Fact]
    public async Task A_small_command_goes_whole_and_a_large_invalid_one_gets_a_bounded_rejection()
    {
        var id = ZoneId.Parse("small.example.");
        var create = new CreateZone(id, [], [], "test", MasterFile: MasterFile("small.example.", 3));
        Assert.Same(create, Assert.Single(ChunkedTransport.Prepare(Sys, create, ChunkSize)));
        Assert.IsType<ZoneCommandResult.Accepted>(await AskChunked(create));

        // 3000 CNAMEs beside A records: 3000 problems. The reply must still fit in one chunk.
        var bad = new StringBuilder(MasterFile("small.example.", 3000));
        for (int i = 0; i < 3000; i++) bad.Append($"h{i} IN CNAME elsewhere.example.\n");
        var reply = Assert.IsType<ZoneCommandResult.Rejected>(await AskChunked(new ReplaceZone(id, bad.ToString(), "test")));
        Assert.Equal(ZoneRejection.Invalid, reply.Reason);
        Assert.InRange(reply.Problems.Count, 1, ZoneCommandResult.MaxProblems);
        Assert.Contains("problems; the first", reply.Message);
        var serializer = Sys.Serialization.FindSerializerFor(reply);
        Assert.True(serializer.ToBinary(reply).Length < 65536, "the rejection must fit in one message");

        var view = Assert.IsType<ZoneView>(await _region.Ask<object>(new GetZone(id), Timeout));
        Assert.Equal(1, view.Version); // nothing stored
    }

    [Fact]
    public async Task A_history_larger_than_the_chunk_size_is_replied_in_pieces_and_collected_whole()
    {
        var id = ZoneId.Parse("history.example.");
        Assert.IsType<ZoneCommandResult.Accepted>(await AskChunked(new CreateZone(id, [], [], "test", MasterFile: MasterFile("history.example.", 3))));
        // One change of 4000 RRsets: its history line names each, far more than one chunk (64 KiB here).
        var changes = Enumerable.Range(0, 4000)
            .Select(i => RRsetChange.Replace(AkkaDns.Resolver.Wire.DnsName.Parse($"some-longer-name-{i}.history.example."), AkkaDns.Resolver.Wire.RecordType.A,
                [Records.A($"some-longer-name-{i}.history.example.", "192.0.2.7")]))
            .ToList();
        Assert.IsType<ZoneCommandResult.Accepted>(await AskChunked(new ChangeRRsets(id, changes, "test")));

        // A plain Ask gets only the first piece...
        Assert.IsType<TransferChunk>(await _region.Ask<object>(new GetHistory(id), Timeout));
        // ...the collector gets the whole history.
        var history = Assert.IsType<ZoneHistory>(await ChunkedReply.Ask(Sys, _region, new GetHistory(id), Timeout));
        Assert.Equal(2, history.Entries.Count);
        Assert.Contains("some-longer-name-3999.history.example.", history.Entries[1].Summary);
    }

    [Fact]
    public async Task A_transfer_that_contradicts_itself_is_refused_and_stores_nothing()
    {
        var id = ZoneId.Parse("broken.example.");
        Assert.IsType<ZoneCommandResult.Accepted>(await AskChunked(new CreateZone(id, [], [], "test", MasterFile: MasterFile("broken.example.", 3))));

        var parts = ChunkedTransport.Prepare(Sys, new ReplaceZone(id, MasterFile("broken.example.", 2000, "10.9"), "test"), ChunkSize)
            .Cast<TransferChunk>().ToList();
        Assert.True(parts.Count > 2);
        _region.Tell(new ZoneCommandChunk(id, parts[0]), TestActor);
        // The second piece claims a different total: the whole transfer is abandoned and the sender told so.
        _region.Tell(new ZoneCommandChunk(id, parts[1] with { TotalBytes = parts[1].TotalBytes + 1 }), TestActor);
        var refused = ExpectMsg<ZoneCommandResult.Rejected>(Timeout);
        Assert.Contains("did not arrive intact", refused.Message);

        // The rest of the pieces alone never make a command.
        foreach (var p in parts.Skip(2)) _region.Tell(new ZoneCommandChunk(id, p), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        var view = Assert.IsType<ZoneView>(await _region.Ask<object>(new GetZone(id), Timeout));
        Assert.Equal(1, view.Version);
    }
}

public sealed class BoundedReplyTests
{
    [Fact]
    public void A_rejection_with_many_problems_keeps_the_first_ones_and_says_how_many()
    {
        var problems = Enumerable.Range(0, 5000).Select(i => new ZoneProblem("rule", $"problem {i}", $"h{i}.example. 300 IN A 10.0.0.1")).ToList();
        var r = new ZoneCommandResult.Rejected(ZoneId.Parse("example."), ZoneRejection.Invalid, new string('x', 100_000), problems);
        var bounded = Assert.IsType<ZoneCommandResult.Rejected>(ZoneCommandResult.Bounded(r));
        Assert.Equal(ZoneCommandResult.MaxProblems, bounded.Problems.Count);
        Assert.Equal("problem 0", bounded.Problems[0].Message);
        Assert.EndsWith("(5000 problems; the first 100 are listed)", bounded.Message);
        Assert.True(bounded.Message.Length < ZoneCommandResult.MaxMessageChars + 100);

        var small = new ZoneCommandResult.Rejected(ZoneId.Parse("example."), ZoneRejection.Invalid, "bad", problems.Take(2).ToList());
        Assert.Same(small, ZoneCommandResult.Bounded(small));
        var accepted = new ZoneCommandResult.Accepted(ZoneId.Parse("example."), 3, 3);
        Assert.Same(accepted, ZoneCommandResult.Bounded(accepted));
    }
}
