using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Node;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaDns.Cluster.Metrics;

internal static partial class MetricsEndpoints
{
    /// <summary>The DNSSEC watchdog: every signed zone's earliest RRSIG expiry, from the catalog's <see cref="DnssecWatch"/>
    /// (one Ask). A zone whose signatures expire goes bogus everywhere at once, so this is the number to alert on.</summary>
    private static async Task WriteDnssec(PrometheusWriter w, IServiceProvider services, NodeSettings node, CancellationToken ct)
    {
        DnssecWatchProtocol.SigningStatus? status = null;
        if (services.GetService<ActorRegistry>() is { } registry && registry.TryGet<ZoneCatalog>(out var catalog))
        {
            try
            {
                var wait = TimeSpan.FromMilliseconds(Math.Min(2000, node.AskTimeout.TotalMilliseconds));
                status = await catalog.Ask<DnssecWatchProtocol.SigningStatus>(DnssecWatchProtocol.GetSigningStatus.Instance, wait, ct);
            }
            catch (AskTimeoutException) { }
        }
        w.Family("akkadns_dnssec_watch_up", "gauge", "1 when the DNSSEC watch (in the zone catalog) answered this scrape.");
        w.Sample("akkadns_dnssec_watch_up", status is null ? 0 : 1);
        if (status is null) return;
        var now = DateTimeOffset.UtcNow;
        w.Family("akkadns_dnssec_signed_zones", "gauge", "Zones signed by this cluster.");
        w.Sample("akkadns_dnssec_signed_zones", status.Zones.Count);
        w.Family("akkadns_dnssec_expiring_zones", "gauge", "Signed zones whose earliest RRSIG expires within akkadns.dnssec.expiry-alert (alert on > 0).");
        w.Sample("akkadns_dnssec_expiring_zones", status.Zones.Count(z => z.EarliestExpiry is { } e && e - now < status.ExpiryAlert));
        w.Family("akkadns_dnssec_earliest_expiry_seconds", "gauge", "Seconds until the earliest RRSIG of the zone expires.");
        foreach (var z in status.Zones)
            if (z.EarliestExpiry is { } e)
                w.Sample("akkadns_dnssec_earliest_expiry_seconds", Math.Round((e - now).TotalSeconds), ("zone", z.ZoneId.Value));
    }
}
