using AkkaDns.Actors.Chunking;

namespace AkkaDns.Actors.Tests.Chunking;

public sealed class ChunkingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);

    private static SerializedPayload Payload(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return new SerializedPayload(42, "zd", bytes);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(65536, 1)]
    [InlineData(65537, 2)]
    [InlineData(1_000_000, 16)]
    public void Split_makes_chunks_no_larger_than_the_chunk_size(int size, int expected)
    {
        var chunks = Chunker.Split(Payload(size), 65536, Guid.NewGuid());
        Assert.Equal(expected, chunks.Count);
        Assert.All(chunks, c => Assert.True(c.Data.Length <= 65536));
        Assert.Equal(size, chunks.Sum(c => c.Data.Length));
        Assert.Equal(Enumerable.Range(0, expected), chunks.Select(c => c.Seq));
        Assert.All(chunks, c => Assert.Equal(expected, c.Total));
    }

    [Fact]
    public void Split_refuses_a_chunk_size_at_or_above_the_frame()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Chunker.Split(Payload(10), 128_000, Guid.NewGuid()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Chunker.Split(Payload(10), 0, Guid.NewGuid()));
    }

    [Fact]
    public void Reassembly_completes_only_when_every_chunk_is_there_in_any_order()
    {
        var payload = Payload(300_000);
        var chunks = Chunker.Split(payload, 65536, Guid.NewGuid()).Reverse().ToList();
        var r = new Reassembler();
        for (int i = 0; i < chunks.Count - 1; i++)
            Assert.IsType<ChunkOutcome.Pending>(r.Offer(chunks[i], T0));
        var done = Assert.IsType<ChunkOutcome.Completed>(r.Offer(chunks[^1], T0));
        Assert.Equal(payload.Bytes, done.Payload.Bytes);
        Assert.Equal(42, done.Payload.SerializerId);
        Assert.Equal("zd", done.Payload.Manifest);
        Assert.Equal(0, r.OpenTransfers);
    }

    [Fact]
    public void A_duplicate_chunk_does_not_count_twice()
    {
        var chunks = Chunker.Split(Payload(200_000), 65536, Guid.NewGuid());
        var r = new Reassembler();
        r.Offer(chunks[0], T0);
        var again = Assert.IsType<ChunkOutcome.Pending>(r.Offer(chunks[0], T0));
        Assert.Equal(1, again.Received);
        foreach (var c in chunks.Skip(1).SkipLast(1)) r.Offer(c, T0);
        Assert.IsType<ChunkOutcome.Completed>(r.Offer(chunks[^1], T0));
    }

    [Fact]
    public void Interleaved_transfers_are_kept_apart()
    {
        var a = Payload(150_000, 1); var b = Payload(150_000, 2);
        var ca = Chunker.Split(a, 65536, Guid.NewGuid()); var cb = Chunker.Split(b, 65536, Guid.NewGuid());
        var r = new Reassembler();
        var results = new List<ChunkOutcome>();
        for (int i = 0; i < ca.Count; i++) { results.Add(r.Offer(ca[i], T0)); results.Add(r.Offer(cb[i], T0)); }
        var done = results.OfType<ChunkOutcome.Completed>().ToList();
        Assert.Equal(2, done.Count);
        Assert.Equal(a.Bytes, done[0].Payload.Bytes);
        Assert.Equal(b.Bytes, done[1].Payload.Bytes);
    }

    [Fact]
    public void A_stalled_transfer_expires_and_is_reported_never_completed()
    {
        var chunks = Chunker.Split(Payload(200_000), 65536, Guid.NewGuid());
        var r = new Reassembler();
        r.Offer(chunks[0], T0); r.Offer(chunks[1], T0);
        Assert.Empty(r.Expire(T0.AddSeconds(29), TimeSpan.FromSeconds(30)));
        var expired = Assert.Single(r.Expire(T0.AddSeconds(31), TimeSpan.FromSeconds(30)));
        Assert.Equal(2, expired.Received);
        Assert.Equal(4, expired.Total);
        Assert.Equal(0, r.OpenTransfers);
        // The rest arriving late starts a new, incomplete transfer: never a half payload.
        Assert.IsType<ChunkOutcome.Pending>(r.Offer(chunks[2], T0.AddSeconds(32)));
        Assert.IsType<ChunkOutcome.Pending>(r.Offer(chunks[3], T0.AddSeconds(32)));
    }

    [Fact]
    public void A_chunk_that_contradicts_its_transfer_abandons_it()
    {
        var id = Guid.NewGuid();
        var chunks = Chunker.Split(Payload(200_000), 65536, id);
        var r = new Reassembler();
        r.Offer(chunks[0], T0);
        var liar = chunks[1] with { Total = 9 };
        var rejected = Assert.IsType<ChunkOutcome.Rejected>(r.Offer(liar, T0));
        Assert.Contains("disagrees", rejected.Why);
        Assert.Equal(0, r.OpenTransfers);
    }

    [Theory]
    [InlineData(-1, 4)]
    [InlineData(4, 4)]
    [InlineData(0, 0)]
    public void A_malformed_chunk_is_rejected(int seq, int total)
    {
        var c = new TransferChunk(Guid.NewGuid(), seq, total, 10, 1, "m", new byte[10]);
        Assert.IsType<ChunkOutcome.Rejected>(new Reassembler().Offer(c, T0));
    }

    [Fact]
    public void Chunks_holding_more_bytes_than_announced_are_rejected()
    {
        var id = Guid.NewGuid();
        var r = new Reassembler();
        r.Offer(new TransferChunk(id, 0, 2, 10, 1, "m", new byte[8]), T0);
        Assert.IsType<ChunkOutcome.Rejected>(r.Offer(new TransferChunk(id, 1, 2, 10, 1, "m", new byte[8]), T0));
    }

    [Fact]
    public void The_memory_budget_bounds_what_is_held()
    {
        var r = new Reassembler(maxTransfers: 64, maxBytes: 100_000);
        var big = Chunker.Split(Payload(150_000), 65536, Guid.NewGuid());
        var rejected = Assert.IsType<ChunkOutcome.Rejected>(r.Offer(big[0], T0));
        Assert.Contains("budget", rejected.Why);
    }
}
