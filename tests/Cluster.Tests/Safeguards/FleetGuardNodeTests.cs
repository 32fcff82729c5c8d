using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Safeguards;

/// <summary>
/// The fleet guard on a real node of its own (SQLite, a fleet limit of 2, zone deletions not held per zone so only the
/// fleet window decides): a mass deletion of zones through the API is held past the limit and confirmed with the CLI;
/// a held fleet restore survives a kill -9 of the node and runs once.
/// </summary>
public sealed class FleetGuardNodeTests : IAsyncLifetime
{
    private readonly string _dir = TempDir.Create("akkadns-fleet");
    private NodeProcess _node = null!;
    private HttpClient _http = null!;

    private string Overlay => Path.Combine(_dir, "overlay.conf");

    public async Task InitializeAsync()
    {
        File.WriteAllText(Overlay, "akkadns.safeguards { fleet-max-zone-changes = 2, fleet-window = 10m, hold-zone-deletion = off }\n");
        await Start();
    }

    private async Task Start()
    {
        _node = await NodeProcess.StartAsync(Path.Combine(_dir, "data"), ["--config", Overlay]);
        _http?.Dispose();
        _http = new HttpClient { BaseAddress = _node.Api, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Add("X-API-Key", _node.ApiKey);
    }

    private Task<AkkaDnsCli.Result> Cli(params string[] args) =>
        AkkaDnsCli.RunAsync([.. args, "--node", _node.Api.ToString(), "--api-key", _node.ApiKey]);

    [Fact]
    public async Task A_mass_deletion_of_zones_is_held_past_the_fleet_limit_and_applied_once_confirmed()
    {
        var zones = Enumerable.Range(0, 4).Select(i => SharedNode.UniqueZone($"fleet{i}")).ToList();
        foreach (var z in zones) await AssertOk(await _http.PostAsync(ZonesPath, Json(CreateBody(z))), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"{ZonesPath}/{zones[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"{ZonesPath}/{zones[1]}")).StatusCode);
        var held = await AssertOk(await _http.DeleteAsync($"{ZonesPath}/{zones[2]}"), HttpStatusCode.Accepted);
        var id = held.GetProperty("id").GetString()!;
        Assert.Equal("held", held.GetProperty("status").GetString());
        Assert.Contains("2 zone deletions or whole-zone replacements across the fleet in the last 10m", held.GetProperty("reason").GetString());
        await AssertOk(await _http.GetAsync($"{ZonesPath}/{zones[2]}"));                       // still there

        // The CLI reports the hold like any other (exit 6), and lists it.
        var again = await Cli("zone", "delete", zones[3]);
        Assert.True(again.ExitCode == 6, again.ToString());
        var list = await Cli("change", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(id, list.Stdout);
        Assert.Contains("across the fleet", list.Stdout);

        var confirm = await Cli("change", "confirm", id);
        Assert.True(confirm.ExitCode == 0, confirm.ToString());
        await AssertError(await _http.GetAsync($"{ZonesPath}/{zones[2]}"), HttpStatusCode.NotFound);
        var history = (await AssertOk(await _http.GetAsync($"{ZonesPath}/{zones[2]}/history"))).EnumerateArray().ToList();
        Assert.Equal(["Created", "Held", "Confirmed"], history.Select(h => h.GetProperty("change").GetString()));
        Assert.All(history, h => Assert.StartsWith("key:", h.GetProperty("who").GetString()));
    }

    [Fact]
    public async Task A_held_fleet_restore_survives_a_restart_of_the_node_and_runs_once()
    {
        var zone = SharedNode.UniqueZone("restore");
        await AssertOk(await _http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PatchAsync($"{ZonesPath}/{zone}", Json($$"""
            {"rrsets": [{"name": "www.{{zone}}", "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": "192.0.2.99", "disabled": false}]}]}
            """))).StatusCode);
        var held = await AssertOk(await _http.PostAsync("api/v1/restore", Json(JsonSerializer.Serialize(new { toTime = before }))), HttpStatusCode.Accepted);
        var id = held.GetProperty("id").GetString()!;

        // kill -9 and start again: the restore was held by the fleet guard (journaled), not in the process's memory.
        await _node.KillAsync();
        await _node.DisposeAsync();
        await Start();
        var list = await Cli("change", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(id, list.Stdout);

        var confirm = await Cli("change", "confirm", id);
        Assert.True(confirm.ExitCode == 0, confirm.ToString());
        Assert.Contains($"confirmed {id}: 1 zones rolled back", confirm.Stdout);
        Assert.Equal(["192.0.2.1"], Contents(await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}")), "www." + zone, "A"));
        var twice = await Cli("change", "confirm", id);
        Assert.True(twice.ExitCode == 4, twice.ToString());                                  // gone: it ran once
        Assert.DoesNotContain(id, (await Cli("change", "list")).Stdout);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_node is not null) await _node.DisposeAsync();
        TempDir.Delete(_dir);
    }
}
