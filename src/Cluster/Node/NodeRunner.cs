namespace AkkaDns.Cluster.Node;

/// <summary>Runs a node until SIGTERM/Ctrl-C, printing one line per listener and "ready" once it answers.</summary>
internal static class NodeRunner
{
    public static async Task<int> RunAsync(NodeOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        NodeSettings settings;
        Akka.Configuration.Config hocon;
        try
        {
            hocon = NodeSettingsLoader.LoadHocon(options.ConfigFile);
            settings = NodeSettingsLoader.Load(options, hocon);
        }
        catch (SettingsException e)
        {
            await error.WriteLineAsync("akkadns run: " + e.Message);
            return 2;
        }

        await using var node = NodeHost.Build(settings, hocon);
        try
        {
            var endpoints = await node.StartAsync(ct);
            if (endpoints.Dns is { } dns) await output.WriteLineAsync($"dns udp+tcp {dns}");
            await output.WriteLineAsync($"api {endpoints.Api.GetLeftPart(UriPartial.Authority)}");
            await output.WriteLineAsync($"cluster {endpoints.ClusterAddress}");
            await output.WriteLineAsync("ready");
            await output.FlushAsync(ct);
        }
        catch (Exception e) when (e is TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync("akkadns run: " + e.Message);
            return 1;
        }
        // The host's console lifetime turns SIGTERM and Ctrl-C into a graceful stop (Akka coordinated shutdown).
        await node.WaitForShutdownAsync(ct);
        return 0;
    }
}
