using AkkaDns.Actors.Serialization;
using AkkaDns.Actors.Tests.Serialization;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Zones.FleetGuardProtocol;

namespace AkkaDns.Actors.Tests.Serialization;

/// <summary>Every message, event and the snapshot of the fleet guard round-trip through our serializer.</summary>
public sealed class FleetGuardSerializerTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 7, 29, 0, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com.");
    private static readonly HeldRestore Restore = new("restore@638999", At.AddHours(-1), "key:abc", At, At.AddHours(1));
    private static readonly FleetChangeCounted Counted = new(Z, 7, true, At);
    private static readonly ZoneHeldChangesSet ZoneHeld = new(Z, 8, [new HeldEntry("example.com@8", At.AddHours(24))]);

    private static readonly Dictionary<string, object> Samples = new()
    {
        ["RequestFleetPermit"] = new RequestFleetPermit(Z, 7, true, "key:abc", 3),
        ["FleetPermit-granted"] = new FleetPermit(Z, 3, null),
        ["FleetPermit-refused"] = new FleetPermit(Z, 3, "held: 20 zone deletions"),
        ["ReportHeldChanges"] = new ReportHeldChanges(Z, 8, [new HeldEntry("example.com@8", At.AddHours(24)), new HeldEntry("example.com@6", At)]),
        ["HeldChangesReported"] = new HeldChangesReported(Z, 8),
        ["HoldRestore"] = new HoldRestore(At.AddHours(-1), "key:abc", TimeSpan.FromHours(1)),
        ["RestoreHeld"] = new RestoreHeld(Restore),
        ["ListHeldRestores"] = ListHeldRestores.Instance,
        ["HeldRestoreList"] = new HeldRestoreList([Restore, Restore with { Id = "restore@2" }]),
        ["ResolveRestore"] = new ResolveRestore("restore@638999", "key:def", true),
        ["RestoreResolution-run"] = new RestoreResolution(RestoreOutcome.Run, Restore, "confirmed"),
        ["RestoreResolution-notfound"] = new RestoreResolution(RestoreOutcome.NotFound, null, "no held restore"),
        ["GetFleetGuardStatus"] = GetFleetGuardStatus.Instance,
        ["FleetGuardStatus"] = new FleetGuardStatus(2, 1, 5, 20),
        ["FleetChangeCounted"] = Counted,
        ["ZoneHeldChangesSet"] = ZoneHeld,
        ["RestoreHeldStored"] = new RestoreHeldStored(Restore),
        ["RestoreResolved"] = new RestoreResolved("restore@638999", "key:def", At, false),
        ["FleetGuardSnapshot"] = new FleetGuardSnapshot([Counted, Counted with { Version = 8 }], [ZoneHeld], [Restore]),
    };

    public static TheoryData<string> Cases => new(Samples.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trips_with_a_short_manifest(string name)
    {
        fixture.AssertRoundTrip(Samples[name]);
    }
}
