using System.CommandLine;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns dc status | drain NAME | undrain NAME</c>: the serving set, through any node's admin API.</summary>
internal static class DcCommand
{
    private static readonly Argument<string> Name = new("NAME") { Description = "Datacenter name, e.g. dc-2" };

    public static Command Create()
    {
        var dc = new Command("dc", "Datacenters: which serve, how far behind, drain and undrain");
        dc.Subcommands.Add(Status());
        dc.Subcommands.Add(Verb("drain", "Take a datacenter out of serving (its edges stop answering DNS) until undrained"));
        dc.Subcommands.Add(Verb("undrain", "Put a datacenter back into serving"));
        return dc;
    }

    private static Command Status()
    {
        var cmd = new Command("status", "Each datacenter: serving or drained and why, version lag, last ack, recent failures, alerts");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync(DatacenterEndpoints.Path.TrimStart('/'), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var status = JsonSerializer.Deserialize<DatacentersJson>(raw, ApiJson.Options)
                ?? throw new CliException(ExitCodes.Unavailable, $"node answered '{raw}' where datacenter status was expected");
            var serving = status.Datacenters.Count(d => d.State == "serving");
            output.WriteLine($"{serving} of {status.Datacenters.Count} datacenters serving (floor {status.Floor})");
            var table = new TableWriter("DATACENTER", "STATE", "BEHIND", "SECONDS", "LAST ACK", "FAILURES", "WHY");
            foreach (var d in status.Datacenters)
                table.Add(d.Name, d.State, d.VersionsBehind, d.SecondsBehind.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                    d.LastAck?.ToString("HH:mm:ss.fff") ?? "-", d.ConsecutiveFailures, d.Why ?? "");
            table.WriteTo(output);
            foreach (var d in status.Datacenters.Where(d => d.RecentFailures.Count > 0))
                output.WriteLine($"{d.Name} recent failures: {string.Join(" | ", d.RecentFailures.TakeLast(3))}");
            foreach (var d in status.Datacenters.Where(d => d.Alert is not null))
                output.WriteLine($"ALERT {d.Name}: {d.Alert}");
            if (status.Alerts.Count > 0 && status.Datacenters.All(d => d.Alert is null))
                output.WriteLine($"last alert: {status.Alerts[^1]}");
        }));
        return cmd;
    }

    private static Command Verb(string verb, string description)
    {
        var cmd = new Command(verb, description) { Name };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var name = parse.GetValue(Name)!;
            var raw = await client.SendRawAsync(HttpMethod.Post, $"{DatacenterEndpoints.Path.TrimStart('/')}/{Uri.EscapeDataString(name)}/{verb}", ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var reply = JsonSerializer.Deserialize<OperatorJson>(raw, ApiJson.Options);
            output.WriteLine(reply?.Message ?? raw);
        }));
        return cmd;
    }

}
