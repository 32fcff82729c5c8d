using System.Net;
using System.Text;
using System.Text.Json;

namespace AkkaDns.Cluster.Tests.Api;

internal static class ApiTestHelpers
{
    public const string ZonesPath = "api/v1/servers/localhost/zones";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Creates a zone of its own for one test on the shared node; returns its name.</summary>
    public static async Task<string> CreateZone(HttpClient http, string label)
    {
        var zone = Node.Support.SharedNode.UniqueZone(label);
        await AssertOk(await http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        return zone;
    }

    /// <summary>PowerDNS's clients compare the content type exactly: "application/json", no charset.</summary>
    public static void AssertExactJsonType(HttpResponseMessage response) =>
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());

    public static async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try { return JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode}: not JSON: {text}"); }
    }

    /// <summary>Asserts the status and that the body is PowerDNS-style {"error": "..."}; returns the message.</summary>
    public static async Task<string> AssertError(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error!;
    }

    public static async Task<JsonElement> AssertOk(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The record contents of one RRset in a PowerDNS zone body, or empty.</summary>
    public static List<string> Contents(JsonElement zone, string name, string type)
    {
        foreach (var set in zone.GetProperty("rrsets").EnumerateArray())
            if (set.GetProperty("name").GetString() == name && set.GetProperty("type").GetString() == type)
                return set.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("content").GetString()!).ToList();
        return [];
    }

    public static string MasterFile(string zone, string wwwAddress = "192.0.2.1") => $"""
        $ORIGIN {zone}
        $TTL 300
        @    IN SOA ns1 hostmaster 1 7200 3600 1209600 300
        @    IN NS  ns1
        ns1  IN A   192.0.2.53
        www  IN A   {wwwAddress}
        mail IN MX  10 mx.{zone}
        mx   IN A   192.0.2.25
        """;

    public static string CreateBody(string zone) => $$"""
        {"name": "{{zone}}", "kind": "Native", "nameservers": ["ns1.{{zone}}"],
         "rrsets": [{"name": "ns1.{{zone}}", "type": "A", "ttl": 300, "records": [{"content": "192.0.2.53", "disabled": false}]},
                    {"name": "www.{{zone}}", "type": "A", "ttl": 300, "records": [{"content": "192.0.2.1", "disabled": false}]}]}
        """;
}
