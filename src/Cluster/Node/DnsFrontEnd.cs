using System.Net;

namespace AkkaDns.Cluster.Node;

/// <summary>The DNS listeners (UDP+TCP) of an edge node, answering from its ZoneTable.</summary>
internal sealed class DnsFrontEnd(NodeSettings settings) : IAsyncDisposable
{
    /// <summary>Binds the listeners; returns the bound endpoint (actual port when 0 was asked).</summary>
    public Task<IPEndPoint?> StartAsync(CancellationToken ct) => Task.FromResult<IPEndPoint?>(null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
