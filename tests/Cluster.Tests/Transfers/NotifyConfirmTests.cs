using System.Net;
using System.Net.Sockets;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Transfers;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaDns.Cluster.Tests.Transfers;

/// <summary>An acknowledged NOTIFY is sent once more when the secondary has not transferred the new serial from the
/// edge after notify-confirm, and not when it has (a real UDP secondary stand-in on loopback counts them).</summary>
public sealed class NotifyConfirmTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.");

    private static (EdgeTransfers Transfers, UdpClient Secondary) Start(TimeSpan confirm)
    {
        var secondary = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)secondary.Client.LocalEndPoint!).Port;
        var table = new ZoneTable();
        table.Publish(CompiledZone.Compile(ZoneLoader.LoadText("@ 3600 IN SOA ns1 hostmaster 7 3600 600 86400 300\n@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.1\n", Origin)));
        var view = new TransferConfigView();
        view.Publish(new TransferConfigSnapshot(new Dictionary<string, TsigKeyData>(),
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                [ZoneId.Parse("example.").Value] = new Dictionary<string, IReadOnlyList<string>> { [TransferMetadata.AlsoNotify] = [$"127.0.0.1:{port}"] },
            }));
        var transfers = new EdgeTransfers(new TransferSettings { NotifyConfirm = confirm }, view, IPAddress.Loopback, NullLogger<EdgeTransfers>.Instance, table);
        return (transfers, secondary);
    }

    /// <summary>Answers every NOTIFY (QR set, NOERROR) and counts them for <paramref name="window"/>.</summary>
    private static async Task<int> Count(UdpClient secondary, TimeSpan window, Action? onFirst = null)
    {
        int seen = 0;
        using var cts = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                var got = await secondary.ReceiveAsync(cts.Token);
                Assert.Equal(4, (got.Buffer[2] >> 3) & 0xF);
                var reply = got.Buffer.ToArray();
                reply[2] |= 0x80;
                await secondary.SendAsync(reply, got.RemoteEndPoint);
                if (seen++ == 0) onFirst?.Invoke();
            }
        }
        catch (OperationCanceledException) { }
        return seen;
    }

    [Fact]
    public async Task A_notify_not_acted_on_is_sent_once_more()
    {
        var (transfers, secondary) = Start(TimeSpan.FromMilliseconds(300));
        await using var _ = transfers;
        using var __ = secondary;
        transfers.Served(Origin, 7, changed: true);
        Assert.Equal(2, await Count(secondary, TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task A_notify_followed_by_a_transfer_of_the_serial_is_not_repeated()
    {
        var (transfers, secondary) = Start(TimeSpan.FromMilliseconds(300));
        await using var _ = transfers;
        using var __ = secondary;
        transfers.Served(Origin, 7, changed: true);
        // The secondary takes the serial (as the query handler records each transfer it serves).
        Assert.Equal(1, await Count(secondary, TimeSpan.FromSeconds(1.5),
            () => transfers.Served("IXFR incremental", Origin, 6, 7, IPAddress.Loopback, null)));
    }

    [Fact]
    public async Task Off_sends_one()
    {
        var (transfers, secondary) = Start(TimeSpan.Zero);
        await using var _ = transfers;
        using var __ = secondary;
        transfers.Served(Origin, 7, changed: true);
        Assert.Equal(1, await Count(secondary, TimeSpan.FromSeconds(1.5)));
    }
}
