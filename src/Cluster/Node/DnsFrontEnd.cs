using System.Net;
using AkkaDns.Actors.Propagation;
using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// The DNS listeners (UDP+TCP on one port) of an edge node, answering from its ZoneTable via the Answerer.
/// Withdrawn from serving (the DeliverySupervisor drained this datacenter) it closes its listeners, as a real edge
/// withdraws its route; restored, it listens again on the same address. Start/stop steps run one after another.
/// </summary>
internal sealed class DnsFrontEnd(NodeSettings settings, ZoneTable table, AkkaDns.Cluster.Metrics.DnsMetrics? metrics = null,
    Transfers.EdgeTransfers? transfers = null, IServiceProvider? services = null, ServingLease? lease = null) : IAsyncDisposable, IServingControl
{
    /// <summary>The answerer (with the cluster's TSIG keys), zone transfers in front of it, metrics around both; DNS
    /// UPDATE in front of all (answered once the zone actor journaled it, through the node's zone service).</summary>
    private IQueryHandler Handler()
    {
        var options = new AnswerOptions { Keyring = transfers?.Keys };
        IQueryHandler handler = new Answerer(table, options);
        if (transfers is not null) handler = new Transfers.TransferQueryHandler(handler, table, transfers);
        handler = new AkkaDns.Cluster.Metrics.MeteredQueryHandler(handler, metrics ??= new());
        if (transfers is not null && services?.GetService(typeof(Microsoft.Extensions.DependencyInjection.IServiceProviderIsService)) is Microsoft.Extensions.DependencyInjection.IServiceProviderIsService known
            && known.IsService(typeof(ZoneService.IZoneService)))
            handler = new Update.UpdateQueryHandler(handler, table, transfers, () => (ZoneService.IZoneService)services.GetService(typeof(ZoneService.IZoneService))!,
                ((Microsoft.Extensions.Logging.ILoggerFactory?)services.GetService(typeof(Microsoft.Extensions.Logging.ILoggerFactory)))?.CreateLogger("AkkaDns.Update")
                ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return handler;
    }

    private readonly object _gate = new();
    private DnsServer? _server;
    private IPEndPoint? _bound;
    private volatile bool _withdrawn;
    private Task _steps = Task.CompletedTask;

    /// <summary>Binds the listeners; returns the bound endpoint (actual port when 0 was asked).</summary>
    public async Task<IPEndPoint?> StartAsync(CancellationToken ct)
    {
        var server = new DnsServer(Handler(), new DnsServerOptions { Endpoint = settings.Dns, Lease = lease });
        await server.StartAsync(ct);
        lock (_gate) { _server = server; _bound = server.LocalEndPoint; }
        // Drained before the listeners first opened: report the address, then close at once.
        if (_withdrawn) Enqueue(StopServerAsync);
        return _bound;
    }

    public bool Serving => !_withdrawn;

    public void Withdraw(string why)
    {
        _withdrawn = true;
        Enqueue(StopServerAsync);
    }

    public void Restore()
    {
        _withdrawn = false;
        Enqueue(async () =>
        {
            IPEndPoint? at;
            lock (_gate) { if (_server is not null || _bound is null || _withdrawn) return; at = _bound; }
            var server = new DnsServer(Handler(), new DnsServerOptions { Endpoint = at, Lease = lease });
            await server.StartAsync();
            lock (_gate) _server = server;
        });
    }

    private async Task StopServerAsync()
    {
        DnsServer? server;
        lock (_gate) { server = _server; _server = null; }
        if (server is not null) await server.DisposeAsync();
    }

    private void Enqueue(Func<Task> step)
    {
        lock (_gate) _steps = _steps.ContinueWith(_ => step(), TaskScheduler.Default).Unwrap();
    }

    public async ValueTask DisposeAsync()
    {
        Task pending;
        lock (_gate) pending = _steps;
        try { await pending; } catch { /* a failed re-open must not block shutdown */ }
        await StopServerAsync();
    }
}
