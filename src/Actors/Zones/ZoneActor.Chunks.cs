using Akka.Actor;
using Akka.Event;
using AkkaDns.Actors.Chunking;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// Commands too large for one cross-node message (a big import through the API of a node that does not host the
/// zone) arrive as <see cref="ZoneCommandChunk"/>s. They are rebuilt here and handled only once complete, exactly as
/// if the command had arrived whole: one event, all or nothing, one small reply to the sender of the pieces.
/// A transfer that breaks or stalls is answered as refused, and nothing is stored.
/// </summary>
public sealed partial class ZoneActor
{
    private sealed record ExpireCommandChunks
    {
        public static readonly ExpireCommandChunks Instance = new();
    }

    /// <summary>Created on the first piece: most zones never receive a chunked command.</summary>
    private ChunkInbox? _commandChunks;

    private void ReceiveCommandChunks()
    {
        Command<ZoneCommandChunk>(c =>
        {
            var inbox = _commandChunks ??= new ChunkInbox(Context.System, Chunking.TransferTimeout,
                why => _log.Warning("zone {0}: chunked command dropped: {1}", _state.Id, why));
            if (inbox.Receive(c.Chunk, Self, Sender) is ChunkOutcome.Rejected rejected)
                Sender.Tell(new ZoneCommandResult.Rejected(_state.Id, ZoneRejection.Invalid,
                    $"the command for zone {_state.Id} did not arrive intact ({rejected.Why}); nothing was stored", []));
            if (inbox.OpenTransfers > 0 && !Timers.IsTimerActive(ExpireCommandChunks.Instance))
                Timers.StartPeriodicTimer(ExpireCommandChunks.Instance, ExpireCommandChunks.Instance, TimeSpan.FromSeconds(1));
        });
        Command<ExpireCommandChunks>(_ =>
        {
            // The sender's Ask has timed out by then (the API said 503); dropping frees the memory.
            _commandChunks?.ExpireStalled();
            if (_commandChunks is not { OpenTransfers: > 0 }) Timers.Cancel(ExpireCommandChunks.Instance);
        });
    }

    /// <summary>Replies <paramref name="reply"/> to the sender, in <see cref="TransferChunk"/>s when larger than the
    /// chunk size: the asker must collect with <see cref="ChunkedReply.Ask"/>.</summary>
    private void ReplyChunked(object reply) =>
        ChunkedTransport.Tell(Context.System, Sender, reply, Self, Chunking.ChunkSize);

    /// <summary>config/propagation.conf (chunk size, transfer timeout), read once per actor and only when needed.</summary>
    private ChunkingSettings Chunking => _chunking ??= ChunkingSettings.From(Context.System.Settings.Config);
    private ChunkingSettings? _chunking;
}
