using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using AkkaDns.Actors.Metrics;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Secondaries;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Cluster.Metrics;

/// <summary>
/// <c>GET /metrics</c> in Prometheus text format, outside /api so scrapers need no key (it exposes counts, never
/// zone data). DNS counters are this node's; datacenter lag and drains come from the DeliverySupervisor
/// (a short Ask: when it does not answer, <c>akkadns_supervisor_up</c> is 0 and those families are empty).
/// </summary>
internal static partial class MetricsEndpoints
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Render);
        return app;
    }

    private static async Task<IResult> Render(ActorSystem system, NodeSettings node, IServiceProvider services, CancellationToken ct)
    {
        var w = new PrometheusWriter();
        services.GetRequiredService<DnsMetrics>().WriteTo(w);
        WriteCluster(w, AkkaCluster.Get(system));
        await WriteDelivery(w, services, node, ct);
        await WriteSafeguards(w, services, node, ct);
        await WriteSecondaries(w, services, node, ct);
        await WriteDnssec(w, services, node, ct);
        Histogram(w, "akkadns_journal_write_seconds", "Zone journal writes on this node: persist call to the last event's confirmation.", ActorMetrics.JournalWrite);
        Histogram(w, "akkadns_propagation_seconds", "Zone change commit to served by this edge (versions applied as deltas or catch-up ranges).", ActorMetrics.Propagation);
        w.Family("akkadns_uptime_seconds", "gauge", "Seconds since this node's actor system started.");
        w.Sample("akkadns_uptime_seconds", Math.Round(system.Uptime.TotalSeconds, 3));
        return Results.Text(w.ToString(), PrometheusWriter.ContentType);
    }

    private static void Histogram(PrometheusWriter w, string name, string help, LatencyHistogram histogram)
    {
        var (counts, sum) = histogram.Snapshot();
        w.Family(name, "histogram", help);
        w.Histogram(name, histogram.Bounds, counts, sum);
    }

    private static void WriteCluster(PrometheusWriter w, AkkaCluster cluster)
    {
        var state = cluster.State;
        w.Family("akkadns_cluster_members", "gauge", "Cluster members as this node sees them, by status.");
        foreach (var group in state.Members.GroupBy(m => m.Status).OrderBy(g => g.Key))
            w.Sample("akkadns_cluster_members", group.Count(), ("status", group.Key.ToString()));
        w.Family("akkadns_cluster_unreachable_members", "gauge", "Members this node's failure detector marks unreachable.");
        w.Sample("akkadns_cluster_unreachable_members", state.Unreachable.Count);
        w.Family("akkadns_cluster_self_up", "gauge", "1 when this node is an Up member of the cluster.");
        w.Sample("akkadns_cluster_self_up", cluster.SelfMember.Status == MemberStatus.Up ? 1 : 0);
    }

    private static async Task WriteDelivery(PrometheusWriter w, IServiceProvider services, NodeSettings node, CancellationToken ct)
    {
        DeliveryStatusReport? report = null;
        if (services.GetService<ActorRegistry>() is { } registry && registry.TryGet<DeliverySupervisor>(out var supervisor))
        {
            try
            {
                // A scrape must not hang on a missing singleton: at most 2 s, then report it as down.
                var wait = TimeSpan.FromMilliseconds(Math.Min(2000, node.AskTimeout.TotalMilliseconds));
                report = await supervisor.Ask<DeliveryStatusReport>(GetDeliveryStatus.Instance, wait, ct);
            }
            catch (AskTimeoutException) { }
        }
        w.Family("akkadns_supervisor_up", "gauge", "1 when the DeliverySupervisor answered this scrape.");
        w.Sample("akkadns_supervisor_up", report is null ? 0 : 1);

        w.Family("akkadns_datacenter_versions_behind", "gauge", "Zone versions a datacenter has not acknowledged yet (summed over zones).");
        foreach (var d in report?.Datacenters ?? []) w.Sample("akkadns_datacenter_versions_behind", d.VersionsBehind, ("datacenter", d.Name.Value));
        w.Family("akkadns_datacenter_zones_behind", "gauge", "Zones whose latest version a datacenter has not acknowledged.");
        foreach (var d in report?.Datacenters ?? []) w.Sample("akkadns_datacenter_zones_behind", d.ZonesBehind, ("datacenter", d.Name.Value));
        w.Family("akkadns_datacenter_seconds_behind", "gauge", "Age of the oldest change a datacenter has not acknowledged.");
        foreach (var d in report?.Datacenters ?? []) w.Sample("akkadns_datacenter_seconds_behind", d.SecondsBehind, ("datacenter", d.Name.Value));
        w.Family("akkadns_datacenter_serving", "gauge", "1 when the datacenter is in the serving set, 0 when drained.");
        foreach (var d in report?.Datacenters ?? []) w.Sample("akkadns_datacenter_serving", d.Serving ? 1 : 0, ("datacenter", d.Name.Value));
        w.Family("akkadns_datacenters_drained", "gauge", "Datacenters currently drained (out of the serving set).");
        if (report is not null) w.Sample("akkadns_datacenters_drained", report.Datacenters.Count(d => !d.Serving));
    }

    /// <summary>Secondary zones, from the refresher singleton (cluster-wide): how many follow a primary, and how many are
    /// failing, held or expired (by expire policy). No answer: <c>akkadns_secondary_refresher_up</c> 0 and no samples.</summary>
    private static async Task WriteSecondaries(PrometheusWriter w, IServiceProvider services, NodeSettings node, CancellationToken ct)
    {
        IReadOnlyList<SecondaryZoneStatus>? zones = null;
        if (services.GetService<ActorRegistry>() is { } registry && registry.TryGet<SecondaryRefresher>(out var refresher))
        {
            try
            {
                var wait = TimeSpan.FromMilliseconds(Math.Min(2000, node.AskTimeout.TotalMilliseconds));
                zones = (await refresher.Ask<SecondaryProtocol.SecondaryStatusList>(new SecondaryProtocol.GetSecondaryStatus(null), wait, ct)).Zones;
            }
            catch (AskTimeoutException) { }
        }
        w.Family("akkadns_secondary_refresher_up", "gauge", "1 when the secondary-zone refresher answered this scrape.");
        w.Sample("akkadns_secondary_refresher_up", zones is null ? 0 : 1);
        if (zones is null) return;
        w.Family("akkadns_secondary_zones", "gauge", "Zones this cluster follows from another primary, by state of their last refresh.");
        foreach (var state in new[] { SecondaryResult.None, SecondaryResult.UpToDate, SecondaryResult.Committed, SecondaryResult.Held, SecondaryResult.Failed })
            w.Sample("akkadns_secondary_zones", zones.Count(z => z.LastResult == state), ("last_result", state.ToString().ToLowerInvariant()));
        w.Family("akkadns_secondary_expired_zones", "gauge", "Secondary zones past their SOA expire without contact with a primary, by expire policy (stop: answered SERVFAIL; serve: still answered).");
        foreach (var policy in new[] { ExpirePolicy.Stop, ExpirePolicy.Serve })
            w.Sample("akkadns_secondary_expired_zones", zones.Count(z => z.Expired && z.Config.Policy == policy), ("policy", SecondaryZoneConfig.ToText(policy)));
        w.Family("akkadns_secondary_transfers_committed", "gauge", "Transfers committed since the refresher started, summed over secondary zones.");
        w.Sample("akkadns_secondary_transfers_committed", zones.Sum(z => z.Transfers));
    }

    /// <summary>Held changes and the fleet window, from the fleet guard (one Ask to the catalog singleton, which keeps
    /// the cluster-wide count as zones report it). No answer: <c>akkadns_fleet_guard_up</c> 0 and no held-changes
    /// sample at all, never a made-up 0 that would tell a dashboard nothing is waiting.</summary>
    private static async Task WriteSafeguards(PrometheusWriter w, IServiceProvider services, NodeSettings node, CancellationToken ct)
    {
        FleetGuardProtocol.FleetGuardStatus? status = null;
        if (services.GetService<ActorRegistry>() is { } registry && registry.TryGet<ZoneCatalog>(out var catalog))
        {
            try
            {
                var wait = TimeSpan.FromMilliseconds(Math.Min(2000, node.AskTimeout.TotalMilliseconds));
                status = await catalog.Ask<FleetGuardProtocol.FleetGuardStatus>(FleetGuardProtocol.GetFleetGuardStatus.Instance, wait, ct);
            }
            catch (AskTimeoutException) { }
        }
        w.Family("akkadns_fleet_guard_up", "gauge", "1 when the fleet guard (held changes, fleet window) answered this scrape.");
        w.Sample("akkadns_fleet_guard_up", status is null ? 0 : 1);
        w.Family("akkadns_pending_held_changes", "gauge", "Changes held by the blast-radius guard and waiting for confirmation (not expired), cluster-wide: zone changes and fleet restores.");
        if (status is not null)
        {
            w.Sample("akkadns_pending_held_changes", status.HeldZoneChanges, ("kind", "zone"));
            w.Sample("akkadns_pending_held_changes", status.HeldRestores, ("kind", "restore"));
        }
        w.Family("akkadns_fleet_window_zone_changes", "gauge", "Zone deletions and whole-zone replacements counted in the fleet window, cluster-wide.");
        if (status is not null) w.Sample("akkadns_fleet_window_zone_changes", status.WindowChanges);
        w.Family("akkadns_fleet_window_limit", "gauge", "The fleet window's limit (fleet-max-zone-changes; 0 = off): past it, deletions and replacements are held.");
        if (status is not null) w.Sample("akkadns_fleet_window_limit", status.WindowLimit);
    }
}
