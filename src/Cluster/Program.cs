using System.CommandLine;
using AkkaDns.Cluster.Cli;
using AkkaDns.Cluster.Commands;

// The akkadns program: one binary, one verb per operator task. Each verb lives in Commands/ or Cli/.
var root = new RootCommand("AkkaDns: authoritative DNS on an Akka.NET cluster")
{
    ServeCommand.Create(),
    RunCommand.Create(),
    ZoneCommand.Create(),
    DcCommand.Create(),
    TsigCommand.Create(),
    RollbackCommand.Restore(),
    BackupCommand.Create(),
    ChangeCommand.Create(),
    ClusterCommand.Create(),
    ClusterShardingCommand.Create(),
    ActorCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
