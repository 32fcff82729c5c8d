using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaDns.Actors.Secondaries;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using Xunit;
using Xunit.Abstractions;

namespace AkkaDns.Actors.Tests.Secondaries;

/// <summary>The refresher's wiring with a fake clock and fake work: config from the view starts a refresh, a NOTIFY
/// starts another, and an expiry under policy stop is written as the X-AKKADNS-EXPIRED metadata (cleared on recovery).</summary>
public sealed class SecondaryRefresherSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = INFO", output)
{
    private static readonly ZoneId Zone = ZoneId.Parse("example.org.");

    private sealed class FakeClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    /// <summary>Answers each job with the next scripted outcome and records the jobs.</summary>
    private sealed class FakeWork : ISecondaryWork
    {
        public readonly BlockingCollection<SecondaryJob> Jobs = new();
        public Func<SecondaryJob, SecondaryOutcome> Answer = j => new SecondaryOutcome(j.Config.Zone, SecondaryResult.Committed, 5, new SoaTimers(3600, 60, 120), "ok");
        public Task<SecondaryOutcome> RefreshAsync(SecondaryJob job, CancellationToken ct)
        {
            Jobs.Add(job, ct);
            return Task.FromResult(Answer(job));
        }
    }

    private static TransferConfigSnapshot Snapshot(string policy, bool expired = false)
    {
        var meta = new Dictionary<string, IReadOnlyList<string>>
        {
            [TransferMetadata.Masters] = ["127.0.0.1:5301"],
            [TransferMetadata.ExpirePolicy] = [policy],
        };
        if (expired) meta[TransferMetadata.Expired] = ["2026-12-03T00:00:00Z"];
        return new TransferConfigSnapshot(new Dictionary<string, TsigKeyData>(),
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> { [Zone.Value] = meta });
    }

    private (IActorRef Refresher, FakeWork Work, FakeClock Clock, Akka.TestKit.TestProbe Config, TransferConfigView View) Start(string policy)
    {
        var view = new TransferConfigView();
        var work = new FakeWork();
        var clock = new FakeClock(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var config = CreateTestProbe();
        var settings = new SecondarySettings { Tick = TimeSpan.FromMilliseconds(50) };
        var refresher = Sys.ActorOf(SecondaryRefresher.PropsFor(work, view, settings, clock, config.Ref));
        view.Publish(Snapshot(policy));
        return (refresher, work, clock, config, view);
    }

    private static SecondaryJob Next(FakeWork work) =>
        work.Jobs.TryTake(out var job, TimeSpan.FromSeconds(5)) ? job : throw new Xunit.Sdk.XunitException("no refresh started within 5 s");

    /// <summary>Waits until the refresher has folded the refresh in (its outcome is a message to itself).</summary>
    private void AwaitResult(IActorRef refresher, SecondaryResult result) => AwaitAssert(() =>
    {
        refresher.Tell(new SecondaryProtocol.GetSecondaryStatus(Zone));
        Assert.Equal(result, Assert.Single(ExpectMsg<SecondaryProtocol.SecondaryStatusList>().Zones).LastResult);
    }, TimeSpan.FromSeconds(5));

    [Fact]
    public void A_configured_secondary_is_refreshed_and_a_notify_refreshes_it_again()
    {
        var (refresher, work, _, _, _) = Start("stop");
        var first = Next(work);
        Assert.Equal(Zone, first.Config.Zone);
        Assert.Null(first.KnownSerial);
        // The SOA refresh is an hour away: nothing more until a NOTIFY.
        Assert.False(work.Jobs.TryTake(out _, TimeSpan.FromMilliseconds(300)));
        refresher.Tell(new SecondaryProtocol.SecondaryNotified(Zone, "127.0.0.1", 6));
        var second = Next(work);
        Assert.True(second.Notified);
        Assert.Equal(5u, second.KnownSerial);

        refresher.Tell(new SecondaryProtocol.GetSecondaryStatus(Zone));
        var status = Assert.Single(ExpectMsg<SecondaryProtocol.SecondaryStatusList>().Zones);
        Assert.Equal(2, status.Transfers);
    }

    [Fact]
    public void An_expiry_under_stop_is_marked_for_the_edges_and_cleared_when_a_refresh_succeeds()
    {
        var (refresher, work, clock, config, _) = Start("stop");
        Next(work); // committed: expires in 120 s without contact
        AwaitResult(refresher, SecondaryResult.Committed);
        work.Answer = j => new SecondaryOutcome(j.Config.Zone, SecondaryResult.Failed, null, null, "primary down");
        clock.Advance(TimeSpan.FromSeconds(121));
        var mark = config.ExpectMsg<TransferConfigCommands.SetZoneMetadata>(TimeSpan.FromSeconds(5));
        Assert.Equal((Zone.Value, TransferMetadata.Expired), (mark.Zone, mark.Kind));
        Assert.Single(mark.Values);

        work.Answer = j => new SecondaryOutcome(j.Config.Zone, SecondaryResult.UpToDate, 5, new SoaTimers(3600, 60, 120), "up to date");
        refresher.Tell(new SecondaryProtocol.SecondaryNotified(Zone, "127.0.0.1", null));
        var clear = config.FishForMessage<TransferConfigCommands.SetZoneMetadata>(m => m.Values.Count == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(TransferMetadata.Expired, clear.Kind);
    }

    [Fact]
    public void An_expiry_under_serve_is_reported_but_not_marked()
    {
        var (refresher, work, clock, config, _) = Start("serve");
        Next(work);
        AwaitResult(refresher, SecondaryResult.Committed);
        work.Answer = j => new SecondaryOutcome(j.Config.Zone, SecondaryResult.Failed, null, null, "primary down");
        clock.Advance(TimeSpan.FromSeconds(121));
        AwaitAssert(() =>
        {
            refresher.Tell(new SecondaryProtocol.GetSecondaryStatus(Zone));
            Assert.True(Assert.Single(ExpectMsg<SecondaryProtocol.SecondaryStatusList>().Zones).Expired);
        }, TimeSpan.FromSeconds(5));
        config.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}
