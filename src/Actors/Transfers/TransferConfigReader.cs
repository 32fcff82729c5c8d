using Akka.Actor;
using Akka.DistributedData;

namespace AkkaDns.Actors.Transfers;

/// <summary>
/// On every node: subscribes to <see cref="TransferConfigData.Key"/> and publishes each new state into the node's
/// <see cref="TransferConfigView"/> (as <see cref="Propagation.ServingGate"/> follows the serving set).
/// </summary>
internal sealed class TransferConfigReader : ReceiveActor
{
    private readonly TransferConfigView _view;
    private IReadOnlyList<KeyValuePair<string, string>>? _last;

    public TransferConfigReader(TransferConfigView view)
    {
        _view = view;
        Receive<Changed>(c => c.Key.Equals(TransferConfigData.Key), c => Apply(c.Get(TransferConfigData.Key)));
        Receive<GetSuccess>(g => g.Key.Equals(TransferConfigData.Key), g => Apply(g.Get(TransferConfigData.Key)));
        // Nothing written yet anywhere: an empty configuration is the truth (until the writer's first update).
        Receive<NotFound>(_ => { if (_last is null) Apply(LWWDictionary<string, string>.Empty); });
        Receive<GetFailure>(_ => { }); // no majority answered: the subscription still brings the state by gossip
    }

    public static Props Props(TransferConfigView view) => Akka.Actor.Props.Create(() => new TransferConfigReader(view));

    protected override void PreStart()
    {
        var replicator = DistributedData.Get(Context.System).Replicator;
        replicator.Tell(Dsl.Subscribe(TransferConfigData.Key, Self));
        // The subscription hears of the state once gossip brings it; read a majority as soon as the node is Up.
        var self = Self;
        Akka.Cluster.Cluster.Get(Context.System).RegisterOnMemberUp(() =>
            replicator.Tell(Dsl.Get(TransferConfigData.Key, new ReadMajority(TimeSpan.FromSeconds(3))), self));
    }

    private void Apply(LWWDictionary<string, string> map)
    {
        var entries = map.Entries.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        if (_last is not null && entries.SequenceEqual(_last)) return;
        _last = entries;
        _view.Publish(TransferConfigData.Decode(entries));
    }
}
