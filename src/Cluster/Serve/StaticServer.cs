using System.Net.Sockets;
using System.Runtime.InteropServices;
using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;

namespace AkkaDns.Cluster.Serve;

/// <summary>
/// Runs static mode: load the zones, listen, print <c>listening udp+tcp ADDRESS:PORT</c> once, answer until
/// SIGINT/SIGTERM (or the caller's token), then stop cleanly. Exit codes: 0 after a clean stop, 1 when a zone
/// or the endpoint stops start-up.
/// </summary>
internal static class StaticServer
{
    public static async Task<int> RunAsync(ServeSettings settings, TextWriter output, TextWriter error, CancellationToken ct)
    {
        Resolver.Serving.ZoneTable table;
        try
        {
            table = StaticZoneSet.Load(settings.ZoneArguments);
        }
        catch (ZoneLoadException e)
        {
            await error.WriteLineAsync("akkadns serve: " + e.Message);
            return 1;
        }

        // Loading leaves the parsed zone model and the parser's garbage behind (several times the compiled size);
        // collect and compact it now, once, so the resident memory is what answering needs (and the first
        // gen2 collection does not land in the middle of serving).
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var answerer = new Answerer(table, new AnswerOptions { MaxUdpPayload = settings.MaxUdpPayload });
        await using var server = new DnsServer(answerer, new DnsServerOptions
        {
            Endpoint = settings.Listen, TcpIdleTimeout = settings.TcpIdleTimeout, RateLimit = settings.RateLimit, UdpBatch = settings.UdpBatch,
        });

        // Our own handlers, registered before we listen, so a signal can never arrive unhandled: both stop the
        // server and let the program exit 0 instead of the runtime's default termination.
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var onCancel = ct.Register(() => stop.TrySetResult());

        try
        {
            await server.StartAsync(ct);
        }
        catch (SocketException e)
        {
            await error.WriteLineAsync($"akkadns serve: cannot listen on {settings.Listen}: {e.Message}");
            return 1;
        }

        await output.WriteLineAsync($"listening udp+tcp {server.LocalEndPoint}");
        await output.FlushAsync(CancellationToken.None);
        await error.WriteLineAsync($"akkadns serve: {table.Zones.Count} zone(s): {string.Join(", ", table.Zones.Select(z => z.Origin))}");

        await stop.Task;
        await server.StopAsync(CancellationToken.None);
        var c = server.Counters;
        // One machine-readable line, so operators (and the rate-limiting tests) can see what was limited.
        await error.WriteLineAsync(
            $"akkadns serve: counters udp-queries={c.UdpQueries} udp-responses={c.UdpResponses} udp-rate-limited={c.UdpRateLimited} " +
            $"udp-slipped={c.UdpSlipped} udp-dropped={c.UdpDropped} udp-errors={c.UdpErrors} tcp-connections={c.TcpConnections} " +
            $"tcp-rejected={c.TcpRejected} tcp-queries={c.TcpQueries} tcp-errors={c.TcpErrors}");
        await error.WriteLineAsync("akkadns serve: stopped");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
