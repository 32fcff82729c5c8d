using System.Collections.Immutable;
using System.Net;
using AkkaDns.Actors.Secondaries;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using Xunit;

namespace AkkaDns.Actors.Tests.Secondaries;

/// <summary>The secondary schedule without an actor system: when a zone is due, what a NOTIFY does, expiry.</summary>
public sealed class SecondaryScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Zone = ZoneId.Parse("example.org.");
    private static readonly SecondaryZoneConfig Config = new(Zone, [IPEndPoint.Parse("127.0.0.1:5301")], null, ExpirePolicy.Stop);
    private static readonly SoaTimers Timers = new(Refresh: 60, Retry: 10, Expire: 300);
    private static readonly IReadOnlySet<ZoneId> NoneExpired = new HashSet<ZoneId>();

    private static SecondarySchedule Started(out SecondaryJob first, SecondaryTiming? timing = null)
    {
        var schedule = new SecondarySchedule(timing ?? new SecondaryTiming());
        schedule.Configure([Config], NoneExpired, T0);
        var due = schedule.TakeDue(T0);
        first = Assert.Single(due);
        return schedule;
    }

    [Fact]
    public void A_new_secondary_is_due_at_once_and_not_twice_while_it_runs()
    {
        var schedule = Started(out var job);
        Assert.Null(job.KnownSerial);
        Assert.Empty(schedule.TakeDue(T0.AddSeconds(30)));
        Assert.True(schedule.Status(Zone)!.InFlight);
    }

    [Theory]
    [InlineData(SecondaryResult.Committed, 60)] // SOA refresh
    [InlineData(SecondaryResult.UpToDate, 60)]
    [InlineData(SecondaryResult.Held, 60)]
    [InlineData(SecondaryResult.Failed, 10)] // SOA retry
    public void The_next_check_follows_the_soa_timers(SecondaryResult result, int seconds)
    {
        var schedule = Started(out _);
        schedule.Complete(new SecondaryOutcome(Zone, result, 5, Timers, "x"), T0);
        Assert.Empty(schedule.TakeDue(T0.AddSeconds(seconds - 1)));
        Assert.Single(schedule.TakeDue(T0.AddSeconds(seconds)));
    }

    [Fact]
    public void Timers_are_clamped_so_a_refresh_of_zero_does_not_spin()
    {
        var schedule = Started(out _, new SecondaryTiming { MinRefresh = TimeSpan.FromSeconds(5) });
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Committed, 5, new SoaTimers(0, 0, 300), "x"), T0);
        Assert.Empty(schedule.TakeDue(T0.AddSeconds(4)));
        Assert.Single(schedule.TakeDue(T0.AddSeconds(5)));
    }

    [Fact]
    public void A_notify_makes_the_zone_due_now_and_one_during_a_refresh_runs_another_after_it()
    {
        var schedule = Started(out _);
        Assert.True(schedule.Notify(Zone, T0.AddSeconds(1)));
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Committed, 5, Timers, "x"), T0.AddSeconds(2));
        var again = Assert.Single(schedule.TakeDue(T0.AddSeconds(2)));
        Assert.True(again.Notified);
        Assert.Equal(5u, again.KnownSerial);
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.UpToDate, 5, Timers, "x"), T0.AddSeconds(3));
        Assert.Empty(schedule.TakeDue(T0.AddSeconds(4)));
        Assert.True(schedule.Notify(Zone, T0.AddSeconds(5)));
        Assert.Single(schedule.TakeDue(T0.AddSeconds(5)));
        Assert.False(schedule.Notify(ZoneId.Parse("other.org."), T0));
    }

    [Fact]
    public void It_expires_when_expire_passes_without_contact_and_recovers_on_the_next_success()
    {
        var schedule = Started(out _);
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Committed, 5, Timers, "x"), T0);
        Assert.Empty(schedule.Expire(T0.AddSeconds(299)));
        for (int i = 1; i <= 3; i++)
        {
            var t = T0.AddSeconds(60 + i * 10);
            Assert.Single(schedule.TakeDue(t));
            Assert.Null(schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Failed, null, null, "primary down"), t));
        }
        var expired = Assert.Single(schedule.Expire(T0.AddSeconds(300)));
        Assert.True(expired.Expired);
        Assert.Empty(schedule.Expire(T0.AddSeconds(301))); // once
        Assert.True(schedule.Status(Zone)!.Expired);
        Assert.Equal(3, schedule.Status(Zone)!.Failures);

        Assert.Single(schedule.TakeDue(T0.AddSeconds(400)));
        var back = schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.UpToDate, 5, Timers, "ok"), T0.AddSeconds(400));
        Assert.NotNull(back);
        Assert.False(back!.Expired);
        Assert.False(schedule.Status(Zone)!.Expired);
        Assert.Equal(T0.AddSeconds(700), schedule.Status(Zone)!.ExpiresAt);
    }

    [Fact]
    public void A_zone_without_a_copy_never_expires()
    {
        var schedule = Started(out _);
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Failed, null, null, "refused"), T0);
        Assert.Empty(schedule.Expire(T0.AddDays(30)));
    }

    [Fact]
    public void A_held_transfer_is_remembered_and_cleared_by_a_commit()
    {
        var schedule = Started(out _);
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Committed, 5, Timers, "x"), T0);
        Assert.Single(schedule.TakeDue(T0.AddSeconds(60)));
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Held, 9, Timers, "held"), T0.AddSeconds(60));
        var job = Assert.Single(schedule.TakeDue(T0.AddSeconds(120)));
        Assert.Equal(9u, job.HeldSerial);
        Assert.Equal(5u, job.KnownSerial); // the edges still serve 5
        schedule.Complete(new SecondaryOutcome(Zone, SecondaryResult.Committed, 10, Timers, "x"), T0.AddSeconds(120));
        Assert.Null(Assert.Single(schedule.TakeDue(T0.AddSeconds(180))).HeldSerial);
    }

    [Fact]
    public void Removing_a_secondary_forgets_it_and_returns_its_expired_marker_to_clear()
    {
        var schedule = Started(out _);
        var marked = new HashSet<ZoneId> { Zone };
        var clear = schedule.Configure([], marked, T0);
        Assert.Equal([Zone], clear);
        Assert.Equal(0, schedule.Count);
        // A marker kept across a restart: known as expired from the start.
        schedule.Configure([Config], marked, T0);
        Assert.True(schedule.Status(Zone)!.Expired);
    }

    [Fact]
    public void At_most_max_in_flight_refreshes_run_at_once()
    {
        var schedule = new SecondarySchedule(new SecondaryTiming { MaxInFlight = 2 });
        var configs = Enumerable.Range(0, 5).Select(i => Config with { Zone = ZoneId.Parse($"z{i}.org.") }).ToList();
        schedule.Configure(configs, NoneExpired, T0);
        Assert.Equal(2, schedule.TakeDue(T0).Count);
        Assert.Empty(schedule.TakeDue(T0));
        schedule.Complete(new SecondaryOutcome(ZoneId.Parse("z0.org."), SecondaryResult.Failed, null, null, "x"), T0);
        Assert.Single(schedule.TakeDue(T0));
    }

    [Fact]
    public void The_config_is_read_from_zone_metadata()
    {
        var state = TransferConfigState.Empty;
        foreach (var (kind, values) in new[] { (TransferMetadata.Masters, new[] { "192.0.2.1", "[2001:db8::1]:5301" }), (TransferMetadata.AxfrMasterTsig, ["k1."]), (TransferMetadata.ExpirePolicy, ["serve"]) })
        {
            var d = state.Process(new TransferConfigCommands.SetZoneMetadata("example.org.", kind, values), T0);
            Assert.Null(d.Rejection);
            foreach (var e in d.Events) state = state.Apply(e);
        }
        var snapshot = new TransferConfigSnapshot(state.Keys, state.Metadata.ToDictionary(kv => kv.Key,
            kv => (IReadOnlyDictionary<string, IReadOnlyList<string>>)kv.Value.ToDictionary(x => x.Key, x => (IReadOnlyList<string>)x.Value)));
        var config = Assert.Single(SecondaryZoneConfig.AllIn(snapshot, ExpirePolicy.Stop));
        Assert.Equal([IPEndPoint.Parse("192.0.2.1:53"), IPEndPoint.Parse("[2001:db8::1]:5301")], config.Masters.ToArray());
        Assert.Equal("k1.", config.KeyName);
        Assert.Equal(ExpirePolicy.Serve, config.Policy);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1:53")]
    [InlineData("192.0.2.1:5301", "192.0.2.1:5301")]
    [InlineData("2001:db8::1", "[2001:db8::1]:53")]
    [InlineData("[2001:db8::1]:5301", "[2001:db8::1]:5301")]
    public void Masters_are_normalized_with_port_53_by_default(string given, string stored)
    {
        Assert.True(TransferMetadata.TryNormalizeValues(TransferMetadata.Masters, [given], out var n, out var error), error);
        Assert.Equal([stored], n);
    }

    [Theory]
    [InlineData("primary.example.org")]
    [InlineData("192.0.2.1:0")]
    [InlineData("10.1")]
    public void A_bad_master_is_refused_naming_it(string given)
    {
        Assert.False(TransferMetadata.TryNormalizeValues(TransferMetadata.Masters, [given], out _, out var error));
        Assert.Contains(given, error);
    }
}
