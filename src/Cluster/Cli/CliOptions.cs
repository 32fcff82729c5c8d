using System.CommandLine;
using AkkaDns.Cluster.Node;

namespace AkkaDns.Cluster.Cli;

/// <summary>Options every admin verb (<c>akkadns zone</c>, <c>dc</c>, <c>tsig</c>, <c>cluster</c>, ...) takes: which node,
/// which key, output form. Global: given before the verb (<c>akkadns --node URL cluster show</c>) or anywhere after it,
/// they bind the same.</summary>
internal static class CliOptions
{
    public static readonly Option<string> Node = new("--node")
    {
        Description = "Admin API of the node to talk to (env AKKADNS_NODE)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AKKADNS_NODE") is { Length: > 0 } n ? n : "http://127.0.0.1:5380",
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "Admin key (else env AKKADNS_API_KEY, else DATA/api-key of a local node)",
        Recursive = true,
    };

    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data folder of a local node, to read its api-key file (env AKKADNS_DATA, default ./data)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON for scripts instead of tables", Recursive = true };

    public static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for the node", Recursive = true, DefaultValueFactory = _ => 30,
    };

    private static readonly Option[] All = [Node, ApiKey, Data, Json, Timeout];

    /// <summary>Adds the options to <paramref name="root"/>, recursive: every verb under it accepts them, before or after
    /// its name. The verbs in <paramref name="notFor"/> (<c>serve</c>, <c>run</c>: they start a server and have options
    /// of their own, <c>run --data</c> among them) reject them instead: <c>akkadns --data D run</c> would otherwise
    /// start a node on ./data without a word.</summary>
    public static void AddGlobal(RootCommand root, params Command[] notFor)
    {
        foreach (var option in All) root.Options.Add(option);
        foreach (var command in notFor)
        {
            command.Validators.Add(result =>
            {
                foreach (var option in All)
                {
                    if (result.GetResult(option) is { Implicit: false } given)
                        result.AddError($"{given.IdentifierToken?.Value ?? option.Name} is an option of the admin verbs, not of '{command.Name}'");
                }
            });
        }
    }

    public static AdminClient Client(ParseResult parse)
    {
        var nodeText = parse.GetValue(Node)!;
        if (!Uri.TryCreate(nodeText, UriKind.Absolute, out var node) || node.Scheme is not ("http" or "https"))
            throw new CliException(ExitCodes.Usage, $"--node: '{nodeText}' is not an http:// URL");
        return AdminClient.Create(node, ResolveKey(parse), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(Timeout))));
    }

    private static string ResolveKey(ParseResult parse)
    {
        if (parse.GetValue(ApiKey) is { Length: > 0 } key) return key;
        if (Environment.GetEnvironmentVariable("AKKADNS_API_KEY") is { Length: > 0 } envKey) return envKey;
        var data = parse.GetValue(Data) ?? (Environment.GetEnvironmentVariable("AKKADNS_DATA") is { Length: > 0 } d ? d : "./data");
        try
        {
            if (ApiKeyFile.TryRead(data) is { } fileKey) return fileKey;
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read {ApiKeyFile.PathIn(Path.GetFullPath(data))}: permission denied; give --api-key");
        }
        throw new CliException(ExitCodes.Usage,
            $"no API key: give --api-key, set AKKADNS_API_KEY, or run where the node's {ApiKeyFile.PathIn(Path.GetFullPath(data))} is readable");
    }
}
