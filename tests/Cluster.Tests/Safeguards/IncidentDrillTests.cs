using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using AkkaDns.Cluster.Tests.Propagation;
using Npgsql;
using Xunit.Abstractions;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Safeguards;

/// <summary>
/// The incident, replayed end to end against real processes (issue 5, item 6): 1 zones node + 3 edges on a PostgreSQL
/// journal, 100 zones. The journal tables are dropped (the "deleted database"): every edge keeps answering every zone
/// and writes fail with a clear error. The zones node is restarted (auto-initialize recreates the tables) and the
/// backup imported: every edge answers the restored data. A mass deletion is held; co.nz is refused; a corrective
/// 100k-record update reaches every edge completely and no edge is drained.
/// </summary>
[Collection("propagation-cluster")]
public sealed class IncidentDrillTests(ITestOutputHelper output)
{
    private const int ZoneCount = 100;
    private const int BigRecords = 100_000;
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    private static string Zone(int i) => $"z{i:D3}.drill.example.";

    /// <summary>Version 1 (what the backup holds): www 10.1.i.1, mail 10.2.i.1, hosts h0..h5 (10 RRsets besides the SOA).</summary>
    private static string MasterFile(int i, IEnumerable<string>? extra = null)
    {
        var text = new StringBuilder($"""
            $ORIGIN {Zone(i)}
            $TTL 300
            @    IN SOA ns1 hostmaster 1 7200 3600 1209600 300
            @    IN NS  ns1
            ns1  IN A   192.0.2.53
            www  IN A   10.1.{i}.1
            mail IN A   10.2.{i}.1

            """);
        for (int k = 0; k < 6; k++) text.Append($"h{k} IN A 10.3.{i}.{k}\n");
        foreach (var line in extra ?? []) text.Append(line).Append('\n');
        return text.ToString();
    }

    private static string Backup(int i) => $"10.1.{i}.1";
    private static string AfterBackup(int i) => $"10.9.{i}.9";

    [Fact]
    public async Task The_incident_drill_deleted_journal_restore_from_backup_held_mass_deletion_public_suffix_and_a_100k_update()
    {
        var total = Stopwatch.StartNew();
        // resync-interval 5 s: the edges keep asking the zone actors during the outage (they would in 30 s anyway).
        // ask-timeout 60 s: a 100k-record replace takes the zone actor longer than 5 s in a Debug build on 2 cores.
        // max-lag 30 s: three edges compiling 100k records on 2 shared cores are slow, not lagging (as HealthyClusterFixture).
        using var cluster = LocalCluster.Start(zones: 1, edges: 3,
            configOverlay: "akkadns.node.ask-timeout = 60s\nakkadns.datacenter.resync-interval = 5s",
            env: new Dictionary<string, string> { ["AKKADNS_PROPAGATION_MAX_LAG"] = "30s" });
        var env = File.ReadAllLines(Path.Combine(cluster.Dir, "cluster.env")).Where(l => l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('"'));
        var backupDir = Path.Combine(cluster.Dir, "backup");
        Step(total, "cluster up");

        // ---- 100 zones through the API, answered by every edge
        await ForAll(ZoneCount, i => cluster.CreateZone(Zone(i), MasterFile(i)));
        await EdgesAnswer(cluster, "created", i => Backup(i));
        Step(total, "100 zones created and answered by 3 edges");

        var export = await Cli(cluster, "backup", "export", backupDir);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains($"exported {ZoneCount} zones", export.Stdout);

        // Changes after the backup: what the edges serve when the database goes, and what the restore must undo.
        await ForAll(ZoneCount, i => cluster.SetA(Zone(i), "www." + Zone(i), AfterBackup(i)));
        await EdgesAnswer(cluster, "changed after the backup", AfterBackup);
        Step(total, "backup taken, zones changed");

        // ---- the deleted database
        var dropped = await DropAllTables(env["CONNECTION"]);
        Assert.Contains("journal", dropped);
        Assert.Contains("snapshot", dropped);
        output.WriteLine($"dropped tables: {string.Join(", ", dropped)}");

        // A write fails with an error that says why, well before the API's wait runs out, and is not applied.
        var write = Stopwatch.StartNew();
        using (var failed = await cluster.Http.PatchAsync($"{ZonesPath}/{Zone(0)}", SetWww(Zone(0), "10.66.66.66")))
        {
            var body = await failed.Content.ReadAsStringAsync();
            output.WriteLine($"write during the outage: {(int)failed.StatusCode} after {write.Elapsed.TotalSeconds:0.0} s: {body}");
            Assert.True(failed.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)failed.StatusCode}: {body}");
            Assert.Contains("journal", body, StringComparison.OrdinalIgnoreCase);
            Assert.True(write.Elapsed < TimeSpan.FromSeconds(30), $"the failed write took {write.Elapsed.TotalSeconds:0.0} s");
        }
        using (var failed = await cluster.Http.PostAsync(ZonesPath, Json(JsonSerializer.Serialize(new { name = "late.drill.example.", kind = "Native", zone = MasterFile(999).Replace(Zone(999), "late.drill.example.") }))))
            Assert.True(failed.StatusCode == HttpStatusCode.ServiceUnavailable, $"create during the outage: {(int)failed.StatusCode} {await failed.Content.ReadAsStringAsync()}");

        // Every edge keeps answering every zone, across several resyncs (each edge asks every zone every 5 s).
        var outage = Stopwatch.StartNew();
        var sweeps = 0;
        do { await EdgesAnswer(cluster, "journal dropped", AfterBackup, TimeSpan.FromSeconds(5), quiet: true); sweeps++; }
        while (outage.Elapsed < TimeSpan.FromSeconds(12));
        Step(total, $"journal dropped: edges answer ({sweeps} sweeps of 3 × 200 names over {outage.Elapsed.TotalSeconds:0} s), writes refused");

        // ---- recreate: restart the zones node; the SQL plugin's auto-initialize creates the tables again
        StopGracefully(cluster, 1);
        await EdgesAnswer(cluster, "zones node down", AfterBackup, TimeSpan.FromSeconds(5));
        cluster.Restart(1);
        await LocalCluster.Eventually(async () => (await Tables(env["CONNECTION"])).Contains("journal"), TimeSpan.FromSeconds(60),
            () => "the restarted zones node did not create the journal tables again; log:\n" + cluster.Log(1));
        Step(total, "zones node restarted on an empty journal");
        await EdgesAnswer(cluster, "empty journal", AfterBackup, TimeSpan.FromSeconds(5));

        var import = await Cli(cluster, "backup", "import", backupDir);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains($"{ZoneCount} created", import.Stdout);
        await EdgesAnswer(cluster, "restored from the backup", Backup);
        Step(total, "backup imported, every edge answers the restored data");

        // ---- a mass deletion through the API is held; nothing changes at the edges
        var deletion = await AssertOk(await cluster.Http.DeleteAsync($"{ZonesPath}/{Zone(0)}"), HttpStatusCode.Accepted);
        Assert.Equal("held", deletion.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(deletion.GetProperty("id").GetString()));
        var massDelete = Json($$"""{"rrsets": [{{string.Join(",", Enumerable.Range(0, 6).Select(k => $$"""{"name": "h{{k}}.{{Zone(1)}}", "type": "A", "changetype": "DELETE"}"""))}}]}""");
        var held = await AssertOk(await cluster.Http.PatchAsync($"{ZonesPath}/{Zone(1)}", massDelete), HttpStatusCode.Accepted);
        Assert.Equal("held", held.GetProperty("status").GetString());
        // A small change after the held ones: once the edges answer it, they have seen everything before it.
        await cluster.SetA(Zone(0), "mail." + Zone(0), "10.7.0.7");
        await cluster.SetA(Zone(1), "mail." + Zone(1), "10.7.1.7");
        foreach (var edge in cluster.EdgeDns)
        {
            await LocalCluster.Eventually(async () =>
            {
                var r = await UdpProbe.QueryA(edge, ["mail." + Zone(0), "mail." + Zone(1)]);
                return r.GetValueOrDefault("mail." + Zone(0))?.ToString() == "[10.7.0.7]" && r.GetValueOrDefault("mail." + Zone(1))?.ToString() == "[10.7.1.7]";
            }, Converge, () => $"edge {edge} does not answer the change made after the held ones");
            var names = new[] { "www." + Zone(0) }.Concat(Enumerable.Range(0, 6).Select(k => $"h{k}.{Zone(1)}")).ToList();
            var answers = await UdpProbe.QueryA(edge, names);
            Assert.Equal($"[{Backup(0)}]", answers.GetValueOrDefault(names[0])?.ToString());
            for (int k = 0; k < 6; k++) Assert.Equal($"[10.3.1.{k}]", answers.GetValueOrDefault(names[k + 1])?.ToString());
        }
        Step(total, "mass deletion held, edges unchanged");

        // ---- a zone for a public suffix is refused, with the list's rule in the error
        var refused = await AssertError(await cluster.Http.PostAsync(ZonesPath, Json("""{"name": "co.nz.", "kind": "Native", "nameservers": ["ns1.example.net."]}""")),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("co.nz", refused);
        Assert.Contains("public suffix", refused);

        // ---- a corrective 100k-record update: every edge answers all of it, none is drained
        var big = Zone(ZoneCount - 1);
        var hosts = Enumerable.Range(0, BigRecords).Select(k => $"fix{k} IN A 10.{100 + (k >> 16)}.{(k >> 8) & 255}.{k & 255}");
        using (var put = await cluster.Http.PutAsync($"{ZonesPath}/{big}/zonefile", new StringContent(MasterFile(ZoneCount - 1, hosts), Encoding.UTF8, "text/plain")))
            Assert.True(put.IsSuccessStatusCode, $"the corrective update: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        var fixNames = Enumerable.Range(0, BigRecords).Select(k => $"fix{k}.{big}").ToList();
        foreach (var edge in cluster.EdgeDns)
        {
            // The zone is swapped in whole: the last record answered means all of it is there; then every record is checked.
            await LocalCluster.Eventually(async () => (await UdpProbe.QueryA(edge, [fixNames[^1]], attempts: 1)).GetValueOrDefault(fixNames[^1])?.Addresses.Count == 1,
                Converge, () => $"edge {edge} never answers the corrective update");
            var answers = await UdpProbe.QueryA(edge, fixNames, attempts: 6);
            var wrong = Enumerable.Range(0, BigRecords)
                .Where(k => answers.GetValueOrDefault(fixNames[k])?.ToString() != $"[10.{100 + (k >> 16)}.{(k >> 8) & 255}.{k & 255}]").ToList();
            Assert.True(wrong.Count == 0, $"edge {edge}: {wrong.Count} of {BigRecords} records wrong or unanswered, e.g. " +
                string.Join("; ", wrong.Take(5).Select(k => $"{fixNames[k]} → {answers.GetValueOrDefault(fixNames[k])?.ToString() ?? "no answer"}")));
        }
        var status = await Cli(cluster, "dc", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("3 of 3 datacenters serving", status.Stdout);
        Assert.All((await cluster.Datacenters()).GetProperty("datacenters").EnumerateArray(), d => Assert.Equal("serving", d.GetProperty("state").GetString()));
        Step(total, "100k-record update answered completely by every edge, none drained");
    }

    private void Step(Stopwatch total, string what) => output.WriteLine($"[{total.Elapsed.TotalSeconds,6:0.0} s] {what}");

    private static StringContent SetWww(string zone, string address) => Json(JsonSerializer.Serialize(new
    {
        rrsets = new[] { new { name = "www." + zone, type = "A", ttl = 300, changetype = "REPLACE", records = new[] { new { content = address, disabled = false } } } },
    }));

    private static Task<AkkaDnsCli.Result> Cli(LocalCluster cluster, params string[] args) =>
        AkkaDnsCli.RunAsync([.. args, "--node", cluster.Api.ToString(), "--api-key", cluster.ApiKey], timeout: TimeSpan.FromSeconds(120));

    private static async Task ForAll(int count, Func<int, Task> action) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await action(i));

    /// <summary>Polls until every edge answers www (<paramref name="www"/>) and mail (version 1) of every zone, or fails
    /// naming what is wrong where.</summary>
    private async Task EdgesAnswer(LocalCluster cluster, string phase, Func<int, string> www, TimeSpan? within = null, bool quiet = false)
    {
        var names = Enumerable.Range(0, ZoneCount).SelectMany(i => new[] { "www." + Zone(i), "mail." + Zone(i) }).ToList();
        string Expected(int n) => n % 2 == 0 ? $"[{www(n / 2)}]" : $"[10.2.{n / 2}.1]";
        var problems = new List<string>();
        var sw = Stopwatch.StartNew();
        await LocalCluster.Eventually(async () =>
        {
            problems.Clear();
            for (int e = 0; e < cluster.EdgeDns.Count; e++)
            {
                var answers = await UdpProbe.QueryA(cluster.EdgeDns[e], names);
                for (int n = 0; n < names.Count; n++)
                {
                    var got = answers.GetValueOrDefault(names[n])?.ToString() ?? "no answer";
                    if (got != Expected(n)) problems.Add($"dc-{e + 1} {names[n]}: {got}, expected {Expected(n)}");
                }
            }
            return problems.Count == 0;
        }, within ?? Converge, () => $"{phase}: {problems.Count} wrong answers, e.g. {string.Join("; ", problems.Take(6))}\n" +
                                      string.Join("\n", Enumerable.Range(1, cluster.EdgeDns.Count + 1).Select(k => $"--- node{k}.log\n{cluster.Log(k, 15)}")));
        if (!quiet) output.WriteLine($"  {phase}: 3 edges × {names.Count} names correct after {sw.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The "deleted database": every table of the cluster's own database is dropped.</summary>
    private static async Task<List<string>> DropAllTables(string connection)
    {
        var tables = await Tables(connection);
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var drop = db.CreateCommand();
        drop.CommandText = $"DROP TABLE {string.Join(", ", tables.Select(t => $"public.\"{t}\""))} CASCADE";
        await drop.ExecuteNonQueryAsync();
        Assert.Empty(await Tables(connection));
        return tables;
    }

    private static async Task<List<string>> Tables(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var list = db.CreateCommand();
        list.CommandText = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename";
        var tables = new List<string>();
        await using var reader = await list.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables;
    }

    /// <summary>SIGTERM (the node leaves the cluster, so it can join again at once on the same address), bounded wait.</summary>
    private static void StopGracefully(LocalCluster cluster, int node)
    {
        var pid = cluster.Pid(node);
        using (var kill = Process.Start("kill", ["-TERM", pid.ToString()])) kill.WaitForExit(5_000);
        try
        {
            using var process = Process.GetProcessById(pid);
            if (!process.WaitForExit(30_000)) cluster.Kill(node);
        }
        catch (ArgumentException) { } // already gone
    }
}
