using AkkaDns.Cluster.Node;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>The split-brain resolver is configured explicitly in config/cluster.conf and that file is loaded.</summary>
public sealed class SplitBrainConfigTests
{
    [Fact]
    public void The_node_config_selects_the_split_brain_resolver_with_keep_majority_and_a_written_stable_after()
    {
        Assert.True(File.Exists(Path.Combine(NodeSettingsLoader.ConfigDir, "cluster.conf")), "config/cluster.conf is copied next to akkadns.dll");
        var hocon = NodeSettingsLoader.LoadHocon(null);
        Assert.Equal("Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster", hocon.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("keep-majority", hocon.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(20), hocon.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }

    [Fact]
    public void An_overlay_can_still_change_the_stable_after()
    {
        var overlay = Path.Combine(Path.GetTempPath(), $"akkadns-sbr-{Guid.NewGuid():N}.conf");
        File.WriteAllText(overlay, "akka.cluster.split-brain-resolver.stable-after = 7s");
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(7), NodeSettingsLoader.LoadHocon(overlay).GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        }
        finally { File.Delete(overlay); }
    }
}
