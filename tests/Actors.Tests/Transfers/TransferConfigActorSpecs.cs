using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Tests.Support;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Actors.Tests.Transfers;

/// <summary>
/// The singleton as the node wires it (AddTransferConfig, SQLite journal): a change is persisted, replied after the
/// journal, and reaches the node's <see cref="TransferConfigView"/> through DData; a second actor system on the same
/// journal (empty DData, as after a full cluster restart) recovers it and rewrites the replicated state.
/// </summary>
public sealed class TransferConfigActorSpecs : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
    private readonly SqliteTestJournal _journal = new();

    private IHost Host(TransferConfigView view)
    {
        var config = _journal.ActorSystemConfig();
        return new HostBuilder()
            .ConfigureServices(services => services.AddAkka("transfers", (akka, _) =>
            {
                akka.AddHocon(config, HoconAddMode.Prepend)
                    .AddTransferConfig(ZoneSettings.FromConfig(config), hostSingleton: true, view)
                    .AddStartup((system, _) => { var c = AkkaCluster.Get(system); c.Join(c.SelfAddress); });
            }))
            .Build();
    }

    private static async Task<object> Tell(IHost host, object command) =>
        await (await host.Services.GetRequiredService<IRequiredActor<TransferConfigActor>>().GetAsync()).Ask<object>(command, Timeout);

    private static async Task<TransferConfigSnapshot> Until(TransferConfigView view, Func<TransferConfigSnapshot, bool> seen)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!seen(view.Current))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the view did not see it within {Timeout.TotalSeconds} s: {view.Current}");
            await Task.Delay(50);
        }
        return view.Current;
    }

    [Fact]
    public async Task A_key_and_metadata_reach_the_view_and_survive_a_restart_on_the_same_journal()
    {
        var view = new TransferConfigView();
        var changes = 0;
        view.Changed += _ => Interlocked.Increment(ref changes);
        using (var host = Host(view))
        {
            await host.StartAsync();
            var added = Assert.IsType<TransferConfigReplies.Accepted>(await Tell(host, new AddTsigKey("Xfr.Example", "hmac-sha256", Secret)));
            Assert.True(added.State.Keys.ContainsKey("xfr.example."));
            Assert.IsType<TransferConfigReplies.Rejected>(await Tell(host, new AddTsigKey("xfr.example.", "hmac-sha1", null)));
            Assert.IsType<TransferConfigReplies.Accepted>(await Tell(host, new SetZoneMetadata("example.org", "ALLOW-AXFR-FROM", ["192.0.2.0/24"])));
            for (int i = 0; i < 4; i++) // past snapshot-every (3 in test.conf): recovery then starts from a snapshot
                Assert.IsType<TransferConfigReplies.Accepted>(await Tell(host, new AddZoneMetadata("example.org", "ALSO-NOTIFY", [$"192.0.2.{i + 1}"])));

            var seen = await Until(view, s => s.Values("example.org", "ALSO-NOTIFY").Count == 4);
            Assert.Equal(new TsigKeyData("xfr.example.", "hmac-sha256", Secret), seen.Key("XFR.example"));
            Assert.Equal(["192.0.2.0/24"], seen.Values("example.org.", TransferMetadata.AllowAxfrFrom));
            Assert.True(view.Loaded);
            Assert.True(changes > 0);
            await host.StopAsync();
        }

        var again = new TransferConfigView();
        using (var host = Host(again))
        {
            await host.StartAsync();
            var seen = await Until(again, s => s.Key("xfr.example.") is not null);
            Assert.Equal(Secret, seen.Key("xfr.example.")!.Secret);
            Assert.Equal(["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"], seen.Values("example.org", "ALSO-NOTIFY"));

            Assert.IsType<TransferConfigReplies.Accepted>(await Tell(host, new DeleteTsigKey("xfr.example")));
            await Until(again, s => s.Keys.Count == 0);
            var state = Assert.IsType<TransferConfigReplies.Accepted>(await Tell(host, GetTransferConfig.Instance)).State;
            Assert.Empty(state.Keys);
            await host.StopAsync();
        }
    }

    public void Dispose() => _journal.Dispose();
}
