using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.DistributedData;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Tests.Support.Ids;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Actors.Tests.Propagation;

/// <summary>The supervisor in a real single-node cluster (Distributed Data and pub-sub included); short thresholds.</summary>
public sealed class DeliverySupervisorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const string Topic = "zone-changes-test";

    private static readonly PropagationSettings Settings = new()
    {
        Policy = new LagPolicyOptions
        {
            MaxLag = TimeSpan.FromMilliseconds(400), MaxConsecutiveFailures = 3, HoldDown = TimeSpan.FromMilliseconds(400),
            FloorCount = 1, FloorShare = 0,
        },
        EvaluateInterval = TimeSpan.FromMilliseconds(100),
    };

    public DeliverySupervisorSpecs() : base(PropagationTestConfig.Cluster()
        .WithFallback(DistributedData.DefaultConfig()).WithFallback(DistributedPubSub.DefaultConfig()), "supervisor")
    {
        var cluster = AkkaCluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    private IActorRef Start(PropagationSettings? settings = null) =>
        Sys.ActorOf(DeliverySupervisor.Props(settings ?? Settings, Topic, m => m as string is { } s && s.StartsWith("delta ") ? Parse(s) : null));

    // A stand-in for the zone actors' delta type: "delta ZONE VERSION".
    private static ZoneVersionPublished Parse(string s)
    {
        var p = s.Split(' ');
        return new ZoneVersionPublished(Zid(p[1]), long.Parse(p[2]), false, DateTimeOffset.UtcNow);
    }

    private static DatacenterReport Report(DatacenterName dc, params (ZoneId zone, long v)[] versions) =>
        new(dc, versions.ToDictionary(x => x.zone, x => x.v), DateTimeOffset.UtcNow);

    private DeliveryStatusReport StatusOf(IActorRef supervisor)
    {
        supervisor.Tell(GetDeliveryStatus.Instance, TestActor);
        return ExpectMsg<DeliveryStatusReport>();
    }

    private DatacenterStatus StatusOf(IActorRef supervisor, DatacenterName name) => StatusOf(supervisor).Datacenters.Single(d => d.Name == name);

    private LWWDictionary<string, string> ServingSetNow()
    {
        DistributedData.Get(Sys).Replicator.Tell(Dsl.Get(ServingSet.Key, ReadLocal.Instance), TestActor);
        var reply = ExpectMsg<IGetResponse>();
        return reply is GetSuccess ok ? ok.Get(ServingSet.Key) : LWWDictionary<string, string>.Empty;
    }

    [Fact]
    public void A_lagging_datacenter_is_drained_into_the_serving_set_and_re_admitted_after_catching_up()
    {
        var sup = Start();
        sup.Tell(Report(Dc("dc-1"), (Zid("a."), 1)));
        sup.Tell(Report(Dc("dc-2"), (Zid("a."), 1)));
        sup.Tell(new ZoneVersionPublished(Zid("a."), 2, false, DateTimeOffset.UtcNow));
        sup.Tell(new DeliveryAck(Dc("dc-1"), Zid("a."), 2, DateTimeOffset.UtcNow));

        AwaitAssert(() =>
        {
            var dc2 = StatusOf(sup, Dc("dc-2"));
            Assert.False(dc2.Serving);
            Assert.Equal("Lag", dc2.Drain);
            Assert.Equal(1, dc2.VersionsBehind);
        }, TimeSpan.FromSeconds(3));
        Assert.True(StatusOf(sup, Dc("dc-1")).Serving);
        AwaitAssert(() => Assert.StartsWith("Lag:", ServingSetNow()["dc-2"]), TimeSpan.FromSeconds(3));

        sup.Tell(new DeliveryAck(Dc("dc-2"), Zid("a."), 2, DateTimeOffset.UtcNow));
        // Not before the hold-down …
        Assert.False(StatusOf(sup, Dc("dc-2")).Serving);
        // … but soon after.
        AwaitAssert(() => Assert.True(StatusOf(sup, Dc("dc-2")).Serving), TimeSpan.FromSeconds(3));
        AwaitAssert(() => Assert.False(ServingSetNow().ContainsKey("dc-2")), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Zone_changes_arrive_from_the_pub_sub_topic()
    {
        var sup = Start();
        sup.Tell(Report(Dc("dc-1"), (Zid("a."), 1)));
        sup.Tell(Report(Dc("dc-2"), (Zid("a."), 1)));
        var mediator = DistributedPubSub.Get(Sys).Mediator;
        // The subscription is asynchronous: publish until the supervisor counts the change.
        AwaitAssert(() =>
        {
            mediator.Tell(new Publish(Topic, "delta a. 5"));
            Assert.Equal(4, StatusOf(sup, Dc("dc-1")).VersionsBehind);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Consecutive_failures_drain_and_a_success_resets_the_run()
    {
        var sup = Start();
        sup.Tell(Report(Dc("dc-1"), (Zid("a."), 1)));
        sup.Tell(Report(Dc("dc-2"), (Zid("a."), 1)));
        sup.Tell(new DeliveryFailure(Dc("dc-2"), Zid("a."), "transfer incomplete", DateTimeOffset.UtcNow));
        sup.Tell(new DeliveryFailure(Dc("dc-2"), Zid("a."), "transfer incomplete", DateTimeOffset.UtcNow));
        sup.Tell(new DeliveryAck(Dc("dc-2"), Zid("a."), 1, DateTimeOffset.UtcNow));
        sup.Tell(new DeliveryFailure(Dc("dc-2"), Zid("a."), "apply threw", DateTimeOffset.UtcNow));
        sup.Tell(new DeliveryFailure(Dc("dc-2"), Zid("a."), "apply threw", DateTimeOffset.UtcNow));
        var dc2 = StatusOf(sup, Dc("dc-2"));
        Assert.Equal(2, dc2.ConsecutiveFailures);
        Assert.Equal(4, dc2.RecentFailures.Count);
        Thread.Sleep(300);
        Assert.True(StatusOf(sup, Dc("dc-2")).Serving);

        sup.Tell(new DeliveryFailure(Dc("dc-2"), Zid("a."), "apply threw", DateTimeOffset.UtcNow));
        AwaitAssert(() =>
        {
            var d = StatusOf(sup, Dc("dc-2"));
            Assert.False(d.Serving);
            Assert.Equal("Failures", d.Drain);
            Assert.Contains("3 delivery failures", d.Why);
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void The_floor_stops_a_drain_and_raises_an_alert_instead()
    {
        var sup = Start(Settings with { Policy = Settings.Policy with { FloorCount = 2 } });
        foreach (var dc in new[] { Dc("dc-1"), Dc("dc-2"), Dc("dc-3") }) sup.Tell(Report(dc, (Zid("a."), 1)));
        sup.Tell(new ZoneVersionPublished(Zid("a."), 2, false, DateTimeOffset.UtcNow));
        sup.Tell(new DeliveryAck(Dc("dc-1"), Zid("a."), 2, DateTimeOffset.UtcNow));

        AwaitAssert(() =>
        {
            var s = StatusOf(sup);
            Assert.Equal(2, s.Floor);
            Assert.Equal(2, s.Datacenters.Count(d => d.Serving));
            var drained = Assert.Single(s.Datacenters, d => !d.Serving);
            var alerted = Assert.Single(s.Datacenters, d => d.Alert is not null);
            Assert.NotEqual(drained.Name, alerted.Name);
            Assert.Contains("floor is 2", alerted.Alert);
            Assert.Contains(s.Alerts, a => a.Contains(alerted.Name.Value));
        }, TimeSpan.FromSeconds(3));
        Assert.True(StatusOf(sup, Dc("dc-1")).Serving);
    }

    [Fact]
    public void An_operator_drain_stays_until_the_operator_undrains()
    {
        var sup = Start();
        sup.Tell(Report(Dc("dc-1"), (Zid("a."), 1)));
        sup.Tell(Report(Dc("dc-2"), (Zid("a."), 1)));

        sup.Tell(new DrainDatacenter(Dc("dc-9")), TestActor);
        var unknown = ExpectMsg<OperatorReply>();
        Assert.False(unknown.Ok);
        Assert.Contains("unknown datacenter 'dc-9'", unknown.Message);

        sup.Tell(new DrainDatacenter(Dc("dc-2")), TestActor);
        Assert.True(ExpectMsg<OperatorReply>().Ok);
        AwaitAssert(() => Assert.StartsWith("Operator:", ServingSetNow()["dc-2"]), TimeSpan.FromSeconds(3));
        // Caught up, no failures, long past the hold-down: still drained, because an operator said so.
        Thread.Sleep(700);
        var d = StatusOf(sup, Dc("dc-2"));
        Assert.False(d.Serving);
        Assert.Equal("Operator", d.Drain);

        sup.Tell(new UndrainDatacenter(Dc("dc-2")), TestActor);
        Assert.True(ExpectMsg<OperatorReply>().Ok);
        Assert.True(StatusOf(sup, Dc("dc-2")).Serving);
        AwaitAssert(() => Assert.False(ServingSetNow().ContainsKey("dc-2")), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_supervisor_that_takes_over_keeps_the_drains_in_the_serving_set()
    {
        var first = Start();
        first.Tell(Report(Dc("dc-1"), (Zid("a."), 1)));
        first.Tell(Report(Dc("dc-2"), (Zid("a."), 1)));
        first.Tell(new DrainDatacenter(Dc("dc-2")), TestActor);
        ExpectMsg<OperatorReply>();
        AwaitAssert(() => Assert.True(ServingSetNow().ContainsKey("dc-2")), TimeSpan.FromSeconds(3));
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        var second = Start();
        AwaitAssert(() =>
        {
            var d = StatusOf(second, Dc("dc-2"));
            Assert.False(d.Serving);
            Assert.Equal("Operator", d.Drain);
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Reports_teach_a_new_supervisor_versions_it_never_saw_published()
    {
        var sup = Start();
        sup.Tell(Report(Dc("dc-1"), (Zid("a."), 7)));
        sup.Tell(Report(Dc("dc-2"), (Zid("a."), 5)));
        Assert.Equal(2, StatusOf(sup, Dc("dc-2")).VersionsBehind);
        Assert.Equal(0, StatusOf(sup, Dc("dc-1")).VersionsBehind);
    }
}
