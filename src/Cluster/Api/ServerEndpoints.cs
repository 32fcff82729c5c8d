using System.Diagnostics;
using System.Text.RegularExpressions;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Metrics;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// The server-level routes of PowerDNS's API: <c>GET /api</c> (the versions spoken: lego reads it and falls back to
/// pre-v1 paths without it), <c>/api/v1/servers[/localhost]</c>, <c>…/config</c>, <c>…/statistics</c> and
/// <c>…/search-data?q=</c>.
/// </summary>
internal static class ServerEndpoints
{
    public const string ServerPath = "/api/v1/servers/localhost";

    /// <summary>The PowerDNS Authoritative release whose API we follow. Clients parse <c>version</c> as
    /// major.minor.patch and switch behaviour on it, so it must name a PowerDNS level, not our own version.</summary>
    public const string PowerDnsApiLevel = "4.9.0";

    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api", () => ApiResults.Json(new[] { new ApiVersionJson("/api/v1", 1) }));
        app.MapGet("/api/v1", () => ApiResults.Json(new { server_url = "/api/v1/servers{/server}", api_features = Array.Empty<string>() }));
        app.MapGet("/api/v1/servers", () => ApiResults.Json(new[] { Server() }));
        app.MapGet(ServerPath, () => ApiResults.Json(Server()));
        app.MapGet(ServerPath + "/config", Config);
        app.MapGet(ServerPath + "/statistics", Statistics);
        app.MapGet(ServerPath + "/search-data", Search);
        return app;
    }

    internal static ServerJson Server() => new("Server", "localhost", "authoritative", PowerDnsApiLevel, ServerPath,
        ServerPath + "/config{/config_setting}", ZoneJsonMapper.ZonesPath + "{/zone}",
        typeof(ServerEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private static IResult Config(NodeSettings node) => ApiResults.Json(new List<SettingJson>
    {
        new("api", "ConfigSetting", "yes"),
        new("local-address", "ConfigSetting", node.Dns.ToString()),
        new("webserver-address", "ConfigSetting", node.Api.ToString()),
        new("datacenter", "ConfigSetting", node.Datacenter.Value),
        new("roles", "ConfigSetting", string.Join(",", node.Roles)),
        new("journal", "ConfigSetting", node.Journal.ToString().ToLowerInvariant()),
        // Never the API key, the connection string or a TSIG secret.
    });

    private static async Task<IResult> Statistics(IZoneService zones, IServiceProvider services, CancellationToken ct)
    {
        var items = new List<SettingJson>
        {
            new("uptime", "StatisticItem", ((long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds).ToString()),
        };
        var list = await zones.ListAsync(ct);
        if (list.IsOk) items.Add(new("zones", "StatisticItem", list.Value.Count.ToString()));
        if (services.GetService(typeof(DnsMetrics)) is DnsMetrics metrics)
        {
            var (byRcode, dropped) = metrics.Totals();
            items.Add(new("queries", "StatisticItem", byRcode.Sum(r => r.Count).ToString()));
            foreach (var (rcode, count) in byRcode.Where(r => r.Count > 0))
                items.Add(new("queries-" + rcode.ToLowerInvariant(), "StatisticItem", count.ToString()));
            items.Add(new("dropped-packets", "StatisticItem", dropped.ToString()));
        }
        return ApiResults.Json(items);
    }

    /// <summary>PowerDNS's search: <c>q</c> with '*' (any run) and '?' (one character), case-insensitive, against zone
    /// names, record names and contents, and comments; <c>max</c> hits (100); <c>object_type</c> all|zone|record|comment.</summary>
    private static async Task<IResult> Search(string? q, int? max, string? object_type, IZoneService zones, TransferConfigView view,
        Akka.Hosting.IRequiredActor<TransferConfigActor> config, NodeSettings node, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q)) return ApiResults.Unprocessable("search-data: 'q' is required (a name or content; '*' and '?' are wildcards)");
        if (max is <= 0) return ApiResults.Unprocessable($"search-data: 'max' must be positive, got {max}");
        var type = (object_type ?? "all").ToLowerInvariant();
        if (type is not ("all" or "zone" or "record" or "comment"))
            return ApiResults.Unprocessable($"search-data: object_type '{object_type}' is not all, zone, record or comment");
        int limit = max ?? 100;
        var pattern = new Regex("^" + Regex.Escape(q.Trim()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        bool Match(string s) => pattern.IsMatch(s) || pattern.IsMatch(s.TrimEnd('.'));

        var list = await zones.ListAsync(ct);
        if (!list.IsOk) return ApiResults.From(list.Error);
        var meta = type is "all" or "comment" ? await ZoneApiMetadata.ReadAllAsync(config, view, node, ct) : (_, _) => [];
        var hits = new List<SearchResultJson>();
        foreach (var summary in list.Value.OrderBy(z => z.Name.ToString(), StringComparer.Ordinal))
        {
            if (hits.Count >= limit) break;
            var id = summary.Name.ToString();
            if (type is "all" or "zone" && Match(id)) hits.Add(new() { ObjectType = "zone", Name = id, ZoneId = id });
            if (type is "all" or "record")
            {
                var zone = await zones.GetAsync(summary.Name, ct);
                if (!zone.IsOk) continue;
                foreach (var r in zone.Value.Records)
                {
                    if (hits.Count >= limit) break;
                    var content = RData.Format(r.Type, r.RData);
                    if (Match(r.Owner.ToString()) || Match(content))
                        hits.Add(new() { ObjectType = "record", Name = r.Owner.ToString(), ZoneId = id, Zone = id, Type = RecordTypes.ToText(r.Type), Content = content, Ttl = r.Ttl, Disabled = false });
                }
            }
            if (type is "all" or "comment")
                foreach (var (owner, rtype, comments) in ZoneComments.Read(meta(id, ZoneComments.Kind)))
                    foreach (var c in comments.Where(c => Match(c.Content ?? "")))
                        if (hits.Count < limit) hits.Add(new() { ObjectType = "comment", Name = owner, ZoneId = id, Zone = id, Type = rtype, Content = c.Content });
        }
        return ApiResults.Json(hits.Take(limit).ToList());
    }
}
