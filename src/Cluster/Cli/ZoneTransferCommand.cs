using System.CommandLine;
using System.Text.Json;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary>
/// <c>akkadns zone transfer show | allow | notify | clear ZONE</c>: who may AXFR a zone and whom it notifies, as the
/// zone's metadata (ALLOW-AXFR-FROM, TSIG-ALLOW-AXFR, ALSO-NOTIFY) through the admin API's …/metadata.
/// </summary>
internal static class ZoneTransferCommand
{
    private static readonly Argument<string> ZoneName = new("ZONE") { Description = "Zone name, e.g. example.org" };

    /// <summary>The kinds <c>clear</c> removes: the zone's transfer settings, not its UPDATE ones.</summary>
    private static readonly string[] TransferKinds =
        [TransferMetadata.AllowAxfrFrom, TransferMetadata.TsigAllowAxfr, TransferMetadata.AlsoNotify, TransferMetadata.AxfrMasterTsig];

    public static Command Create()
    {
        var transfer = new Command("transfer", "Zone transfer settings: allowed secondaries, TSIG keys, NOTIFY targets");
        transfer.Subcommands.Add(Show());
        transfer.Subcommands.Add(Allow());
        transfer.Subcommands.Add(Notify());
        transfer.Subcommands.Add(Clear());
        return transfer;
    }

    private static string MetaPath(string zone) => AdminClient.ZonePath(zone) + "/metadata";

    private static Command Show()
    {
        var cmd = new Command("show", "Show the zone's metadata (every kind, transfer kinds included)") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync(MetaPath(parse.GetValue(ZoneName)!), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var kinds = JsonSerializer.Deserialize<List<MetadataJson>>(raw, ApiJson.Options) ?? [];
            if (kinds.Count == 0) { output.WriteLine("no transfer settings: AXFR refused to everyone, no extra NOTIFY targets"); return; }
            var table = new TableWriter("KIND", "VALUES");
            foreach (var k in kinds) table.Add(k.Kind, string.Join(" ", k.Metadata));
            table.WriteTo(output);
        }));
        return cmd;
    }

    private static Command Allow()
    {
        var from = new Option<string[]>("--from") { Description = "Address or CIDR allowed to AXFR (repeat for several)", AllowMultipleArgumentsPerToken = true };
        var key = new Option<string[]>("--key") { Description = "TSIG key name a transfer may be signed with (repeat for several)", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("allow", "Allow AXFR from addresses and/or with TSIG keys (added to what is allowed already)") { ZoneName, from, key };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var zone = parse.GetValue(ZoneName)!;
            var froms = parse.GetValue(from) ?? [];
            var keys = parse.GetValue(key) ?? [];
            if (froms.Length == 0 && keys.Length == 0) throw new CliException(ExitCodes.Usage, "give --from CIDR and/or --key NAME");
            if (froms.Length > 0) await AddValues(client, zone, TransferMetadata.AllowAxfrFrom, froms, output, parse, ct);
            if (keys.Length > 0) await AddValues(client, zone, TransferMetadata.TsigAllowAxfr, keys, output, parse, ct);
        }));
        return cmd;
    }

    private static Command Notify()
    {
        var targets = new Argument<string[]>("ADDR") { Description = "NOTIFY target: address, address:port or [IPv6]:port", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("notify", "Also send NOTIFY to these addresses (added to the zone's ALSO-NOTIFY)") { ZoneName, targets };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
            await AddValues(client, parse.GetValue(ZoneName)!, TransferMetadata.AlsoNotify, parse.GetValue(targets)!, output, parse, ct)));
        return cmd;
    }

    private static Command Clear()
    {
        var cmd = new Command("clear", $"Remove the zone's transfer settings ({string.Join(", ", TransferKinds)})") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var zone = parse.GetValue(ZoneName)!;
            foreach (var kind in TransferKinds)
                await client.SendJsonRawAsync(HttpMethod.Delete, $"{MetaPath(zone)}/{kind}", null, ct);
            output.WriteLine($"cleared transfer settings of {zone}");
        }));
        return cmd;
    }

    private static async Task AddValues(AdminClient client, string zone, string kind, string[] values, TextWriter output, ParseResult parse, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new MetadataRequestJson { Kind = kind, Metadata = [.. values] }, ApiJson.Options);
        var raw = await client.PostJsonRawAsync(MetaPath(zone), body, ct);
        if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
        var set = JsonSerializer.Deserialize<MetadataJson>(raw, ApiJson.Options);
        output.WriteLine($"{zone} {kind}: {string.Join(" ", set?.Metadata ?? [])}");
    }
}
