using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace AkkaDns.Cluster.Tests.Deployment;

/// <summary>
/// Docker is not available on these machines, so the image and the compose file cannot be run here. What can be
/// checked is that they agree with the project: the compose file parses and describes the cluster, every setting it
/// passes is one the node reads, and the Dockerfile's paths and entry point match the projects.
/// </summary>
public sealed class DeploymentFileTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaDns.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (AkkaDns.sln) not found above " + AppContext.BaseDirectory);
    }

    private static Dictionary<string, Dictionary<object, object>> Services()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var parser = new MergingParser(new Parser(new StringReader(text)));
        var doc = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(parser);
        var services = (Dictionary<object, object>)doc["services"];
        return services.ToDictionary(kv => (string)kv.Key, kv => (Dictionary<object, object>)kv.Value);
    }

    private static Dictionary<string, string> Env(Dictionary<object, object> service) =>
        ((Dictionary<object, object>)service["environment"]).ToDictionary(kv => (string)kv.Key, kv => kv.Value?.ToString() ?? "");

    [Fact]
    public void Compose_describes_postgres_two_zones_nodes_and_three_edges()
    {
        var services = Services();
        Assert.Equal(["edge1", "edge2", "edge3", "postgres", "zones1", "zones2"], services.Keys.Order().ToArray());
        foreach (var z in new[] { "zones1", "zones2" }) Assert.Equal("zones", Env(services[z])["AKKADNS_ROLES"]);
        var datacenters = new[] { "edge1", "edge2", "edge3" }.Select(e =>
        {
            var env = Env(services[e]);
            Assert.Equal("edge", env["AKKADNS_ROLES"]);
            Assert.Equal(e, env["AKKADNS_HOSTNAME"]);
            return env["AKKADNS_DATACENTER"];
        }).ToList();
        Assert.Equal(3, datacenters.Distinct().Count());
    }

    [Fact]
    public void Every_node_uses_the_postgres_journal_and_seeds_that_are_compose_services()
    {
        var services = Services();
        foreach (var (name, svc) in services.Where(s => s.Key != "postgres"))
        {
            var env = Env(svc);
            Assert.Equal("postgresql", env["AKKADNS_JOURNAL"]);
            Assert.Contains("Host=postgres", env["AKKADNS_CONNECTION"]);
            foreach (Match m in Regex.Matches(env["AKKADNS_SEEDS"], @"akka\.tcp://akkadns@([a-z0-9]+):(\d+)"))
                Assert.True(services.ContainsKey(m.Groups[1].Value), $"{name}: seed host {m.Groups[1].Value} is not a service");
            Assert.Equal(2, Regex.Matches(env["AKKADNS_SEEDS"], "akka.tcp://").Count);
        }
    }

    [Fact]
    public void Every_setting_the_deployment_passes_is_read_by_the_node()
    {
        var loader = File.ReadAllText(Path.Combine(Root, "src/Cluster/Node/NodeSettingsLoader.cs"));
        var names = Services().Values.Where(s => s.ContainsKey("environment")).SelectMany(s => Env(s).Keys)
            .Concat(Regex.Matches(File.ReadAllText(Path.Combine(Root, "Dockerfile")), @"AKKADNS_[A-Z_]+").Select(m => m.Value))
            .Where(n => n.StartsWith("AKKADNS_", StringComparison.Ordinal)).Distinct();
        foreach (var name in names)
            Assert.True(loader.Contains($"\"{name}\"", StringComparison.Ordinal), $"{name} is set by the deployment but NodeSettingsLoader never reads it");
    }

    [Fact]
    public void Dockerfile_stages_paths_and_entry_point_match_the_projects()
    {
        var docker = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        Assert.Matches(@"FROM \S+ AS build", docker);
        Assert.Matches(@"FROM \S+ AS runtime", docker);
        foreach (Match m in Regex.Matches(docker, @"^COPY (?!--from)(.+) (\S+)$", RegexOptions.Multiline))
            foreach (var source in m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"Dockerfile copies {source}, which does not exist");
        var publish = Regex.Match(docker, @"dotnet publish (\S+\.csproj)");
        Assert.True(publish.Success && File.Exists(Path.Combine(Root, publish.Groups[1].Value)), "publish target project missing");
        var assembly = Regex.Match(File.ReadAllText(Path.Combine(Root, publish.Groups[1].Value)), "<AssemblyName>(.+)</AssemblyName>").Groups[1].Value;
        Assert.Contains($"\"/app/{assembly}.dll\"", docker);
        Assert.Matches(@"(?m)^USER (?!root)\w+", docker);
    }
}
