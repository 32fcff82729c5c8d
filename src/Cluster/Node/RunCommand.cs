using System.CommandLine;

namespace AkkaDns.Cluster.Node;

/// <summary><c>akkadns run</c>: starts a node. With no options, a single-node cluster holding every role.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "HOCON overlay read on top of config/node.conf and config/akkadns.conf" };
        var data = new Option<string?>("--data") { Description = "Data folder: SQLite journal and api-key (env AKKADNS_DATA, default ./data)" };
        var dns = new Option<string?>("--dns") { Description = "DNS listener ADDRESS:PORT, UDP and TCP (env AKKADNS_DNS, default 127.0.0.1:5300)" };
        var api = new Option<string?>("--api") { Description = "Admin API ADDRESS:PORT (env AKKADNS_API, default 127.0.0.1:5380)" };
        var journal = new Option<string?>("--journal") { Description = "sqlite or postgresql (env AKKADNS_JOURNAL)" };
        journal.AcceptOnlyFromAmong("sqlite", "postgresql");
        var connection = new Option<string?>("--connection") { Description = "Journal connection string (env AKKADNS_CONNECTION)" };
        var roles = new Option<string?>("--roles") { Description = "Comma-separated roles: zones,edge (env AKKADNS_ROLES)" };
        var datacenter = new Option<string?>("--datacenter") { Description = "Datacenter an edge node serves (env AKKADNS_DATACENTER)" };
        var seeds = new Option<string[]>("--seed") { Description = "Seed node akka.tcp://akkadns@HOST:PORT, repeatable (env AKKADNS_SEEDS)" };
        var port = new Option<int?>("--port") { Description = "Akka.Remote port of this node (0 = any free port)" };

        var cmd = new Command("run", "Start a node: cluster member, zone actors, admin API and DNS")
        {
            config, data, dns, api, journal, connection, roles, datacenter, seeds, port,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var options = new NodeOptions
            {
                ConfigFile = parse.GetValue(config), Data = parse.GetValue(data), Dns = parse.GetValue(dns), Api = parse.GetValue(api),
                Journal = parse.GetValue(journal), Connection = parse.GetValue(connection), Roles = parse.GetValue(roles),
                Datacenter = parse.GetValue(datacenter), Seeds = parse.GetValue(seeds), Port = parse.GetValue(port),
            };
            return await NodeRunner.RunAsync(options, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct);
        });
        return cmd;
    }
}
