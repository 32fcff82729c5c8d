using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using Xunit.Abstractions;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.FleetGuardProtocol;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>
/// The fleet window as zones meet it, on a one-node cluster (zone region + catalog singleton with its fleet guard,
/// SQLite journal): past the limit a zone deletion or replacement is held like any held change and confirmed the
/// same way; small changes never wait; a silent guard fails closed.
/// </summary>
public sealed class FleetWindowSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private IActorRef _region = ActorRefs.Nobody;
    private IActorRef _catalog = ActorRefs.Nobody;

    public FleetWindowSpecs(ITestOutputHelper output)
        : base(new SqliteTestJournal(), "fleetwindow", output,
            overlay: ConfigurationFactory.ParseString("akkadns.safeguards { fleet-max-zone-changes = 2, fleet-window = 10m, fleet-permit-timeout = 1s }"))
    {
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_region, _catalog, _) = SingleNode.StartZones(Sys);
    }

    private Task<T> Ask<T>(object message) => _region.Ask<T>(message, Timeout);

    private async Task<string> MasterFile(string apex) =>
        ZoneRules.WriteMasterFile(Assert.IsType<ZoneView>(await Ask<object>(new GetZone(ZoneId.Parse(apex)))).ToZone());

    [Fact]
    public async Task Past_the_fleet_limit_a_deletion_is_held_confirmed_like_any_held_change_and_small_changes_go_through()
    {
        foreach (var z in new[] { "a.example.", "b.example.", "c.example.", "d.example." })
            Assert.IsType<ZoneCommandResult.Accepted>(await Ask<ZoneCommandResult>(Create(z, A("www." + z, "192.0.2.1"))));

        // Two in the window: a deletion and a replacement that changes an RRset.
        Assert.IsType<ZoneCommandResult.Accepted>(await Ask<ZoneCommandResult>(new DeleteZone(ZoneId.Parse("a.example."), "key:ops")));
        var text = (await MasterFile("b.example.")).Replace("192.0.2.1", "192.0.2.2");
        Assert.IsType<ZoneCommandResult.Accepted>(await Ask<ZoneCommandResult>(new ReplaceZone(ZoneId.Parse("b.example."), text, "key:ops")));

        // The third is held, with the fleet window's reason; the zone is untouched.
        var c = ZoneId.Parse("c.example.");
        var held = Assert.IsType<PendingChanges.Held>(await Ask<ZoneCommandResult>(new DeleteZone(c, "key:ops")));
        Assert.Contains("across the fleet in the last 10m", held.Reason);
        Assert.IsType<ZoneView>(await Ask<object>(new GetZone(c)));
        var pending = await Ask<PendingChanges.PendingChangeList>(new PendingChanges.GetPendingChanges(c));
        Assert.Equal([held.ChangeId], pending.Changes.Select(p => p.Id));
        await AwaitAssertAsync(async () => Assert.Equal(1, (await _catalog.Ask<FleetGuardStatus>(GetFleetGuardStatus.Instance, Timeout)).HeldZoneChanges),
            Timeout, TimeSpan.FromMilliseconds(100));

        // Small changes never ask: a PATCH, and a replacement that only adds an RRset, go through while the window is full.
        Assert.IsType<ZoneCommandResult.Accepted>(await Ask<ZoneCommandResult>(Change("d.example.", ReplaceA("mail.d.example.", "192.0.2.25"))));
        var adding = await MasterFile("d.example.") + "ftp.d.example. 300 IN A 192.0.2.21\n";
        Assert.IsType<ZoneCommandResult.Accepted>(await Ask<ZoneCommandResult>(new ReplaceZone(ZoneId.Parse("d.example."), adding, "key:ops")));

        // Confirmed like any held change: applied, history says who, the count drops to 0.
        Assert.IsType<ZoneCommandResult.Accepted>(await Ask<ZoneCommandResult>(new PendingChanges.ConfirmChange(c, held.ChangeId, "key:lead")));
        Assert.IsType<ZoneNotFound>(await Ask<object>(new GetZone(c)));
        var history = await Ask<ZoneHistory>(new GetHistory(c));
        Assert.Contains(history.Entries, e => e.Who == "key:ops" && e.Summary.Contains("HELD") && e.Summary.Contains("across the fleet"));
        Assert.Contains(history.Entries, e => e.Who == "key:lead" && e.Summary.Contains("confirmed held change " + held.ChangeId));
        await AwaitAssertAsync(async () =>
        {
            var status = await _catalog.Ask<FleetGuardStatus>(GetFleetGuardStatus.Instance, Timeout);
            Assert.Equal(0, status.HeldZoneChanges);
            Assert.Equal(2, status.WindowChanges); // a confirmed change was decided by a person: not counted
        }, Timeout, TimeSpan.FromMilliseconds(100));
        // ... and the catalog knows the zone is gone.
        await AwaitAssertAsync(async () => Assert.DoesNotContain((await _catalog.Ask<ZoneCatalogProtocol.ZoneList>(ZoneCatalogProtocol.ListZones.Instance, Timeout)).Zones,
            z => z.ZoneId == c), Timeout, TimeSpan.FromMilliseconds(100));

        // The emergency override is not held by the window either.
        Assert.IsType<ZoneCommandResult.Accepted>(await Ask<ZoneCommandResult>(new PendingChanges.OverrideGuard(new DeleteZone(ZoneId.Parse("d.example."), "key:ops"))));
    }

    [Fact]
    public async Task A_silent_fleet_guard_fails_closed_and_changes_queued_behind_the_wait_still_apply()
    {
        // A zone actor whose "catalog" never answers a permit.
        var silent = CreateTestProbe();
        var settings = new ZoneSettings { Guard = BlastRadiusSettings.Default with { HoldZoneDeletion = false, FleetPermitTimeout = TimeSpan.FromSeconds(1) } };
        var id = ZoneId.Parse("silent.example.");
        var zone = Sys.ActorOf(ZoneActor.PropsFor(id, settings, silent.Ref));
        Assert.IsType<ZoneCommandResult.Accepted>(await zone.Ask<ZoneCommandResult>(Create("silent.example."), Timeout));

        var started = DateTime.UtcNow;
        var deletion = zone.Ask<ZoneCommandResult>(new DeleteZone(id, "key:ops"), Timeout);
        var request = silent.FishForMessage<RequestFleetPermit>(_ => true, Timeout);
        Assert.True(request.Deletion);
        var patch = zone.Ask<ZoneCommandResult>(Change("silent.example.", ReplaceA("www.silent.example.", "192.0.2.9")), Timeout); // queued behind the wait

        var refused = Assert.IsType<ZoneCommandResult.Rejected>(await deletion);
        Assert.Equal(ZoneRejection.Unavailable, refused.Reason);
        Assert.Contains("did not answer within 1 s", refused.Message);
        Assert.Contains("nothing changed", refused.Message);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), Timeout);
        Assert.IsType<ZoneCommandResult.Accepted>(await patch);

        // A late grant of the timed-out request changes nothing.
        zone.Tell(new FleetPermit(id, request.Request, null));
        var view = Assert.IsType<ZoneView>(await zone.Ask<object>(new GetZone(id), Timeout));
        Assert.Equal(2, view.Version);
    }
}
