using System.CommandLine;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.Serve;

namespace AkkaDns.Cluster.Cli;

/// <summary>The <c>akkadns</c> command line: one verb per operator task (run in Node/, serve in Serve/, the admin verbs in Cli/), and the
/// admin verbs' options (<see cref="CliOptions"/>) before or after the verb. Program.cs invokes it; tests parse it.</summary>
internal static class CliRoot
{
    public static RootCommand Create()
    {
        var serve = ServeCommand.Create();
        var run = RunCommand.Create();
        var root = new RootCommand("AkkaDns: authoritative DNS on an Akka.NET cluster")
        {
            serve,
            run,
            ZoneCommand.Create(),
            DcCommand.Create(),
            TsigCommand.Create(),
            DnssecCliCommand.Create(),
            RollbackCommand.Restore(),
            BackupCommand.Create(),
            ChangeCommand.Create(),
            ClusterCommand.Create(),
            ClusterShardingCommand.Create(),
            ActorCommand.Create(),
        };
        // --node, --api-key, --data, --json, --timeout: before or after the admin verb; serve and run have their own.
        CliOptions.AddGlobal(root, notFor: [serve, run]);
        return root;
    }
}
