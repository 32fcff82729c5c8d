using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;

namespace AkkaDns.Actors.Propagation;

/// <summary>What an edge does when its datacenter leaves or re-enters the serving set (the DNS front end).</summary>
public interface IServingControl
{
    /// <summary>Stop answering: close the DNS listeners, as a real edge withdraws its route.</summary>
    void Withdraw(string why);
    /// <summary>Answer again: reopen the listeners on the same address.</summary>
    void Restore();
    bool Serving { get; }
}

/// <summary>
/// On every edge: watches the replicated serving set and withdraws or restores this datacenter's DNS front end,
/// saying so in the log. Only acts on a change, so a withdrawn edge is not told again on every gossip.
/// </summary>
internal sealed class ServingGate : ReceiveActor
{
    private readonly DatacenterName _datacenter;
    private readonly IServingControl _control;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ServingGate(DatacenterName datacenter, IServingControl control)
    {
        _datacenter = datacenter;
        _control = control;
        Receive<Changed>(c => c.Key.Equals(ServingSet.Key), c => Apply(c.Get(ServingSet.Key)));
        Receive<GetSuccess>(g => g.Key.Equals(ServingSet.Key), g => Apply(g.Get(ServingSet.Key)));
        Receive<NotFound>(_ => { });   // nothing drained anywhere yet
        Receive<GetFailure>(_ => { }); // no majority answered: the subscription still brings the set by gossip
    }

    public static Props Props(DatacenterName datacenter, IServingControl control) =>
        Akka.Actor.Props.Create(() => new ServingGate(datacenter, control));

    protected override void PreStart()
    {
        var replicator = DistributedData.Get(Context.System).Replicator;
        replicator.Tell(Dsl.Subscribe(ServingSet.Key, Self));
        // The subscription hears of the set only once gossip brings it, seconds after this node joined: an edge
        // restarted after the supervisor drained it would answer meanwhile. Read it from a majority as soon as Up.
        var self = Self;
        Akka.Cluster.Cluster.Get(Context.System).RegisterOnMemberUp(() =>
            replicator.Tell(Dsl.Get(ServingSet.Key, new ReadMajority(TimeSpan.FromSeconds(3))), self));
    }

    private void Apply(LWWDictionary<string, string> drained)
    {
        if (drained.TryGetValue(_datacenter.Value, out var why))
        {
            if (!_control.Serving) return;
            _log.Warning("datacenter {0} taken out of serving ({1}): closing the DNS listeners", _datacenter, why);
            _control.Withdraw(why);
        }
        else if (!_control.Serving)
        {
            _log.Info("datacenter {0} back in the serving set: reopening the DNS listeners", _datacenter);
            _control.Restore();
        }
    }
}
