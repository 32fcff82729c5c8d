using AkkaDns.Cluster.Node;

namespace AkkaDns.Cluster.Tests.Node;

public sealed class NodeSettingsTests
{
    private static readonly Akka.Configuration.Config Hocon = NodeSettingsLoader.LoadHocon(null);

    private static NodeSettings Load(NodeOptions options, Dictionary<string, string>? env = null) =>
        NodeSettingsLoader.Load(options, Hocon, name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void Defaults_are_a_single_node_with_both_roles_on_loopback_and_sqlite_under_data()
    {
        var s = Load(new NodeOptions());
        Assert.Equal("127.0.0.1:5300", s.Dns.ToString());
        Assert.Equal("127.0.0.1:5380", s.Api.ToString());
        Assert.Equal(JournalKind.Sqlite, s.Journal);
        Assert.Equal(Path.GetFullPath("./data"), s.DataDir);
        Assert.Equal($"Data Source={Path.Combine(Path.GetFullPath("./data"), "akkadns.db")}", s.ConnectionString);
        Assert.Equal(["zones", "edge"], s.Roles);
        Assert.Empty(s.Seeds);
        Assert.Null(s.ApiKey);
    }

    [Fact]
    public void Environment_overrides_config_and_options_override_environment()
    {
        var env = new Dictionary<string, string>
        {
            ["AKKADNS_DNS"] = "127.0.0.1:1053", ["AKKADNS_API"] = "127.0.0.1:1080", ["AKKADNS_ROLES"] = "edge",
            ["AKKADNS_DATACENTER"] = "dc-env", ["AKKADNS_SEEDS"] = "akka.tcp://akkadns@10.0.0.1:4053,akka.tcp://akkadns@10.0.0.2:4053",
            ["AKKADNS_API_KEY"] = "k1",
        };
        var fromEnv = Load(new NodeOptions(), env);
        Assert.Equal(1053, fromEnv.Dns.Port);
        Assert.Equal(["edge"], fromEnv.Roles);
        Assert.Equal("dc-env", fromEnv.Datacenter.Value);
        Assert.Equal(2, fromEnv.Seeds.Count);
        Assert.Equal("k1", fromEnv.ApiKey);

        var fromOptions = Load(new NodeOptions { Dns = "127.0.0.1:2053", Roles = "zones,edge", Datacenter = "dc-opt", Port = 0 }, env);
        Assert.Equal(2053, fromOptions.Dns.Port);
        Assert.Equal(1080, fromOptions.Api.Port);
        Assert.Equal(["zones", "edge"], fromOptions.Roles);
        Assert.Equal("dc-opt", fromOptions.Datacenter.Value);
        Assert.Equal(0, fromOptions.Port);
    }

    [Fact]
    public void A_config_overlay_file_overrides_node_conf()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "akkadns.node { api = \"127.0.0.1:9999\", datacenter = dc-file }");
            var s = NodeSettingsLoader.Load(new NodeOptions(), NodeSettingsLoader.LoadHocon(file), _ => null);
            Assert.Equal(9999, s.Api.Port);
            Assert.Equal("dc-file", s.Datacenter.Value);
            Assert.Equal(5300, s.Dns.Port);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("journal", "mysql", "journal")]
    [InlineData("dns", "nonsense", "dns")]
    [InlineData("roles", "zones,cache", "unknown role 'cache'")]
    [InlineData("seed", "10.0.0.1:4053", "akka.tcp://")]
    [InlineData("pg-without-connection", "postgresql", "connection string")]
    [InlineData("datacenter", "fra 1", "datacenter: datacenter name 'fra 1' has whitespace")]
    public void Bad_values_fail_at_start_naming_the_setting(string what, string value, string expected)
    {
        var options = what switch
        {
            "journal" or "pg-without-connection" => new NodeOptions { Journal = value },
            "dns" => new NodeOptions { Dns = value },
            "roles" => new NodeOptions { Roles = value },
            "datacenter" => new NodeOptions { Datacenter = value },
            _ => new NodeOptions { Seeds = [value] },
        };
        var e = Assert.Throws<SettingsException>(() => Load(options));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Postgresql_journal_uses_the_given_connection_and_the_postgres_provider()
    {
        var s = Load(new NodeOptions { Journal = "postgresql", Connection = "Host=127.0.0.1;Database=x" });
        Assert.Equal(JournalKind.PostgreSql, s.Journal);
        Assert.Equal("PostgreSQL.15", s.ProviderName);
        Assert.Equal("Host=127.0.0.1;Database=x", s.ConnectionString);
    }

    [Fact]
    public void The_multi_node_overlay_reads_as_a_postgresql_node_with_seeds()
    {
        var hocon = NodeSettingsLoader.LoadHocon(Path.Combine(NodeSettingsLoader.ConfigDir, "multi-node.conf"));
        var s = NodeSettingsLoader.Load(new NodeOptions { Connection = "Host=db;Database=akkadns" }, hocon, _ => null);
        Assert.Equal(JournalKind.PostgreSql, s.Journal);
        Assert.Equal(["akka.tcp://akkadns@127.0.0.1:4053"], s.Seeds);
    }
}
