using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Safeguards;

/// <summary>`akkadns backup export` from one real node, `akkadns backup import` into a fresh one: same zones, same
/// records; existing zones replaced only with --confirm; a damaged backup imports nothing.</summary>
public sealed class BackupRoundTripTests : IAsyncLifetime
{
    private readonly string _dirA = TempDir.Create("akkadns-backup-a");
    private readonly string _dirB = TempDir.Create("akkadns-backup-b");
    private readonly string _backup = Path.Combine(Path.GetTempPath(), $"akkadns-backup-{Guid.NewGuid():N}");
    private NodeProcess _a = null!;
    private NodeProcess _b = null!;

    public async Task InitializeAsync()
    {
        var a = NodeProcess.StartAsync(_dirA);
        var b = NodeProcess.StartAsync(_dirB);
        (_a, _b) = (await a, await b);
    }

    public async Task DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        TempDir.Delete(_dirA); TempDir.Delete(_dirB); TempDir.Delete(_backup);
    }

    private static HttpClient Http(NodeProcess node)
    {
        var http = new HttpClient { BaseAddress = node.Api, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Add("X-API-Key", node.ApiKey);
        return http;
    }

    private static Task<AkkaDnsCli.Result> Cli(NodeProcess node, params string[] args) =>
        AkkaDnsCli.RunAsync([.. args, "--node", node.Api.ToString(), "--api-key", node.ApiKey]);

    private static List<string> Records(string masterFile) =>
        masterFile.Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith(';')).ToList();

    [Fact]
    public async Task Export_then_import_into_a_fresh_node_gives_the_same_zones()
    {
        using var a = Http(_a);
        using var b = Http(_b);
        var zones = new[] { "alpha.example.", "beta.example." };
        foreach (var z in zones) await AssertOk(await a.PostAsync(ZonesPath, Json(CreateBody(z))), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await a.PatchAsync($"{ZonesPath}/beta.example.", Json(
            """{"rrsets": [{"name": "mail.beta.example.", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "192.0.2.25", "disabled": false}]}]}"""))).StatusCode);

        var export = await Cli(_a, "backup", "export", _backup);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("exported 2 zones", export.Stdout);
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_backup, "manifest.json"))).RootElement;
        var entries = manifest.GetProperty("zones").EnumerateArray().ToList();
        Assert.Equal(zones, entries.Select(e => e.GetProperty("zone").GetString()));
        Assert.Equal(2, entries[1].GetProperty("version").GetInt64());
        foreach (var e in entries)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(_backup, e.GetProperty("file").GetString()!));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), e.GetProperty("sha256").GetString());
            Assert.True(e.GetProperty("records").GetInt32() >= 3);
        }

        var import = await Cli(_b, "backup", "import", _backup);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("2 created", import.Stdout);
        // same records and serials; only the comment header differs (it names the node's own zone version)
        foreach (var z in zones)
            Assert.Equal(Records(await (await a.GetAsync($"{ZonesPath}/{z}/export")).Content.ReadAsStringAsync()),
                         Records(await (await b.GetAsync($"{ZonesPath}/{z}/export")).Content.ReadAsStringAsync()));

        // again: the zones exist now; left alone without --confirm (exit 1), replaced with it
        var again = await Cli(_b, "backup", "import", _backup);
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("--confirm", again.Stderr);
        var confirmed = await Cli(_b, "backup", "import", _backup, "--confirm");
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Contains("2 replaced", confirmed.Stdout);

        // a damaged file: refused before anything is sent
        var file = Path.Combine(_backup, entries[0].GetProperty("file").GetString()!);
        await File.AppendAllTextAsync(file, "evil 60 IN A 203.0.113.66\n");
        var damaged = await Cli(_b, "backup", "import", _backup, "--confirm");
        Assert.True(damaged.ExitCode == 2, damaged.ToString());
        Assert.Contains("SHA-256", damaged.Stderr);
        Assert.DoesNotContain("203.0.113.66", await (await b.GetAsync($"{ZonesPath}/alpha.example./export")).Content.ReadAsStringAsync());

        // exporting into a folder that holds a backup is refused
        Assert.Equal(2, (await Cli(_a, "backup", "export", _backup)).ExitCode);
    }
}
