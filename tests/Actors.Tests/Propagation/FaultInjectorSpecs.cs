using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Actors.Tests.Propagation;

/// <summary>The fault switch between the zone-changes topic and a datacenter actor, in a single-node cluster.</summary>
public sealed class FaultInjectorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const string Topic = "zone-changes-fault";

    /// <summary>Stands in for the DatacenterActor and tells the test what it gets.</summary>
    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef to, string topic)
        {
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(topic, Self));
            Receive<SubscribeAck>(ack => to.Tell("subscribed"));
            Receive<ZoneDelta>(d => to.Tell(d));
        }
    }

    public FaultInjectorSpecs() : base(PropagationTestConfig.Cluster().WithFallback(DistributedPubSub.DefaultConfig()), "fault")
    {
        var cluster = AkkaCluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    private static ZoneDelta Delta(long v) => ZoneDelta.Of(new ZoneEvents.ZoneDeleted(ZoneId.Parse("f.example."), v, DateTimeOffset.UtcNow, "test", 1));

    private void Publish(object m) => DistributedPubSub.Get(Sys).Mediator.Tell(new Publish(Topic, m));

    [Fact]
    public void Without_the_fault_deltas_arrive()
    {
        Sys.ActorOf(Props.Create(() => new Relay(TestActor, Topic)), "datacenter");
        ExpectMsg("subscribed");
        Publish(Delta(1));
        Assert.Equal(1, ExpectMsg<ZoneDelta>(TimeSpan.FromSeconds(3)).ToVersion);
    }

    [Fact]
    public void Drop_deltas_keeps_them_from_the_datacenter()
    {
        var datacenter = Sys.ActorOf(Props.Create(() => new Relay(TestActor, Topic)), "datacenter");
        ExpectMsg("subscribed");
        Sys.ActorOf(FaultInjector.Props(FaultMode.DropDeltas, TimeSpan.Zero, Topic, datacenter), "fault-injector");
        // The injector takes the datacenter actor off the topic; on a loaded machine that can take a
        // while, so wait (bounded) until a probe delta no longer reaches the datacenter instead of sleeping a guess.
        AwaitAssert(() => { Publish(Delta(100)); ExpectNoMsg(TimeSpan.FromMilliseconds(300)); },
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        for (int v = 1; v <= 5; v++) Publish(Delta(v));
        ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Delay_deltas_hands_them_over_late()
    {
        var datacenter = Sys.ActorOf(Props.Create(() => new Relay(TestActor, Topic)), "datacenter");
        ExpectMsg("subscribed");
        Sys.ActorOf(FaultInjector.Props(FaultMode.DelayDeltas, TimeSpan.FromMilliseconds(3000), Topic, datacenter), "fault-injector");
        // Wait (bounded) until the injector stands between topic and datacenter: a probe no longer arrives at once.
        // The probes it then holds arrive late; let them all land before the real check.
        AwaitAssert(() => { Publish(Delta(100)); ExpectNoMsg(TimeSpan.FromMilliseconds(300)); },
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        for (int i = 0; i < 100 && ReceiveOne(TimeSpan.FromSeconds(4)) is not null; i++) { }
        Publish(Delta(1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(1000)); // 3 s delay: a wide margin over this window on a loaded machine
        Assert.Equal(1, ExpectMsg<ZoneDelta>(TimeSpan.FromSeconds(8)).ToVersion);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // once, not twice
    }

    [Fact]
    public void The_switch_reads_config_and_the_environment_wins()
    {
        var config = PropagationTestConfig.Shipped;
        Assert.Equal(FaultMode.None, PropagationSettings.From(config, _ => null).Fault);
        Assert.Equal(FaultMode.DropDeltas, PropagationSettings.From(config, n => n == "AKKADNS_FAULT" ? "drop-deltas" : null).Fault);
        var delayed = PropagationSettings.From(config, n => n switch { "AKKADNS_FAULT" => "delay-deltas", "AKKADNS_FAULT_DELAY" => "3s", _ => null });
        Assert.Equal((FaultMode.DelayDeltas, TimeSpan.FromSeconds(3)), (delayed.Fault, delayed.FaultDelay));
        var e = Assert.ThrowsAny<Exception>(() => PropagationSettings.From(config, n => n == "AKKADNS_FAULT" ? "explode" : null));
        Assert.Contains("'explode'", e.Message);
        Assert.Equal(65536, PropagationSettings.From(config, _ => null).ChunkSize);
        Assert.Equal(TimeSpan.FromSeconds(2), PropagationSettings.From(config, n => n == "AKKADNS_PROPAGATION_MAX_LAG" ? "2s" : null).Policy.MaxLag);
    }
}
