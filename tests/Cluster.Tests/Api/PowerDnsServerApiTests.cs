using System.Net;
using System.Text.RegularExpressions;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Api;
/// <summary>The PowerDNS server routes (version, config, statistics, search) and how every route answers: the exact JSON
/// content type, JSON 404/405, 413 for a body over the limit.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class PowerDnsServerApiTests(SharedNode shared)
{
    private readonly HttpClient _http = shared.Http;

    private Task<string> CreateZone(string label) => ApiTestHelpers.CreateZone(_http, label);

    [Fact]
    public async Task Api_lists_version_1_as_lego_reads_it()
    {
        var response = await _http.GetAsync("api");
        var body = await AssertOk(response);
        AssertExactJsonType(response);
        var only = Assert.Single(body.EnumerateArray());
        Assert.Equal("/api/v1", only.GetProperty("url").GetString());
        Assert.Equal(1, only.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Servers_and_localhost_give_a_major_minor_patch_version_and_the_urls()
    {
        var list = await AssertOk(await _http.GetAsync("api/v1/servers"));
        var server = Assert.Single(list.EnumerateArray());
        var localhost = await AssertOk(await _http.GetAsync("api/v1/servers/localhost"));
        foreach (var s in new[] { server, localhost })
        {
            Assert.Equal("Server", s.GetProperty("type").GetString());
            Assert.Equal("localhost", s.GetProperty("id").GetString());
            Assert.Equal("authoritative", s.GetProperty("daemon_type").GetString());
            Assert.Matches(new Regex(@"^\d+\.\d+\.\d+$"), s.GetProperty("version").GetString()!);
            Assert.Equal("/api/v1/servers/localhost", s.GetProperty("url").GetString());
            Assert.StartsWith("/api/v1/servers/localhost/config", s.GetProperty("config_url").GetString());
            Assert.StartsWith("/api/v1/servers/localhost/zones", s.GetProperty("zones_url").GetString());
        }
    }

    [Fact]
    public async Task Config_lists_settings_without_secrets()
    {
        var response = await _http.GetAsync("api/v1/servers/localhost/config");
        var text = await response.Content.ReadAsStringAsync();
        var body = await AssertOk(response);
        Assert.All(body.EnumerateArray(), s => Assert.Equal("ConfigSetting", s.GetProperty("type").GetString()));
        Assert.Contains(body.EnumerateArray(), s => s.GetProperty("name").GetString() == "local-address");
        Assert.DoesNotContain(shared.Node.ApiKey, text);
    }

    [Fact]
    public async Task Statistics_lists_uptime_zones_and_queries()
    {
        await CreateZone("stats");
        var body = await AssertOk(await _http.GetAsync("api/v1/servers/localhost/statistics"));
        var items = body.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);
        Assert.All(body.EnumerateArray(), s => Assert.Equal("StatisticItem", s.GetProperty("type").GetString()));
        Assert.True(long.Parse(items["uptime"]) >= 0);
        Assert.True(long.Parse(items["zones"]) >= 1);
        Assert.True(items.ContainsKey("queries"));
    }

    [Fact]
    public async Task Search_data_finds_zones_records_and_comments_with_wildcards()
    {
        var zone = await CreateZone("search");
        var patch = $$"""{"rrsets": [{"name": "www.{{zone}}", "type": "A", "changetype": "REPLACE", "comments": [{"content": "needle-{{zone}}", "account": "ops"}]}]}""";
        await AssertOk(await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch)), HttpStatusCode.NoContent);

        var records = await AssertOk(await _http.GetAsync($"api/v1/servers/localhost/search-data?q=www.{zone.TrimEnd('.')}&object_type=record"));
        var hit = Assert.Single(records.EnumerateArray());
        Assert.Equal("record", hit.GetProperty("object_type").GetString());
        Assert.Equal("192.0.2.1", hit.GetProperty("content").GetString());
        Assert.Equal(zone, hit.GetProperty("zone").GetString());

        var zones = await AssertOk(await _http.GetAsync($"api/v1/servers/localhost/search-data?q={zone[..10]}*&object_type=zone"));
        Assert.Contains(zones.EnumerateArray(), z => z.GetProperty("name").GetString() == zone && z.GetProperty("object_type").GetString() == "zone");

        var comments = await AssertOk(await _http.GetAsync($"api/v1/servers/localhost/search-data?q=needle-{zone[..12]}*&object_type=comment"));
        Assert.Contains(comments.EnumerateArray(), c => c.GetProperty("name").GetString() == "www." + zone);

        var all = await AssertOk(await _http.GetAsync($"api/v1/servers/localhost/search-data?q=*{zone.TrimEnd('.')}&max=2"));
        Assert.Equal(2, all.GetArrayLength());

        Assert.Contains("'q'", await AssertError(await _http.GetAsync("api/v1/servers/localhost/search-data"), HttpStatusCode.UnprocessableEntity));
        Assert.Contains("object_type", await AssertError(await _http.GetAsync("api/v1/servers/localhost/search-data?q=x&object_type=bogus"), HttpStatusCode.UnprocessableEntity));
    }

    [Fact]
    public async Task Errors_are_json_with_the_exact_content_type()
    {
        var response = await _http.GetAsync($"{ZonesPath}/nowhere-{Guid.NewGuid():N}.example.");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertExactJsonType(response);
    }

    [Fact]
    public async Task An_unknown_route_is_a_json_404_and_a_wrong_method_a_json_405()
    {
        var unknown = await _http.GetAsync("api/v1/servers/localhost/nothing-here");
        Assert.Contains("Not Found", await AssertError(unknown, HttpStatusCode.NotFound));
        AssertExactJsonType(unknown);
        var wrong = await _http.PostAsync("api/v1/servers/localhost/statistics", Json("{}"));
        Assert.Contains("POST", await AssertError(wrong, HttpStatusCode.MethodNotAllowed));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_or_without_content_length_and_changes_nothing()
    {
        var zone = await CreateZone("big");
        var url = $"{ZonesPath}/{zone}";
        var before = await AssertOk(await _http.GetAsync(url));
        const long size = 65L * 1024 * 1024 + 7;

        using (var sized = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StreamContent(new FillStream(size, sendLength: true)) })
        {
            sized.Content.Headers.ContentLength = size;
            sized.Content.Headers.ContentType = new("application/json");
            // The answer comes before the body is sent (no 100 Continue), so the client reads it instead of a reset.
            sized.Headers.ExpectContinue = true;
            var error = await AssertError(await _http.SendAsync(sized), HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("larger than", error);
        }
        using (var chunked = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StreamContent(new FillStream(size, sendLength: false)) })
        {
            chunked.Content.Headers.ContentType = new("application/json");
            chunked.Headers.TransferEncodingChunked = true;
            HttpResponseMessage? response = null;
            try { response = await _http.SendAsync(chunked); }
            catch (HttpRequestException) { } // the server may close the connection while we still send
            if (response is not null) await AssertError(response, HttpStatusCode.RequestEntityTooLarge);
        }
        // The node is still there, the zone unchanged.
        var after = await AssertOk(await _http.GetAsync(url));
        Assert.Equal(before.GetProperty("serial").GetUInt32(), after.GetProperty("serial").GetUInt32());
        Assert.Equal(before.GetProperty("rrsets").ToString(), after.GetProperty("rrsets").ToString());
    }

    /// <summary>A read-only stream of <c>size</c> bytes of '{"rrsets": [' then spaces, never held in memory at once.</summary>
    private sealed class FillStream(long size, bool sendLength) : Stream
    {
        private static readonly byte[] Head = "{\"rrsets\": ["u8.ToArray();
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => sendLength ? size : throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, size - _position);
            for (int i = 0; i < n; i++)
            {
                long at = _position + i;
                buffer[offset + i] = at < Head.Length ? Head[at] : (byte)' ';
            }
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
