using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AkkaDns.Cluster.Api;

namespace AkkaDns.Cluster.Cli;

/// <summary>One zone in a backup: its file, and what it held when exported.</summary>
internal sealed record BackupZoneJson(string Zone, string File, long Version, uint Serial, int Records, string Sha256);

/// <summary>manifest.json of a backup folder.</summary>
internal sealed record BackupManifestJson(int Format, DateTimeOffset CreatedAt, string Node, List<BackupZoneJson> Zones);

/// <summary>
/// <c>akkadns backup export DIR</c> and <c>akkadns backup import DIR</c>: every zone as an RFC 1035 master file plus
/// manifest.json (versions, serials, record counts, SHA-256 of each file), over the admin API only, so a backup can be
/// taken from any node and loaded into any cluster, a fresh one included. The journal is the first line of defence;
/// this is the copy that survives losing the journal database itself.
/// </summary>
internal static class BackupCommand
{
    public const string ManifestName = "manifest.json";
    private static readonly JsonSerializerOptions ManifestJson = new(ApiJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var backup = new Command("backup", "Export every zone to a folder, or import a folder into a cluster");
        backup.Subcommands.Add(Export());
        backup.Subcommands.Add(Import());
        return backup;
    }

    private static Command Export()
    {
        var dir = new Argument<DirectoryInfo>("DIR") { Description = "Folder to write (created; must not hold a backup already)" };
        var cmd = new Command("export", "Write every zone as a master file plus manifest.json") { dir };
        cmd.SetAction((parse, ct) => SafeguardCli.Run(parse, async (client, output) =>
        {
            var folder = parse.GetValue(dir)!;
            if (File.Exists(Path.Combine(folder.FullName, ManifestName)))
                throw new CliException(ExitCodes.Usage, $"{folder.FullName} already holds a backup ({ManifestName}); choose an empty folder");
            Directory.CreateDirectory(folder.FullName);
            var entries = new List<BackupZoneJson>();
            foreach (var z in (await client.ListAsync(ct)).OrderBy(z => z.Name, StringComparer.Ordinal))
            {
                var (text, zone) = await ExportConsistent(client, z.Name, ct);
                var file = FileNameFor(zone.Name);
                var bytes = Encoding.UTF8.GetBytes(text);
                await WriteAtomic(Path.Combine(folder.FullName, file), bytes, ct);
                var records = zone.Rrsets?.Sum(r => r.Records?.Count ?? 0) ?? 0;
                entries.Add(new BackupZoneJson(zone.Name, file, zone.Version, zone.Serial, records, Sha256(bytes)));
            }
            var manifest = new BackupManifestJson(1, DateTimeOffset.UtcNow, parse.GetValue(CliOptions.Node)!, entries);
            await WriteAtomic(Path.Combine(folder.FullName, ManifestName), JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson), ct);
            if (parse.GetValue(CliOptions.Json)) { output.WriteLine(JsonSerializer.Serialize(manifest, ApiJson.Options)); return; }
            output.WriteLine($"exported {entries.Count} zones ({entries.Sum(e => e.Records)} records) to {folder.FullName}");
        }));
        return cmd;
    }

    private static Command Import()
    {
        var dir = new Argument<DirectoryInfo>("DIR") { Description = "Folder written by `akkadns backup export`" };
        var confirm = new Option<bool>("--confirm") { Description = "Also replace zones that exist already (else they are left alone and reported)" };
        var cmd = new Command("import", "Create the zones of a backup; replace existing ones only with --confirm") { dir, confirm };
        cmd.SetAction((parse, ct) => SafeguardCli.Run(parse, async (client, output) =>
        {
            var folder = parse.GetValue(dir)!;
            var manifest = await ReadManifest(folder, ct);
            // Every file is checked before anything is sent: a damaged backup changes nothing.
            var texts = new Dictionary<string, string>();
            foreach (var z in manifest.Zones)
            {
                var path = Path.Combine(folder.FullName, z.File);
                if (Path.GetFileName(z.File) != z.File) throw new CliException(ExitCodes.Usage, $"{ManifestName}: file name '{z.File}' of zone {z.Zone} is not a plain file name");
                byte[] bytes;
                try { bytes = await File.ReadAllBytesAsync(path, ct); }
                catch (IOException e) { throw new CliException(ExitCodes.Usage, $"{path}: {e.Message}"); }
                if (!string.Equals(Sha256(bytes), z.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new CliException(ExitCodes.Usage, $"{path}: SHA-256 {Sha256(bytes)} does not match {ManifestName} ({z.Sha256}); the backup is damaged, nothing was imported");
                texts[z.Zone] = Encoding.UTF8.GetString(bytes);
            }
            var table = new TableWriter("ZONE", "RESULT");
            int created = 0, replaced = 0, skipped = 0;
            foreach (var z in manifest.Zones)
            {
                try
                {
                    var result = await client.CreateAsync(new CreateZoneJson { Name = z.Zone, Kind = "Native", Zone = texts[z.Zone] }, ct);
                    table.Add(z.Zone, $"created (version {result.Version}, serial {result.Serial})");
                    created++;
                }
                catch (CliException e) when (e.Status == System.Net.HttpStatusCode.Conflict)
                {
                    if (!parse.GetValue(confirm)) { table.Add(z.Zone, "exists: left alone (--confirm replaces it)"); skipped++; continue; }
                    var result = await client.ReplaceAsync(z.Zone, texts[z.Zone], ct);
                    table.Add(z.Zone, $"replaced (version {result.Version}, serial {result.Serial})");
                    replaced++;
                }
            }
            table.WriteTo(output);
            output.WriteLine($"imported {manifest.Zones.Count} zones from {folder.FullName}: {created} created, {replaced} replaced, {skipped} left alone");
            if (skipped > 0)
                throw new CliException(ExitCodes.Refused, $"{skipped} zones exist already and were not replaced; run again with --confirm to replace them");
        }));
        return cmd;
    }

    /// <summary>The master file and the zone (version, serial, records) it corresponds to: the zone is read again after
    /// the export and both are taken again if it changed meanwhile, so the manifest never lies about a file.</summary>
    private static async Task<(string Text, ZoneJson Zone)> ExportConsistent(AdminClient client, string zone, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var before = await client.GetAsync(zone, ct);
            var text = await client.ExportAsync(zone, ct);
            var after = await client.GetAsync(zone, ct);
            if (after.Version == before.Version) return (text, before);
            if (attempt == 4) throw new CliException(ExitCodes.Unavailable, $"zone {zone} keeps changing during the export (version {before.Version} → {after.Version}); try again");
        }
    }

    private static async Task<BackupManifestJson> ReadManifest(DirectoryInfo folder, CancellationToken ct)
    {
        var path = Path.Combine(folder.FullName, ManifestName);
        string json;
        try { json = await File.ReadAllTextAsync(path, ct); }
        catch (IOException e) { throw new CliException(ExitCodes.Usage, $"{path}: {e.Message} (is {folder.FullName} a backup folder?)"); }
        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifestJson>(json, ApiJson.Options);
            if (manifest?.Zones is null) throw new CliException(ExitCodes.Usage, $"{path}: no 'zones' list");
            if (manifest.Format != 1) throw new CliException(ExitCodes.Usage, $"{path}: format {manifest.Format} is not supported (1 is)");
            return manifest;
        }
        catch (JsonException e) { throw new CliException(ExitCodes.Usage, $"{path}: malformed JSON: {e.Message}"); }
    }

    /// <summary>"example.com.zone"; the root zone is "root.zone". Zone names hold no '/' (labels with it are escaped by
    /// the API's presentation form, but to be safe any path character is replaced).</summary>
    internal static string FileNameFor(string zone)
    {
        var name = zone.TrimEnd('.');
        if (name.Length == 0) name = "root";
        foreach (var c in Path.GetInvalidFileNameChars().Append('\\')) name = name.Replace(c, '_');
        return name + ".zone";
    }

    private static async Task WriteAtomic(string path, byte[] bytes, CancellationToken ct)
    {
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, ct);
        File.Move(temp, path, overwrite: true);
    }

    internal static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
