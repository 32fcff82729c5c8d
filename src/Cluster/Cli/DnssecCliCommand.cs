using System.CommandLine;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns dnssec enable | disable | status | ds | keys | rollover | ds-seen ZONE</c>: signing, through the
/// admin API's …/zones/{zone}/dnssec and …/cryptokeys.</summary>
internal static class DnssecCliCommand
{
    private static readonly Argument<string> ZoneName = new("ZONE") { Description = "Zone name, e.g. example.com" };

    public static Command Create()
    {
        var dnssec = new Command("dnssec", "Sign zones (keys stay on the zones nodes, edges serve the signatures)");
        dnssec.Subcommands.Add(Enable());
        dnssec.Subcommands.Add(Disable());
        dnssec.Subcommands.Add(Status());
        dnssec.Subcommands.Add(Ds());
        dnssec.Subcommands.Add(Keys());
        dnssec.Subcommands.Add(Rollover());
        dnssec.Subcommands.Add(DsSeen());
        return dnssec;
    }

    private static string PathOf(string zone, string rest) => $"{ZoneJsonMapper.ZonesPath.TrimStart('/')}/{Uri.EscapeDataString(ZoneJsonMapper.ToId(ParseZone(zone)))}/{rest}";

    private static Resolver.Wire.DnsName ParseZone(string zone) => ZoneJsonMapper.TryParseZoneName(zone, out var name, out var error)
        ? name : throw new CliException(ExitCodes.Usage, error);

    private static Command Enable()
    {
        var algorithm = new Option<string?>("--algorithm") { Description = "ecdsap256sha256 (default), ecdsap384sha384, rsasha256, ed25519" };
        var split = new Option<bool>("--split") { Description = "A KSK and a ZSK instead of one combined signing key (CSK)" };
        var nsec = new Option<bool>("--nsec") { Description = "NSEC denial instead of NSEC3" };
        var nsec3 = new Option<string?>("--nsec3param") { Description = "NSEC3 parameters \"1 FLAGS ITERATIONS SALT\" (default \"1 0 0 -\", RFC 9276)" };
        var cmd = new Command("enable", "Sign the zone; prints the DS to give to the parent (the registry)") { ZoneName, algorithm, split, nsec, nsec3 };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var body = new DnssecActionJson { Algorithm = parse.GetValue(algorithm), Split = parse.GetValue(split), Nsec = parse.GetValue(nsec), Nsec3param = parse.GetValue(nsec3) };
            var raw = await client.PostJsonRawAsync(PathOf(parse.GetValue(ZoneName)!, "dnssec/enable"), JsonSerializer.Serialize(body, ApiJson.Options), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var status = Read(raw);
            output.WriteLine($"zone {status.Zone} is signed ({(status.Nsec3param.Length > 0 ? "NSEC3 " + status.Nsec3param : "NSEC")})");
            WriteDs(status, output);
        }));
        return cmd;
    }

    private static Command Disable()
    {
        var dsRemoved = new Option<bool>("--ds-removed") { Description = "The parent no longer has a DS for the zone: remove keys and signatures (held for confirmation)" };
        var cmd = new Command("disable", "Stop signing: first publishes the delete CDS (RFC 8078); with --ds-removed, removes the signatures") { ZoneName, dsRemoved };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var removed = parse.GetValue(dsRemoved);
            var raw = await client.PostJsonRawAsync(PathOf(parse.GetValue(ZoneName)!, "dnssec/disable"),
                JsonSerializer.Serialize(new DnssecActionJson { DsRemoved = removed }, ApiJson.Options), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var status = Read(raw);
            output.WriteLine(status.Dnssec
                ? $"zone {status.Zone} publishes the delete CDS/CDNSKEY; once the parent has removed the DS, run: akkadns dnssec disable {status.Zone} --ds-removed"
                : $"zone {status.Zone} is no longer signed");
        }));
        return cmd;
    }

    private static Command Status()
    {
        var cmd = new Command("status", "Signing state: keys, the DS, earliest signature expiry, next step") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync(PathOf(parse.GetValue(ZoneName)!, "dnssec"), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var s = Read(raw);
            output.WriteLine($"zone:            {s.Zone}");
            output.WriteLine($"signed:          {(s.Dnssec ? "yes" : "no")}{(s.CdsDelete ? " (delete CDS published: turning off)" : "")}");
            if (!s.Dnssec) return;
            output.WriteLine($"denial:          {(s.Nsec3param.Length > 0 ? "NSEC3 " + s.Nsec3param : "NSEC")}");
            output.WriteLine($"earliest expiry: {s.EarliestExpiry?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ") ?? "-"}");
            output.WriteLine($"next action:     {s.NextAction?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ") ?? "-"}");
            WriteKeys(s.Keys, output);
            WriteDs(s, output);
        }));
        return cmd;
    }

    private static Command Ds()
    {
        var cmd = new Command("ds", "The DS records to give to the parent zone (registry), one per line") { ZoneName };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync(PathOf(parse.GetValue(ZoneName)!, "dnssec"), ct);
            var s = Read(raw);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(JsonSerializer.Serialize(s.Ds, ApiJson.Options)); return; }
            if (!s.Dnssec) throw new CliException(ExitCodes.Refused, $"zone {s.Zone} is not signed");
            foreach (var ds in s.Ds) output.WriteLine($"{s.Zone} IN DS {ds}");
        }));
        return cmd;
    }

    private static Command Keys()
    {
        var remove = new Option<int?>("--remove") { Description = "Remove the key with this id (held when it is the one the parent's DS points to)" };
        var activate = new Option<int?>("--activate") { Description = "Make the key with this id sign" };
        var deactivate = new Option<int?>("--deactivate") { Description = "Keep the key with this id published but stop signing with it" };
        var cmd = new Command("keys", "List the zone's keys, or change one") { ZoneName, remove, activate, deactivate };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var zone = parse.GetValue(ZoneName)!;
            if (parse.GetValue(remove) is { } r)
            {
                await client.SendJsonRawAsync(HttpMethod.Delete, PathOf(zone, $"cryptokeys/{r}"), null, ct);
                output.WriteLine($"removed key {r}");
                return;
            }
            if ((parse.GetValue(activate) ?? parse.GetValue(deactivate)) is { } k)
            {
                var active = parse.GetValue(activate) is not null;
                await client.SendJsonRawAsync(HttpMethod.Put, PathOf(zone, $"cryptokeys/{k}"), JsonSerializer.Serialize(new CryptokeyRequestJson { Active = active }, ApiJson.Options), ct);
                output.WriteLine($"key {k} {(active ? "activated" : "deactivated")}");
                return;
            }
            var raw = await client.GetRawAsync(PathOf(zone, "cryptokeys"), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            WriteKeys(JsonSerializer.Deserialize<List<CryptokeyJson>>(raw, ApiJson.Options) ?? [], output);
        }));
        return cmd;
    }

    private static Command Rollover()
    {
        var ksk = new Option<bool>("--ksk") { Description = "Roll the KSK (double signature; finish with ds-seen)" };
        var zsk = new Option<bool>("--zsk") { Description = "Roll the ZSK (pre-publish; finishes by itself)" };
        var csk = new Option<bool>("--csk") { Description = "Roll the CSK (double signature; finish with ds-seen)" };
        var cmd = new Command("rollover", "Start a key rollover (the zone's key type when none is given)") { ZoneName, ksk, zsk, csk };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var type = parse.GetValue(ksk) ? "ksk" : parse.GetValue(zsk) ? "zsk" : parse.GetValue(csk) ? "csk" : null;
            var raw = await client.PostJsonRawAsync(PathOf(parse.GetValue(ZoneName)!, "dnssec/rollover"), JsonSerializer.Serialize(new DnssecActionJson { Keytype = type }, ApiJson.Options), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            var s = Read(raw);
            output.WriteLine($"rollover started for {s.Zone}");
            WriteKeys(s.Keys, output);
            if (type is not "zsk") WriteDs(s, output);
        }));
        return cmd;
    }

    private static Command DsSeen()
    {
        var key = new Argument<int>("KEY") { Description = "Id of the KSK or CSK whose DS the parent now has" };
        var cmd = new Command("ds-seen", "Confirm that the parent publishes the DS of a key (finishes a KSK/CSK rollover)") { ZoneName, key };
        cmd.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.PostJsonRawAsync(PathOf(parse.GetValue(ZoneName)!, "dnssec/ds-seen"), JsonSerializer.Serialize(new DnssecActionJson { Key = parse.GetValue(key) }, ApiJson.Options), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(raw); return; }
            WriteKeys(Read(raw).Keys, output);
        }));
        return cmd;
    }

    private static void WriteKeys(IReadOnlyList<CryptokeyJson> keys, TextWriter output)
    {
        var table = new TableWriter("ID", "TYPE", "STATE", "ALGORITHM", "TAG", "DS-SEEN", "CREATED");
        foreach (var k in keys) table.Add(k.Id.ToString(), k.Keytype.ToUpperInvariant(), k.State, k.Algorithm, k.KeyTag.ToString(), k.DsSeen ? "yes" : "no", k.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"));
        table.WriteTo(output);
    }

    private static void WriteDs(DnssecStatusJson s, TextWriter output)
    {
        if (s.Ds.Count == 0) return;
        output.WriteLine("DS for the parent (registry):");
        foreach (var ds in s.Ds) output.WriteLine($"  {s.Zone} IN DS {ds}");
    }

    private static DnssecStatusJson Read(string raw) => JsonSerializer.Deserialize<DnssecStatusJson>(raw, ApiJson.Options)
        ?? throw new CliException(ExitCodes.Unavailable, $"node answered '{raw}' where the DNSSEC status was expected");
}
