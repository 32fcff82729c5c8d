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

        await SetMetadata(zone, "TSIG-ALLOW-AXFR", key.Name);
        // The key and the ACL are cluster data: the edge has them once a signed AXFR succeeds (bounded wait).
        var first = await Poll.Until(() => Transfer(edge, zone, key), records => records.Count > 0, TimeSpan.FromSeconds(20));
        Assert.True(first.Count > 0, "the edge did not give a signed AXFR within 20 s");
        Assert.Empty(await Transfer(edge, zone, null)); // unsigned: refused

        using var secondary = SecondaryServer.Start(kind, zone, edge, key);
        await SetMetadata(zone, "ALSO-NOTIFY", $"127.0.0.1:{secondary.Port}");

        // The first copy: the secondary asks at start (or on our first NOTIFY) and takes the whole zone.
        await WaitForSerial(secondary, zone, await Serial(zone), "the first transfer");

        // Four rounds of 25 changes, each followed until the secondary serves it: at least four transfers after the first.
        for (int i = 0; i < 100; i++)
        {
            if (i > 0 && i % 25 == 0) await WaitForSerial(secondary, zone, await Serial(zone), $"{i} changes");
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

        // What the edge served, from its log (one line per transfer): incremental after the first copy.
        var served = shared.Node.Stderr.Split('\n').Where(l => l.Contains("transfer ", StringComparison.Ordinal) && l.Contains($" of {zone} ", StringComparison.Ordinal)).ToList();
        int incremental = served.Count(l => l.Contains("IXFR incremental", StringComparison.Ordinal));
        int full = served.Count(l => l.Contains("transfer AXFR", StringComparison.Ordinal) || l.Contains("IXFR full", StringComparison.Ordinal));
        var report = $"{kind}: {incremental} incremental, {full} full transfers ({took.TotalSeconds:0.0} s to the last serial)\n"
            + string.Join("\n", served) + "\n" + secondary.Log;
        Assert.True(incremental >= 4, report);
        // The first copy and the test's own signed AXFRs from the edge: 3. NSD also restarts with an AXFR when its
        // serving process reloads slower than its transfer daemon commits ("soa serial N update failed, restarting
        // transfer"), about once per round of quick changes: its own behaviour, allowed for here.
        Assert.True(full <= (kind == "nsd" ? 8 : 3), report);
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

    private Task<TimeSpan> WaitForSerial(SecondaryServer secondary, string zone, uint serial, string what) =>
        WaitForSerial(secondary, zone, serial, what, () => string.Join("\n", shared.Node.Stderr.Split('\n')
            .Where(l => l.Contains(zone, StringComparison.Ordinal) || l.Contains("NOTIFY", StringComparison.Ordinal)).TakeLast(60)));

    private static async Task<TimeSpan> WaitForSerial(SecondaryServer secondary, string zone, uint serial, string what, Func<string> nodeLog)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            Assert.False(secondary.HasExited, $"{secondary.Kind} exited:\n{secondary.Log}");
            if (await Dig.SerialAsync(secondary.EndPoint, zone) == serial) return clock.Elapsed;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{secondary.Kind} did not serve serial {serial} of {zone} after {what}:\n{secondary.Log}\nthe node:\n{nodeLog()}");
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
