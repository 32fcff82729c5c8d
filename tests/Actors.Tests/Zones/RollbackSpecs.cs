using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using Xunit.Abstractions;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.PendingChanges;
using static AkkaDns.Actors.Zones.ZoneQueries;
using static AkkaDns.Actors.Zones.ZoneRollback;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>Rollback from the real journal (SQLite): replay with Akka.Persistence.Query, then a new event; and a held
/// change going through the zone actor.</summary>
public sealed class RollbackSpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly ZoneId Z = ZoneId.Parse("rollback.test");
    private IActorRef _region = ActorRefs.Nobody;
    /// <summary>The zone actors' clock: a rollback to a time is judged against it, with no wait for real time.</summary>
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 27, 4, 0, 0, TimeSpan.Zero));

    public RollbackSpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "rollback", output) { }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_region, _, _) = SingleNode.StartZones(Sys, s => s with { Clock = _clock });
    }

    private async Task<ZoneCommandResult.Accepted> Accept(IZoneCommand c) =>
        Assert.IsType<ZoneCommandResult.Accepted>(await _region.Ask<ZoneCommandResult>(c, Timeout));

    private async Task<ZoneView> View() => Assert.IsType<ZoneView>(await _region.Ask<object>(new GetZone(Z), Timeout));

    private async Task<ZoneCommandResult.Accepted> RollBack(RollbackTarget target)
    {
        var past = await ZoneHistoryReplay.StateAtAsync(Sys, Z, target);
        return await Accept(new RollbackZone(Z, past.Version, target.ToString(), past.Records, "key:test"));
    }

    [Fact]
    public async Task Rollback_to_version_1_is_version_5_with_version_1_records_and_can_itself_be_rolled_back()
    {
        await Accept(Create("rollback.test.", A("www.rollback.test.", "192.0.2.1")));
        var v1 = await View();
        await Accept(Change("rollback.test.", ReplaceA("www.rollback.test.", "192.0.2.2")));
        await Accept(Change("rollback.test.", ReplaceA("mail.rollback.test.", "192.0.2.25")));
        await Accept(Change("rollback.test.", ReplaceA("www.rollback.test.", "192.0.2.3", "192.0.2.4")));
        var v4 = await View();

        var ok = await RollBack(RollbackTarget.ToVersion(1));
        Assert.Equal(5, ok.Version);
        var v5 = await View();
        Assert.Equal(v1.Records.Skip(1), v5.Records.Skip(1));          // same content; the SOA serial moved forward
        Assert.True(v5.Serial > v4.Serial);

        var history = Assert.IsType<ZoneHistory>(await _region.Ask<object>(new GetHistory(Z), Timeout));
        var last = history.Entries[^1];
        Assert.Equal((5L, ZoneChangeKind.RolledBack, "key:test"), (last.Version, last.Kind, last.Who));
        Assert.Equal(5, history.Entries.Count);                       // nothing rewritten

        // roll back the rollback: version 4's content, as version 6 (the replay reads the rollback event too)
        var again = await RollBack(RollbackTarget.ToVersion(4));
        Assert.Equal(6, again.Version);
        Assert.Equal(v4.Records.Skip(1), (await View()).Records.Skip(1));
        var at5 = await ZoneHistoryReplay.StateAtAsync(Sys, Z, RollbackTarget.ToVersion(5));
        Assert.Equal(v5.Records, at5.Records);
    }

    [Fact]
    public async Task Rollback_to_a_time_takes_the_last_version_at_or_before_it()
    {
        await Accept(Create("rollback.test.", A("www.rollback.test.", "192.0.2.1")));
        await Accept(Change("rollback.test.", ReplaceA("www.rollback.test.", "192.0.2.2")));
        var v2 = await View();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var between = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Accept(Change("rollback.test.", ReplaceA("www.rollback.test.", "192.0.2.3")));
        var past = await ZoneHistoryReplay.StateAtAsync(Sys, Z, RollbackTarget.ToTime(between));
        Assert.Equal(2, past.Version);
        Assert.Equal(v2.Records, past.Records);
        Assert.Contains(Z, await ZoneHistoryReplay.AllZonesAsync(Sys));
    }

    [Fact]
    public async Task A_held_mass_deletion_changes_nothing_until_confirmed()
    {
        var hosts = Enumerable.Range(0, 10).Select(i => A($"h{i}.rollback.test.", $"192.0.2.{i + 1}")).ToArray();
        await Accept(Create("rollback.test.", hosts));
        var before = await View();
        var deletion = new ZoneCommands.ChangeRRsets(Z, Enumerable.Range(0, 8)
            .Select(i => RRsetChange.Delete(N($"h{i}.rollback.test."), Resolver.Wire.RecordType.A)).ToList(), "key:alice");
        var held = Assert.IsType<Held>(await _region.Ask<ZoneCommandResult>(deletion, Timeout));
        Assert.Equal(before.Records, (await View()).Records);

        var list = Assert.IsType<PendingChangeList>(await _region.Ask<object>(new GetPendingChanges(Z), Timeout));
        Assert.Equal(held.ChangeId, Assert.Single(list.Changes).Id);

        var ok = await Accept(new ConfirmChange(Z, held.ChangeId, "key:bob"));
        Assert.Equal(3, ok.Version);
        Assert.Equal(before.Records.Count - 8, (await View()).Records.Count);
        Assert.Empty(Assert.IsType<PendingChangeList>(await _region.Ask<object>(new GetPendingChanges(Z), Timeout)).Changes);
    }
}
