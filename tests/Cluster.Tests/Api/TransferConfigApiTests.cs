using System.Net;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Api;

/// <summary>/tsigkeys and /zones/{zone}/metadata against a real node: PowerDNS shapes, statuses and errors.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class TransferConfigApiTests(SharedNode shared)
{
    public const string KeysPath = "api/v1/servers/localhost/tsigkeys";
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
    private readonly HttpClient _http = shared.Http;

    private static string UniqueKey(string label) => $"{label}-{Guid.NewGuid():N}"[..(label.Length + 9)] + ".example.";

    [Fact]
    public async Task A_key_is_created_listed_without_its_secret_read_with_it_changed_and_deleted()
    {
        var name = UniqueKey("api");
        var created = await AssertOk(await _http.PostAsync(KeysPath, Json($$"""{"name": "{{name.ToUpperInvariant().TrimEnd('.')}}", "algorithm": "HMAC-SHA512"}""")), HttpStatusCode.Created);
        Assert.Equal(name, created.GetProperty("name").GetString());
        Assert.Equal(name, created.GetProperty("id").GetString());
        Assert.Equal("hmac-sha512", created.GetProperty("algorithm").GetString());
        Assert.Equal("TSIGKey", created.GetProperty("type").GetString());
        var secret = created.GetProperty("key").GetString()!;
        Assert.Equal(64, Convert.FromBase64String(secret).Length);

        var list = await _http.GetAsync(KeysPath);
        Assert.Equal("application/json", list.Content.Headers.ContentType?.MediaType);
        var listed = (await AssertOk(list)).EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
        Assert.Equal("", listed.GetProperty("key").GetString());
        Assert.Equal("hmac-sha512", listed.GetProperty("algorithm").GetString());

        foreach (var id in new[] { name, name.TrimEnd('.'), name.ToUpperInvariant() })
            Assert.Equal(secret, (await AssertOk(await _http.GetAsync($"{KeysPath}/{id}"))).GetProperty("key").GetString());

        var changed = await AssertOk(await _http.PutAsync($"{KeysPath}/{name}", Json($$"""{"algorithm": "hmac-sha256", "key": "{{Secret}}"}""")));
        Assert.Equal("hmac-sha256", changed.GetProperty("algorithm").GetString());
        Assert.Equal(Secret, changed.GetProperty("key").GetString());

        var renamed = "re" + name;
        Assert.Equal(renamed, (await AssertOk(await _http.PutAsync($"{KeysPath}/{name}", Json($$"""{"name": "{{renamed}}"}""")))).GetProperty("id").GetString());
        await AssertError(await _http.GetAsync($"{KeysPath}/{name}"), HttpStatusCode.NotFound);
        Assert.Equal(Secret, (await AssertOk(await _http.GetAsync($"{KeysPath}/{renamed}"))).GetProperty("key").GetString());

        await AssertOk(await _http.DeleteAsync($"{KeysPath}/{renamed}"), HttpStatusCode.NoContent);
        await AssertError(await _http.DeleteAsync($"{KeysPath}/{renamed}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Duplicates_are_409_and_bad_algorithms_secrets_or_names_are_422()
    {
        var name = UniqueKey("dup");
        await AssertOk(await _http.PostAsync(KeysPath, Json($$"""{"name": "{{name}}", "algorithm": "hmac-sha256", "key": "{{Secret}}"}""")), HttpStatusCode.Created);
        Assert.Contains(name, await AssertError(await _http.PostAsync(KeysPath, Json($$"""{"name": "{{name}}", "algorithm": "hmac-sha1"}""")), HttpStatusCode.Conflict));
        Assert.Contains("hmac-sha3", await AssertError(await _http.PostAsync(KeysPath, Json("""{"name": "x.example.", "algorithm": "hmac-sha3"}""")), HttpStatusCode.UnprocessableEntity));
        Assert.Contains("base64", await AssertError(await _http.PostAsync(KeysPath, Json("""{"name": "x.example.", "algorithm": "hmac-sha256", "key": "not base64!"}""")), HttpStatusCode.UnprocessableEntity));
        await AssertError(await _http.PostAsync(KeysPath, Json("""{"algorithm": "hmac-sha256"}""")), HttpStatusCode.UnprocessableEntity);
        await AssertError(await _http.PostAsync(KeysPath, Json("""{"name": """)), HttpStatusCode.BadRequest);
        await AssertError(await _http.GetAsync($"{KeysPath}/nope-{Guid.NewGuid():N}.example."), HttpStatusCode.NotFound);
        await AssertError(await _http.PutAsync($"{KeysPath}/{name}", Json("""{"algorithm": "md4"}""")), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Zone_metadata_is_added_replaced_read_and_deleted_in_PowerDNS_shape()
    {
        var zone = SharedNode.UniqueZone("meta");
        await AssertOk(await _http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        var meta = $"{ZonesPath}/{zone}/metadata";
        Assert.Equal(0, (await AssertOk(await _http.GetAsync(meta))).GetArrayLength());

        var added = await AssertOk(await _http.PostAsync(meta, Json("""{"kind": "allow-axfr-from", "metadata": ["192.0.2.0/24", "2001:DB8::1"]}""")), HttpStatusCode.Created);
        Assert.Equal("ALLOW-AXFR-FROM", added.GetProperty("kind").GetString());
        Assert.Equal("Metadata", added.GetProperty("type").GetString());
        added = await AssertOk(await _http.PostAsync(meta, Json("""{"kind": "ALLOW-AXFR-FROM", "metadata": ["198.51.100.7", "192.0.2.0/24"]}""")), HttpStatusCode.Created);
        Assert.Equal(["192.0.2.0/24", "2001:db8::1", "198.51.100.7"], added.GetProperty("metadata").EnumerateArray().Select(v => v.GetString()));

        var put = await AssertOk(await _http.PutAsync($"{meta}/ALSO-NOTIFY", Json("""{"metadata": ["192.0.2.53:5300", "[2001:db8::53]:53"]}""")));
        Assert.Equal(["192.0.2.53:5300", "[2001:db8::53]:53"], put.GetProperty("metadata").EnumerateArray().Select(v => v.GetString()));
        var one = await AssertOk(await _http.GetAsync($"{meta}/also-notify"));
        Assert.Equal(2, one.GetProperty("metadata").GetArrayLength());

        var all = await AssertOk(await _http.GetAsync(meta));
        Assert.Equal(["ALLOW-AXFR-FROM", "ALSO-NOTIFY"], all.EnumerateArray().Select(k => k.GetProperty("kind").GetString()));

        var error = await AssertError(await _http.PutAsync($"{meta}/ALSO-NOTIFY", Json("""{"metadata": ["192.0.2.1:99999"]}""")), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("192.0.2.1:99999", error);
        Assert.Contains("10.0.0.1/8", await AssertError(await _http.PostAsync(meta, Json("""{"kind": "ALLOW-AXFR-FROM", "metadata": ["10.0.0.1/8"]}""")), HttpStatusCode.UnprocessableEntity));

        await AssertOk(await _http.DeleteAsync($"{meta}/ALSO-NOTIFY"), HttpStatusCode.NoContent);
        Assert.Equal(["ALLOW-AXFR-FROM"], (await AssertOk(await _http.GetAsync(meta))).EnumerateArray().Select(k => k.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Metadata_of_an_unknown_zone_is_404()
    {
        var meta = $"{ZonesPath}/{SharedNode.UniqueZone("nozone")}/metadata";
        await AssertError(await _http.GetAsync(meta), HttpStatusCode.NotFound);
        await AssertError(await _http.PostAsync(meta, Json("""{"kind": "ALSO-NOTIFY", "metadata": ["192.0.2.1"]}""")), HttpStatusCode.NotFound);
        await AssertError(await _http.PutAsync(meta + "/ALSO-NOTIFY", Json("""{"metadata": ["192.0.2.1"]}""")), HttpStatusCode.NotFound);
        await AssertError(await _http.DeleteAsync(meta + "/ALSO-NOTIFY"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_new_routes_need_the_key()
    {
        using var http = shared.Client("wrong");
        await AssertError(await http.GetAsync(KeysPath), HttpStatusCode.Unauthorized);
        await AssertError(await http.GetAsync($"{ZonesPath}/x.example./metadata"), HttpStatusCode.Unauthorized);
    }
}
