using System.CommandLine;

namespace AkkaDns.Cluster.Cli;

/// <summary>The one way every <c>akkadns</c> admin verb runs: a client for <c>--node</c>/<c>--api-key</c>, the verb,
/// and errors on stderr with their exit code, never a stack trace.</summary>
internal static class CliVerb
{
    public static async Task<int> Run(ParseResult parse, Func<AdminClient, TextWriter, Task> verb)
    {
        try
        {
            using var client = CliOptions.Client(parse);
            await verb(client, parse.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        }
        catch (CliException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("akkadns: " + e.Message);
            return e.ExitCode;
        }
    }
}
