using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Tests.Support.Records;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Actors.Tests.Hosting;

/// <summary>The Akka.Hosting wiring the node uses: AddZoneSharding + AddDatacenter, actors injected as IRequiredActor.</summary>
public sealed class HostingExtensionsSpecs(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly SqliteTestJournal _journal = new();

    [Fact]
    public async Task Zone_region_catalog_and_datacenter_are_wired_and_serve_a_created_zone()
    {
        var table = new ZoneTable();
        var config = _journal.ActorSystemConfig();
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted", (akka, _) =>
            {
                akka.AddHocon(config, HoconAddMode.Prepend)
                    .AddZoneSharding(ZoneSettings.FromConfig(config))
                    .AddDatacenter(DatacenterSettings.FromConfig(config), table)
                    .AddStartup((system, _) => { var c = AkkaCluster.Get(system); c.Join(c.SelfAddress); });
            }))
            .Build();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await host.StartAsync();
        output.WriteLine($"started {sw.ElapsedMilliseconds} ms");
        try
        {
            var zones = await host.Services.GetRequiredService<IRequiredActor<ZoneActor>>().GetAsync();
            var dc = await host.Services.GetRequiredService<IRequiredActor<DatacenterActor>>().GetAsync();
            output.WriteLine($"actors {sw.ElapsedMilliseconds} ms");
            var result = await zones.Ask<ZoneCommandResult>(Create("example.com.", A("www.example.com.", "192.0.2.1")), Timeout);
            Assert.IsType<ZoneCommandResult.Accepted>(result);
            output.WriteLine($"created {sw.ElapsedMilliseconds} ms");

            var deadline = DateTime.UtcNow + Timeout;
            while (table.FindZone(N("www.example.com.")) is null && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(1, table.FindZone(N("www.example.com."))?.Version);
            output.WriteLine($"served {sw.ElapsedMilliseconds} ms");
            var status = await dc.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout);
            while (!status.Loaded && DateTime.UtcNow < deadline + Timeout)
            {
                await Task.Delay(100);
                status = await dc.Ask<EdgeZones>(GetEdgeZones.Instance, Timeout);
            }
            Assert.True(status.Loaded, "the datacenter never got the zone list from the catalog singleton");
            output.WriteLine($"loaded {sw.ElapsedMilliseconds} ms");
            Assert.Equal("dc-test", status.Datacenter.Value);
            Assert.Equal(["example.com."], status.Zones.Select(z => z.ZoneId.Value));
        }
        finally
        {
            await host.StopAsync();
            output.WriteLine($"stopped {sw.ElapsedMilliseconds} ms");
        }
    }

    public void Dispose() => _journal.Dispose();
}
