using AkkaDns.Cluster.Tests.Api;
using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Node;

/// <summary>
/// The end-to-end story with real processes: import a zone with the CLI, dig answers; set a record, dig
/// sees it; kill the node (SIGKILL); start it again on the same journal; the zone is answered at the same version.
/// </summary>
public sealed class NodeRestartTests
{
    [Fact]
    public Task Sqlite_journal_survives_a_kill_and_restart() => Scenario([]);

    /// <summary>Needs the PostgreSQL that scripts/pg-up.sh starts (or AKKADNS_TEST_PG); fails, not skips, without it.</summary>
    [Fact]
    public async Task Postgresql_journal_survives_a_kill_and_restart()
    {
        await using var db = await PgDatabase.CreateAsync();
        await Scenario(["--journal", "postgresql", "--connection", db.ConnectionString]);
    }

    private static async Task Scenario(string[] journalArgs)
    {
        var data = TempDir.Create("akkadns-restart");
        var zone = SharedNode.UniqueZone("restart");
        try
        {
            uint serial;
            await using (var node = await NodeProcess.StartAsync(data, journalArgs))
            {
                var file = Path.Combine(data, "restart.zone");
                await File.WriteAllTextAsync(file, ApiTestHelpers.MasterFile(zone));
                var import = await AkkaDnsCli.ZoneAsync(node, "import", file);
                Assert.True(import.ExitCode == 0, import + node.Stderr);

                Assert.Equal(["192.0.2.1"], await Poll.Until(() => Dig.AnswersAsync(node.Dns, "www." + zone, "A"), a => a.Count > 0));

                var set = await AkkaDnsCli.ZoneAsync(node, "set", zone, "www", "A", "--ttl", "120", "198.51.100.42");
                Assert.True(set.ExitCode == 0, set.ToString());
                Assert.Equal(["198.51.100.42"], await Poll.Until(() => Dig.AnswersAsync(node.Dns, "www." + zone, "A"), a => a.SequenceEqual(["198.51.100.42"])));
                Assert.Equal(["198.51.100.42"], await Dig.AnswersAsync(node.Dns, "www." + zone, "A", tcp: true));
                serial = (await Dig.SerialAsync(node.Dns, zone))!.Value;

                await node.KillAsync();
            }

            await using (var again = await NodeProcess.StartAsync(data, journalArgs))
            {
                Assert.Equal(["198.51.100.42"], await Poll.Until(() => Dig.AnswersAsync(again.Dns, "www." + zone, "A"), a => a.Count > 0));
                Assert.Equal(serial, await Dig.SerialAsync(again.Dns, zone));
                Assert.Equal(["10 mx." + zone], await Dig.AnswersAsync(again.Dns, "mail." + zone, "MX"));
                var code = await again.TerminateAsync(TimeSpan.FromSeconds(30));
                Assert.True(code == 0, $"graceful stop exit code {code}\n{again.Stderr}");
            }
        }
        finally { TempDir.Delete(data); }
    }
}
