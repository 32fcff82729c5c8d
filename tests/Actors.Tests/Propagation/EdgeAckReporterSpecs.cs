using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.ZoneFiles;
using static AkkaDns.Actors.Tests.Support.Ids;

namespace AkkaDns.Actors.Tests.Propagation;

/// <summary>The edge's acks come from what its serving table really holds.</summary>
public sealed class EdgeAckReporterSpecs : Akka.TestKit.Xunit2.TestKit
{
    public EdgeAckReporterSpecs() : base(PropagationTestConfig.Cluster(), "acks") { }

    private static readonly PropagationSettings Settings = new()
    {
        AckInterval = TimeSpan.FromMilliseconds(50), ReportInterval = TimeSpan.FromSeconds(30),
    };

    private static CompiledZone Compile(string origin, long version, int hosts = 1)
    {
        var text = $"$ORIGIN {origin}\n$TTL 300\n@ IN SOA ns1 hostmaster {version} 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
            + string.Concat(Enumerable.Range(0, hosts).Select(i => $"h{i} IN A 10.0.{i / 256 % 256}.{i % 256}\n"));
        return CompiledZone.Compile(MasterFileReader.ReadText(text, null), version);
    }

    [Fact]
    public void Reports_at_start_then_each_applied_version_and_nothing_when_nothing_changed()
    {
        var table = new ZoneTable();
        table.Publish(Compile("a.example.", 1));
        Sys.ActorOf(EdgeAckReporter.Props(Dc("dc-7"), () => PropagationHostingExtensions.ServedVersions(table), TestActor, Settings));

        var first = ExpectMsg<DatacenterReport>(TimeSpan.FromSeconds(3));
        Assert.Equal(Dc("dc-7"), first.Datacenter);
        Assert.Equal(1, first.Versions[Zid("a.example.")]);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        table.Publish(Compile("c.example.", 1));
        ExpectMsg<DatacenterReport>(TimeSpan.FromSeconds(3));
        table.Publish(Compile("a.example.", 2));
        table.Publish(Compile("b.example.", 5));
        // Between heartbeats only what changed is reported (c.example. stays at 1 and is not repeated).
        var acked = new Dictionary<ZoneId, long>();
        while (acked.Count < 2)
            foreach (var (zone, version) in ExpectMsg<DatacenterReport>(TimeSpan.FromSeconds(3)).Versions) acked[zone] = version;
        Assert.Equal(new Dictionary<ZoneId, long> { [Zid("a.example.")] = 2, [Zid("b.example.")] = 5 }, acked);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void The_heartbeat_reports_every_zone_served()
    {
        var table = new ZoneTable();
        table.Publish(Compile("a.example.", 1));
        table.Publish(Compile("b.example.", 3));
        Sys.ActorOf(EdgeAckReporter.Props(Dc("dc-7"), PropagationHostingExtensions.ServedVersionsOf(table), TestActor,
            Settings with { ReportInterval = TimeSpan.FromMilliseconds(500) }));
        ExpectMsg<DatacenterReport>(TimeSpan.FromSeconds(3));
        table.Publish(Compile("a.example.", 2));
        var reports = new List<DatacenterReport>();
        while (reports.Count == 0 || reports[^1].Versions.Count < 2) reports.Add(ExpectMsg<DatacenterReport>(TimeSpan.FromSeconds(3)));
        Assert.Equal(new Dictionary<ZoneId, long> { [Zid("a.example.")] = 2, [Zid("b.example.")] = 3 }, reports[^1].Versions);
    }

    [Fact]
    public void A_report_larger_than_a_chunk_travels_in_chunks()
    {
        var table = new ZoneTable();
        for (int i = 0; i < 3000; i++) table.Publish(Compile($"zone-{i:D5}.example.", i + 1, hosts: 0));
        Sys.ActorOf(EdgeAckReporter.Props(Dc("dc-7"), () => PropagationHostingExtensions.ServedVersions(table), TestActor,
            Settings with { ChunkSize = 16 * 1024 }));
        var chunks = new List<TransferChunk> { ExpectMsg<TransferChunk>(TimeSpan.FromSeconds(5)) };
        while (chunks.Count < chunks[0].Total) chunks.Add(ExpectMsg<TransferChunk>());
        Assert.True(chunks.Count > 1);
        var r = new Reassembler();
        ChunkOutcome last = null!;
        foreach (var c in chunks) last = r.Offer(c, DateTimeOffset.UtcNow);
        var report = (DatacenterReport)ChunkedTransport.Restore(Sys, Assert.IsType<ChunkOutcome.Completed>(last).Payload);
        Assert.Equal(3000, report.Versions.Count);
        Assert.Equal(3000, report.Versions[Zid("zone-02999.example.")]);
    }

    [Fact]
    public void Failures_are_passed_on_to_the_supervisor()
    {
        var reporter = Sys.ActorOf(EdgeAckReporter.Props(Dc("dc-7"), () => new Dictionary<ZoneId, long>(), TestActor, Settings));
        ExpectMsg<DatacenterReport>(TimeSpan.FromSeconds(3));
        var failure = new DeliveryFailure(Dc("dc-7"), Zid("a.example."), "apply threw", DateTimeOffset.UtcNow);
        reporter.Tell(failure, Akka.Actor.ActorRefs.NoSender);
        Assert.Equal(failure, ExpectMsg<DeliveryFailure>());
    }
}
