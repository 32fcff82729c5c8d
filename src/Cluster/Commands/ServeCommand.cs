using System.CommandLine;

namespace AkkaDns.Cluster.Commands;

/// <summary><c>akkadns serve --zone FILE … [--listen 127.0.0.1:5300]</c>: static mode, answers straight from zone files.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var cmd = new Command("serve", "Answer DNS straight from zone files (static mode, no cluster)");
        cmd.SetAction(_ => { Console.Error.WriteLine("serve: not built yet"); return 2; });
        return cmd;
    }
}
