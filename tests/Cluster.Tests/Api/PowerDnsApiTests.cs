using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Api;
/// <summary>The PowerDNS zone routes as their clients use them (lego, external-dns, octoDNS, PowerDNS's own API tests):
/// every zone field, PUT and notify, RRset filters, comments and ids. The server routes and status codes are in
/// <see cref="PowerDnsServerApiTests"/>.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class PowerDnsApiTests(SharedNode shared)
{
    private readonly HttpClient _http = shared.Http;

    private Task<string> CreateZone(string label) => ApiTestHelpers.CreateZone(_http, label);

    [Fact]
    public async Task A_zone_carries_every_PowerDNS_field_in_get_and_list()
    {
        var zone = await CreateZone("fields");
        var response = await _http.GetAsync($"{ZonesPath}/{zone}");
        var body = await AssertOk(response);
        AssertExactJsonType(response);
        var list = await AssertOk(await _http.GetAsync(ZonesPath));
        var entry = list.EnumerateArray().Single(z => z.GetProperty("name").GetString() == zone);
        foreach (var z in new[] { body, entry })
        {
            foreach (var field in new[] { "id", "name", "type", "url", "kind", "serial", "notified_serial", "edited_serial", "masters", "dnssec",
                         "nsec3param", "nsec3narrow", "presigned", "soa_edit", "soa_edit_api", "api_rectify", "catalog", "account",
                         "master_tsig_key_ids", "slave_tsig_key_ids", "last_check" })
                Assert.True(z.TryGetProperty(field, out _), $"'{field}' missing in {z}");
            Assert.Equal("Zone", z.GetProperty("type").GetString());
            Assert.Equal("Native", z.GetProperty("kind").GetString());
            Assert.Equal("/api/v1/servers/localhost/zones/" + zone, z.GetProperty("url").GetString());
            Assert.False(z.GetProperty("dnssec").GetBoolean());
            Assert.Equal("DEFAULT", z.GetProperty("soa_edit_api").GetString());
        }
        Assert.True(body.TryGetProperty("rrsets", out _));
    }

    [Fact]
    public async Task Put_changes_kind_account_soa_edit_and_rectify_and_answers_204()
    {
        var zone = await CreateZone("put");
        var put = """{"kind": "Master", "account": "team-a", "soa_edit": "INCEPTION-INCREMENT", "soa_edit_api": "INCREASE", "api_rectify": true, "name": "ignored.", "rrsets": [], "some_new_field": 1}""";
        var response = await _http.PutAsync($"{ZonesPath}/{zone}", Json(put));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var body = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        Assert.Equal("Master", body.GetProperty("kind").GetString());
        Assert.Equal("team-a", body.GetProperty("account").GetString());
        Assert.Equal("INCEPTION-INCREMENT", body.GetProperty("soa_edit").GetString());
        Assert.Equal("INCREASE", body.GetProperty("soa_edit_api").GetString());
        Assert.True(body.GetProperty("api_rectify").GetBoolean());
        Assert.Equal(zone, body.GetProperty("name").GetString());

        // Back to the defaults; the zone's data and serial never moved.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"kind": "Native", "account": "", "soa_edit_api": "DEFAULT", "api_rectify": false}"""))).StatusCode);
        var after = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        Assert.Equal("Native", after.GetProperty("kind").GetString());
        Assert.Equal("", after.GetProperty("account").GetString());
        Assert.Equal("DEFAULT", after.GetProperty("soa_edit_api").GetString());
        Assert.Equal(body.GetProperty("serial").GetUInt32(), after.GetProperty("serial").GetUInt32());
    }

    [Theory]
    [InlineData("""{"kind": "Slave"}""", "secondary")]
    [InlineData("""{"kind": "Producer"}""", "Producer")]
    [InlineData("""{"dnssec": true, "nsec3param": "1 0 500 -"}""", "iterations")]
    [InlineData("""{"nsec3param": "1 0 0 -"}""", "nsec3param")]
    [InlineData("""{"catalog": "catalog.example."}""", "catalog")]
    [InlineData("""{"masters": ["192.0.2.1"]}""", "masters")]
    [InlineData("""{"soa_edit_api": "SOMETIMES"}""", "SOMETIMES")]
    [InlineData("""{"soa_edit": "WEEKLY"}""", "WEEKLY")]
    public async Task Put_of_what_cannot_change_is_422_saying_so_and_changes_nothing(string put, string named)
    {
        var zone = await CreateZone("put422");
        var error = await AssertError(await _http.PutAsync($"{ZonesPath}/{zone}", Json(put.Replace("}", ", \"account\": \"should-not-stick\"}"))), HttpStatusCode.UnprocessableEntity);
        Assert.Contains(named, error);
        var body = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        Assert.Equal("", body.GetProperty("account").GetString());
        Assert.Equal("Native", body.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Dnssec_true_signs_the_zone_and_the_cryptokeys_show_its_key_and_DS()
    {
        var zone = await CreateZone("signme");
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"dnssec": true}"""))).StatusCode);
        var body = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        Assert.True(body.GetProperty("dnssec").GetBoolean());
        Assert.Equal("1 0 0 -", body.GetProperty("nsec3param").GetString());
        Assert.Contains(body.GetProperty("rrsets").EnumerateArray(), r => r.GetProperty("type").GetString() == "DNSKEY");
        var keys = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/cryptokeys"));
        var key = Assert.Single(keys.EnumerateArray());
        Assert.Equal("csk", key.GetProperty("keytype").GetString());
        Assert.True(key.GetProperty("active").GetBoolean());
        Assert.Matches(@"^\d+ 13 2 [0-9a-f]{64}$", key.GetProperty("ds")[0].GetString());
        Assert.True(!key.TryGetProperty("privatekey", out var listed) || listed.ValueKind == JsonValueKind.Null); // never in the list
        var id = key.GetProperty("id").GetInt32();
        var one = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/cryptokeys/{id}"));
        Assert.StartsWith("Private-key-format: v1.2", one.GetProperty("privatekey").GetString());
        // The only key cannot go: nothing would sign the zone.
        Assert.Contains("no active key", await AssertError(await _http.DeleteAsync($"{ZonesPath}/{zone}/cryptokeys/{id}"), HttpStatusCode.UnprocessableEntity));
        // Turning it off: the delete CDS first, then (asked again) held for confirmation.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"dnssec": false}"""))).StatusCode);
        var status = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}/dnssec"));
        Assert.True(status.GetProperty("dnssec").GetBoolean());
        Assert.True(status.GetProperty("cds_delete").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"dnssec": false}"""))).StatusCode);
        Assert.True((await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"))).GetProperty("dnssec").GetBoolean());
    }

    [Fact]
    public async Task Put_changes_a_secondarys_masters_and_refuses_to_make_it_a_primary()
    {
        var zone = SharedNode.UniqueZone("putsec");
        var create = $$"""{"name": "{{zone}}", "kind": "Slave", "masters": ["127.0.0.1:9"]}""";
        await AssertOk(await _http.PostAsync(ZonesPath, Json(create)), HttpStatusCode.Created);
        try
        {
            Assert.Equal(HttpStatusCode.NoContent, (await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"masters": ["127.0.0.2:10", "127.0.0.3"]}"""))).StatusCode);
            var body = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
            Assert.Equal("Slave", body.GetProperty("kind").GetString());
            Assert.Equal(["127.0.0.2:10", "127.0.0.3:53"], body.GetProperty("masters").EnumerateArray().Select(m => m.GetString()).ToList());
            Assert.Contains("Native", await AssertError(await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"kind": "Native"}""")), HttpStatusCode.UnprocessableEntity));
            Assert.Contains("masters", await AssertError(await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"masters": []}""")), HttpStatusCode.UnprocessableEntity));
        }
        finally
        {
            await _http.DeleteAsync($"{ZonesPath}/{zone}?override=true");
        }
    }

    [Fact]
    public async Task The_new_routes_need_the_key()
    {
        using var http = shared.Client(null);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "api"), (HttpMethod.Get, "api/v1/servers/localhost/config"),
                     (HttpMethod.Get, "api/v1/servers/localhost/statistics"), (HttpMethod.Get, "api/v1/servers/localhost/search-data?q=x"),
                     (HttpMethod.Put, ZonesPath + "/x.example."), (HttpMethod.Put, ZonesPath + "/x.example./notify") })
            await AssertError(await http.SendAsync(new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : Json("{}") }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Put_of_an_unknown_zone_is_404_and_of_malformed_json_400()
    {
        await AssertError(await _http.PutAsync($"{ZonesPath}/nowhere-{Guid.NewGuid():N}.example.", Json("""{"account": "x"}""")), HttpStatusCode.NotFound);
        var zone = await CreateZone("put400");
        await AssertError(await _http.PutAsync($"{ZonesPath}/{zone}", Json("""{"account": """)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Notify_answers_queued_for_a_zone_and_404_for_none()
    {
        var zone = await CreateZone("notify");
        var response = await _http.PutAsync($"{ZonesPath}/{zone}/notify", null);
        var body = await AssertOk(response);
        AssertExactJsonType(response);
        Assert.Equal("Notification queued", body.GetProperty("result").GetString());
        await AssertError(await _http.PutAsync($"{ZonesPath}/nowhere-{Guid.NewGuid():N}.example./notify", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rrsets_false_and_the_rrset_name_and_type_filters()
    {
        var zone = await CreateZone("filter");
        var without = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}?rrsets=false"));
        Assert.False(without.TryGetProperty("rrsets", out _));

        var byName = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}?rrset_name={zone}"));
        Assert.Equal(["NS", "SOA"], byName.GetProperty("rrsets").EnumerateArray().Select(r => r.GetProperty("type").GetString()).Order().ToList());
        var byNameType = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}?rrset_name=www.{zone}&rrset_type=A"));
        Assert.Equal(["192.0.2.1"], Contents(byNameType, "www." + zone, "A"));
        Assert.Single(byNameType.GetProperty("rrsets").EnumerateArray());
        var none = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}?rrset_name=www.{zone}&rrset_type=AAAA"));
        Assert.Empty(none.GetProperty("rrsets").EnumerateArray());

        Assert.Contains("rrset_name", await AssertError(await _http.GetAsync($"{ZonesPath}/{zone}?rrset_type=A"), HttpStatusCode.UnprocessableEntity));
        Assert.Contains("BOGUS", await AssertError(await _http.GetAsync($"{ZonesPath}/{zone}?rrset_name=www.{zone}&rrset_type=BOGUS"), HttpStatusCode.UnprocessableEntity));
    }

    [Fact]
    public async Task Comments_are_stored_kept_by_a_replace_without_them_and_dropped_with_the_rrset()
    {
        var zone = await CreateZone("comments");
        var url = $"{ZonesPath}/{zone}";
        var before = (await AssertOk(await _http.GetAsync(url))).GetProperty("serial").GetUInt32();
        // Comments only (no "records"): the zone data and serial stay as they are.
        await AssertOk(await _http.PatchAsync(url, Json($$"""{"rrsets": [{"name": "www.{{zone}}", "type": "A", "changetype": "REPLACE", "comments": [{"content": "web front", "account": "ops", "modified_at": 1700000000}, {"content": "second"}]}]}""")), HttpStatusCode.NoContent);
        var body = await AssertOk(await _http.GetAsync(url));
        Assert.Equal(before, body.GetProperty("serial").GetUInt32());
        var comments = Comments(body, "www." + zone, "A");
        Assert.Equal(["web front", "second"], comments.Select(c => c.GetProperty("content").GetString()).ToList());
        Assert.Equal("ops", comments[0].GetProperty("account").GetString());
        Assert.Equal(1700000000, comments[0].GetProperty("modified_at").GetInt64());
        Assert.True(comments[1].GetProperty("modified_at").GetInt64() > 1700000000);
        Assert.Equal(["192.0.2.1"], Contents(body, "www." + zone, "A"));

        // A REPLACE of the records without "comments" keeps them.
        await AssertOk(await _http.PatchAsync(url, Json($$"""{"rrsets": [{"name": "www.{{zone}}", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "192.0.2.9"}]}]}""")), HttpStatusCode.NoContent);
        body = await AssertOk(await _http.GetAsync(url));
        Assert.Equal(2, Comments(body, "www." + zone, "A").Count);
        Assert.Equal(["192.0.2.9"], Contents(body, "www." + zone, "A"));

        // The comments also survive in the list of one RRset; a DELETE removes records and comments.
        await AssertOk(await _http.PatchAsync(url, Json($$"""{"rrsets": [{"name": "www.{{zone}}", "type": "A", "changetype": "DELETE"}]}""")), HttpStatusCode.NoContent);
        body = await AssertOk(await _http.GetAsync(url));
        Assert.Empty(Comments(body, "www." + zone, "A"));
        Assert.Empty(Contents(body, "www." + zone, "A"));
    }

    [Fact]
    public async Task Comments_given_at_creation_are_returned()
    {
        var zone = SharedNode.UniqueZone("ccreate");
        var create = $$"""{"name": "{{zone}}", "kind": "Master", "account": "acct", "nameservers": ["ns1.{{zone}}"], "rrsets": [{"name": "ns1.{{zone}}", "type": "A", "ttl": 300, "records": [{"content": "192.0.2.53"}], "comments": [{"content": "the name server"}]}]}""";
        var created = await AssertOk(await _http.PostAsync(ZonesPath, Json(create)), HttpStatusCode.Created);
        Assert.Equal("Master", created.GetProperty("kind").GetString());
        Assert.Equal("acct", created.GetProperty("account").GetString());
        Assert.Equal("the name server", Assert.Single(Comments(created, "ns1." + zone, "A")).GetProperty("content").GetString());
        var body = await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"));
        Assert.Equal("the name server", Assert.Single(Comments(body, "ns1." + zone, "A")).GetProperty("content").GetString());
        Assert.Equal("Master", body.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_comment_without_content_is_400()
    {
        var zone = await CreateZone("cbad");
        var error = await AssertError(await _http.PatchAsync($"{ZonesPath}/{zone}", Json($$"""{"rrsets": [{"name": "www.{{zone}}", "type": "A", "changetype": "REPLACE", "comments": [{"account": "x"}]}]}""")), HttpStatusCode.BadRequest);
        Assert.Contains("content", error);
    }

    [Fact]
    public async Task Zone_ids_with_escapes_and_without_the_final_dot_reach_the_same_zone()
    {
        var label = "r/24-" + Guid.NewGuid().ToString("N")[..8];
        var zone = label + ".example.";
        var created = await AssertOk(await _http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(zone.Replace("/", "=2F"), id);
        Assert.Equal("/api/v1/servers/localhost/zones/" + id, created.GetProperty("url").GetString());
        foreach (var path in new[] { id, id.TrimEnd('.'), id.Replace("=2F", "=2f") })
            Assert.Equal(zone, (await AssertOk(await _http.GetAsync($"{ZonesPath}/{path}"))).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_in_create_and_patch()
    {
        var zone = SharedNode.UniqueZone("unknown");
        var create = $$"""{"name": "{{zone}}", "kind": "Native", "nameservers": ["ns1.{{zone}}"], "future_field": {"a": [1, 2]}, "soa_edit_api": "DEFAULT", "rrsets": [{"name": "ns1.{{zone}}", "type": "A", "ttl": 300, "records": [{"content": "192.0.2.53", "set-ptr": false, "extra": 1}], "x": true}]}""";
        await AssertOk(await _http.PostAsync(ZonesPath, Json(create)), HttpStatusCode.Created);
        var patch = $$"""{"rrsets": [{"name": "txt.{{zone}}", "type": "TXT", "ttl": 60, "changetype": "REPLACE", "kind": "Master", "records": [{"content": "\"x\"", "disabled": false, "set-ptr": false}]}], "also": "ignored"}""";
        await AssertOk(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch)), HttpStatusCode.NoContent);
        Assert.Equal(["\"x\""], Contents(await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}")), "txt." + zone, "TXT"));
    }

    private static List<System.Text.Json.JsonElement> Comments(System.Text.Json.JsonElement zone, string name, string type)
    {
        foreach (var set in zone.GetProperty("rrsets").EnumerateArray())
            if (set.GetProperty("name").GetString() == name && set.GetProperty("type").GetString() == type)
                return set.GetProperty("comments").EnumerateArray().ToList();
        return [];
    }
}
