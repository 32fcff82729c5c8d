using Akka.DistributedData;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Tests.Support;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Actors.Tests.Propagation;

public sealed class ServingGateSpecs : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Records what the gate asked of the front end (the real front end lives in src/Cluster).</summary>
    private sealed class RecordingControl : IServingControl
    {
        public readonly List<string> Calls = [];
        private bool _serving = true;
        private int _asked;
        /// <summary>The gate reads <see cref="Serving"/> on every set it applies: the count says it has seen one.</summary>
        public int Asked => Volatile.Read(ref _asked);
        public bool Serving { get { Interlocked.Increment(ref _asked); return _serving; } private set => _serving = value; }
        public void Withdraw(string why) { lock (Calls) Calls.Add("withdraw " + why); Serving = false; }
        public void Restore() { lock (Calls) Calls.Add("restore"); Serving = true; }
        public string[] Snapshot() { lock (Calls) return [.. Calls]; }
    }

    public ServingGateSpecs() : base(PropagationTestConfig.Cluster().WithFallback(DistributedData.DefaultConfig()), "gate")
    {
        var cluster = AkkaCluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    private void Write(Func<LWWDictionary<string, string>, LWWDictionary<string, string>> change)
    {
        DistributedData.Get(Sys).Replicator.Tell(Dsl.Update(ServingSet.Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, change), TestActor);
        ExpectMsg<UpdateSuccess>();
    }

    [Fact]
    public void The_edge_withdraws_when_its_datacenter_is_drained_and_returns_when_re_admitted()
    {
        var control = new RecordingControl();
        Sys.ActorOf(ServingGate.Props(DatacenterName.Parse("dc-2"), control));
        var self = AkkaCluster.Get(Sys).SelfUniqueAddress;

        Write(m => m.SetItem(self, "dc-1", "Lag: other datacenter"));
        // The set did not exist before this write, so the first set the gate applies is this one (dc-1 only): wait
        // until it has, then it must have done nothing. A wrong withdraw here would also show in the exact lists below.
        AwaitCondition(() => control.Asked > 0, TimeSpan.FromSeconds(5), "the gate never applied the serving set");
        Assert.Empty(control.Snapshot());

        Write(m => m.SetItem(self, "dc-2", "Lag: 3 versions behind"));
        AwaitAssert(() => Assert.Equal(["withdraw Lag: 3 versions behind"], control.Snapshot()), TimeSpan.FromSeconds(3));

        Write(m => m.Remove(self, "dc-2"));
        AwaitAssert(() => Assert.Equal(["withdraw Lag: 3 versions behind", "restore"], control.Snapshot()), TimeSpan.FromSeconds(3));
    }
}
