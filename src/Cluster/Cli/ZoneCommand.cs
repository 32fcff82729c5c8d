using System.CommandLine;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns zone …</c>: the operator's zone verbs, each one admin API call (or two) against a node.</summary>
internal static class ZoneCommand
{
    private static readonly Argument<string> ZoneName = new("NAME") { Description = "Zone name, e.g. example.org" };

    public static Command Create()
    {
        var zone = new Command("zone", "Manage zones on a running node through its admin API");
        zone.Subcommands.Add(List());
        zone.Subcommands.Add(CreateZone());
        zone.Subcommands.Add(Import());
        zone.Subcommands.Add(Export());
        zone.Subcommands.Add(Show());
        zone.Subcommands.Add(Set());
        zone.Subcommands.Add(DeleteRecord());
        zone.Subcommands.Add(Delete());
        zone.Subcommands.Add(History());
        zone.Subcommands.Add(RollbackCommand.ZoneRollback());
        zone.Subcommands.Add(ZoneTransferCommand.Create());
        zone.Subcommands.Add(SecondaryCommand.AddSecondary());
        zone.Subcommands.Add(SecondaryCommand.Retrieve());
        return zone;
    }

    private static Command List()
    {
        var cmd = new Command("list", "List zones with serial and version");
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(await client.GetRawAsync(ApiZones, ct)); return; }
            var table = new TableWriter("ZONE", "SERIAL", "VERSION");
            foreach (var z in (await client.ListAsync(ct)).OrderBy(z => z.Name, StringComparer.Ordinal)) table.Add(z.Name, z.Serial, z.Version);
            table.WriteTo(output);
        }));
        return cmd;
    }

    private static Command CreateZone()
    {
        var ns = new Option<string[]>("--ns") { Description = "Name server of the zone (repeat for several)", AllowMultipleArgumentsPerToken = true, Required = true };
        var cmd = new Command("create", "Create an empty zone (SOA and NS only)") { ZoneName, ns };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var created = await client.CreateAsync(new CreateZoneJson
            {
                Name = parse.GetValue(ZoneName), Kind = "Native", Nameservers = [.. parse.GetValue(ns) ?? []],
            }, ct);
            WriteZoneLine(parse, output, "created", created);
        }));
        return cmd;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "RFC 1035 master file" };
        var name = new Option<string?>("--zone") { Description = "Zone name (default: the file's $ORIGIN, else its file name)" };
        var cmd = new Command("import", "Create a zone from a master file, or replace an existing zone's content with it") { file, name };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var path = parse.GetValue(file)!;
            string text;
            try { text = await File.ReadAllTextAsync(path.FullName, ct); }
            catch (IOException e) { throw new CliException(ExitCodes.Usage, $"{path}: {e.Message}"); }
            var zoneName = parse.GetValue(name) ?? MasterFileOrigin.Guess(text, path.Name);
            ZoneJson result;
            string verb;
            try
            {
                result = await client.CreateAsync(new CreateZoneJson { Name = zoneName, Kind = "Native", Zone = text }, ct);
                verb = "created";
            }
            catch (CliException e) when (e.Status == System.Net.HttpStatusCode.Conflict)
            {
                result = await client.ReplaceAsync(zoneName, text, ct);
                verb = "replaced";
            }
            WriteZoneLine(parse, output, verb, result);
        }));
        return cmd;
    }

    private static Command Export()
    {
        var cmd = new Command("export", "Print a zone as a master file") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) => output.Write(await client.ExportAsync(parse.GetValue(ZoneName)!, ct))));
        return cmd;
    }

    private static Command Show()
    {
        var cmd = new Command("show", "Show a zone's serial, version and RRsets") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var name = parse.GetValue(ZoneName)!;
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(await client.GetRawAsync(AdminClient.ZonePath(name), ct)); return; }
            var zone = await client.GetAsync(name, ct);
            output.WriteLine($"zone {zone.Name}  serial {zone.Serial}  version {zone.Version}");
            if (zone.Kind == "Slave") await SecondaryCommand.WriteStatus(client, zone, output, ct);
            var table = new TableWriter("NAME", "TTL", "TYPE", "CONTENT");
            foreach (var set in zone.Rrsets ?? [])
                foreach (var r in set.Records ?? []) table.Add(set.Name, set.Ttl, set.Type, r.Content);
            table.WriteTo(output);
        }));
        return cmd;
    }

    private static Command Set()
    {
        var owner = new Argument<string>("OWNER") { Description = "Owner name: relative to the zone, '@' for the apex, or absolute with a trailing dot" };
        var type = new Argument<string>("TYPE") { Description = "Record type, e.g. A, AAAA, MX, TXT" };
        var values = new Argument<string[]>("VALUE") { Description = "Record data in presentation form, one per record of the RRset", Arity = ArgumentArity.OneOrMore };
        var ttl = new Option<uint>("--ttl") { Description = "TTL in seconds", DefaultValueFactory = _ => 3600 };
        var cmd = new Command("set", "Replace one RRset (all its records) in one change") { ZoneName, owner, type, values, ttl };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var zone = parse.GetValue(ZoneName)!;
            var set = new RRsetJson
            {
                Name = Absolute(parse.GetValue(owner)!, zone), Type = parse.GetValue(type)!.ToUpperInvariant(), Ttl = parse.GetValue(ttl),
                Changetype = "REPLACE", Records = [.. parse.GetValue(values)!.Select(v => new RecordJson { Content = v })],
            };
            await client.PatchAsync(zone, new PatchZoneJson { Rrsets = [set] }, ct);
            WriteZoneLine(parse, output, $"set {set.Name} {set.Type} in", await client.GetAsync(zone, ct));
        }));
        return cmd;
    }

    private static Command DeleteRecord()
    {
        var owner = new Argument<string>("OWNER") { Description = "Owner name (relative, '@' or absolute)" };
        var type = new Argument<string>("TYPE") { Description = "Record type of the RRset to remove" };
        var cmd = new Command("delete-record", "Remove one RRset (owner, type) in one change") { ZoneName, owner, type };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var zone = parse.GetValue(ZoneName)!;
            var set = new RRsetJson { Name = Absolute(parse.GetValue(owner)!, zone), Type = parse.GetValue(type)!.ToUpperInvariant(), Changetype = "DELETE" };
            await client.PatchAsync(zone, new PatchZoneJson { Rrsets = [set] }, ct);
            WriteZoneLine(parse, output, $"deleted {set.Name} {set.Type} from", await client.GetAsync(zone, ct));
        }));
        return cmd;
    }

    private static Command Delete()
    {
        var force = new Option<bool>("--force") { Description = "Emergency override: skip the blast-radius guard's hold (logged, and shown in history)" };
        var cmd = new Command("delete", "Delete a zone (held for confirmation by the blast-radius guard; its history stays in the journal)") { ZoneName, force };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var zone = parse.GetValue(ZoneName)!;
            await client.DeleteAsync(zone, ct, parse.GetValue(force));
            if (parse.GetValue(CliOptions.Json)) output.WriteLine(JsonSerializer.Serialize(new { deleted = zone }));
            else output.WriteLine($"deleted zone {zone}");
        }));
        return cmd;
    }

    private static Command History()
    {
        var cmd = new Command("history", "List a zone's changes, oldest first") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var history = await client.HistoryAsync(parse.GetValue(ZoneName)!, ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(JsonSerializer.Serialize(history, ApiJson.Options)); return; }
            var table = new TableWriter("VERSION", "SERIAL", "WHEN (UTC)", "WHO", "CHANGE", "DETAIL");
            foreach (var h in history) table.Add(h.Version, h.Serial, h.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), h.Who, h.Change, h.Detail);
            table.WriteTo(output);
        }));
        return cmd;
    }

    private const string ApiZones = "api/v1/servers/localhost/zones";

    private static string Absolute(string owner, string zone)
    {
        var apex = zone.EndsWith('.') ? zone : zone + ".";
        if (owner == "@") return apex;
        return owner.EndsWith('.') ? owner : owner + "." + apex;
    }

    private static void WriteZoneLine(ParseResult parse, TextWriter output, string verb, ZoneJson zone)
    {
        if (parse.GetValue(CliOptions.Json))
            output.WriteLine(JsonSerializer.Serialize(zone with { Rrsets = null }, ApiJson.Options));
        else
            output.WriteLine($"{verb} zone {zone.Name} (serial {zone.Serial}, version {zone.Version})");
    }

}
