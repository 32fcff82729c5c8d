using Akka.Configuration;

namespace AkkaDns.Actors.Tests.Support;

/// <summary>Configs for propagation tests: config/propagation.conf as shipped, plus what each test needs.</summary>
internal static class PropagationTestConfig
{
    public static Config Shipped
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "config", "propagation.conf"))) dir = Path.GetDirectoryName(dir);
            if (dir is null) throw new FileNotFoundException("config/propagation.conf not found above the test folder");
            return ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(dir, "config", "propagation.conf")));
        }
    }

    public static Config Local => Shipped;

    /// <summary>A single-node cluster on a free port (STACK.md: port 0, no seeds, join self).</summary>
    public static Config Cluster(string extra = "") => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.seed-nodes = []
        akka.cluster.roles = [zones, edge]
        akka.loglevel = INFO
        {{extra}}
        """).WithFallback(Shipped);
}
