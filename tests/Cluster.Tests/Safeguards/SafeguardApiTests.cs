using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Safeguards;

/// <summary>Held changes, confirmation, rollback and restore through the real API and CLI of a real node.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class SafeguardApiTests(SharedNode shared)
{
    private readonly HttpClient _http = shared.Http;

    /// <summary>A zone with NS and ten A RRsets h0..h9.</summary>
    private async Task<string> TenHostZone(string label)
    {
        var zone = SharedNode.UniqueZone(label);
        var rrsets = string.Join(",", Enumerable.Range(0, 10).Select(i =>
            $$"""{"name": "h{{i}}.{{zone}}", "type": "A", "ttl": 300, "records": [{"content": "192.0.2.{{i + 1}}", "disabled": false}]}"""));
        await AssertOk(await _http.PostAsync(ZonesPath, Json($$"""{"name": "{{zone}}", "kind": "Native", "nameservers": ["ns1.{{zone}}"], "rrsets": [{{rrsets}}]}""")), HttpStatusCode.Created);
        return zone;
    }

    private static StringContent DeleteHosts(string zone, int count) => Json($$"""{"rrsets": [{{string.Join(",", Enumerable.Range(0, count)
        .Select(i => $$"""{"name": "h{{i}}.{{zone}}", "type": "A", "changetype": "DELETE"}"""))}}]}""");

    private static string DeleteHostsJson(string zone, int count, string extra = "") => $$"""{{{extra}}"rrsets": [{{string.Join(",", Enumerable.Range(0, count)
        .Select(i => $$"""{"name": "h{{i}}.{{zone}}", "type": "A", "changetype": "DELETE"}"""))}}]}""";

    private async Task<List<string>> Hosts(string zone)
    {
        var body = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        return body.GetProperty("rrsets").EnumerateArray().Where(r => r.GetProperty("type").GetString() == "A")
            .Select(r => r.GetProperty("name").GetString()!).Order().ToList();
    }

    private Task<AkkaDnsCli.Result> Cli(params string[] args) =>
        AkkaDnsCli.RunAsync([.. args, "--node", shared.Node.Api.ToString(), "--api-key", shared.Node.ApiKey]);

    [Fact]
    public async Task A_mass_deletion_is_held_listed_and_applied_only_once_confirmed()
    {
        var zone = await TenHostZone("held");
        var held = await AssertOk(await _http.PatchAsync($"{ZonesPath}/{zone}", DeleteHosts(zone, 8)), HttpStatusCode.Accepted);
        var id = held.GetProperty("id").GetString()!;
        Assert.Equal("held", held.GetProperty("status").GetString());
        Assert.Contains("73%", held.GetProperty("reason").GetString());
        Assert.Equal(10, (await Hosts(zone)).Count);                                     // nothing applied

        var list = await Cli("change", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(id, list.Stdout);

        var confirm = await Cli("change", "confirm", id);
        Assert.True(confirm.ExitCode == 0, confirm.ToString());
        Assert.Contains($"confirmed change {id}", confirm.Stdout);
        Assert.Equal(2, (await Hosts(zone)).Count);

        var history = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/history"));
        var kinds = history.EnumerateArray().Select(h => h.GetProperty("change").GetString()).ToList();
        Assert.Equal(["Created", "Held", "Confirmed"], kinds);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsync($"api/v1/changes/{id}/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task Rejected_changes_are_dropped_and_override_applies_at_once_and_shows_in_history()
    {
        var zone = await TenHostZone("override");
        var held = await AssertOk(await _http.PatchAsync($"{ZonesPath}/{zone}", DeleteHosts(zone, 8)), HttpStatusCode.Accepted);
        var reject = await Cli("change", "reject", held.GetProperty("id").GetString()!);
        Assert.True(reject.ExitCode == 0, reject.ToString());
        Assert.Equal(10, (await Hosts(zone)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PatchAsync($"{ZonesPath}/{zone}?override=true", DeleteHosts(zone, 8))).StatusCode);
        Assert.Equal(2, (await Hosts(zone)).Count);
        var last = (await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/history"))).EnumerateArray().Last();
        Assert.Contains("OVERRIDE", last.GetProperty("who").GetString());
    }

    [Fact]
    public async Task Cli_zone_delete_reports_the_hold_with_exit_code_6()
    {
        var zone = await TenHostZone("cli-delete");
        var r = await Cli("zone", "delete", zone);
        Assert.True(r.ExitCode == 6, r.ToString());
        Assert.Contains("change confirm", r.Stderr);
        await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
    }

    [Fact]
    public async Task Rollback_by_version_through_the_CLI_and_restore_by_time_through_the_API()
    {
        var zone = await TenHostZone("rollback");
        for (int i = 0; i < 3; i++)   // one RRset at a time: below the guard's floor, applied at once
            Assert.Equal(HttpStatusCode.NoContent, (await _http.PatchAsync($"{ZonesPath}/{zone}",
                Json($$"""{"rrsets": [{"name": "h{{i}}.{{zone}}", "type": "A", "changetype": "DELETE"}]}"""))).StatusCode);
        Assert.Equal(7, (await Hosts(zone)).Count);

        var r = await Cli("zone", "rollback", zone, "--to-version", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("to the content of version 1", r.Stdout);
        Assert.Equal(10, (await Hosts(zone)).Count);
        var history = (await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/history"))).EnumerateArray().ToList();
        Assert.Equal("RolledBack", history[^1].GetProperty("change").GetString());

        // bad input answers 4xx with a message naming the problem
        Assert.Contains("exactly one", await AssertError(await _http.PostAsync($"{ZonesPath}/{zone}/rollback", Json("{}")), HttpStatusCode.BadRequest));
        Assert.Contains("no version 99", await AssertError(await _http.PostAsync($"{ZonesPath}/{zone}/rollback", Json("""{"toVersion": 99}""")), HttpStatusCode.UnprocessableEntity));

        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PatchAsync($"{ZonesPath}/{zone}", DeleteHosts(zone, 3))).StatusCode);
        Assert.Equal(7, (await Hosts(zone)).Count);
        // a fleet restore is held like a mass change; confirming runs it
        var held = await AssertOk(await _http.PostAsync("api/v1/restore", Json(JsonSerializer.Serialize(new { toTime = before }))), HttpStatusCode.Accepted);
        var id = held.GetProperty("id").GetString()!;
        Assert.StartsWith("restore@", id);
        Assert.Equal(7, (await Hosts(zone)).Count);
        Assert.Contains(id, (await Cli("change", "list")).Stdout);
        var restore = await AssertOk(await _http.PostAsync($"api/v1/changes/{id}/confirm", null));
        Assert.Contains(restore.GetProperty("report").GetProperty("rolled_back").EnumerateArray(), z => z.GetProperty("zone").GetString() == zone);
        Assert.Equal(10, (await Hosts(zone)).Count);
    }

    [Fact]
    public async Task Override_in_the_json_body_works_like_the_query_is_logged_and_shows_in_history()
    {
        var zone = await TenHostZone("body-override");
        // "override": false, or a value that is not a boolean, never bypasses the guard.
        await AssertOk(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(DeleteHostsJson(zone, 8, "\"override\": false, "))), HttpStatusCode.Accepted);
        Assert.Contains("'override' in the body must be true or false",
            await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(DeleteHostsJson(zone, 8, "\"override\": \"yes\", "))), HttpStatusCode.BadRequest));
        Assert.Equal(10, (await Hosts(zone)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PatchAsync($"{ZonesPath}/{zone}", Json(DeleteHostsJson(zone, 8, "\"override\": true, ")))).StatusCode);
        Assert.Equal(2, (await Hosts(zone)).Count);
        var last = (await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/history"))).EnumerateArray().Last();
        Assert.Equal("RRsetsChanged", last.GetProperty("change").GetString());
        Assert.Contains("(OVERRIDE of the blast-radius guard)", last.GetProperty("who").GetString());
        const string logged = "asks to OVERRIDE the blast-radius guard (\"override\": true in the body)";
        Assert.Contains(logged, await Poll.Until(() => Task.FromResult(shared.Node.Stderr), e => e.Contains(logged), TimeSpan.FromSeconds(10)));

        // A zone deletion (held without it) with the override in its body goes through.
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{ZonesPath}/{zone}") { Content = Json("""{"override": true}""") };
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(delete)).StatusCode);
        await AssertError(await _http.GetAsync($"{ZonesPath}/{zone}"), HttpStatusCode.NotFound);

        // A fleet restore with it runs at once instead of being held (to now: every zone is already there).
        var restore = await AssertOk(await _http.PostAsync("api/v1/restore",
            Json(JsonSerializer.Serialize(new { toTime = DateTimeOffset.UtcNow, @override = true }))));
        Assert.Empty(restore.GetProperty("rolled_back").EnumerateArray());
    }
}
