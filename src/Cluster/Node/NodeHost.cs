using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Persistence.Sql;
using Akka.Remote.Hosting;
using AkkaDns.Actors.Storage;
using AkkaDns.Cluster.Api;
using AkkaDns.Cluster.Safeguards;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// One AkkaDns node: the actor system (cluster, sharding, persistence) wired with Akka.Hosting, the admin API on
/// Kestrel, and on edge nodes the DNS front end answering from the datacenter's <see cref="ZoneTable"/>.
/// </summary>
internal sealed class NodeHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NodeSettings _settings;

    private NodeHost(WebApplication app, NodeSettings settings) { _app = app; _settings = settings; }

    public IServiceProvider Services => _app.Services;

    public static NodeHost Build(NodeSettings settings, Akka.Configuration.Config hocon, TextWriter? log = null)
    {
        Directory.CreateDirectory(settings.DataDir);
        // Before the actor system starts: SQLite folder + WAL mode, PostgreSQL schema (the actors' storage rules).
        PersistenceConfig.Prepare(settings.JournalSettings);
        var apiKey = ResolveApiKey(settings, out var keyNote);

        var builder = WebApplication.CreateSlimBuilder();
        // stdout carries the machine-readable listener lines; every log line goes to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(settings.Api);
            k.Limits.MaxRequestBodySize = Api.ZoneEndpoints.MaxBodyBytes; // 413 beyond it, Content-Length or chunked
        });

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new ZoneTable());
        // TSIG keys and zone transfer metadata as replicated to this node (read by transfer and TSIG code).
        builder.Services.AddSingleton(new AkkaDns.Actors.Transfers.TransferConfigView());
        builder.Services.AddSingleton<AkkaDns.Cluster.Metrics.DnsMetrics>();
        builder.Services.AddAkka(NodeSettings.SystemName, (akka, sp) => ConfigureAkka(akka, sp, settings, hocon));
        builder.Services.AddSingleton<IZoneService, ActorZoneService>();
        builder.Services.AddSingleton<Safeguards.RestoreService>();
        builder.Services.AddSingleton<Safeguards.ChangeService>();
        if (settings.HasRole(NodeRoles.Edge))
        {
            // Zone transfers, TSIG and NOTIFY on this edge's DNS address (akkadns.transfer; keys and ACLs are cluster data).
            builder.Services.AddSingleton(sp => new Transfers.EdgeTransfers(Transfers.TransferSettings.FromConfig(hocon),
                sp.GetRequiredService<AkkaDns.Actors.Transfers.TransferConfigView>(), settings.Dns.Address,
                sp.GetRequiredService<ILogger<Transfers.EdgeTransfers>>(), sp.GetRequiredService<ZoneTable>()));
            // Moved by the edge fence (akkadns.propagation.fence), read by the DNS loops at answer time.
            builder.Services.AddSingleton(new AkkaDns.Resolver.FrontEnd.ServingLease());
            builder.Services.AddSingleton<DnsFrontEnd>();
        }

        var app = builder.Build();
        app.UseJsonErrors(app.Logger);
        app.UseApiKey(apiKey);
        app.UseSafeguardContext();
        app.MapServerApi();
        app.MapZoneApi();
        app.MapDnssecApi();
        app.MapTsigKeyApi();
        app.MapMetadataApi();
        app.MapSecondaryZoneApi();
        app.MapDatacenterApi();
        app.MapSafeguardApi();
        app.MapClusterApi();
        app.MapHealth();
        OperatorConsole.ConsoleEndpoints.MapConsole(app);
        AkkaDns.Cluster.Metrics.MetricsEndpoints.MapMetrics(app);
        if (keyNote is not null) app.Logger.LogInformation("{Note}", keyNote);
        return new NodeHost(app, settings);
    }

    private static void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider sp, NodeSettings settings, Akka.Configuration.Config hocon)
    {
        // Later AddHocon(Prepend) wins: journal connection over the config files, the SQL plugin's defaults last.
        akka.ConfigureLoggers(l => { l.ClearLoggers(); l.AddLoggerFactory(); })
            .AddHocon(hocon, HoconAddMode.Prepend)
            .AddHocon(PersistenceConfig.Overlay(settings.JournalSettings), HoconAddMode.Prepend)
            .AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append)
            .WithRemoting(settings.Hostname, settings.Port)
            .WithClustering(new ClusterOptions
            {
                Roles = [.. settings.Roles],
                SeedNodes = settings.Seeds.Count > 0 ? [.. settings.Seeds] : null,
            });
        NodeWiring.AddZonesAndDatacenter(akka, sp, settings, hocon);
        if (settings.Seeds.Count == 0)
        {
            // No seeds: a cluster of one. Joining our own address makes this node the first member.
            akka.AddStartup((system, _) => { var c = AkkaCluster.Get(system); c.Join(c.SelfAddress); });
        }
    }

    /// <summary>Starts everything and returns once the node answers: cluster Up, zones loaded, listeners bound.</summary>
    public async Task<NodeEndpoints> StartAsync(CancellationToken ct)
    {
        await _app.StartAsync(ct);
        var system = _app.Services.GetRequiredService<ActorSystem>();
        await WaitForMemberUp(system, _settings.StartupTimeout, ct);

        System.Net.IPEndPoint? dns = null;
        if (_app.Services.GetService<DnsFrontEnd>() is { } frontEnd)
        {
            await ServingReadiness.WaitAsync(_app.Services.GetRequiredService<IZoneService>(), _app.Services.GetRequiredService<ZoneTable>(),
                _settings.StartupTimeout, ct);
            dns = await frontEnd.StartAsync(ct);
        }

        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new NodeEndpoints(dns, new Uri(addresses.First()), AkkaCluster.Get(system).SelfAddress.ToString());
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    public async Task StopAsync()
    {
        if (_app.Services.GetService<DnsFrontEnd>() is { } frontEnd) await frontEnd.DisposeAsync();
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task WaitForMemberUp(ActorSystem system, TimeSpan timeout, CancellationToken ct)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        AkkaCluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        var done = await Task.WhenAny(up.Task, Task.Delay(timeout, ct));
        if (done != up.Task) throw new TimeoutException($"cluster member not Up after {timeout.TotalSeconds:0} s (seeds reachable?)");
    }

    private static string ResolveApiKey(NodeSettings settings, out string? note)
    {
        note = null;
        if (settings.ApiKey is { } configured) return configured;
        var key = ApiKeyFile.ReadOrCreate(settings.DataDir, out var created);
        var path = ApiKeyFile.PathIn(settings.DataDir);
        note = created ? $"generated an admin API key in {path} (mode 600)" : $"admin API key read from {path}";
        return key;
    }
}

/// <summary>Where a started node listens (actual ports when 0 was asked).</summary>
internal sealed record NodeEndpoints(System.Net.IPEndPoint? Dns, Uri Api, string ClusterAddress);
