using System.Net;
using System.Net.Sockets;
using AkkaDns.Cluster.Node;
using AkkaDns.Resolver.Serving;
using DnsClient;

namespace AkkaDns.Cluster.Tests.Propagation;

/// <summary>The edge's DNS front end withdrawn from serving closes its listeners and reopens them on the same address.</summary>
[Collection("propagation-cluster")] // not beside a starting cluster: the timing of a 1 s query matters here
public sealed class DnsFrontEndServingTests
{
    private static NodeSettings Settings() =>
        NodeSettingsLoader.Load(new NodeOptions { Dns = "127.0.0.1:0", Data = Path.GetTempPath() }, NodeSettingsLoader.LoadHocon(null), _ => null);

    /// <summary>True when anything answers a query on UDP at <paramref name="at"/> (REFUSED counts: the server is there).</summary>
    private static async Task<bool> Answers(IPEndPoint at)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(at))
        {
            UseCache = false, Retries = 0, Timeout = TimeSpan.FromMilliseconds(400), UseTcpFallback = false, ThrowDnsErrors = false,
        });
        try { await client.QueryAsync("www.example.", QueryType.A); return true; }
        catch (DnsResponseException) { return false; }
    }

    private static bool TcpOpen(IPEndPoint at)
    {
        using var tcp = new TcpClient();
        try { tcp.Connect(at); return true; }
        catch (SocketException) { return false; }
    }

    [Fact]
    public async Task Withdraw_closes_udp_and_tcp_and_restore_reopens_them_on_the_same_port()
    {
        await using var frontEnd = new DnsFrontEnd(Settings(), new ZoneTable());
        var at = (await frontEnd.StartAsync(CancellationToken.None))!;
        await LocalCluster.Eventually(async () => await Answers(at) && TcpOpen(at), TimeSpan.FromSeconds(5), () => "listeners not open after start");

        frontEnd.Withdraw("test drain");
        Assert.False(frontEnd.Serving);
        await LocalCluster.Eventually(async () => !await Answers(at) && !TcpOpen(at), TimeSpan.FromSeconds(5), () => "listeners still open");

        frontEnd.Restore();
        Assert.True(frontEnd.Serving);
        await LocalCluster.Eventually(async () => await Answers(at) && TcpOpen(at), TimeSpan.FromSeconds(5), () => "listeners not reopened");
    }

    [Fact]
    public async Task Drained_before_the_listeners_opened_they_close_right_after_start()
    {
        await using var frontEnd = new DnsFrontEnd(Settings(), new ZoneTable());
        frontEnd.Withdraw("drained at start");
        var at = (await frontEnd.StartAsync(CancellationToken.None))!;
        await LocalCluster.Eventually(async () => !await Answers(at), TimeSpan.FromSeconds(5), () => "a drained edge answers");
    }
}
