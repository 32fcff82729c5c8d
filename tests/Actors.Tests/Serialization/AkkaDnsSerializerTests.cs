using Akka.Actor;
using Akka.Configuration;
using AkkaDns.Actors.Serialization;
using AkkaDns.Actors.Storage;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Update;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Serialization;

/// <summary>An actor system with only config/akkadns.conf (local provider), to check the HOCON binding too.</summary>
public sealed class SerializationSystem : IDisposable
{
    public ActorSystem System { get; } = ActorSystem.Create("ser",
        ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(AkkaDnsConfig.LoadDefaults()));

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));

    /// <summary>The round trip every message, event and snapshot must survive: our serializer, a short manifest, the
    /// same type back, every field kept (same bytes again, and structurally equal).</summary>
    public void AssertRoundTrip(object message)
    {
        var serialization = System.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        Assert.IsType<AkkaDnsSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.InRange(manifest.Length, 2, 4);

        var bytes = serializer.ToBinary(message);
        var back = serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(message.GetType(), back);
        Assert.Equal(bytes, serializer.ToBinary(back)); // every field survived
        Support.Structural.AssertEqual(message, back);
    }
}

public sealed class AkkaDnsSerializerTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 3, 14, 15, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com.");

    private static IZoneEvent Created() => new ZoneCreated(Z, 1, At, "alice", 7,
        [Soa("example.com.", 7), Ns("example.com.", "ns1.example.com."), A("www.example.com.", "192.0.2.1")]);

    private static IZoneEvent Changed() => new RRsetsChanged(Z, 2, At, "bob", 8,
        [ReplaceA("www.example.com.", "192.0.2.1", "192.0.2.2"), RRsetChange.Delete(N("old.example.com."), RecordType.TXT)]);

    public static TheoryData<string> Cases => new(Samples.Keys);

    private static readonly Dictionary<string, object> Samples = new()
    {
        ["ZoneCreated"] = Created(),
        ["ZoneReplaced"] = new ZoneReplaced(Z, 3, At, "carol", 9, [Soa("example.com.", 9), Ns("example.com.", "ns1.example.com.")]),
        ["RRsetsChanged"] = Changed(),
        ["ZoneDeleted"] = new ZoneDeleted(Z, 4, At, "dave", 9),
        // Recent events are deliberately not part of a snapshot.
        ["ZoneState"] = ZoneState.Empty(Z).Apply(Created()).Apply(Changed()) with { Recent = [] },
        ["CreateZone"] = new CreateZone(Z, [N("ns1.example.com.")], [A("www.example.com.", "192.0.2.1")], "alice",
            new SoaSettings { RName = N("admin.example.com."), Minimum = 60 }, "$ORIGIN example.com.\n"),
        ["CreateZone-minimal"] = new CreateZone(Z, [], [], "alice"),
        ["ReplaceZone"] = new ReplaceZone(Z, "@ 3600 IN SOA ns1 hostmaster 1 2 3 4 5\n", "alice"),
        ["ChangeRRsets"] = new ChangeRRsets(Z, [ReplaceA("www.example.com.", "192.0.2.9")], "alice"),
        ["DeleteZone"] = new DeleteZone(Z, "alice"),
        ["ApplyUpdate"] = new ApplyUpdate(Z,
            [new UpdatePrerequisite(PrerequisiteKind.NameNotInUse, N("new.example.com."), RecordType.ANY),
             new UpdatePrerequisite(PrerequisiteKind.RRsetExistsValue, N("www.example.com."), RecordType.A, A("www.example.com.", "192.0.2.1").WithTtl(0))],
            [new UpdateOperation(UpdateOperationKind.Add, N("new.example.com."), RecordType.A, A("new.example.com.", "192.0.2.2")),
             new UpdateOperation(UpdateOperationKind.DeleteName, N("old.example.com."), RecordType.ANY)], "dns-update key k1 from 127.0.0.1"),
        ["ApplyUpdate-held"] = new PendingChanges.ChangeHeld(Z, 7, At, "k1", 6, new PendingChange("example.com-7",
            new ApplyUpdate(Z, [], [new UpdateOperation(UpdateOperationKind.DeleteRRset, N("www.example.com."), RecordType.A)], "k1"), "k1", At, At.AddHours(1), "too many")),
        ["UpdateRefused"] = new ZoneCommandResult.UpdateRefused(Z, (ushort)Rcode.YXDomain, "prerequisite failed: new.example.com. owns records"),
        ["Accepted"] = new ZoneCommandResult.Accepted(Z, 5, 2026112701),
        ["Rejected"] = new ZoneCommandResult.Rejected(Z, ZoneRejection.Invalid, "bad",
            [new ZoneProblem("cname-and-other-data", "CNAME beside other data", "www.example.com. 300 IN CNAME x.", new SourceLocation("z.zone", 12)),
             new ZoneProblem("apex-ns-required", "no NS")]),
        ["GetZone"] = new GetZone(Z),
        ["GetHistory"] = new GetHistory(Z),
        ["GetZoneChunked"] = new GetZoneChunked(Z),
        ["ZoneViewChunk"] = new ZoneViewChunk(Z, 6, 6, 1, 3, [A("www.example.com.", "192.0.2.1")]),
        ["ZoneDeltaTooLarge"] = new ZoneDeltaTooLarge(Z, 4, 5),
        ["GetChangesSince"] = new GetChangesSince(Z, 41),
        ["ZoneView"] = new ZoneView(Z, 6, 6, [Soa("example.com.", 6), A("www.example.com.", "192.0.2.1")]),
        ["ZoneNotFound"] = new ZoneNotFound(Z, 9),
        ["ZoneHistory"] = new ZoneHistory(Z, [new ZoneHistoryEntry(1, At, ZoneChangeKind.Created, "created with 3 records", "alice", 1)]),
        ["ZoneChanges"] = new ZoneChanges(Z, 0, 2, [Created(), Changed()]),
        ["SnapshotNeeded"] = new SnapshotNeeded(Z, 77),
        ["ZoneDelta"] = ZoneDelta.Of(Changed()),
        ["RegisterZone"] = new RegisterZone(Z, 1, true),
        ["ZoneRegistered"] = new ZoneRegistered(Z, 1),
        ["ListZones"] = ListZones.Instance,
        ["ZoneList"] = new ZoneList([new CatalogEntry(Z, 1, true), new CatalogEntry(ZoneId.Parse("example.org"), 3, true)]),
        ["ZoneList with versions"] = new ZoneList([new CatalogEntry(Z, 1, true), new CatalogEntry(ZoneId.Parse("example.org"), 3, true)])
        { Latest = [7, -1], Incarnation = "3f2a" },
        ["ZoneVersionReport"] = new ZoneVersionReport(Z, 12),
        ["CatalogEntryChanged"] = new CatalogEntryChanged(new CatalogEntry(Z, 2, false)),
        ["CatalogSnapshot"] = new CatalogSnapshot([new CatalogEntry(Z, 2, false)]),
        ["GetEdgeZones"] = GetEdgeZones.Instance,
        ["SecondaryNotified"] = new AkkaDns.Actors.Secondaries.SecondaryProtocol.SecondaryNotified(Z, "127.0.0.1", 2026120301),
        ["SecondaryNotified-no-serial"] = new AkkaDns.Actors.Secondaries.SecondaryProtocol.SecondaryNotified(Z, "api", null),
        ["GetSecondaryStatus"] = new AkkaDns.Actors.Secondaries.SecondaryProtocol.GetSecondaryStatus(Z),
        ["GetSecondaryStatus-all"] = new AkkaDns.Actors.Secondaries.SecondaryProtocol.GetSecondaryStatus(null),
        ["SecondaryStatusList"] = new AkkaDns.Actors.Secondaries.SecondaryProtocol.SecondaryStatusList([
            new AkkaDns.Actors.Secondaries.SecondaryZoneStatus(
                new AkkaDns.Actors.Secondaries.SecondaryZoneConfig(Z, [System.Net.IPEndPoint.Parse("[::1]:5301"), System.Net.IPEndPoint.Parse("[2001:db8::2]:53")], "k1.", AkkaDns.Actors.Secondaries.ExpirePolicy.Serve),
                7, AkkaDns.Actors.Secondaries.SecondaryResult.Held, "held", At, At, At.AddMinutes(1), At.AddDays(7), true, 9, 2, false, 4),
            new AkkaDns.Actors.Secondaries.SecondaryZoneStatus(
                new AkkaDns.Actors.Secondaries.SecondaryZoneConfig(ZoneId.Parse("b.test"), [System.Net.IPEndPoint.Parse("192.0.2.1:53")], null, AkkaDns.Actors.Secondaries.ExpirePolicy.Stop),
                null, AkkaDns.Actors.Secondaries.SecondaryResult.None, "not checked yet", null, null, At, null, false, null, 0, true, 0)]),
        ["EdgeZones"] = new EdgeZones(AkkaDns.Actors.Propagation.DatacenterName.Parse("dc-a"), true, [new HeldZone(Z, 3, 3, 10, false, null), new HeldZone(ZoneId.Parse("b.test"), 1, 1, 2, true, "bad delta")]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trips_through_our_serializer_with_a_short_manifest(string name)
    {
        fixture.AssertRoundTrip(Samples[name]);
    }

    [Fact]
    public void Every_message_type_has_a_manifest_and_manifests_are_unique()
    {
        var types = typeof(IAkkaDnsMessage).Assembly.GetTypes()
            .Where(t => typeof(IAkkaDnsMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        var manifests = AkkaDnsSerializer.Manifests;
        foreach (var t in types) Assert.True(manifests.ContainsKey(t), $"{t.Name} has no manifest");
        Assert.Equal(manifests.Count, manifests.Values.Distinct().Count());
    }

    [Fact]
    public void Unknown_manifest_and_trailing_bytes_fail_loudly()
    {
        var serializer = (AkkaDnsSerializer)fixture.System.Serialization.FindSerializerForType(typeof(GetZone));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary([1, 2, 3], "XX9"));
        var bytes = serializer.ToBinary(new GetZone(Z)).Concat(new byte[] { 0 }).ToArray();
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary(bytes, "QZ1"));
    }

    [Fact]
    public void Values_survive_field_by_field()
    {
        var e = (RRsetsChanged)Samples["RRsetsChanged"];
        var serializer = fixture.System.Serialization.FindSerializerFor(e);
        var back = (RRsetsChanged)fixture.System.Serialization.Deserialize(serializer.ToBinary(e), serializer.Identifier, "EX1");
        Assert.Equal((e.ZoneId, e.Version, e.At, e.Who, e.Serial), (back.ZoneId, back.Version, back.At, back.Who, back.Serial));
        Assert.Equal(e.Changes[0].Records, back.Changes[0].Records);
        Assert.Equal(RRsetChangeKind.Delete, back.Changes[1].Kind);
        Assert.Equal(RecordType.TXT, back.Changes[1].Type);
    }
}
