using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.PendingChanges;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneRollback;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>The guard, confirmation, rejection, override and rollback, pure (no actor, no clock).</summary>
public sealed class ZoneSafeguardsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 4, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com");
    private static readonly BlastRadiusSettings Guard = BlastRadiusSettings.Default;

    private static (ZoneState State, ZoneDecision Decision) Run(ZoneState s, IZoneCommand c, BlastRadiusSettings? guard = null, DateTimeOffset? now = null)
    {
        var d = ZoneSafeguards.Decide(s, c, now ?? T0, guard ?? Guard);
        return (d.Events.Aggregate(s, (x, e) => x.Apply(e)), d);
    }

    /// <summary>example.com with NS and 10 hosts (11 RRsets besides the SOA).</summary>
    private static ZoneState TenHosts()
    {
        var hosts = Enumerable.Range(0, 10).Select(i => A($"h{i}.example.com.", $"192.0.2.{i + 1}")).ToArray();
        var (s, d) = Run(ZoneState.Empty(Z), Create("example.com.", hosts));
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        return s;
    }

    private static ChangeRRsets DeleteHosts(int count, string who = "key:alice") =>
        new(Z, Enumerable.Range(0, count).Select(i => RRsetChange.Delete(N($"h{i}.example.com."), RecordType.A)).ToList(), who);

    [Fact]
    public void A_small_change_goes_through_unguarded()
    {
        var s = TenHosts();
        var (next, d) = Run(s, DeleteHosts(2));
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        Assert.Equal(s.Records.Count - 2, next.Records.Count);
        Assert.Empty(next.Pending);
    }

    [Fact]
    public void A_mass_deletion_is_held_content_unchanged_and_listed_in_history()
    {
        var s = TenHosts();
        var (held, d) = Run(s, DeleteHosts(6));
        var h = Assert.IsType<Held>(d.Result);
        Assert.Equal("example.com@2", h.ChangeId);
        Assert.Equal(T0 + Guard.PendingTtl, h.ExpiresAt);
        Assert.Equal(s.Records, held.Records);                     // nothing applied
        Assert.Equal(s.Serial, held.Serial);
        Assert.Equal(2, held.Version);
        var p = Assert.Single(held.Pending);
        Assert.Equal(("key:alice", h.ChangeId), (p.Who, p.Id));
        var line = held.History[^1];
        Assert.Equal((ZoneChangeKind.Held, "key:alice"), (line.Kind, line.Who));
        Assert.Contains("HELD change example.com@2", line.Summary);
        Assert.Contains("55%", line.Summary);
    }

    [Fact]
    public void Confirming_applies_the_held_change_and_history_says_who_made_and_who_confirmed_it()
    {
        var (held, d) = Run(TenHosts(), DeleteHosts(6));
        var id = ((Held)d.Result).ChangeId;
        var (done, c) = Run(held, new ConfirmChange(Z, id, "key:bob"), now: T0.AddMinutes(5));
        var ok = Assert.IsType<ZoneCommandResult.Accepted>(c.Result);
        Assert.Equal(3, ok.Version);
        Assert.True(ok.Serial > held.Serial);
        Assert.Empty(done.Pending);
        Assert.DoesNotContain(done.Records, r => r.Owner.Equals(N("h0.example.com.")));
        var line = done.History[^1];
        Assert.Equal((ZoneChangeKind.Confirmed, "key:bob", 3L), (line.Kind, line.Who, line.Version));
        Assert.Contains("made by key:alice", line.Summary);
        // confirmed once: a second confirmation finds nothing
        Assert.IsType<ZoneCommandResult.Rejected>(Run(done, new ConfirmChange(Z, id, "key:bob")).Decision.Result);
    }

    [Fact]
    public void Two_person_rule_refuses_confirmation_by_the_same_key()
    {
        var guard = Guard with { TwoPersonRule = true };
        var (held, d) = Run(TenHosts(), DeleteHosts(6), guard);
        var id = ((Held)d.Result).ChangeId;
        var refused = Assert.IsType<ZoneCommandResult.Rejected>(Run(held, new ConfirmChange(Z, id, "key:alice"), guard).Decision.Result);
        Assert.Contains("two-person rule", refused.Message);
        Assert.IsType<ZoneCommandResult.Accepted>(Run(held, new ConfirmChange(Z, id, "key:bob"), guard).Decision.Result);
    }

    [Fact]
    public void An_expired_change_cannot_be_confirmed_but_can_be_rejected()
    {
        var (held, d) = Run(TenHosts(), DeleteHosts(6));
        var id = ((Held)d.Result).ChangeId;
        var late = T0 + Guard.PendingTtl;
        var refused = Assert.IsType<ZoneCommandResult.Rejected>(Run(held, new ConfirmChange(Z, id, "key:bob"), now: late).Decision.Result);
        Assert.Contains("expired", refused.Message);
        var (dropped, r) = Run(held, new RejectChange(Z, id, "key:bob"), now: late);
        Assert.IsType<ZoneCommandResult.Accepted>(r.Result);
        Assert.Empty(dropped.Pending);
        Assert.Equal(held.Records, dropped.Records);
        Assert.Equal((ZoneChangeKind.Rejected, $"held change {id} expired"), (dropped.History[^1].Kind, dropped.History[^1].Summary));
    }

    [Fact]
    public void Zone_deletion_is_held_and_override_bypasses_the_guard_visibly()
    {
        var s = TenHosts();
        var (held, d) = Run(s, new DeleteZone(Z, "key:alice"));
        Assert.IsType<Held>(d.Result);
        Assert.True(held.Exists);

        var (gone, o) = Run(s, new OverrideGuard(new DeleteZone(Z, "key:alice")));
        Assert.IsType<ZoneCommandResult.Accepted>(o.Result);
        Assert.False(gone.Exists);
        Assert.Equal("key:alice (OVERRIDE of the blast-radius guard)", gone.History[^1].Who);
    }

    [Fact]
    public void Rollback_restores_old_content_as_a_new_version_with_a_forward_serial()
    {
        var v1 = TenHosts();
        var (v2, _) = Run(v1, Change("example.com.", ReplaceA("h0.example.com.", "198.51.100.1")));
        var (v3, _) = Run(v2, DeleteHosts(2));
        var (v4, d) = Run(v3, new RollbackZone(Z, 1, "to version 1", v1.Records, "key:alice"));
        var ok = Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        Assert.Equal(4, ok.Version);
        Assert.True(ok.Serial > v3.Serial);
        Assert.Equal(v1.Records.Skip(1), v4.Records.Skip(1));        // all but the SOA (its serial moved on)
        Assert.Equal((ZoneChangeKind.RolledBack, "key:alice"), (v4.History[^1].Kind, v4.History[^1].Who));
        Assert.Contains("content of version 1", v4.History[^1].Summary);
        Assert.IsType<ZoneCommandResult.Rejected>(Run(v4, new RollbackZone(Z, 9, "to version 9", v1.Records, "x")).Decision.Result);
    }

    [Fact]
    public void Replay_fold_stops_at_the_version_or_time()
    {
        var v1 = TenHosts();
        var (v2, d2) = Run(v1, Change("example.com.", ReplaceA("h0.example.com.", "198.51.100.1")), now: T0.AddMinutes(10));
        var (_, d3) = Run(v2, DeleteHosts(2), now: T0.AddMinutes(20));
        var events = v1.Recent.Concat(d2.Events).Concat(d3.Events).ToList();
        Assert.Equal(v1.Records, ZoneHistoryReplay.Fold(Z, events, RollbackTarget.ToVersion(1)).Records);
        Assert.Equal(v2.Records, ZoneHistoryReplay.Fold(Z, events, RollbackTarget.ToTime(T0.AddMinutes(15))).Records);
        Assert.Equal(0, ZoneHistoryReplay.Fold(Z, events, RollbackTarget.ToTime(T0.AddMinutes(-1))).Version);
    }
}
