using Akka.Configuration;

namespace AkkaDns.Actors.Chunking;

/// <summary>
/// How large messages are cut (<c>akkadns.propagation.chunk-size</c>) and how long a half-received one is kept
/// (<c>akkadns.propagation.transfer-timeout</c>). Read by every sender and receiver of chunks: the zone actors, the
/// catalog and the propagation layer.
/// </summary>
internal sealed record ChunkingSettings
{
    public int ChunkSize { get; init; } = 65536;
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static ChunkingSettings From(Config config)
    {
        var p = config.GetConfig("akkadns.propagation") ?? Config.Empty;
        var d = new ChunkingSettings();
        var chunk = p.HasPath("chunk-size") ? p.GetInt("chunk-size") : d.ChunkSize;
        if (chunk is < 1024 or > Chunker.MaxChunkSize)
            throw new ConfigurationException(
                $"akkadns.propagation.chunk-size: {chunk} must be 1024..{Chunker.MaxChunkSize} bytes (below the 128000-byte frame)");
        return new ChunkingSettings
        {
            ChunkSize = chunk,
            TransferTimeout = p.HasPath("transfer-timeout") ? p.GetTimeSpan("transfer-timeout") : d.TransferTimeout,
        };
    }
}
