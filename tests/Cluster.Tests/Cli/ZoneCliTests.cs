using System.Text.Json;
using AkkaDns.Cluster.Tests.Api;
using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Cli;

/// <summary>The real <c>akkadns zone</c> binary against a real node: tables, --json, errors on stderr with exit codes.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class ZoneCliTests(SharedNode shared) : IDisposable
{
    private readonly string _dir = TempDir.Create("akkadns-cli");
    private NodeProcess Node => shared.Node;

    private async Task<string> Import(string label)
    {
        var zone = SharedNode.UniqueZone(label);
        var file = Path.Combine(_dir, zone + "zone");
        await File.WriteAllTextAsync(file, ApiTestHelpers.MasterFile(zone));
        var result = await AkkaDnsCli.ZoneAsync(Node, "import", file);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"created zone {zone}", result.Stdout);
        return zone;
    }

    [Fact]
    public async Task Import_then_list_show_export_and_history()
    {
        var zone = await Import("cli");

        var list = await AkkaDnsCli.ZoneAsync(Node, "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.StartsWith("ZONE", list.Stdout);
        Assert.Contains(zone, list.Stdout);

        var show = await AkkaDnsCli.ZoneAsync(Node, "show", zone);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains($"www.{zone}", show.Stdout);
        Assert.Contains("192.0.2.1", show.Stdout);

        var export = await AkkaDnsCli.ZoneAsync(Node, "export", zone);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("SOA", export.Stdout);

        var history = await AkkaDnsCli.ZoneAsync(Node, "history", zone);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.StartsWith("VERSION", history.Stdout);
    }

    [Fact]
    public async Task Set_and_delete_record_change_one_rrset_each_and_bump_the_version()
    {
        var zone = await Import("cliset");
        var set = await AkkaDnsCli.ZoneAsync(Node, "set", zone, "www", "A", "--ttl", "60", "192.0.2.10", "192.0.2.11");
        Assert.True(set.ExitCode == 0, set.ToString());
        var shown = JsonDocument.Parse((await AkkaDnsCli.ZoneAsync(Node, "show", zone, "--json")).Stdout).RootElement;
        Assert.Equal(["192.0.2.10", "192.0.2.11"], ApiTestHelpers.Contents(shown, "www." + zone, "A").Order());
        long version = shown.GetProperty("version").GetInt64();

        var del = await AkkaDnsCli.ZoneAsync(Node, "delete-record", zone, "www", "A", "--json");
        Assert.True(del.ExitCode == 0, del.ToString());
        var after = JsonDocument.Parse(del.Stdout).RootElement;
        Assert.Equal(version + 1, after.GetProperty("version").GetInt64());
        Assert.Empty(ApiTestHelpers.Contents(JsonDocument.Parse((await AkkaDnsCli.ZoneAsync(Node, "show", zone, "--json")).Stdout).RootElement, "www." + zone, "A"));
    }

    [Fact]
    public async Task Import_of_an_existing_zone_replaces_its_content()
    {
        var zone = await Import("clireimport");
        var file = Path.Combine(_dir, "again.zone");
        await File.WriteAllTextAsync(file, ApiTestHelpers.MasterFile(zone, "203.0.113.5"));
        var again = await AkkaDnsCli.ZoneAsync(Node, "import", file, "--zone", zone);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("replaced", again.Stdout);
        Assert.Contains("203.0.113.5", (await AkkaDnsCli.ZoneAsync(Node, "show", zone)).Stdout);
    }

    [Fact]
    public async Task Create_list_json_and_delete()
    {
        var zone = SharedNode.UniqueZone("clicreate");
        var create = await AkkaDnsCli.ZoneAsync(Node, "create", zone, "--ns", "ns1.example.org.", "--json");
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal(zone, JsonDocument.Parse(create.Stdout).RootElement.GetProperty("name").GetString());

        var list = JsonDocument.Parse((await AkkaDnsCli.ZoneAsync(Node, "list", "--json")).Stdout).RootElement;
        Assert.Contains(list.EnumerateArray(), z => z.GetProperty("name").GetString() == zone);

        // held by the blast-radius guard (exit 6) unless forced
        var held = await AkkaDnsCli.ZoneAsync(Node, "delete", zone);
        Assert.True(held.ExitCode == 6, held.ToString());
        var delete = await AkkaDnsCli.ZoneAsync(Node, "delete", zone, "--force");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        var show = await AkkaDnsCli.ZoneAsync(Node, "show", zone);
        Assert.Equal(4, show.ExitCode);
        Assert.Contains("404", show.Stderr);
        Assert.Empty(show.Stdout);
    }

    [Fact]
    public async Task Refusals_go_to_stderr_with_a_nonzero_exit_code()
    {
        var zone = await Import("clierr");
        var bad = await AkkaDnsCli.ZoneAsync(Node, "set", zone, "www", "A", "192.0.2.999");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("192.0.2.999", bad.Stderr);
        Assert.Empty(bad.Stdout);

        var wrongKey = await AkkaDnsCli.RunAsync(["zone", "list", "--node", Node.Api.ToString(), "--api-key", "wrong"]);
        Assert.Equal(5, wrongKey.ExitCode);
        Assert.Contains("401", wrongKey.Stderr);

        var missingFile = await AkkaDnsCli.ZoneAsync(Node, "import", Path.Combine(_dir, "no-such.zone"));
        Assert.NotEqual(0, missingFile.ExitCode);
        Assert.NotEmpty(missingFile.Stderr);
    }

    [Fact]
    public async Task The_key_is_read_from_the_local_data_folder_when_not_given()
    {
        var list = await AkkaDnsCli.RunAsync(["zone", "list", "--node", Node.Api.ToString(), "--data", Node.DataDir]);
        Assert.True(list.ExitCode == 0, list.ToString());
        var env = await AkkaDnsCli.RunAsync(["zone", "list", "--node", Node.Api.ToString()], new Dictionary<string, string> { ["AKKADNS_API_KEY"] = Node.ApiKey });
        Assert.True(env.ExitCode == 0, env.ToString());
    }

    [Fact]
    public async Task An_unreachable_node_is_exit_code_3()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = await AkkaDnsCli.RunAsync(["zone", "list", "--node", $"http://127.0.0.1:{port}", "--api-key", "k"]);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cannot reach", result.Stderr);
    }

    public void Dispose() => TempDir.Delete(_dir);
}
