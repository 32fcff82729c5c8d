using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;
using Akka.Persistence;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;
using static AkkaDns.Actors.Transfers.TransferConfigEvents;

namespace AkkaDns.Actors.Transfers;

/// <summary>
/// TSIG keys and per-zone transfer metadata: a persistent cluster singleton on the zones role (like the
/// <see cref="ZoneCatalog"/>). Decides in <see cref="TransferConfigState.Process"/>, persists the events, replies
/// after they are stored, and writes the whole state into Distributed Data (<see cref="TransferConfigData"/>) for
/// every node's <see cref="TransferConfigView"/>. After recovery it rewrites the replicated state in full: DData
/// lives in memory only, so after a full cluster restart the journal is the only copy.
/// </summary>
public sealed class TransferConfigActor : ReceivePersistentActor
{
    public const string PersistenceIdValue = "transfer-config";
    public const string SingletonName = "transfer-config";

    private readonly int _snapshotEvery;
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TransferConfigState _state = TransferConfigState.Empty;

    public TransferConfigActor(int snapshotEvery)
    {
        _snapshotEvery = Math.Max(1, snapshotEvery);
        Recover<SnapshotOffer>(offer => { if (offer.Snapshot is TransferConfigState s) _state = s; });
        Recover<ITransferConfigEvent>(e => _state = _state.Apply(e));

        Command<GetTransferConfig>(_ => Sender.Tell(new TransferConfigReplies.Accepted(_state)));
        Command<ITransferConfigCommand>(Handle);
        // The caller hears back once every node holds the change (a key created through the API is then known to every
        // edge, which a NOTIFY or transfer signed with it may reach a moment later), or after the write's timeout.
        Command<UpdateSuccess>(u => (u.Request as PendingReply)?.Send());
        Command<UpdateTimeout>(u =>
        {
            _log.Info("transfer config: replicated write not confirmed by every node in time; gossip carries it");
            (u.Request as PendingReply)?.Send();
        });
        Command<ModifyFailure>(f =>
        {
            _log.Error(f.Cause, "transfer config: replicated write failed");
            (f.Request as PendingReply)?.Send();
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("transfer config: snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => PersistenceIdValue;

    protected override void OnReplaySuccess()
    {
        base.OnReplaySuccess();
        _log.Info("transfer config recovered: {0} TSIG keys, metadata for {1} zones", _state.Keys.Count, _state.Metadata.Count);
        Replicate();
    }

    private void Handle(ITransferConfigCommand command)
    {
        var decision = _state.Process(command, DateTimeOffset.UtcNow);
        var replyTo = Sender;
        if (decision.Rejection is { } rejected) { replyTo.Tell(rejected); return; }
        if (decision.Events.Count == 0) { replyTo.Tell(new TransferConfigReplies.Accepted(_state)); return; }
        var left = decision.Events.Count;
        PersistAll(decision.Events, e =>
        {
            _state = _state.Apply(e);
            if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(_state);
            if (--left > 0) return;
            Replicate(new PendingReply(replyTo, new TransferConfigReplies.Accepted(_state)));
        });
    }

    /// <summary>Makes the replicated dictionary equal to the state: entries set when different, others removed.</summary>
    private void Replicate(PendingReply? reply = null)
    {
        var desired = TransferConfigData.Encode(_state);
        var self = Akka.Cluster.Cluster.Get(Context.System).SelfUniqueAddress;
        _replicator.Tell(Dsl.Update(TransferConfigData.Key, LWWDictionary<string, string>.Empty, new WriteAll(TimeSpan.FromSeconds(3)), reply, map =>
        {
            foreach (var gone in map.Keys.Where(k => !desired.ContainsKey(k)).ToList()) map = map.Remove(self, gone);
            foreach (var (entry, value) in desired)
                if (!map.TryGetValue(entry, out var had) || had != value) map = map.SetItem(self, entry, value);
            return map;
        }));
    }

    private sealed record PendingReply(IActorRef ReplyTo, TransferConfigReplies.Accepted Reply)
    {
        public void Send() => ReplyTo.Tell(Reply);
    }

    public static Props PropsFor(int snapshotEvery) => Props.Create(() => new TransferConfigActor(snapshotEvery));
}
