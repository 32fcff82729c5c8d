using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Transfers;

/// <summary>
/// Knot, NSD and BIND each as a TSIG secondary of a real AkkaDns node: the zone's ALSO-NOTIFY points at the secondary,
/// TSIG-ALLOW-AXFR names the key. After 100 changes through the API the secondary serves the last serial (NOTIFY, then
/// IXFR), its copy equals ours record for record, and its log shows incremental transfers after the first AXFR.
/// </summary>
[Collection(SharedNodeCollection.Name)]
public sealed class SecondaryInteropTests(SharedNode shared)
{
    private const string TsigPath = "/api/v1/servers/localhost/tsigkeys";
    private readonly HttpClient _http = shared.Http;

    [Theory]
    [InlineData("knot")]
    [InlineData("nsd")]
    [InlineData("bind")]
    public async Task A_secondary_follows_100_changes_by_notify_and_ixfr(string kind)
    {
        var zone = SharedNode.UniqueZone("sec-" + kind);
        var key = await CreateKey($"xfr-{kind}-{Guid.NewGuid():N}"[..20] + ".", "hmac-sha256");
        await AssertOk(await _http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        var edge = shared.Node.Dns;

        using var secondary = SecondaryServer.Start(kind, zone, edge, key);
        await SetMetadata(zone, "TSIG-ALLOW-AXFR", key.Name);
        await SetMetadata(zone, "ALSO-NOTIFY", $"127.0.0.1:{secondary.Port}");

        // The first copy: the secondary asks at start (or on our first NOTIFY) and takes the whole zone.
        await WaitForSerial(secondary, zone, await Serial(zone), "the first transfer");

        for (int i = 0; i < 100; i++)
        {
            var patch = $$"""{"rrsets": [{"name": "r{{i % 10}}.{{zone}}", "type": "TXT", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "\"change {{i}}\"", "disabled": false}]}]}""";
            var response = await _http.PatchAsync($"{ZonesPath}/{zone}", Json(patch));
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        }
        var last = await Serial(zone);
        var took = await WaitForSerial(secondary, zone, last, "100 changes");

        var ours = await Transfer(edge, zone, key);
        var theirs = await Transfer(secondary.EndPoint, zone, null);
        Assert.True(ours.Count > 10, "our AXFR:\n" + string.Join("\n", ours));
        Assert.Equal(ours, theirs);

        var log = secondary.Log;
        Assert.True(UsedIncrementalTransfer(kind, log), $"{kind} did not use IXFR ({took.TotalSeconds:0.0} s to the last serial):\n{log}");
    }

    private static bool UsedIncrementalTransfer(string kind, string log) => kind switch
    {
        "knot" => log.Contains("IXFR, incoming", StringComparison.Ordinal) && Count(log, "AXFR, incoming") <= 2,
        "bind" => log.Contains("got incremental response", StringComparison.Ordinal) || log.Contains("IXFR", StringComparison.Ordinal),
        "nsd" => log.Contains("IXFR", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static int Count(string text, string what)
    {
        int n = 0, at = 0;
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0) { n++; at += what.Length; }
        return n;
    }

    private async Task<TestKey> CreateKey(string name, string algorithm)
    {
        var body = await AssertOk(await _http.PostAsync(TsigPath, Json($$"""{"name": "{{name}}", "algorithm": "{{algorithm}}"}""")), HttpStatusCode.Created);
        return new TestKey(name, algorithm, body.GetProperty("key").GetString()!);
    }

    private async Task SetMetadata(string zone, string kind, params string[] values)
    {
        var response = await _http.PutAsync($"{ZonesPath}/{zone}/metadata/{kind}", Json(JsonSerializer.Serialize(new { metadata = values })));
        Assert.True(response.IsSuccessStatusCode, $"PUT metadata {kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<uint> Serial(string zone) =>
        (await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"))).GetProperty("serial").GetUInt32();

    private static async Task<TimeSpan> WaitForSerial(SecondaryServer secondary, string zone, uint serial, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            Assert.False(secondary.HasExited, $"{secondary.Kind} exited:\n{secondary.Log}");
            if (await Dig.SerialAsync(secondary.EndPoint, zone) == serial) return clock.Elapsed;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{secondary.Kind} did not serve serial {serial} of {zone} after {what}:\n{secondary.Log}");
    }

    /// <summary>An AXFR with dig (signed when a key is given), as sorted lines "owner ttl class type data".</summary>
    internal static async Task<List<string>> Transfer(IPEndPoint server, string zone, TestKey? key)
    {
        var args = new List<string> { "@" + server.Address, "-p", server.Port.ToString(), zone, "AXFR", "+nocmd", "+nostats", "+nocomments", "+time=5", "+tries=1" };
        if (key is not null) args.AddRange(["-y", $"hmac-sha256:{key.Name}:{key.Secret}"]);
        var psi = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = output.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith(';'))
            .Select(l => string.Join(' ', l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)))
            .Where(l => !l.Contains(" TSIG ", StringComparison.Ordinal))
            .ToList();
        // SOA opens and closes an AXFR: compare the set of records.
        return lines.Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
