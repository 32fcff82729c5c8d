using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// "ready" on an edge node means every zone the cluster holds is in this node's serving cache at (at least) its
/// current version, so that a client that starts querying on "ready" never sees a zone missing after a restart.
/// </summary>
internal static class ServingReadiness
{
    public static async Task WaitAsync(IZoneService zones, ZoneTable table, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        string missing = "";
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            var list = await zones.ListAsync(ct);
            if (list.IsOk)
            {
                var lagging = list.Value.Where(z => table.FindZone(z.Name) is not { } c || !c.Origin.Equals(z.Name) || c.Version < z.Version).ToList();
                if (lagging.Count == 0) return;
                missing = $"{lagging.Count} zone(s) not yet served, e.g. {lagging[0].Name} v{lagging[0].Version}";
            }
            else missing = list.Error.Message;
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"serving cache not loaded after {timeout.TotalSeconds:0} s: {missing}");
    }
}
