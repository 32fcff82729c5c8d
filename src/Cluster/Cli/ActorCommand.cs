using System.CommandLine;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns actor system</c>: the node's actor system name, address, uptime and versions.</summary>
internal static class ActorCommand
{
    public static Command Create()
    {
        var actor = new Command("actor", "The node's actor system");
        var system = new Command("system", "Name, address, uptime and versions of the node behind --node");
        system.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync(Api.ClusterEndpoints.ActorSystemPath.TrimStart('/'), ct);
            if (ClusterCommand.Json(parse, output, raw)) return;
            var s = ClusterCommand.Parse<Api.ActorSystemJson>(raw);
            output.WriteLine($"Name: {s.Name}");
            output.WriteLine($"Address: {s.Address}");
            output.WriteLine($"Uptime: {TimeSpan.FromSeconds(Math.Floor(s.UptimeSeconds)):c}");
            output.WriteLine($"Started: {s.StartedAt:yyyy-MM-ddTHH:mm:ssZ}");
            output.WriteLine($"Roles: [{string.Join(",", s.Roles)}]");
            output.WriteLine($"Akka.NET: {s.AkkaVersion}");
            output.WriteLine($"AkkaDns: {s.AkkaDnsVersion}");
        }));
        actor.Subcommands.Add(system);
        return actor;
    }
}
