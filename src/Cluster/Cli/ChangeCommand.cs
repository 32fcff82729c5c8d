using System.CommandLine;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns change list | confirm ID | reject ID</c>: the changes the blast-radius guard held.</summary>
internal static class ChangeCommand
{
    public static Command Create()
    {
        var change = new Command("change", "List, confirm or reject changes held by the blast-radius guard");
        change.Subcommands.Add(List());
        change.Subcommands.Add(Resolve("confirm", "Apply a held change (with the two-person rule on, from a different API key)"));
        change.Subcommands.Add(Resolve("reject", "Drop a held change"));
        return change;
    }

    private static Command List()
    {
        var cmd = new Command("list", "Held changes waiting for confirmation");
        cmd.SetAction((parse, ct) => SafeguardCli.Run(parse, async (client, output) =>
        {
            var text = await client.GetRawAsync("api/v1/changes", ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(text); return; }
            var table = new TableWriter("ID", "ZONE", "BY", "AT", "EXPIRES", "CHANGE", "WHY");
            foreach (var p in SafeguardCli.Parse<List<PendingChangeJson>>(text))
                table.Add(p.Id, p.Zone, p.Who, p.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                    p.Expired ? "EXPIRED" : p.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), p.Change, p.Reason);
            table.WriteTo(output);
        }));
        return cmd;
    }

    private static Command Resolve(string verb, string description)
    {
        var id = new Argument<string>("ID") { Description = "Change id from `akkadns change list`, e.g. example.com@7" };
        var cmd = new Command(verb, description) { id };
        cmd.SetAction((parse, ct) => SafeguardCli.Run(parse, async (client, output) =>
        {
            var text = await client.PostJsonRawAsync($"api/v1/changes/{Uri.EscapeDataString(parse.GetValue(id)!)}/{verb}", "{}", ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(text); return; }
            if (parse.GetValue(id)!.StartsWith("restore@", StringComparison.Ordinal))
            {
                var restore = SafeguardCli.Parse<RestoreDoneJson>(text);
                output.WriteLine(restore.Report is { } r
                    ? $"{restore.Status} {restore.Id}: {r.RolledBack.Count} zones rolled back, {r.Unchanged.Count} unchanged, {r.Skipped.Count} skipped, {r.Failed.Count} failed"
                    : $"{restore.Status} {restore.Id}");
                return;
            }
            var done = SafeguardCli.Parse<ChangeDoneJson>(text);
            output.WriteLine($"{done.Status} change {done.Id}: zone {done.Zone} now version {done.Version} (serial {done.Serial})");
        }));
        return cmd;
    }
}
