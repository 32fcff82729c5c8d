using System.CommandLine;
using AkkaDns.Cluster.Commands;

// The akkadns program: one binary, one verb per operator task. Each verb lives in Commands/.
var root = new RootCommand("AkkaDns: authoritative DNS on an Akka.NET cluster")
{
    ServeCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
