using System.Net;
using System.Text;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Api;

/// <summary>Every admin API endpoint against a real node (actors, SQLite journal), good and bad input.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class ZoneApiTests(SharedNode shared)
{
    private readonly HttpClient _http = shared.Http;

    private async Task<string> CreateZone(string label)
    {
        var zone = SharedNode.UniqueZone(label);
        await AssertOk(await _http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        return zone;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key")]
    public async Task Every_route_needs_the_right_key(string? key)
    {
        using var http = shared.Client(key);
        foreach (var (method, path) in new[] { (HttpMethod.Get, ZonesPath), (HttpMethod.Post, ZonesPath), (HttpMethod.Get, ZonesPath + "/x.example."),
                     (HttpMethod.Patch, ZonesPath + "/x.example."), (HttpMethod.Delete, ZonesPath + "/x.example."), (HttpMethod.Get, ZonesPath + "/x.example./export"),
                     (HttpMethod.Get, ZonesPath + "/x.example./history"), (HttpMethod.Put, ZonesPath + "/x.example./zonefile") })
        {
            var response = await http.SendAsync(new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : Json("{}") });
            var error = await AssertError(response, HttpStatusCode.Unauthorized);
            Assert.Contains("X-API-Key", error);
        }
    }

    [Fact]
    public async Task Create_returns_the_zone_in_PowerDNS_shape_with_SOA_NS_and_the_given_rrsets()
    {
        var zone = SharedNode.UniqueZone("create");
        var response = await _http.PostAsync(ZonesPath, Json(CreateBody(zone)));
        var body = await AssertOk(response, HttpStatusCode.Created);
        Assert.Equal(zone, body.GetProperty("id").GetString());
        Assert.Equal(zone, body.GetProperty("name").GetString());
        Assert.EndsWith("/zones/" + zone, response.Headers.Location!.ToString());
        Assert.True(body.GetProperty("serial").GetUInt32() > 0);
        Assert.Single(Contents(body, zone, "SOA"));
        Assert.Equal([$"ns1.{zone}"], Contents(body, zone, "NS"));
        Assert.Equal(["192.0.2.1"], Contents(body, "www." + zone, "A"));
    }

    [Fact]
    public async Task Create_from_master_file_text_imports_every_record()
    {
        var zone = SharedNode.UniqueZone("import");
        var body = await AssertOk(await _http.PostAsync(ZonesPath, Json($$"""{"name": "{{zone}}", "kind": "Native", "zone": {{System.Text.Json.JsonSerializer.Serialize(MasterFile(zone))}}}""")), HttpStatusCode.Created);
        Assert.Equal(["10 mx." + zone], Contents(body, "mail." + zone, "MX"));
        Assert.Equal(["192.0.2.25"], Contents(body, "mx." + zone, "A"));
    }

    [Fact]
    public async Task Create_twice_is_409_conflict()
    {
        var zone = await CreateZone("dup");
        var error = await AssertError(await _http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Conflict);
        Assert.Contains(zone.TrimEnd('.'), error);
    }

    [Theory]
    [InlineData("{\"name\": \"x.example.\", ")]
    [InlineData("[1,2")]
    [InlineData("")]
    public async Task Create_with_malformed_json_is_400(string body)
    {
        var error = await AssertError(await _http.PostAsync(ZonesPath, Json(body)), HttpStatusCode.BadRequest);
        Assert.True(error.Contains("JSON") || error.Contains("body"), error);
    }

    [Fact]
    public async Task Create_with_bad_record_data_is_400_naming_the_record()
    {
        var zone = SharedNode.UniqueZone("badrec");
        var body = $$"""{"name": "{{zone}}", "nameservers": ["ns1.{{zone}}"], "rrsets": [{"name": "www.{{zone}}", "type": "A", "ttl": 60, "records": [{"content": "192.0.2.300"}]}]}""";
        var error = await AssertError(await _http.PostAsync(ZonesPath, Json(body)), HttpStatusCode.BadRequest);
        Assert.Contains("www." + zone, error);
        Assert.Contains("192.0.2.300", error);
        await AssertError(await _http.GetAsync($"{ZonesPath}/{zone}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_for_a_public_suffix_is_refused_with_422()
    {
        var body = """{"name": "co.nz.", "kind": "Native", "nameservers": ["ns1.example.org."]}""";
        var error = await AssertError(await _http.PostAsync(ZonesPath, Json(body)), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("co.nz", error);
    }

    [Fact]
    public async Task Create_without_nameservers_is_422()
    {
        var error = await AssertError(await _http.PostAsync(ZonesPath, Json($$"""{"name": "{{SharedNode.UniqueZone("nons")}}"}""")), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("nameservers", error);
    }

    [Fact]
    public async Task List_shows_created_zones_with_serial_and_without_rrsets()
    {
        var zone = await CreateZone("list");
        var list = await AssertOk(await _http.GetAsync(ZonesPath));
        var entry = list.EnumerateArray().Single(z => z.GetProperty("name").GetString() == zone);
        Assert.True(entry.GetProperty("serial").GetUInt32() > 0);
        Assert.False(entry.TryGetProperty("rrsets", out _));
    }

    [Fact]
    public async Task Get_of_an_unknown_zone_is_404_and_a_bad_name_is_400()
    {
        var error = await AssertError(await _http.GetAsync($"{ZonesPath}/nowhere-{Guid.NewGuid():N}.example."), HttpStatusCode.NotFound);
        Assert.Contains("nowhere-", error);
        await AssertError(await _http.GetAsync($"{ZonesPath}/a..b"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Get_accepts_the_name_with_or_without_trailing_dot()
    {
        var zone = await CreateZone("dot");
        var body = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone.TrimEnd('.')}"));
        Assert.Equal(zone, body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Patch_applies_replace_and_delete_together_as_one_version()
    {
        var zone = await CreateZone("patch");
        var before = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        var patch = $$"""
            {"rrsets": [
              {"name": "www.{{zone}}", "type": "A", "ttl": 120, "changetype": "REPLACE", "records": [{"content": "192.0.2.7", "disabled": false}, {"content": "192.0.2.8", "disabled": false}]},
              {"name": "api.{{zone}}", "type": "TXT", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "\"hello world\"", "disabled": false}]},
              {"name": "ns1.{{zone}}", "type": "AAAA", "changetype": "DELETE"}
            ]}
            """;
        var response = await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch));
        Assert.True(HttpStatusCode.NoContent == response.StatusCode, await response.Content.ReadAsStringAsync());

        var after = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        Assert.Equal(["192.0.2.7", "192.0.2.8"], Contents(after, "www." + zone, "A").Order());
        Assert.Equal(["\"hello world\""], Contents(after, "api." + zone, "TXT"));
        Assert.Equal(before.GetProperty("version").GetInt64() + 1, after.GetProperty("version").GetInt64());
        Assert.True(after.GetProperty("serial").GetUInt32() > before.GetProperty("serial").GetUInt32());

        var delete = $$"""{"rrsets": [{"name": "api.{{zone}}", "type": "TXT", "changetype": "DELETE"}]}""";
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PatchAsync($"{ZonesPath}/{zone}", Json(delete))).StatusCode);
        Assert.Empty(Contents(await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}")), "api." + zone, "TXT"));
    }

    [Fact]
    public async Task Patch_with_bad_record_data_is_400_and_changes_nothing()
    {
        var zone = await CreateZone("patchbad");
        var before = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        var patch = $$"""
            {"rrsets": [
              {"name": "ok.{{zone}}", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "192.0.2.9"}]},
              {"name": "mail.{{zone}}", "type": "MX", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "ten mx.{{zone}}"}]}
            ]}
            """;
        var error = await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch)), HttpStatusCode.BadRequest);
        Assert.Contains("mail." + zone, error);
        Assert.Contains("ten mx", error);
        var after = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
        Assert.Empty(Contents(after, "ok." + zone, "A"));
    }

    [Fact]
    public async Task Patch_that_breaks_a_zone_rule_is_422_and_changes_nothing()
    {
        var zone = await CreateZone("patchrule");
        // CNAME and other data at the same name (RFC 1034 §3.6.2): www already has an A record.
        var patch = $$"""{"rrsets": [{"name": "www.{{zone}}", "type": "CNAME", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "elsewhere.example.org."}]}]}""";
        var error = await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch)), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("www." + zone, error);
    }

    [Theory]
    [InlineData("{\"rrsets\": [ {\"name\": ")]
    [InlineData("{\"rrsets\": 5}")]
    [InlineData("{\"nothing\": true}")]
    [InlineData("{\"rrsets\": [{\"name\": \"www.{Z}\", \"type\": \"A\", \"ttl\": 60, \"changetype\": \"UPSERT\", \"records\": [{\"content\": \"192.0.2.1\"}]}]}")]
    [InlineData("{\"rrsets\": [{\"name\": \"www.{Z}\", \"type\": \"BOGUS\", \"ttl\": 60, \"changetype\": \"REPLACE\", \"records\": [{\"content\": \"x\"}]}]}")]
    public async Task Patch_with_malformed_body_is_400(string body)
    {
        var zone = await CreateZone("patchjson");
        await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(body.Replace("{Z}", zone))), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Patch_out_of_zone_or_without_ttl_is_422()
    {
        var zone = await CreateZone("patch422");
        var outOfZone = $$"""{"rrsets": [{"name": "www.elsewhere.example.", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "192.0.2.1"}]}]}""";
        Assert.Contains("out of zone", await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(outOfZone)), HttpStatusCode.UnprocessableEntity));
        var noTtl = $$"""{"rrsets": [{"name": "x.{{zone}}", "type": "A", "changetype": "REPLACE", "records": [{"content": "192.0.2.1"}]}]}""";
        Assert.Contains("ttl", await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(noTtl)), HttpStatusCode.UnprocessableEntity));
    }

    [Fact]
    public async Task Patch_of_an_unknown_zone_is_404()
    {
        var zone = SharedNode.UniqueZone("patch404");
        var patch = $$"""{"rrsets": [{"name": "www.{{zone}}", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "192.0.2.1"}]}]}""";
        await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Export_is_a_master_file_as_text_plain()
    {
        var zone = await CreateZone("export");
        var response = await _http.GetAsync($"{ZonesPath}/{zone}/export");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("SOA", text);
        Assert.Contains("192.0.2.1", text);
        await AssertError(await _http.GetAsync($"{ZonesPath}/nope-{Guid.NewGuid():N}.example./export"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Zonefile_put_replaces_the_whole_zone_in_one_version()
    {
        var zone = await CreateZone("replace");
        var before = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        var response = await _http.PutAsync($"{ZonesPath}/{zone}/zonefile", new StringContent(MasterFile(zone, "198.51.100.1"), Encoding.UTF8, "text/plain"));
        var after = await AssertOk(response);
        Assert.Equal(["198.51.100.1"], Contents(after, "www." + zone, "A"));
        Assert.Equal(before.GetProperty("version").GetInt64() + 1, after.GetProperty("version").GetInt64());

        var bad = await _http.PutAsync($"{ZonesPath}/{zone}/zonefile", new StringContent($"$ORIGIN {zone}\nwww IN A not-an-address\n", Encoding.UTF8, "text/plain"));
        var error = await AssertError(bad, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("not-an-address", error);
        await AssertError(await _http.PutAsync($"{ZonesPath}/nope-{Guid.NewGuid():N}.example./zonefile", new StringContent(MasterFile("x.example."), Encoding.UTF8, "text/plain")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task History_lists_every_change_in_order()
    {
        var zone = await CreateZone("history");
        var patch = $$"""{"rrsets": [{"name": "www.{{zone}}", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "192.0.2.99"}]}]}""";
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch))).StatusCode);
        var history = (await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/history"))).EnumerateArray().ToList();
        Assert.True(history.Count >= 2);
        var versions = history.Select(h => h.GetProperty("version").GetInt64()).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Equal("Created", history[0].GetProperty("change").GetString());
        // who: the caller's API key as a hash id ("key:" + 12 hex digits), never the key itself
        Assert.Matches("^key:[0-9a-f]{12}$", history[^1].GetProperty("who").GetString());
        await AssertError(await _http.GetAsync($"{ZonesPath}/nope-{Guid.NewGuid():N}.example./history"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_removes_the_zone_and_a_second_delete_is_404()
    {
        var zone = await CreateZone("delete");
        // A zone deletion is held by the blast-radius guard (202 + change id) until confirmed.
        var held = await AssertOk(await _http.DeleteAsync($"{ZonesPath}/{zone}"), HttpStatusCode.Accepted);
        await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        await AssertOk(await _http.PostAsync($"api/v1/changes/{held.GetProperty("id").GetString()}/confirm", null));
        await AssertError(await _http.GetAsync($"{ZonesPath}/{zone}"), HttpStatusCode.NotFound);
        await AssertError(await _http.DeleteAsync($"{ZonesPath}/{zone}"), HttpStatusCode.NotFound);
        var list = await AssertOk(await _http.GetAsync(ZonesPath));
        Assert.DoesNotContain(list.EnumerateArray(), z => z.GetProperty("name").GetString() == zone);
    }

    [Fact]
    public async Task Server_resource_answers_like_PowerDNS()
    {
        var server = await AssertOk(await _http.GetAsync("api/v1/servers/localhost"));
        Assert.Equal("localhost", server.GetProperty("id").GetString());
        Assert.Equal("authoritative", server.GetProperty("daemon_type").GetString());
    }
}
