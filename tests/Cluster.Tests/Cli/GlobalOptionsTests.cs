using System.CommandLine;
using AkkaDns.Cluster.Cli;
using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Cli;

/// <summary>The admin verbs' options (--node, --api-key, --data, --json, --timeout) bind the same before the verb,
/// between its words and after it; serve and run, which have options of their own, refuse them.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class GlobalOptionsTests(SharedNode shared)
{
    public static TheoryData<string[], string[]> Verbs() => new()
    {
        { ["--node", "http://127.0.0.1:1/"], ["cluster", "show"] },
        { ["--json"], ["zone", "list"] },
        { ["--api-key", "K", "--timeout", "5"], ["tsig", "list"] },
        { ["--data", "/tmp/d"], ["zone", "list"] },
        { ["--node", "http://127.0.0.1:1/", "--api-key", "K", "--data", "d", "--json", "--timeout", "7"], ["zone", "show", "example.com."] },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Options_before_the_verb_bind_as_they_do_after_it(string[] options, string[] verb)
    {
        var before = Parse([.. options, .. verb]);
        var after = Parse([.. verb, .. options]);
        var between = Parse([verb[0], .. options, .. verb[1..]]);
        var command = Parse(verb).CommandResult.Command;
        foreach (var parse in new[] { before, after, between })
        {
            Assert.Empty(parse.Errors);
            Assert.Same(command, parse.CommandResult.Command);
        }
        Assert.Equal(Values(after), Values(before));
        Assert.Equal(Values(after), Values(between));
        Assert.NotEqual(Values(Parse(verb)), Values(before)); // the options were read, not defaulted
    }

    [Theory]
    [InlineData("--data", "d", "run")]
    [InlineData("run", "--json")]
    [InlineData("--node", "http://127.0.0.1:1/", "run")]
    [InlineData("serve", "--api-key", "K", "--zone", "example.com.zone")]
    public void Serve_and_run_refuse_the_admin_options_instead_of_ignoring_them(params string[] args)
    {
        var error = Assert.Single(Parse(args).Errors);
        Assert.Contains("is an option of the admin verbs", error.Message);
    }

    [Fact]
    public void Run_keeps_its_own_data_option()
    {
        Assert.Empty(Parse(["run", "--data", "d"]).Errors);
    }

    [Fact]
    public async Task Cluster_show_with_node_and_key_before_the_verb_talks_to_the_node()
    {
        var node = shared.Node;
        var before = await AkkaDnsCli.RunAsync(["--node", node.Api.ToString(), "--api-key", node.ApiKey, "cluster", "show"]);
        Assert.True(before.ExitCode == 0, before.ToString());
        var after = await AkkaDnsCli.RunAsync(["cluster", "show", "--node", node.Api.ToString(), "--api-key", node.ApiKey]);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(after.Stdout, before.Stdout);
        Assert.Contains("Count: 1 nodes", before.Stdout);

        var json = await AkkaDnsCli.RunAsync(["--json", "--node", node.Api.ToString(), "--api-key", node.ApiKey, "--timeout", "5", "zone", "list"]);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.StartsWith("[", json.Stdout.TrimStart());
    }

    private static readonly RootCommand Root = CliRoot.Create();

    private static ParseResult Parse(string[] args) => Root.Parse(args);

    private static (string?, string?, string?, bool, int) Values(ParseResult parse) =>
        (parse.GetValue(CliOptions.Node), parse.GetValue(CliOptions.ApiKey), parse.GetValue(CliOptions.Data),
            parse.GetValue(CliOptions.Json), parse.GetValue(CliOptions.Timeout));
}
