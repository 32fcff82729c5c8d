using System.CommandLine;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns zone add-secondary|retrieve</c>: zones this cluster follows from another primary.</summary>
internal static class SecondaryCommand
{
    private static readonly Argument<string> ZoneName = new("NAME") { Description = "Zone name, e.g. example.org" };

    public static Command AddSecondary()
    {
        var masters = new Option<string[]>("--master")
        {
            Description = "Primary to transfer from, address or address:port (repeat for several; tried in order)",
            AllowMultipleArgumentsPerToken = true, Required = true,
        };
        var key = new Option<string?>("--key") { Description = "TSIG key (akkadns tsig add) to sign the SOA queries and transfers with" };
        var expire = new Option<string?>("--expire") { Description = "When SOA expire passes without contact: stop (answer SERVFAIL, RFC default) or serve" };
        expire.AcceptOnlyFromAmong("stop", "serve");
        var cmd = new Command("add-secondary", "Follow a zone from another primary: refreshed on its SOA timers and NOTIFYs, each transfer one change")
            { ZoneName, masters, key, expire };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var created = await client.CreateAsync(new CreateZoneJson
            {
                Name = parse.GetValue(ZoneName), Kind = "Slave", Masters = [.. parse.GetValue(masters) ?? []],
                MasterTsigKeyIds = parse.GetValue(key) is { } k ? [k] : null, ExpirePolicy = parse.GetValue(expire),
            }, ct);
            if (parse.GetValue(CliOptions.Json)) output.WriteLine(JsonSerializer.Serialize(created with { Rrsets = null }, ApiJson.Options));
            else output.WriteLine($"secondary zone {created.Name} follows {string.Join(", ", created.Masters)} (first transfer under way)");
        }));
        return cmd;
    }

    public static Command Retrieve()
    {
        var cmd = new Command("retrieve", "Refresh a secondary zone from its primary now (as a NOTIFY would)") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var text = await client.SendRawAsync(HttpMethod.Put, AdminClient.ZonePath(parse.GetValue(ZoneName)!) + "/axfr-retrieve", ct);
            output.WriteLine(parse.GetValue(CliOptions.Json) ? text : JsonDocument.Parse(text).RootElement.GetProperty("result").GetString());
        }));
        return cmd;
    }

    /// <summary>The lines <c>zone show</c> adds for a secondary: its primaries and how its refreshes go.</summary>
    public static async Task WriteStatus(AdminClient client, ZoneJson zone, TextWriter output, CancellationToken ct)
    {
        output.WriteLine($"kind Slave  masters {string.Join(", ", zone.Masters)}");
        SecondaryStatusJson? s;
        try { s = JsonSerializer.Deserialize<SecondaryStatusJson>(await client.GetRawAsync(AdminClient.ZonePath(zone.Name) + "/secondary", ct), ApiJson.Options); }
        catch (CliException e) { output.WriteLine($"refresh status unavailable: {e.Message}"); return; }
        if (s is null) return;
        output.WriteLine($"last refresh {s.LastResult} at {When(s.LastCheck)}: {s.LastMessage}");
        output.WriteLine($"last contact {When(s.LastSuccess)}  next check {When(s.NextCheck)}  expires {When(s.ExpiresAt)}  expire policy {s.ExpirePolicy}"
            + (s.Key is null ? "" : $"  key {s.Key}"));
        if (s.Expired) output.WriteLine(s.ExpirePolicy == "stop" ? "EXPIRED: the edges answer SERVFAIL for this zone" : "EXPIRED: the edges still serve the last copy (policy serve)");
        if (s.HeldSerial is { } held) output.WriteLine($"HELD: the transfer of serial {held} waits for an operator (akkadns change list)");
    }

    private static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + "Z" : "-";
}
