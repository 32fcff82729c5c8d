using System.Net;
using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Cluster.Node;

/// <summary>The DNS listeners (UDP+TCP on one port) of an edge node, answering from its ZoneTable via the Answerer.</summary>
internal sealed class DnsFrontEnd(NodeSettings settings, ZoneTable table) : IAsyncDisposable
{
    private DnsServer? _server;

    /// <summary>Binds the listeners; returns the bound endpoint (actual port when 0 was asked).</summary>
    public async Task<IPEndPoint?> StartAsync(CancellationToken ct)
    {
        _server = new DnsServer(new Answerer(table, new AnswerOptions()), new DnsServerOptions { Endpoint = settings.Dns });
        await _server.StartAsync(ct);
        return _server.LocalEndPoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server) await server.DisposeAsync();
        _server = null;
    }
}
