using AkkaDns.Actors.Serialization;
using AkkaDns.Actors.Tests.Serialization;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.PendingChanges;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;
using static AkkaDns.Actors.Zones.ZoneRollback;

namespace AkkaDns.Actors.Tests.Serialization;

public sealed class SafeguardSerializerTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 4, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com.");

    private static readonly PendingChange Pending = new("example.com@3",
        new ChangeRRsets(Z, [RRsetChange.Delete(N("www.example.com."), Resolver.Wire.RecordType.A)], "key:abc"),
        "key:abc", At, At.AddHours(24), "held: too much");

    private static readonly Dictionary<string, object> Samples = new()
    {
        ["RollbackZone"] = new RollbackZone(Z, 1, "to version 1", [Soa("example.com.", 1), Ns("example.com.", "ns1.example.com.")], "key:abc"),
        ["ZoneRolledBack"] = new ZoneRolledBack(Z, 5, At, "key:abc", 5, 1, "to version 1", [Soa("example.com.", 5), A("www.example.com.", "192.0.2.1")]),
        ["ConfirmChange"] = new ConfirmChange(Z, "example.com@3", "key:def"),
        ["RejectChange"] = new RejectChange(Z, "example.com@3", "key:def"),
        ["OverrideGuard"] = new OverrideGuard(new DeleteZone(Z, "key:abc")),
        ["ChangeHeld"] = new ChangeHeld(Z, 3, At, "key:abc", 2, Pending),
        ["ChangeRejected"] = new ChangeRejected(Z, 4, At, "key:def", 2, "example.com@3", "rejected"),
        ["ChangeConfirmed"] = new ChangeConfirmed(Z, 4, At, "key:def", 3, "example.com@3", "key:abc", new ZoneDeleted(Z, 4, At, "key:abc", 3)),
        ["Held"] = new Held(Z, "example.com@3", "held: too much", At.AddHours(24)),
        ["GetPendingChanges"] = new GetPendingChanges(Z),
        ["PendingChangeList"] = new PendingChangeList(Z, [Pending]),
        ["ZoneState-with-pending"] = ZoneState.Empty(Z).Apply(new ZoneCreated(Z, 1, At, "a", 1, [Soa("example.com.", 1), Ns("example.com.", "ns1.example.com.")]))
            .Apply(new ChangeHeld(Z, 2, At, "key:abc", 1, Pending)) with
        { Recent = [] },
    };

    public static TheoryData<string> Cases => new(Samples.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trips_with_a_short_manifest(string name)
    {
        fixture.AssertRoundTrip(Samples[name]);
    }

    [Fact]
    public void Snapshots_written_before_pending_changes_and_before_DNSSEC_still_recover()
    {
        var state = (ZoneState)Samples["ZoneState-with-pending"] with { Pending = [] };
        var serializer = (AkkaDnsSerializer)fixture.System.Serialization.FindSerializerFor(state);
        Assert.Equal("ZS3", serializer.Manifest(state));
        var zs3 = serializer.ToBinary(state);
        // ZS2 is ZS3 without the trailing DNSSEC state; ZS1 is ZS2 without the pending list (empty: one byte, count 0).
        using var tail = new MemoryStream();
        using (var w = new BinaryWriter(tail, System.Text.Encoding.UTF8, leaveOpen: true)) AkkaDnsSerializer.WriteDnssecState(w, DnssecState.Off);
        var zs2 = zs3[..^(int)tail.Length];
        Assert.Equal(0, zs2[^1]);
        foreach (var (bytes, manifest) in new[] { (zs2, "ZS2"), (zs2[..^1], "ZS1") })
        {
            var old = (ZoneState)serializer.FromBinary(bytes, manifest);
            Assert.Equal((state.Version, state.Records.Count, state.History.Count), (old.Version, old.Records.Count, old.History.Count));
            Assert.Empty(old.Pending);
            Assert.False(old.Dnssec.Enabled);
        }
    }
}
