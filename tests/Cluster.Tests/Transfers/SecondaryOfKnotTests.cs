using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Propagation;
using AkkaDns.Cluster.Tests.Support;
using DnsClient;

namespace AkkaDns.Cluster.Tests.Transfers;

/// <summary>One AkkaDns cluster (a zones node, two edges) for the secondary tests; each test brings its own Knot and zone.</summary>
public sealed class SecondaryClusterFixture : IDisposable
{
    public LocalCluster Cluster { get; } = LocalCluster.Start(zones: 1, edges: 2);
    public void Dispose() => Cluster.Dispose();
}

/// <summary>
/// AkkaDns as a TSIG secondary of a real Knot primary (knotd on loopback): the first copy by AXFR, then a change made on
/// Knot reaches every edge (Knot's NOTIFY goes to one edge, which hands it to the refresher; the refresher takes an IXFR
/// and commits it as one change). The incident's guard holds a transfer that would delete most of the zone; wrong key,
/// a primary that refuses, and NOTIFYs from elsewhere change nothing; an expired zone is answered as its policy says.
/// </summary>
public sealed class SecondaryOfKnotTests(SecondaryClusterFixture fixture) : IClassFixture<SecondaryClusterFixture>
{
    private const string ZonesPath = "/api/v1/servers/localhost/zones";
    private LocalCluster Cluster => fixture.Cluster;

    private static string ZoneText(string zone, int records, string soaTimers = "3600 600 86400 300") =>
        $"$ORIGIN {zone}\n$TTL 300\n@ IN SOA ns1 hostmaster 1 {soaTimers}\n@ IN NS ns1\nns1 IN A 192.0.2.53\nwww IN A 192.0.2.1\n"
        + string.Concat(Enumerable.Range(0, records).Select(i => $"r{i} IN TXT \"record {i}\"\n"));

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)] + ".example.";

    private async Task<(string Name, string Secret)> CreateKey(string algorithm = "hmac-sha256")
    {
        var name = $"k{Guid.NewGuid():N}"[..12] + ".";
        var response = await Cluster.Http.PostAsync("/api/v1/servers/localhost/tsigkeys", Json(new { name, algorithm }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return (name, JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!);
    }

    private async Task<JsonElement> AddSecondary(string zone, KnotPrimary knot, string? key, string? expirePolicy = null)
    {
        var response = await Cluster.Http.PostAsync(ZonesPath, Json(new
        {
            name = zone, kind = "Slave", masters = new[] { $"127.0.0.1:{knot.Port}" },
            master_tsig_key_ids = key is null ? null : new[] { key }, expire_policy = expirePolicy,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<JsonElement> Status(string zone)
    {
        var response = await Cluster.Http.GetAsync($"{ZonesPath}/{zone}/secondary");
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.Clone() : JsonDocument.Parse("{\"last_result\":\"unavailable\",\"last_message\":" + JsonSerializer.Serialize(body) + "}").RootElement.Clone();
    }

    private async Task<string> Describe(string zone, KnotPrimary knot) =>
        $"status: {await Status(zone)}\nzones node log:\n{Cluster.Log(0, 30)}\n"
        + string.Concat(Enumerable.Range(1, Cluster.EdgeDns.Count).Select(e => $"edge {e} log:\n{Cluster.Log(Cluster.NodeOfEdge(e), 15)}\n"))
        + $"knot log:\n{knot.Log}";

    private async Task EveryEdgeAnswers(string zone, string name, string address, TimeSpan within, KnotPrimary knot)
    {
        foreach (var edge in Cluster.EdgeDns)
            await LocalCluster.Eventually(async () => await LocalCluster.QueryA(edge, name) is [var a] && a == address, within,
                () => $"edge {edge} does not answer {name} A {address} (zone {zone}); " + Describe(zone, knot).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task A_change_made_on_Knot_is_answered_by_every_edge_after_its_notify()
    {
        var zone = Unique("follow");
        var key = await CreateKey();
        // Knot's NOTIFY goes to the second edge only: any edge takes it and hands it to the refresher.
        using var knot = KnotPrimary.Start(zone, ZoneText(zone, 20), (key.Name, "hmac-sha256", key.Secret), notify: Cluster.EdgeDns[1]);
        var created = await AddSecondary(zone, knot, key.Name);
        Assert.Equal("Slave", created.GetProperty("kind").GetString());

        await EveryEdgeAnswers(zone, "www." + zone, "192.0.2.1", TimeSpan.FromSeconds(30), knot);
        var first = knot.Serial();

        // The SOA refresh is an hour: only the NOTIFY can bring this change within seconds.
        knot.Set("fresh 300 A 192.0.2.77");
        var took = await LocalCluster.Eventually(async () =>
        {
            foreach (var edge in Cluster.EdgeDns)
                if (await LocalCluster.QueryA(edge, "fresh." + zone) is not ["192.0.2.77"]) return false;
            return true;
        }, TimeSpan.FromSeconds(15), () => "the change on Knot did not reach every edge; " + Describe(zone, knot).GetAwaiter().GetResult());

        var got = JsonDocument.Parse(await Cluster.Http.GetStringAsync($"{ZonesPath}/{zone}")).RootElement;
        Assert.Equal("Slave", got.GetProperty("kind").GetString());
        Assert.Equal([$"127.0.0.1:{knot.Port}"], got.GetProperty("masters").EnumerateArray().Select(m => m.GetString() ?? "").ToArray());
        Assert.Equal(knot.Serial(), got.GetProperty("serial").GetUInt32());
        Assert.True(knot.Serial() != first);

        // Two changes in the zone's history, made by the secondary refresher; the second an IXFR (incremental).
        var history = JsonDocument.Parse(await Cluster.Http.GetStringAsync($"{ZonesPath}/{zone}/history")).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.All(history, h => Assert.StartsWith("secondary:127.0.0.1:", h.GetProperty("who").GetString()));
        var status = await Status(zone);
        Assert.Equal("committed", status.GetProperty("last_result").GetString());
        Assert.Contains("IXFR of serial", status.GetProperty("last_message").GetString());
        Assert.Equal(2, status.GetProperty("transfers").GetInt64());
        Assert.Equal(knot.Serial(), status.GetProperty("serial").GetUInt32());

        // Rolled back here (the primary pushed something bad that passed the guard): the edges serve version 1 again,
        // and the zone still follows: the primary's next serial arrives (ours moved ahead with the rollback).
        var rollback = await Cluster.Http.PostAsync($"{ZonesPath}/{zone}/rollback", Json(new { toVersion = 1 }));
        Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());
        foreach (var edge in Cluster.EdgeDns)
            await LocalCluster.Eventually(async () => await LocalCluster.QueryA(edge, "fresh." + zone) is null or [], TimeSpan.FromSeconds(10),
                () => $"edge {edge} still answers the rolled-back record");
        knot.Set("fixed 300 A 192.0.2.78");
        foreach (var edge in Cluster.EdgeDns)
            await LocalCluster.Eventually(async () => await LocalCluster.QueryA(edge, "fixed." + zone) is ["192.0.2.78"], TimeSpan.FromSeconds(15),
                () => $"edge {edge}: the primary's change after the rollback did not arrive; " + Describe(zone, knot).GetAwaiter().GetResult());

        // Its content comes only by transfer.
        var patch = await Cluster.Http.PatchAsync($"{ZonesPath}/{zone}", Json(new
        {
            rrsets = new[] { new { name = "www." + zone, type = "A", ttl = 60, changetype = "REPLACE", records = new[] { new { content = "192.0.2.9", disabled = false } } } },
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, patch.StatusCode);
        Assert.Contains("secondary", await patch.Content.ReadAsStringAsync());
        Assert.True(took < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_transfer_that_drops_most_of_the_zone_is_held_and_the_edges_keep_the_last_good_version()
    {
        var zone = Unique("held");
        using var knot = KnotPrimary.Start(zone, ZoneText(zone, 40), notify: Cluster.EdgeDns[0]);
        await AddSecondary(zone, knot, key: null);
        await EveryEdgeAnswers(zone, "www." + zone, "192.0.2.1", TimeSpan.FromSeconds(30), knot);

        // The "empty database" of the incident, at a primary we follow: only the apex and one record left.
        knot.Replace($"$ORIGIN {zone}\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\nwww IN A 192.0.2.66\n");
        await LocalCluster.Eventually(async () => (await Status(zone)).TryGetProperty("held_serial", out var h) && h.ValueKind == JsonValueKind.Number,
            TimeSpan.FromSeconds(15), () => "the mass deletion was not held; " + Describe(zone, knot).GetAwaiter().GetResult());

        foreach (var edge in Cluster.EdgeDns)
        {
            Assert.Equal(["192.0.2.1"], await LocalCluster.QueryA(edge, "www." + zone));
            var txt = await Lookup(edge).QueryAsync("r39." + zone, QueryType.TXT);
            Assert.Single(txt.Answers.TxtRecords());
        }
        var changes = await Cluster.Http.GetStringAsync("/api/v1/changes");
        Assert.Contains(zone, changes);
        Assert.Equal("held", (await Status(zone)).GetProperty("last_result").GetString());
    }

    [Fact]
    public async Task A_wrong_key_or_a_primary_that_refuses_changes_nothing_and_says_why()
    {
        var wrongKey = Unique("wrongkey");
        var ours = await CreateKey();
        var theirs = (Name: ours.Name, Secret: Convert.ToBase64String(new byte[32])); // same name, another secret
        using var knot1 = KnotPrimary.Start(wrongKey, ZoneText(wrongKey, 3), (theirs.Name, "hmac-sha256", theirs.Secret));
        await AddSecondary(wrongKey, knot1, ours.Name);

        var refusing = Unique("acl");
        using var knot2 = KnotPrimary.Start(refusing, ZoneText(refusing, 3), allowTransfer: false);
        await AddSecondary(refusing, knot2, key: null);

        await LocalCluster.Eventually(async () => (await Status(wrongKey)).GetProperty("last_result").GetString() == "failed", TimeSpan.FromSeconds(20),
            () => Describe(wrongKey, knot1).GetAwaiter().GetResult());
        await LocalCluster.Eventually(async () => (await Status(refusing)).GetProperty("last_result").GetString() == "failed", TimeSpan.FromSeconds(20),
            () => Describe(refusing, knot2).GetAwaiter().GetResult());
        var keyMessage = (await Status(wrongKey)).GetProperty("last_message").GetString()!;
        Assert.Matches("(?i)badsig|badkey|notauth|tsig", keyMessage);
        Assert.Contains($"127.0.0.1:{knot1.Port}", keyMessage);
        // Knot answers a transfer its ACL does not allow with NOTAUTH (BIND and NSD with REFUSED).
        Assert.Matches("(?i)refused|notauth", (await Status(refusing)).GetProperty("last_message").GetString()!);
        Assert.Contains("AXFR", (await Status(refusing)).GetProperty("last_message").GetString()!);

        // Nothing was created: the zones have no copy, the edges do not answer them.
        foreach (var zone in new[] { wrongKey, refusing })
        {
            var got = JsonDocument.Parse(await Cluster.Http.GetStringAsync($"{ZonesPath}/{zone}")).RootElement;
            Assert.Equal("Slave", got.GetProperty("kind").GetString());
            Assert.Equal(0u, got.GetProperty("serial").GetUInt32());
            var r = await Lookup(Cluster.EdgeDns[0]).QueryAsync("www." + zone, QueryType.A);
            Assert.Empty(r.Answers.ARecords());
        }
    }

    [Fact]
    public async Task A_notify_is_taken_only_from_a_listed_primary_with_the_required_key()
    {
        var zone = Unique("notify");
        var key = await CreateKey();
        using var knot = KnotPrimary.Start(zone, ZoneText(zone, 3), (key.Name, "hmac-sha256", key.Secret));
        await AddSecondary(zone, knot, key.Name);
        await EveryEdgeAnswers(zone, "www." + zone, "192.0.2.1", TimeSpan.FromSeconds(30), knot);
        var edge = Cluster.EdgeDns[0];
        // The edge serves the zone once its copy arrives; it checks NOTIFYs against the transfer configuration, which
        // reaches it on its own path (until then it answers NOTAUTH, and the primary's retries get through later).
        await LocalCluster.Eventually(async () => await SendNotify(edge, zone, IPAddress.Parse("127.0.0.2")) != 9, TimeSpan.FromSeconds(15),
            () => $"the edge still answers NOTAUTH to a NOTIFY for the secondary zone {zone}");

        // From another address than the primary's: REFUSED. From the primary's address but unsigned: REFUSED (key required).
        Assert.Equal(5, await SendNotify(edge, zone, IPAddress.Parse("127.0.0.2")));
        Assert.Equal(5, await SendNotify(edge, zone, IPAddress.Loopback));
        // For a zone that is not a secondary here: NOTAUTH.
        Assert.Equal(9, await SendNotify(edge, "not-ours.example.", IPAddress.Loopback));
        // Nothing was refreshed by them.
        Assert.Equal(1, (await Status(zone)).GetProperty("transfers").GetInt64());
        Assert.Contains("NOTIFY for", Cluster.Log(Cluster.NodeOfEdge(1), 80));
    }

    [Fact]
    public async Task An_expired_secondary_is_answered_servfail_under_stop_and_kept_under_serve()
    {
        var stop = Unique("expstop");
        var serve = Unique("expserve");
        // refresh 2 s, retry 1 s, expire 6 s: the primary going away expires the copies within seconds.
        var knot = KnotPrimary.Start(stop, ZoneText(stop, 2, "2 1 6 60"));
        var knot2 = KnotPrimary.Start(serve, ZoneText(serve, 2, "2 1 6 60"));
        try
        {
            await AddSecondary(stop, knot, key: null, expirePolicy: "stop");
            await AddSecondary(serve, knot2, key: null, expirePolicy: "serve");
            await EveryEdgeAnswers(stop, "www." + stop, "192.0.2.1", TimeSpan.FromSeconds(30), knot);
            await EveryEdgeAnswers(serve, "www." + serve, "192.0.2.1", TimeSpan.FromSeconds(30), knot2);
        }
        finally
        {
            knot.Dispose();
            knot2.Dispose();
        }
        foreach (var edge in Cluster.EdgeDns)
            await LocalCluster.Eventually(async () => (await Lookup(edge).QueryAsync("www." + stop, QueryType.A)).Header.ResponseCode == DnsHeaderResponseCode.ServerFailure,
                TimeSpan.FromSeconds(30), () => $"edge {edge} still answers the expired zone; status {Status(stop).GetAwaiter().GetResult()}");
        Assert.True((await Status(stop)).GetProperty("expired").GetBoolean());
        Assert.True((await Status(serve)).GetProperty("expired").GetBoolean());
        foreach (var edge in Cluster.EdgeDns) Assert.Equal(["192.0.2.1"], await LocalCluster.QueryA(edge, "www." + serve));
        // The metrics say so too (the refresher's counts, cluster-wide, from any node).
        var metrics = await Cluster.Http.GetStringAsync("/metrics");
        Assert.Matches(@"akkadns_secondary_expired_zones\{policy=""stop""\} [1-9]", metrics);
        Assert.Matches(@"akkadns_secondary_expired_zones\{policy=""serve""\} [1-9]", metrics);

        // Deleting the secondary: it stops following (its expired mark goes with it) at once, and the deletion of its
        // copy is held for confirmation like any zone deletion (the guard judges it as any other way in).
        var delete = await Cluster.Http.DeleteAsync($"{ZonesPath}/{stop}");
        Assert.True(delete.StatusCode == HttpStatusCode.Accepted, await delete.Content.ReadAsStringAsync());
        // Each node reads the kind from its replica of the metadata: Native within a moment.
        await LocalCluster.Eventually(async () => JsonDocument.Parse(await Cluster.Http.GetStringAsync($"{ZonesPath}/{stop}")).RootElement
            .GetProperty("kind").GetString() == "Native", TimeSpan.FromSeconds(5), () => "the deleted secondary still shows as Slave");
        await LocalCluster.Eventually(async () => await LocalCluster.QueryA(Cluster.EdgeDns[0], "www." + stop) is ["192.0.2.1"], TimeSpan.FromSeconds(10),
            () => "the expired mark was not cleared by the delete");
    }

    private static LookupClient Lookup(IPEndPoint edge) => new(new LookupClientOptions(new NameServer(edge))
    {
        UseCache = false, Retries = 1, Timeout = TimeSpan.FromSeconds(1), UseTcpFallback = false, ThrowDnsErrors = false,
        ContinueOnDnsError = false, ContinueOnEmptyResponse = false,
    });

    /// <summary>Sends an unsigned NOTIFY for <paramref name="zone"/> from <paramref name="from"/> and returns the RCODE.</summary>
    private static async Task<int> SendNotify(IPEndPoint edge, string zone, IPAddress from)
    {
        var message = new List<byte> { 0x4e, 0x21, 0x24, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 }; // opcode NOTIFY, AA
        foreach (var label in zone.TrimEnd('.').Split('.')) { message.Add((byte)label.Length); message.AddRange(System.Text.Encoding.ASCII.GetBytes(label)); }
        message.AddRange(new byte[] { 0, 0, 6, 0, 1 });
        using var udp = new UdpClient(new IPEndPoint(from, 0));
        await udp.SendAsync(message.ToArray(), edge);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var reply = await udp.ReceiveAsync(cts.Token);
        Assert.Equal(0x4e21, (reply.Buffer[0] << 8) | reply.Buffer[1]);
        Assert.Equal(4, (reply.Buffer[2] >> 3) & 0xF);
        return reply.Buffer[3] & 0xF;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
