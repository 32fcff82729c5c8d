namespace AkkaDns.Actors.Chunking;

/// <summary>
/// Marker of the messages that carry chunks (<see cref="TransferChunk"/> and the zone actor's chunked commands).
/// config/propagation.conf binds it to the propagation serializer, which writes them; the marker lives here so that
/// the zone actors send chunks without depending on the propagation layer.
/// </summary>
public interface IChunkMessage;

/// <summary>
/// One bounded piece of a message too large for one Akka.Remote frame (STACK.md: larger frames are dropped
/// silently). <see cref="Seq"/> runs 0..<see cref="Total"/>-1; the receiver rebuilds the payload only once every
/// piece is there, then deserializes it with <see cref="SerializerId"/> and <see cref="Manifest"/>.
/// </summary>
public sealed record TransferChunk(
    Guid TransferId, int Seq, int Total, int TotalBytes, int SerializerId, string Manifest, byte[] Data) : IChunkMessage
{
    public override string ToString() => $"TransferChunk({TransferId:N} {Seq + 1}/{Total}, {Data.Length} of {TotalBytes} bytes, {Manifest})";
}

/// <summary>A serialized message: what <see cref="Chunker"/> splits and <see cref="Reassembler"/> gives back.</summary>
public sealed record SerializedPayload(int SerializerId, string Manifest, byte[] Bytes);
