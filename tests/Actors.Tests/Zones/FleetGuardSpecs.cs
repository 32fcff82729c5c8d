using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using Xunit.Abstractions;
using static AkkaDns.Actors.Zones.FleetGuardProtocol;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>The fleet guard alone, on a real journal, with a fake clock: the window, held fleet restores, the count.</summary>
public sealed class FleetGuardSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly BlastRadiusSettings Settings = BlastRadiusSettings.Default with
    {
        FleetMaxZoneChanges = 3,
        FleetWindow = TimeSpan.FromMinutes(10),
        TwoPersonRule = true,
    };

    private readonly FakeClock _clock = new(new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero));

    public FleetGuardSpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "fleet", output, joinCluster: false) { }

    private static ZoneId Zone(int i) => ZoneId.Parse($"z{i}.example.");

    private Task<FleetPermit> Ask(IActorRef guard, int zone, bool deletion, long request = 1) =>
        guard.Ask<FleetPermit>(new RequestFleetPermit(Zone(zone), 2, deletion, "key:ops", request), Timeout);

    private async Task<IActorRef> Restart(IActorRef guard)
    {
        await guard.GracefulStop(Timeout);
        return Sys.ActorOf(FleetGuard.PropsFor(Settings, _clock));
    }

    [Fact]
    public async Task Deletions_and_replacements_of_any_zone_share_one_window_past_its_limit_they_are_refused_until_it_slides()
    {
        var guard = Sys.ActorOf(FleetGuard.PropsFor(Settings, _clock));
        Assert.True((await Ask(guard, 1, deletion: true)).Granted);
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True((await Ask(guard, 2, deletion: false)).Granted);
        Assert.True((await Ask(guard, 3, deletion: true, request: 7)).Granted);

        var refused = await Ask(guard, 4, deletion: true, request: 9);
        Assert.False(refused.Granted);
        Assert.Equal(9, refused.Request);
        Assert.Contains("3 zone deletions or whole-zone replacements across the fleet in the last 10m", refused.Refusal);
        Assert.Contains("limit is 3", refused.Refusal);
        // A refusal is not counted (the change is held, nothing happened).
        Assert.Equal(3, (await guard.Ask<FleetGuardStatus>(GetFleetGuardStatus.Instance, Timeout)).WindowChanges);

        // The count is persisted: a new incarnation (the singleton moved) still refuses.
        guard = await Restart(guard);
        Assert.False((await Ask(guard, 6, deletion: false)).Granted);

        // Just before the first one is 10 minutes old it still counts; then it slides out and one more goes through.
        _clock.Advance(TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(1));
        Assert.False((await Ask(guard, 6, deletion: false)).Granted);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await guard.Ask<FleetGuardStatus>(GetFleetGuardStatus.Instance, Timeout)).WindowChanges);
        Assert.True((await Ask(guard, 6, deletion: false)).Granted);
        Assert.False((await Ask(guard, 7, deletion: true)).Granted);
    }

    [Fact]
    public async Task A_limit_of_zero_turns_the_window_off()
    {
        var guard = Sys.ActorOf(FleetGuard.PropsFor(Settings with { FleetMaxZoneChanges = 0 }, _clock));
        for (int i = 0; i < 5; i++) Assert.True((await Ask(guard, i, deletion: true)).Granted);
    }

    [Fact]
    public async Task Held_restores_are_persisted_follow_the_two_person_rule_expire_and_run_once()
    {
        var guard = Sys.ActorOf(FleetGuard.PropsFor(Settings, _clock));
        var held = (await guard.Ask<RestoreHeld>(new HoldRestore(_clock.GetUtcNow().AddHours(-2), "key:alice", TimeSpan.FromHours(1)), Timeout)).Restore;
        Assert.StartsWith(FleetGuard.RestoreIdPrefix, held.Id);
        Assert.Equal(_clock.GetUtcNow().AddHours(1), held.ExpiresAt);
        Assert.Equal(1, (await guard.Ask<FleetGuardStatus>(GetFleetGuardStatus.Instance, Timeout)).HeldRestores);

        // Another node asks after the singleton moved: the restore is still there.
        guard = await Restart(guard);
        Assert.Equal([held.Id], (await guard.Ask<HeldRestoreList>(ListHeldRestores.Instance, Timeout)).Restores.Select(r => r.Id));

        var same = await guard.Ask<RestoreResolution>(new ResolveRestore(held.Id, "key:alice", Run: true), Timeout);
        Assert.Equal(RestoreOutcome.TwoPersonRule, same.Outcome);
        var run = await guard.Ask<RestoreResolution>(new ResolveRestore(held.Id, "key:bob", Run: true), Timeout);
        Assert.Equal(RestoreOutcome.Run, run.Outcome);
        Assert.Equal(held.ToTime, run.Restore!.ToTime);
        // A second confirmation (another node, a retry) finds nothing: the restore runs once.
        Assert.Equal(RestoreOutcome.NotFound, (await guard.Ask<RestoreResolution>(new ResolveRestore(held.Id, "key:carol", Run: true), Timeout)).Outcome);
        guard = await Restart(guard);
        Assert.Empty((await guard.Ask<HeldRestoreList>(ListHeldRestores.Instance, Timeout)).Restores);

        // An expired one can only be rejected.
        var old = (await guard.Ask<RestoreHeld>(new HoldRestore(_clock.GetUtcNow(), "key:alice", TimeSpan.FromHours(1)), Timeout)).Restore;
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await guard.Ask<FleetGuardStatus>(GetFleetGuardStatus.Instance, Timeout)).HeldRestores);
        Assert.Equal(RestoreOutcome.Expired, (await guard.Ask<RestoreResolution>(new ResolveRestore(old.Id, "key:bob", Run: true), Timeout)).Outcome);
        Assert.Equal(RestoreOutcome.Dropped, (await guard.Ask<RestoreResolution>(new ResolveRestore(old.Id, "key:bob", Run: false), Timeout)).Outcome);
    }

    [Fact]
    public async Task The_held_change_count_follows_the_zones_reports_ignores_stale_ones_and_skips_expired_changes()
    {
        var guard = Sys.ActorOf(FleetGuard.PropsFor(Settings, _clock));
        var now = _clock.GetUtcNow();
        async Task<int> Held() => (await guard.Ask<FleetGuardStatus>(GetFleetGuardStatus.Instance, Timeout)).HeldZoneChanges;
        async Task Report(int zone, long version, params HeldEntry[] held) =>
            Assert.Equal(version, (await guard.Ask<HeldChangesReported>(new ReportHeldChanges(Zone(zone), version, held), Timeout)).Version);

        await Report(1, 3, new HeldEntry("z1.example@3", now.AddHours(24)));
        await Report(2, 5, new HeldEntry("z2.example@4", now.AddHours(24)), new HeldEntry("z2.example@5", now.AddMinutes(30)));
        Assert.Equal(3, await Held());
        await Report(1, 4);                                                     // confirmed: none left in z1
        await Report(1, 3, new HeldEntry("z1.example@3", now.AddHours(24)));   // a late retry of the older report
        Assert.Equal(2, await Held());

        guard = await Restart(guard);
        Assert.Equal(2, await Held());
        _clock.Advance(TimeSpan.FromMinutes(31));                               // z2.example@5 expired: waits no more
        Assert.Equal(1, await Held());
    }

    private sealed class FakeClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
