using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using Xunit.Abstractions;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.PendingChanges;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>A held change expiring on the zone actor's clock (<see cref="ZoneSettings.Clock"/>), a fake one here: the
/// 24 h of <c>pending-ttl</c> pass in one call instead of a wait.</summary>
public sealed class HeldChangeExpirySpecs : JournalSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly ZoneId Z = ZoneId.Parse("expiry.test");
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 4, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(T0);
    private IActorRef _region = ActorRefs.Nobody;
    private ZoneSettings _settings = new();

    public HeldChangeExpirySpecs(ITestOutputHelper output) : base(new SqliteTestJournal(), "expiry", output) { }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_region, _, _settings) = SingleNode.StartZones(Sys, s => s with { Clock = _clock });
    }

    private async Task<ZoneView> View() => Assert.IsType<ZoneView>(await _region.Ask<object>(new GetZone(Z), Timeout));

    private async Task<Held> HoldMassDeletion(string first)
    {
        var deletion = new ZoneCommands.ChangeRRsets(Z, Enumerable.Range(0, 8)
            .Select(i => RRsetChange.Delete(N($"{first}{i}.expiry.test."), Resolver.Wire.RecordType.A)).ToList(), "key:alice");
        return Assert.IsType<Held>(await _region.Ask<ZoneCommandResult>(deletion, Timeout));
    }

    [Fact]
    public async Task A_held_change_expires_after_pending_ttl_on_the_zone_clock_and_can_no_longer_be_confirmed()
    {
        var hosts = Enumerable.Range(0, 10).Select(i => A($"h{i}.expiry.test.", $"192.0.2.{i + 1}"));
        var spares = Enumerable.Range(0, 10).Select(i => A($"s{i}.expiry.test.", $"192.0.2.{i + 101}"));
        Assert.IsType<ZoneCommandResult.Accepted>(await _region.Ask<ZoneCommandResult>(
            Create("expiry.test.", [.. hosts, .. spares]), Timeout));
        var ttl = _settings.Guard.PendingTtl;

        var held = await HoldMassDeletion("h");
        Assert.Equal(T0 + ttl, held.ExpiresAt); // stamped from the zone's clock, not the machine's
        var before = await View();

        // One second before the deadline it is still pending and can be confirmed (shown on a second held change).
        _clock.Advance(ttl - TimeSpan.FromSeconds(1));
        var second = await HoldMassDeletion("s");
        Assert.Equal(T0 + ttl - TimeSpan.FromSeconds(1) + ttl, second.ExpiresAt);

        // At the deadline the first one has expired: confirming it is refused and changes nothing.
        _clock.Advance(TimeSpan.FromSeconds(1));
        var refused = Assert.IsType<ZoneCommandResult.Rejected>(
            await _region.Ask<ZoneCommandResult>(new ConfirmChange(Z, held.ChangeId, "key:bob"), Timeout));
        Assert.Contains("expired", refused.Message);
        Assert.Equal(before.Records, (await View()).Records);

        // The second one, held later, is not expired yet and goes through.
        var ok = Assert.IsType<ZoneCommandResult.Accepted>(
            await _region.Ask<ZoneCommandResult>(new ConfirmChange(Z, second.ChangeId, "key:bob"), Timeout));
        Assert.Equal(before.Records.Count - 8, (await View()).Records.Count);
        Assert.True(ok.Version > before.Version);
    }
}
