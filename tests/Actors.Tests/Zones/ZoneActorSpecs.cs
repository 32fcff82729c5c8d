using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Wire;
using Xunit.Abstractions;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>The zone actor on a real journal; run once on SQLite and once on PostgreSQL (subclasses below).</summary>
public abstract class ZoneActorSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private IActorRef _region = ActorRefs.Nobody;
    private IActorRef _catalog = ActorRefs.Nobody;
    private ZoneSettings _settings = new();

    protected ZoneActorSpecs(TestJournal journal, ITestOutputHelper output) : base(journal, "zones", output) { }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_region, _catalog, _settings) = SingleNode.StartZones(Sys);
    }

    private Task<T> Ask<T>(object message) => _region.Ask<T>(message, Timeout);

    private async Task<ZoneCommandResult.Accepted> Accept(IZoneCommand command)
    {
        var result = await Ask<ZoneCommandResult>(command);
        return Assert.IsType<ZoneCommandResult.Accepted>(result);
    }

    [Fact]
    public async Task Created_zone_is_returned_with_records_version_and_serial()
    {
        var ok = await Accept(Create("example.com.", A("www.example.com.", "192.0.2.1")));
        Assert.Equal(1, ok.Version);
        var view = Assert.IsType<ZoneView>(await Ask<object>(new GetZone(ZoneId.Parse("EXAMPLE.com"))));
        Assert.Equal(1, view.Version);
        Assert.Equal(ok.Serial, view.Serial);
        Assert.Contains(view.Records, r => r.Type == RecordType.A && r.Owner.Equals(N("www.example.com.")));
    }

    [Fact]
    public async Task A_DNS_UPDATE_is_journaled_as_one_change_and_a_failed_prerequisite_writes_nothing()
    {
        var id = ZoneId.Parse("update.example.");
        var created = await Accept(Create("update.example.", A("www.update.example.", "192.0.2.1")));
        var add = new Resolver.Update.UpdateOperation(Resolver.Update.UpdateOperationKind.Add, N("new.update.example."), RecordType.A, A("new.update.example.", "192.0.2.2"));
        var ok = await Accept(new ApplyUpdate(id, [new(Resolver.Update.PrerequisiteKind.NameNotInUse, N("new.update.example."), RecordType.ANY)], [add], "k1"));
        Assert.Equal((created.Version + 1, created.Serial + 1), (ok.Version, ok.Serial));
        var refused = Assert.IsType<ZoneCommandResult.UpdateRefused>(await Ask<ZoneCommandResult>(
            new ApplyUpdate(id, [new(Resolver.Update.PrerequisiteKind.NameNotInUse, N("new.update.example."), RecordType.ANY)], [add], "k1")));
        Assert.Equal((ushort)Rcode.YXDomain, refused.Rcode);
        var view = Assert.IsType<ZoneView>(await Ask<object>(new GetZone(id)));
        Assert.Equal(ok.Version, view.Version);
        Assert.Contains(view.Records, r => r.Owner.Equals(N("new.update.example.")));
    }

    [Fact]
    public async Task Master_file_import_export_and_replace_round_trip()
    {
        const string text = """
            $ORIGIN example.net.
            $TTL 3600
            @    IN SOA ns1 hostmaster 2026112700 7200 3600 1209600 300
            @    IN NS  ns1
            ns1  IN A   192.0.2.53
            www  IN A   192.0.2.80
            """;
        var id = ZoneId.Parse("example.net.");
        var created = await Accept(new CreateZone(id, [], [], "import", MasterFile: text));
        Assert.Equal(2026112700u, created.Serial);

        var exported = ZoneRules.WriteMasterFile(Assert.IsType<ZoneView>(await Ask<object>(new GetZone(id))).ToZone());
        var replaced = await Accept(new ReplaceZone(id, exported.Replace("192.0.2.80", "192.0.2.81"), "import"));
        Assert.Equal((2L, 2026112701u), (replaced.Version, replaced.Serial));
        var view = Assert.IsType<ZoneView>(await Ask<object>(new GetZone(id)));
        Assert.Contains(view.Records, r => r.Owner.Equals(N("www.example.net.")) && r.RData.SequenceEqual(new byte[] { 192, 0, 2, 81 }));

        var bad = await Ask<ZoneCommandResult>(new ReplaceZone(id, text + "\nwww IN CNAME elsewhere.example.\n", "import"));
        Assert.Contains(Assert.IsType<ZoneCommandResult.Rejected>(bad).Problems, p => p.Rule == AkkaDns.Resolver.ZoneFiles.ZoneValidator.Rules.CnameAndOtherData);
        Assert.Equal(2, Assert.IsType<ZoneView>(await Ask<object>(new GetZone(id))).Version);
    }

    [Fact]
    public async Task Refused_change_writes_nothing_and_says_why()
    {
        await Accept(Create("example.com."));
        var result = await Ask<ZoneCommandResult>(Change("example.com.", ReplaceA("www.elsewhere.net.", "192.0.2.1")));
        var rejected = Assert.IsType<ZoneCommandResult.Rejected>(result);
        Assert.Contains(rejected.Problems, p => p.Rule == "out-of-zone" && p.Record!.Contains("www.elsewhere.net."));
        var history = await Ask<ZoneHistory>(new GetHistory(ZoneId.Parse("example.com.")));
        Assert.Single(history.Entries);
        Assert.Equal(1L, JournalRows("zone-example.com."));
    }

    [Fact]
    public async Task Every_change_publishes_a_versioned_delta()
    {
        var probe = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(_settings.Topic, probe.Ref), probe.Ref);
        probe.ExpectMsg<SubscribeAck>(Timeout);

        await Accept(Create("example.com."));
        await Accept(Change("example.com.", ReplaceA("www.example.com.", "192.0.2.1")));
        var d1 = probe.ExpectMsg<ZoneDelta>(Timeout);
        var d2 = probe.ExpectMsg<ZoneDelta>(Timeout);
        Assert.Equal((0L, 1L), (d1.FromVersion, d1.ToVersion));
        Assert.IsType<ZoneEvents.ZoneCreated>(d1.Event);
        Assert.Equal((1L, 2L), (d2.FromVersion, d2.ToVersion));
        Assert.IsType<ZoneEvents.RRsetsChanged>(d2.Event);
        // Both in the history the creation started.
        Assert.NotEqual(ZoneLineage.Legacy, d1.Lineage);
        Assert.Equal(d1.Lineage, ((ZoneEvents.ZoneCreated)d1.Event).Lineage);
        Assert.Equal(d1.Lineage, d2.Lineage);
        Assert.Equal(d1.Lineage, Assert.IsType<ZoneView>(await Ask<object>(new GetZone(ZoneId.Parse("example.com.")))).Lineage);
    }

    [Fact]
    public async Task A_zone_created_again_after_a_deletion_starts_a_new_lineage_everywhere_it_is_reported()
    {
        var id = ZoneId.Parse("example.com.");
        await Accept(Create("example.com."));
        var first = Assert.IsType<ZoneView>(await Ask<object>(new GetZone(id))).Lineage;
        await Accept(new DeleteZone(id, "test"));
        var gone = Assert.IsType<ZoneNotFound>(await Ask<object>(new GetZone(id)));
        Assert.Equal(first, gone.Lineage); // a deletion ends the history it belongs to

        var probe = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(_settings.Topic, probe.Ref), probe.Ref);
        probe.ExpectMsg<SubscribeAck>(Timeout);
        Assert.Equal(3, (await Accept(Create("example.com."))).Version);
        var again = probe.ExpectMsg<ZoneDelta>(Timeout);
        Assert.NotEqual(first, again.Lineage);
        Assert.NotEqual(ZoneLineage.Legacy, again.Lineage);
        Assert.Equal(again.Lineage, Assert.IsType<ZoneView>(await Ask<object>(new GetZone(id))).Lineage);
        Assert.Equal(again.Lineage, (await Ask<ZoneChanges>(new GetChangesSince(id, 2))).Lineage);
        await AwaitAssertAsync(async () =>
            Assert.Equal([again.Lineage], (await _catalog.Ask<ZoneList>(ListZones.Instance, Timeout)).Lineages!), Timeout);
    }

    [Fact]
    public async Task Events_are_stored_with_our_serializer_not_json()
    {
        await Accept(Create("example.com."));
        var rows = Journal.Query($"SELECT identifier, manifest FROM {Journal.Table("journal")} WHERE persistence_id = 'zone-example.com.'");
        var row = Assert.Single(rows);
        Assert.Equal(AkkaDns.Actors.Serialization.AkkaDnsSerializer.Id, Convert.ToInt32(row[0]));
        Assert.Equal("EC2", row[1]); // a creation carries its new lineage (EC1, without one, is still read)
    }

    [Fact]
    public async Task Snapshot_every_N_events_keeps_only_the_latest()
    {
        await Accept(Create("example.com."));
        for (int i = 1; i <= 6; i++) await Accept(Change("example.com.", ReplaceA("www.example.com.", $"192.0.2.{i}")));
        // snapshot-every = 3 in test.conf: snapshots at 3 and 6, the one at 3 deleted.
        await AwaitAssertAsync(() =>
        {
            var rows = Journal.Query($"SELECT sequence_number FROM {Journal.Table("snapshot")} WHERE persistence_id = 'zone-example.com.'");
            Assert.Equal([6L], rows.Select(r => Convert.ToInt64(r[0])));
        }, Timeout);
    }

    [Fact]
    public async Task Catalog_lists_created_zones_and_drops_deleted_ones()
    {
        await Accept(Create("a.example."));
        await Accept(Create("b.example."));
        await Accept(new DeleteZone(ZoneId.Parse("a.example."), "test"));
        await AwaitAssertAsync(async () =>
        {
            var list = await _catalog.Ask<ZoneList>(ListZones.Instance, Timeout);
            Assert.Equal(["b.example."], list.Zones.Select(z => z.ZoneId.Value));
        }, Timeout);
        Assert.IsType<ZoneNotFound>(await Ask<object>(new GetZone(ZoneId.Parse("a.example."))));
    }

    [Fact]
    public async Task A_large_zone_is_sent_in_chunks_below_the_message_limit_and_its_delta_only_announced()
    {
        var probe = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(_settings.Topic, probe.Ref), probe.Ref);
        probe.ExpectMsg<SubscribeAck>(Timeout);
        var many = Enumerable.Range(0, 400).Select(i => A($"host{i}.example.com.", $"10.0.{i / 250}.{i % 250}")).ToArray();
        await Accept(Create("example.com.", many));
        var notice = probe.ExpectMsg<ZoneDeltaTooLarge>(Timeout); // the 400-record event is not published whole
        Assert.Equal((0L, 1L), (notice.FromVersion, notice.ToVersion));

        _region.Tell(new GetZoneChunked(ZoneId.Parse("example.com.")), probe.Ref);
        var first = probe.ExpectMsg<ZoneViewChunk>(Timeout);
        var chunks = new List<ZoneViewChunk> { first };
        for (int i = 1; i < first.Count; i++) chunks.Add(probe.ExpectMsg<ZoneViewChunk>(Timeout));
        Assert.True(first.Count >= 3, $"{first.Count} chunks");
        Assert.All(chunks, c => Assert.True(MessageSize.Of(c.Records) <= _settings.MaxMessageBytes));
        var view = Assert.IsType<ZoneView>(await Ask<object>(new GetZone(ZoneId.Parse("example.com."))));
        Structural.AssertEqual(view.Records, chunks.OrderBy(c => c.Index).SelectMany(c => c.Records).ToList());
    }

    [Fact]
    public async Task Changes_since_a_version_are_served_for_catch_up()
    {
        await Accept(Create("example.com."));
        await Accept(Change("example.com.", ReplaceA("www.example.com.", "192.0.2.1")));
        await Accept(Change("example.com.", ReplaceA("www.example.com.", "192.0.2.2")));
        var changes = Assert.IsType<ZoneChanges>(await Ask<object>(new GetChangesSince(ZoneId.Parse("example.com."), 1)));
        Assert.Equal((1L, 3L), (changes.FromVersion, changes.ToVersion));
        Assert.Equal([2L, 3L], changes.Events.Select(e => e.Version));
    }

    [Fact]
    public async Task Zones_recover_at_the_same_versions_after_a_full_restart()
    {
        // Write with the TestKit's system, then stop it completely and start a fresh one on the same journal.
        await Accept(Create("example.com.", A("www.example.com.", "192.0.2.1")));
        for (int i = 2; i <= 5; i++) await Accept(Change("example.com.", ReplaceA("www.example.com.", $"192.0.2.{i}")));
        await Accept(Create("example.org.", A("www.example.org.", "198.51.100.1")));
        var before = Assert.IsType<ZoneView>(await Ask<object>(new GetZone(ZoneId.Parse("example.com."))));
        await AwaitAssertAsync(async () =>
            Assert.Equal(2, (await _catalog.Ask<ZoneList>(ListZones.Instance, Timeout)).Zones.Count), Timeout);
        await Sys.Terminate().WaitAsync(Timeout);

        var second = ActorSystem.Create("zones", Journal.ActorSystemConfig());
        try
        {
            await SingleNode.JoinSelfAsync(second);
            var (region, catalog, _) = SingleNode.StartZones(second);
            var list = await catalog.Ask<ZoneList>(ListZones.Instance, Timeout);
            Assert.Equal(["example.com.", "example.org."], list.Zones.Select(z => z.ZoneId.Value).Order());

            var after = Assert.IsType<ZoneView>(await region.Ask<object>(new GetZone(ZoneId.Parse("example.com.")), Timeout));
            Assert.Equal(5, after.Version);
            Assert.Equal(before.Serial, after.Serial);
            Assert.Equal(before.Lineage, after.Lineage); // from the snapshot at 3 (ZS4) and the events after it
            Structural.AssertEqual(before.Records, after.Records);
            var org = Assert.IsType<ZoneView>(await region.Ask<object>(new GetZone(ZoneId.Parse("example.org.")), Timeout));
            Assert.Equal(1, org.Version);

            // And it keeps counting from there.
            var next = Assert.IsType<ZoneCommandResult.Accepted>(await region.Ask<ZoneCommandResult>(
                Change("example.com.", ReplaceA("www.example.com.", "192.0.2.99")), Timeout));
            Assert.Equal(6, next.Version);
        }
        finally
        {
            await second.Terminate().WaitAsync(Timeout);
        }
    }

    private long JournalRows(string persistenceId) =>
        Convert.ToInt64(Journal.Query($"SELECT COUNT(*) FROM {Journal.Table("journal")} WHERE persistence_id = '{persistenceId}'")[0][0]);
}

public sealed class ZoneActorSqliteSpecs(ITestOutputHelper output) : ZoneActorSpecs(new SqliteTestJournal(), output);

public sealed class ZoneActorPostgreSqlSpecs(ITestOutputHelper output) : ZoneActorSpecs(new PostgreSqlTestJournal(), output);
