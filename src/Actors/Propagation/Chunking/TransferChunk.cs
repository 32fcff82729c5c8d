namespace AkkaDns.Actors.Propagation.Chunking;

/// <summary>
/// One bounded piece of a message too large for one Akka.Remote frame (STACK.md: larger frames are dropped
/// silently). <see cref="Seq"/> runs 0..<see cref="Total"/>-1; the receiver rebuilds the payload only once every
/// piece is there, then deserializes it with <see cref="SerializerId"/> and <see cref="Manifest"/>.
/// </summary>
public sealed record TransferChunk(
    Guid TransferId, int Seq, int Total, int TotalBytes, int SerializerId, string Manifest, byte[] Data) : IPropagationMessage
{
    public override string ToString() => $"TransferChunk({TransferId:N} {Seq + 1}/{Total}, {Data.Length} of {TotalBytes} bytes, {Manifest})";
}

/// <summary>A serialized message: what <see cref="Chunker"/> splits and <see cref="Reassembler"/> gives back.</summary>
public sealed record SerializedPayload(int SerializerId, string Manifest, byte[] Bytes);
