namespace AkkaDns.Actors.Chunking;

/// <summary>Splits a serialized message into chunks of at most a configured size. Pure.</summary>
internal static class Chunker
{
    /// <summary>Room left in a frame for the chunk's own header and Akka.Remote's envelope.</summary>
    public const int MaxChunkSize = 120_000;

    public static IReadOnlyList<TransferChunk> Split(SerializedPayload payload, int chunkSize, Guid transferId)
    {
        if (chunkSize is <= 0 or > MaxChunkSize)
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, $"chunk size must be 1..{MaxChunkSize} bytes (Akka.Remote frame is 128000)");
        var bytes = payload.Bytes;
        int total = Math.Max(1, (bytes.Length + chunkSize - 1) / chunkSize);
        var chunks = new TransferChunk[total];
        for (int i = 0; i < total; i++)
        {
            int start = i * chunkSize;
            int len = Math.Min(chunkSize, bytes.Length - start);
            chunks[i] = new TransferChunk(transferId, i, total, bytes.Length, payload.SerializerId, payload.Manifest, bytes.AsSpan(start, len).ToArray());
        }
        return chunks;
    }
}
