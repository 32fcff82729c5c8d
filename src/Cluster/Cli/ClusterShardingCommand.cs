using System.CommandLine;

namespace AkkaDns.Cluster.Cli;

/// <summary><c>akkadns cluster-sharding regions | region-stats -r NAME</c> (Petabridge.Cmd's sharding verbs).</summary>
internal static class ClusterShardingCommand
{
    private static readonly Option<string> Region = new("--region", "-r") { Description = "Shard region (type name)", DefaultValueFactory = _ => "zone" };

    public static Command Create()
    {
        var sharding = new Command("cluster-sharding", "Cluster sharding: the regions and, per node, their shards and entities");

        var regions = new Command("regions", "Shard regions started on the node behind --node");
        regions.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync($"{ClusterCommand.Root}/sharding/regions", ct);
            if (ClusterCommand.Json(parse, output, raw)) return;
            foreach (var r in ClusterCommand.Parse<Api.RegionsJson>(raw).Regions) output.WriteLine(r);
        }));
        sharding.Subcommands.Add(regions);

        var stats = new Command("region-stats", "Per node: shards and entities of a region (asks every node's region)") { Region };
        stats.SetAction((parse, ct) => CliVerb.Run(parse, async (client, output) =>
        {
            var raw = await client.GetRawAsync($"{ClusterCommand.Root}/sharding/region-stats?region={Uri.EscapeDataString(parse.GetValue(Region)!)}", ct);
            if (ClusterCommand.Json(parse, output, raw)) return;
            var s = ClusterCommand.Parse<Api.RegionStatsJson>(raw);
            var table = new TableWriter("NODE", "SHARDS", "ENTITIES");
            foreach (var n in s.Nodes) table.Add(n.Address, n.Shards, n.Entities);
            table.WriteTo(output);
            output.WriteLine($"Region {s.Region}: {s.Shards} shards, {s.Entities} entities on {s.Nodes.Count} nodes");
            if (s.Failed.Count > 0) output.WriteLine($"Shards that did not answer: {string.Join(", ", s.Failed)}");
        }));
        sharding.Subcommands.Add(stats);
        return sharding;
    }
}
