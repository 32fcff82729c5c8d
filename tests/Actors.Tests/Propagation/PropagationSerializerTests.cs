using Akka.Actor;
using Akka.Configuration;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Tests.Support.Ids;

namespace AkkaDns.Actors.Tests.Propagation;

public sealed class PropagationSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    public PropagationSerializerTests() : base(PropagationTestConfig.Cluster(), "ser") { }

    public static TheoryData<object> Messages()
    {
        var t = new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);
        return new TheoryData<object>
        {
            new DeliveryAck(Dc("dc-1"), Zid("example.com."), 42, t),
            new DeliveryFailure(Dc("dc-2"), Zid("example.org."), "apply threw: bad data", t),
            new ZoneVersionPublished(Zid("example.com."), 7, true, t),
            new DrainDatacenter(Dc("dc-3")),
            new UndrainDatacenter(Dc("dc-3")),
            new OperatorReply(Dc("dc-3"), false, "unknown datacenter"),
            GetDeliveryStatus.Instance,
            new AkkaDns.Actors.Propagation.Fencing.FenceProbe(Dc("dc-1"), 123456789012L),
            new AkkaDns.Actors.Propagation.Fencing.FenceGrant(123456789012L, false),
            new AkkaDns.Actors.Propagation.Fencing.FenceGrant(42L, true, 1500),
            new AkkaDns.Actors.Propagation.Fencing.PeerProbe(42L),
            new AkkaDns.Actors.Propagation.Fencing.PeerReply(42L, -1),
        };
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_round_trips_through_our_serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<PropagationSerializer>(serializer);
        var back = Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, message));
        Assert.Equal(message, back);
    }

    [Fact]
    public void Chunk_round_trips_with_its_bytes()
    {
        var c = new TransferChunk(Guid.NewGuid(), 3, 9, 600_000, 12, "zd", [1, 2, 3, 255]);
        var back = (TransferChunk)RoundTrip(c);
        Assert.Equal(c.TransferId, back.TransferId);
        Assert.Equal((c.Seq, c.Total, c.TotalBytes, c.SerializerId, c.Manifest), (back.Seq, back.Total, back.TotalBytes, back.SerializerId, back.Manifest));
        Assert.Equal(c.Data, back.Data);
    }

    [Fact]
    public void Zone_command_chunk_round_trips_with_its_zone_and_bytes()
    {
        var c = new TransferChunk(Guid.NewGuid(), 1, 4, 200_000, 5353, "ZR1", [9, 8, 7]);
        var back = Assert.IsType<AkkaDns.Actors.Zones.ZoneCommandChunk>(RoundTrip(new AkkaDns.Actors.Zones.ZoneCommandChunk(AkkaDns.Actors.Zones.ZoneId.Parse("Example.COM"), c)));
        Assert.Equal("example.com.", back.ZoneId.Value);
        Assert.Equal((c.TransferId, c.Seq, c.Total, c.TotalBytes, c.SerializerId, c.Manifest), (back.Chunk.TransferId, back.Chunk.Seq, back.Chunk.Total, back.Chunk.TotalBytes, back.Chunk.SerializerId, back.Chunk.Manifest));
        Assert.Equal(c.Data, back.Chunk.Data);
    }

    [Fact]
    public void Report_and_status_round_trip()
    {
        var t = DateTimeOffset.UtcNow;
        var report = (DatacenterReport)RoundTrip(new DatacenterReport(Dc("dc-1"), new Dictionary<ZoneId, long> { [Zid("a.")] = 1, [Zid("b.")] = 9 }, t));
        Assert.Equal(9, report.Versions[Zid("b.")]);
        Assert.Equal(t.UtcTicks, report.When.UtcTicks);

        var status = new DeliveryStatusReport(t, 2,
        [
            new DatacenterStatus(Dc("dc-1"), false, "Lag", "3 versions behind", 3, 1, 6.5, t, 0, ["x"], null),
            new DatacenterStatus(Dc("dc-2"), true, "None", null, 0, 0, 0, null, 1, [], "floor"),
        ], ["alert one"]);
        var back = (DeliveryStatusReport)RoundTrip(status);
        Assert.Equal(2, back.Floor);
        Assert.Equal(status.Datacenters[0] with { RecentFailures = back.Datacenters[0].RecentFailures }, back.Datacenters[0]);
        Assert.Equal(["x"], back.Datacenters[0].RecentFailures);
        Assert.Equal("floor", back.Datacenters[1].Alert);
        Assert.Null(back.Datacenters[1].LastAck);
        Assert.Equal(["alert one"], back.Alerts);
    }

    [Fact]
    public void A_large_message_is_prepared_as_chunks_and_restored_whole()
    {
        var versions = Enumerable.Range(0, 20_000).ToDictionary(i => Zid($"zone-{i:D6}.example."), i => (long)i);
        var big = new DatacenterReport(Dc("dc-1"), versions, DateTimeOffset.UtcNow);
        var parts = ChunkedTransport.Prepare(Sys, big, 65536);
        Assert.True(parts.Count > 3);
        Assert.All(parts, p => Assert.True(Sys.Serialization.FindSerializerFor(p).ToBinary(p).Length < 70_000));

        var r = new Reassembler();
        ChunkOutcome last = null!;
        foreach (TransferChunk c in parts) last = r.Offer(c, DateTimeOffset.UtcNow);
        var restored = (DatacenterReport)ChunkedTransport.Restore(Sys, Assert.IsType<ChunkOutcome.Completed>(last).Payload);
        Assert.Equal(versions, restored.Versions);

        var small = new DeliveryAck(Dc("dc-1"), Zid("a."), 1, DateTimeOffset.UtcNow);
        Assert.Same(small, Assert.Single(ChunkedTransport.Prepare(Sys, small, 65536)));
    }

    private object RoundTrip(object o)
    {
        var s = Sys.Serialization.FindSerializerFor(o);
        return Sys.Serialization.Deserialize(s.ToBinary(o), s.Identifier, Akka.Serialization.Serialization.ManifestFor(s, o));
    }
}
