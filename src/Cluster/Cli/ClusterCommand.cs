using System.CommandLine;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary>
/// <c>akkadns cluster show | status | leader | join | leave | down | down-unreachable | tail</c>: Petabridge.Cmd's
/// membership verbs, same names and output shapes, served by any node's admin API (<c>--node</c>, same key).
/// </summary>
internal static class ClusterCommand
{
    private static readonly Argument<string> Address = new("ADDRESS") { Description = "Akka address, e.g. akka.tcp://akkadns@10.0.0.5:4053" };

    public static Command Create()
    {
        var cluster = new Command("cluster", "Cluster membership (Petabridge.Cmd verbs): show, status, leader, join, leave, down, tail");
        cluster.Subcommands.Add(Show());
        cluster.Subcommands.Add(Status());
        cluster.Subcommands.Add(Leader());
        cluster.Subcommands.Add(Verb("join", "Make the node behind --node join the cluster at ADDRESS", Address));
        cluster.Subcommands.Add(Verb("leave", "Gracefully remove ADDRESS (default: the node behind --node); its shards are handed over first",
            new Argument<string>("ADDRESS") { Description = "Member to leave (default: this node)", Arity = ArgumentArity.ZeroOrOne }));
        cluster.Subcommands.Add(Verb("down", "Mark ADDRESS down (it is removed without handing over; use for dead nodes)", Address));
        cluster.Subcommands.Add(DownUnreachable());
        cluster.Subcommands.Add(Tail());
        return cluster;
    }

    /// <summary>Petabridge.Cmd's member line: <c>address | [roles] | status</c>, then <c>| unreachable</c> when it is.</summary>
    public static string Line(MemberJson m) =>
        $"{m.Address} | [{string.Join(",", m.Roles)}] | {m.Status}{(m.Reachable ? "" : " | unreachable")}";

    private static Command Show()
    {
        var cmd = new Command("show", "Every member: address | [roles] | status, then the count");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync($"{Root}/members", ct);
            if (Json(parse, output, raw)) return;
            var members = Parse<MembersJson>(raw);
            foreach (var m in members.Members) output.WriteLine(Line(m));
            output.WriteLine($"Count: {members.Count} nodes");
        }));
        return cmd;
    }

    private static Command Status()
    {
        var cmd = new Command("status", "This node's membership: address | [roles] | status, and the leader");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync($"{Root}/status", ct);
            if (Json(parse, output, raw)) return;
            var status = Parse<ClusterStatusJson>(raw);
            output.WriteLine(Line(status.Self));
            output.WriteLine($"Leader: {status.Leader ?? "(none)"}{(status.IsLeader ? " (this node)" : "")}");
            if (status.Unreachable.Count > 0) output.WriteLine($"Unreachable: {string.Join(", ", status.Unreachable)}");
        }));
        return cmd;
    }

    private static Command Leader()
    {
        var cmd = new Command("leader", "The cluster leader's address");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync($"{Root}/leader", ct);
            if (Json(parse, output, raw)) return;
            output.WriteLine(Parse<LeaderJson>(raw).Leader ?? "(no leader)");
        }));
        return cmd;
    }

    private static Command Verb(string verb, string description, Argument<string> address)
    {
        var cmd = new Command(verb, description) { address };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var target = parse.GetValue(address);
            var query = string.IsNullOrWhiteSpace(target) ? "" : "?address=" + Uri.EscapeDataString(target);
            var raw = await client.SendRawAsync(HttpMethod.Post, $"{Root}/{verb}{query}", ct);
            if (Json(parse, output, raw)) return;
            output.WriteLine(Parse<ClusterVerbJson>(raw).Message);
        }));
        return cmd;
    }

    private static Command DownUnreachable()
    {
        var cmd = new Command("down-unreachable", "Down every member this node sees as unreachable");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.SendRawAsync(HttpMethod.Post, $"{Root}/down-unreachable", ct);
            if (Json(parse, output, raw)) return;
            var reply = Parse<ClusterVerbJson>(raw);
            foreach (var a in reply.Addresses) output.WriteLine($"Downed {a}");
            output.WriteLine(reply.Message);
        }));
        return cmd;
    }

    private static Command Tail()
    {
        var cmd = new Command("tail", "Membership events as they happen, until Ctrl-C");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            using var stream = await client.OpenStreamAsync($"{Root}/tail", ct);
            using var reader = new StreamReader(stream);
            try
            {
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                    var json = line["data: ".Length..];
                    if (parse.GetValue(CliOptions.Json)) { output.WriteLine(json); continue; }
                    var e = Parse<MemberEventJson>(json);
                    output.WriteLine(e.Event == "leader"
                        ? $"[{e.At:HH:mm:ss.fff}] leader is now {(e.Address.Length > 0 ? e.Address : "(none)")}"
                        : $"[{e.At:HH:mm:ss.fff}] {e.Event}: {e.Address} | [{string.Join(",", e.Roles)}] | {e.Status}");
                    await output.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { /* Ctrl-C: the normal end */ }
        }));
        return cmd;
    }

    internal const string Root = "api/v1/cluster";

    internal static bool Json(ParseResult parse, TextWriter output, string raw)
    {
        if (!parse.GetValue(CliOptions.Json)) return false;
        output.WriteLine(raw);
        return true;
    }

    internal static T Parse<T>(string raw) => JsonSerializer.Deserialize<T>(raw, ApiJson.Options)
        ?? throw new CliException(ExitCodes.Unavailable, $"node answered '{raw}' where {typeof(T).Name} was expected");

}
