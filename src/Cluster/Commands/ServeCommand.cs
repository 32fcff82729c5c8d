using System.CommandLine;
using AkkaDns.Cluster.Serve;

namespace AkkaDns.Cluster.Commands;

/// <summary><c>akkadns serve --zone FILE … [--listen 127.0.0.1:5300] [--max-udp-payload 1232]</c>: static mode, answers straight from zone files.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var zones = new Option<string[]>("--zone")
        {
            Description = "Zone file to serve, repeatable; ORIGIN=FILE names the origin, else $ORIGIN or the file name without .zone",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var listen = new Option<string>("--listen")
        {
            Description = "ADDRESS:PORT for UDP and TCP (port 0 picks a free port)",
            DefaultValueFactory = _ => ServeSettings.DefaultListen,
        };
        var maxUdp = new Option<int>("--max-udp-payload")
        {
            Description = "Largest UDP response to EDNS clients (512..65535)",
            DefaultValueFactory = _ => 1232,
        };

        var idle = new Option<double>("--tcp-idle-timeout")
        {
            Description = "Seconds a TCP connection may wait for its next query before it is closed",
            DefaultValueFactory = _ => 10,
        };

        var cmd = new Command("serve", "Answer DNS straight from zone files (static mode, no cluster)") { zones, listen, maxUdp, idle };
        cmd.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!ServeSettings.TryParseListen(parse.GetValue(listen)!, out var endpoint, out var listenError))
            {
                await error.WriteLineAsync("akkadns serve: " + listenError);
                return 2;
            }
            int payload = parse.GetValue(maxUdp);
            if (!ServeSettings.TryCheckMaxUdpPayload(payload, out var payloadError))
            {
                await error.WriteLineAsync("akkadns serve: " + payloadError);
                return 2;
            }
            double idleSeconds = parse.GetValue(idle);
            if (!(idleSeconds is > 0 and <= 3600))
            {
                await error.WriteLineAsync($"akkadns serve: --tcp-idle-timeout {idleSeconds} is outside (0, 3600] seconds");
                return 2;
            }
            var settings = new ServeSettings(parse.GetValue(zones) ?? [], endpoint!, payload, TimeSpan.FromSeconds(idleSeconds));
            return await StaticServer.RunAsync(settings, parse.InvocationConfiguration.Output, error, ct);
        });
        return cmd;
    }
}
