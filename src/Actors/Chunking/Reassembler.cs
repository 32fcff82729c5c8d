namespace AkkaDns.Actors.Chunking;

/// <summary>What became of one offered chunk.</summary>
internal abstract record ChunkOutcome
{
    /// <summary>More chunks are needed (or this one was a duplicate).</summary>
    public sealed record Pending(Guid TransferId, int Received, int Total) : ChunkOutcome;
    /// <summary>Every chunk arrived: the whole payload, in order.</summary>
    public sealed record Completed(Guid TransferId, SerializedPayload Payload) : ChunkOutcome;
    /// <summary>The chunk contradicts its transfer (or the limits); the transfer is abandoned.</summary>
    public sealed record Rejected(Guid TransferId, string Why) : ChunkOutcome;
}

/// <summary>A transfer that did not complete in time: reported as a delivery failure.</summary>
internal sealed record ExpiredTransfer(Guid TransferId, string Manifest, int Received, int Total, TimeSpan Age);

/// <summary>
/// Rebuilds chunked payloads. A payload is handed out only when all its chunks are there, so a half-received
/// zone is never applied; transfers that stall are dropped by <see cref="Expire"/>. Not thread-safe: one owner
/// (an actor). Time is passed in, so it is tested without clocks.
/// </summary>
internal sealed class Reassembler(int maxTransfers = 64, long maxBytes = 512L * 1024 * 1024)
{
    private sealed class Partial(TransferChunk first, DateTimeOffset started)
    {
        public readonly int Total = first.Total;
        public readonly int TotalBytes = first.TotalBytes;
        public readonly int SerializerId = first.SerializerId;
        public readonly string Manifest = first.Manifest;
        public readonly byte[]?[] Parts = new byte[first.Total][];
        public readonly DateTimeOffset Started = started;
        public int Received;
        public long BytesHeld;
    }

    private readonly Dictionary<Guid, Partial> _open = new();
    private long _bytesHeld;

    public int OpenTransfers => _open.Count;

    public ChunkOutcome Offer(TransferChunk c, DateTimeOffset now)
    {
        if (c.Total <= 0 || c.Seq < 0 || c.Seq >= c.Total || c.TotalBytes < 0 || c.Data.Length > c.TotalBytes)
            return Abandon(c.TransferId, $"chunk {c.Seq} of {c.Total} ({c.Data.Length} of {c.TotalBytes} bytes) is malformed");

        if (!_open.TryGetValue(c.TransferId, out var p))
        {
            if (_open.Count >= maxTransfers)
                return new ChunkOutcome.Rejected(c.TransferId, $"too many transfers in progress ({maxTransfers})");
            if (_bytesHeld + c.TotalBytes > maxBytes)
                return new ChunkOutcome.Rejected(c.TransferId, $"transfer of {c.TotalBytes} bytes exceeds the reassembly budget ({maxBytes} bytes, {_bytesHeld} held)");
            p = new Partial(c, now);
            _open[c.TransferId] = p;
        }
        else if (p.Total != c.Total || p.TotalBytes != c.TotalBytes || p.SerializerId != c.SerializerId || p.Manifest != c.Manifest)
            return Abandon(c.TransferId, $"chunk {c.Seq} disagrees with its transfer (total {c.Total} vs {p.Total}, bytes {c.TotalBytes} vs {p.TotalBytes}, manifest '{c.Manifest}' vs '{p.Manifest}')");

        if (p.Parts[c.Seq] is null)
        {
            p.Parts[c.Seq] = c.Data;
            p.Received++;
            p.BytesHeld += c.Data.Length;
            _bytesHeld += c.Data.Length;
            if (p.BytesHeld > p.TotalBytes)
                return Abandon(c.TransferId, $"chunks hold {p.BytesHeld} bytes, more than the announced {p.TotalBytes}");
        }
        if (p.Received < p.Total) return new ChunkOutcome.Pending(c.TransferId, p.Received, p.Total);

        Forget(c.TransferId);
        if (p.BytesHeld != p.TotalBytes)
            return new ChunkOutcome.Rejected(c.TransferId, $"all {p.Total} chunks arrived but hold {p.BytesHeld} bytes, not the announced {p.TotalBytes}");
        var bytes = new byte[p.TotalBytes];
        int at = 0;
        foreach (var part in p.Parts) { part!.CopyTo(bytes, at); at += part!.Length; }
        return new ChunkOutcome.Completed(c.TransferId, new SerializedPayload(p.SerializerId, p.Manifest, bytes));
    }

    /// <summary>Drops the transfers started more than <paramref name="timeout"/> ago and returns them.</summary>
    public IReadOnlyList<ExpiredTransfer> Expire(DateTimeOffset now, TimeSpan timeout)
    {
        var expired = _open.Where(kv => now - kv.Value.Started > timeout)
            .Select(kv => new ExpiredTransfer(kv.Key, kv.Value.Manifest, kv.Value.Received, kv.Value.Total, now - kv.Value.Started))
            .ToList();
        foreach (var e in expired) Forget(e.TransferId);
        return expired;
    }

    private ChunkOutcome Abandon(Guid id, string why)
    {
        Forget(id);
        return new ChunkOutcome.Rejected(id, why);
    }

    private void Forget(Guid id)
    {
        if (_open.Remove(id, out var p)) _bytesHeld -= p.BytesHeld;
    }
}
