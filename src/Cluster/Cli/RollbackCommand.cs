using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns zone rollback ZONE --to-version N | --to-time T</c> and <c>akkadns restore --to-time T</c>.</summary>
internal static class RollbackCommand
{
    public static Command ZoneRollback()
    {
        var zone = new Argument<string>("NAME") { Description = "Zone name, e.g. example.org" };
        var toVersion = new Option<long?>("--to-version") { Description = "Version to go back to (see `akkadns zone history`)" };
        var toTime = new Option<string?>("--to-time") { Description = "Go back to the last version at or before this time (ISO 8601, e.g. 2026-11-27T07:29:00Z)" };
        var cmd = new Command("rollback", "Roll a zone back to an earlier version or time, as a new change (history is kept)") { zone, toVersion, toTime };
        cmd.SetAction((parse, ct) => SafeguardCli.Run(parse, async (client, output) =>
        {
            var v = parse.GetValue(toVersion);
            var t = parse.GetValue(toTime);
            if ((v is null) == (t is null)) throw new CliException(ExitCodes.Usage, "give exactly one of --to-version and --to-time");
            var body = v is not null
                ? JsonSerializer.Serialize(new RollbackRequestJson { ToVersion = v })
                : JsonSerializer.Serialize(new RollbackRequestJson { ToTime = ParseTime(t!) });
            var name = parse.GetValue(zone)!;
            var text = await client.PostJsonRawAsync(AdminClient.ZonePath(name) + "/rollback", body, ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(text); return; }
            var r = SafeguardCli.Parse<RollbackJson>(text);
            output.WriteLine($"rolled back zone {r.Zone} to the content of version {r.RolledBackTo}: now version {r.Version} (serial {r.Serial})");
        }));
        return cmd;
    }

    public static Command Restore()
    {
        var toTime = new Option<string>("--to-time") { Description = "Restore every zone to its last version at or before this time (ISO 8601)", Required = true };
        var force = new Option<bool>("--force") { Description = "Emergency override: run at once instead of holding the restore for confirmation (logged)" };
        var cmd = new Command("restore", "Roll every zone back to a point in time (deleted zones come back), each as a new change; held for confirmation unless --force") { toTime, force };
        cmd.SetAction((parse, ct) => SafeguardCli.Run(parse, async (client, output) =>
        {
            var body = JsonSerializer.Serialize(new RestoreRequestJson { ToTime = ParseTime(parse.GetValue(toTime)!) });
            // A restore with failures answers 500 with the report: the CLI prints it and exits non-zero.
            var text = await client.PostJsonRawAsync("api/v1/restore" + (parse.GetValue(force) ? "?override=true" : ""), body, ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(text); return; }
            var r = SafeguardCli.Parse<RestoreJson>(text);
            var table = new TableWriter("ZONE", "RESULT");
            foreach (var z in r.RolledBack) table.Add(z.Zone, $"rolled back to v{z.RolledBackTo}, now v{z.Version} (serial {z.Serial})");
            foreach (var z in r.Unchanged) table.Add(z, "unchanged");
            foreach (var s in r.Skipped) table.Add(s.Zone, "skipped: " + s.Reason);
            foreach (var f in r.Failed) table.Add(f.Zone, "FAILED: " + f.Reason);
            table.WriteTo(output);
            output.WriteLine($"restore to {r.ToTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: {r.RolledBack.Count} rolled back, {r.Unchanged.Count} unchanged, {r.Skipped.Count} skipped, {r.Failed.Count} failed");
        }));
        return cmd;
    }

    internal static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : throw new CliException(ExitCodes.Usage, $"'{text}' is not a time: use ISO 8601, e.g. 2026-11-27T07:29:00Z");
}

/// <summary>Shared plumbing of the safeguard verbs.</summary>
internal static class SafeguardCli
{
    public static T Parse<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, ApiJson.Options) ?? throw new CliException(ExitCodes.Unavailable, $"node answered '{json}' where JSON was expected");

    public static Task<int> Run(ParseResult parse, Func<AdminClient, TextWriter, Task> verb) => CliVerb.Run(parse, verb);
}
