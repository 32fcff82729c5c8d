using System.CommandLine;
using System.Text.Json;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns tsig add | list | show | delete</c>: the cluster's TSIG keys, through the admin API's /tsigkeys.</summary>
internal static class TsigCommand
{
    private static readonly Argument<string> KeyName = new("NAME") { Description = "Key name, e.g. xfr-key (stored as xfr-key.)" };
    private static string Path => TransferConfigCall.TsigKeysPath.TrimStart('/');

    public static Command Create()
    {
        var tsig = new Command("tsig", "TSIG keys shared by the cluster (zone transfers, NOTIFY, UPDATE)");
        tsig.Subcommands.Add(Add());
        tsig.Subcommands.Add(List());
        tsig.Subcommands.Add(Show());
        tsig.Subcommands.Add(Delete());
        return tsig;
    }

    private static Command Add()
    {
        var algorithm = new Option<string>("--algorithm") { Description = $"One of {string.Join(", ", TsigAlgorithms.All)}", DefaultValueFactory = _ => TsigAlgorithms.Default };
        var secret = new Option<string?>("--secret") { Description = "Base64 secret (default: a random one is generated and printed)" };
        var cmd = new Command("add", "Add a TSIG key; prints the secret when it was generated") { KeyName, algorithm, secret };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var body = JsonSerializer.Serialize(new TsigKeyRequestJson { Name = parse.GetValue(KeyName), Algorithm = parse.GetValue(algorithm), Key = parse.GetValue(secret) }, ApiJson.Options);
            var raw = await client.PostJsonRawAsync(Path, body, ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var key = Read(raw);
            output.WriteLine($"added TSIG key {key.Name} ({key.Algorithm})");
            if (parse.GetValue(secret) is null) output.WriteLine($"secret: {key.Key}");
        }));
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "List TSIG keys (names and algorithms, never secrets)");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync(Path, ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var table = new TableWriter("NAME", "ALGORITHM");
            foreach (var k in JsonSerializer.Deserialize<List<TsigKeyJson>>(raw, ApiJson.Options) ?? []) table.Add(k.Name, k.Algorithm);
            table.WriteTo(output);
        }));
        return cmd;
    }

    private static Command Show()
    {
        var cmd = new Command("show", "Show one TSIG key with its secret") { KeyName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync($"{Path}/{Uri.EscapeDataString(parse.GetValue(KeyName)!)}", ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var key = Read(raw);
            output.WriteLine($"name:      {key.Name}");
            output.WriteLine($"algorithm: {key.Algorithm}");
            output.WriteLine($"secret:    {key.Key}");
            output.WriteLine($"dig:       -y {key.Algorithm}:{key.Name}:{key.Key}");
        }));
        return cmd;
    }

    private static Command Delete()
    {
        var cmd = new Command("delete", "Delete a TSIG key") { KeyName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var name = parse.GetValue(KeyName)!;
            await client.SendJsonRawAsync(HttpMethod.Delete, $"{Path}/{Uri.EscapeDataString(name)}", null, ct);
            output.WriteLine($"deleted TSIG key {name}");
        }));
        return cmd;
    }

    private static TsigKeyJson Read(string raw) => JsonSerializer.Deserialize<TsigKeyJson>(raw, ApiJson.Options)
        ?? throw new CliException(ExitCodes.Unavailable, $"node answered '{raw}' where a TSIG key was expected");
}
