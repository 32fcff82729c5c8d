using System.CommandLine;

namespace AkkaDns.Cluster.Serve;

/// <summary><c>akkadns serve --zone FILE … [--listen 127.0.0.1:5300] [--max-udp-payload 1232] [--rrl-rate 20 --rrl-slip 2 --rrl-window 1 | --rrl-off]</c>:
/// static mode, answers straight from zone files.</summary>
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

        var rrlDefaults = new Resolver.RateLimiting.RateLimitOptions();
        var rrlRate = new Option<int>("--rrl-rate")
        {
            Description = "UDP responses per second allowed per source prefix and response kind",
            DefaultValueFactory = _ => rrlDefaults.ResponsesPerSecond,
        };
        var rrlSlip = new Option<int>("--rrl-slip")
        {
            Description = "Every Nth rate-limited response is sent truncated (TC=1) so real clients retry over TCP; 0 drops all",
            DefaultValueFactory = _ => rrlDefaults.Slip,
        };
        var rrlWindow = new Option<int>("--rrl-window")
        {
            Description = "Seconds of unused rate a quiet source may bank (burst = rate x window)",
            DefaultValueFactory = _ => rrlDefaults.WindowSeconds,
        };
        var rrlPrefix = new Option<int>("--rrl-ipv4-prefix")
        {
            Description = "IPv4 source prefix length that shares one rate (24 = per /24)",
            DefaultValueFactory = _ => rrlDefaults.Ipv4PrefixLength,
        };
        var udpBatch = new Option<int>("--udp-batch")
        {
            Description = "Datagrams per recvmmsg/sendmmsg call on Linux (1 = one system call per packet, for comparison)",
            DefaultValueFactory = _ => new Resolver.FrontEnd.DnsServerOptions().UdpBatch,
        };
        var rrlOff = new Option<bool>("--rrl-off") { Description = "Turn response rate limiting off" };
        var rrlLoopback = new Option<bool>("--rrl-limit-loopback") { Description = "Rate-limit loopback sources too (they are exempt by default)" };

        var cmd = new Command("serve", "Answer DNS straight from zone files (static mode, no cluster)")
        {
            zones, listen, maxUdp, idle, rrlRate, rrlSlip, rrlWindow, rrlPrefix, rrlOff, rrlLoopback, udpBatch,
        };
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
            if (!ServeSettings.TryBuildRateLimit(parse.GetValue(rrlOff), parse.GetValue(rrlRate), parse.GetValue(rrlSlip),
                    parse.GetValue(rrlWindow), parse.GetValue(rrlPrefix), parse.GetValue(rrlLoopback), out var rateLimit, out var rrlError))
            {
                await error.WriteLineAsync("akkadns serve: " + rrlError);
                return 2;
            }
            int batch = parse.GetValue(udpBatch);
            if (batch is < 1 or > 1024)
            {
                await error.WriteLineAsync($"akkadns serve: --udp-batch {batch} is outside 1..1024");
                return 2;
            }
            var settings = new ServeSettings(parse.GetValue(zones) ?? [], endpoint!, payload, TimeSpan.FromSeconds(idleSeconds))
            {
                RateLimit = rateLimit!, UdpBatch = batch,
            };
            return await StaticServer.RunAsync(settings, parse.InvocationConfiguration.Output, error, ct);
        });
        return cmd;
    }
}
