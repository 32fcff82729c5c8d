using Akka.Actor;

namespace AkkaDns.Actors.Chunking;

/// <summary>
/// The Akka side of chunking: a message whose serialized form exceeds the chunk size leaves as
/// <see cref="TransferChunk"/>s (sent the same way the message would have been) and is rebuilt by a
/// <see cref="ChunkInbox"/> on the receiver. Small messages go as they are.
/// </summary>
public static class ChunkedTransport
{
    /// <summary>The message itself when it fits in <paramref name="chunkSize"/> bytes, else its chunks, in order.</summary>
    public static IReadOnlyList<object> Prepare(ActorSystem system, object message, int chunkSize)
    {
        // Nothing leaves a process without remoting: no frame, no need to chunk (nor to serialize).
        if (system is ExtendedActorSystem { Provider: not Akka.Remote.IRemoteActorRefProvider }) return [message];
        var serializer = system.Serialization.FindSerializerFor(message);
        byte[] bytes;
        try { bytes = serializer.ToBinary(message); }
        catch (Exception)
        {
            // Not serializable here: remoting would fail the same way and log it; chunking cannot help.
            return [message];
        }
        if (bytes.Length <= chunkSize) return [message];
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Chunker.Split(new SerializedPayload(serializer.Identifier, manifest, bytes), chunkSize, Guid.NewGuid());
    }

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/>, chunked when large.</summary>
    public static void Tell(ActorSystem system, IActorRef target, object message, IActorRef sender, int chunkSize)
    {
        foreach (var part in Prepare(system, message, chunkSize)) target.Tell(part, sender);
    }

    /// <summary>
    /// Asks <paramref name="target"/> with <paramref name="message"/> and waits for ONE reply. A message larger than
    /// <paramref name="chunkSize"/> leaves as chunks, each wrapped by <paramref name="wrap"/> (so a shard region can
    /// route it) and sent with the reply address as sender: the last chunk is the Ask itself, the others go just
    /// before it. The receiver rebuilds the message with a <see cref="ChunkInbox"/> and replies to that sender.
    /// The reply must stay small (one frame): Ask takes one message.
    /// </summary>
    public static Task<object> Ask(ActorSystem system, IActorRef target, object message, Func<TransferChunk, object> wrap,
        int chunkSize, TimeSpan timeout, CancellationToken ct = default)
    {
        var parts = Prepare(system, message, chunkSize);
        if (parts.Count == 1) return target.Ask<object>(parts[0], timeout, ct);
        return target.Ask<object>(replyTo =>
        {
            for (int i = 0; i < parts.Count - 1; i++) target.Tell(wrap((TransferChunk)parts[i]), replyTo);
            return wrap((TransferChunk)parts[^1]);
        }, timeout, ct);
    }

    public static object Restore(ActorSystem system, SerializedPayload payload) =>
        system.Serialization.Deserialize(payload.Bytes, payload.SerializerId, payload.Manifest);
}

/// <summary>
/// Held by an actor that may receive chunks: feeds them to a <see cref="Reassembler"/> and, once a transfer is
/// complete, re-tells the rebuilt message to the owner with the original sender, so the owner handles it exactly
/// as if it had arrived whole. Failures (bad chunks, expired transfers) go to <paramref name="onFailure"/>.
/// </summary>
internal sealed class ChunkInbox(ActorSystem system, TimeSpan timeout, Action<string> onFailure)
{
    private readonly Reassembler _reassembler = new();

    public int OpenTransfers => _reassembler.OpenTransfers;

    /// <summary>Offers one chunk; returns what became of it (a transfer that failed to deserialize is
    /// <see cref="ChunkOutcome.Rejected"/>), so a caller can answer the sender of a failed transfer.</summary>
    public ChunkOutcome Receive(TransferChunk chunk, IActorRef self, IActorRef sender)
    {
        var outcome = _reassembler.Offer(chunk, DateTimeOffset.UtcNow);
        switch (outcome)
        {
            case ChunkOutcome.Completed done:
                object message;
                try { message = ChunkedTransport.Restore(system, done.Payload); }
                catch (Exception e)
                {
                    var why = $"transfer {done.TransferId:N} ({done.Payload.Manifest}, {done.Payload.Bytes.Length} bytes) failed to deserialize: {e.Message}";
                    onFailure(why);
                    return new ChunkOutcome.Rejected(done.TransferId, why);
                }
                self.Tell(message, sender);
                break;
            case ChunkOutcome.Rejected rejected:
                onFailure($"transfer {rejected.TransferId:N} rejected: {rejected.Why}");
                break;
        }
        return outcome;
    }

    /// <summary>Call on a timer: drops stalled transfers and reports each as a failure.</summary>
    public void ExpireStalled()
    {
        foreach (var e in _reassembler.Expire(DateTimeOffset.UtcNow, timeout))
            onFailure($"transfer {e.TransferId:N} ({e.Manifest}) incomplete after {e.Age.TotalSeconds:0.#} s: {e.Received} of {e.Total} chunks");
    }
}
