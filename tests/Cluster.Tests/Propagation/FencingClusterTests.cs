using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AkkaDns.Cluster.Tests.Audit;

namespace AkkaDns.Cluster.Tests.Propagation;

/// <summary>
/// Self-fencing with real processes: an edge frozen (SIGSTOP, a "choked" datacenter) past the drain threshold while
/// a change is made must not answer a single query from its old data once it wakes, not even the queries that
/// queued in its socket while it slept; it answers again once re-admitted, with the new data.
/// </summary>
[Collection("propagation-cluster")]
public sealed class FencingClusterTests
{
    private static readonly Dictionary<string, string> Supervisor = new()
    {
        ["AKKADNS_PROPAGATION_MAX_LAG"] = "3s",
        ["AKKADNS_PROPAGATION_HOLD_DOWN"] = "2s",
        ["AKKADNS_PROPAGATION_FLOOR_COUNT"] = "1",
        ["AKKADNS_PROPAGATION_FLOOR_SHARE"] = "0.3",
    };

    [Fact]
    public async Task A_frozen_edge_wakes_fenced_answers_nothing_old_and_serves_the_new_data_once_re_admitted()
    {
        using var cluster = LocalCluster.Start(zones: 1, edges: 3, env: Supervisor);
        const string zone = "frozen.example.";
        await cluster.CreateZone(zone, Zones.MasterFile(zone));
        foreach (var edge in cluster.EdgeDns)
            await LocalCluster.Eventually(async () => await LocalCluster.QueryA(edge, "www." + zone) is ["192.0.2.1"],
                TimeSpan.FromSeconds(20), () => $"edge {edge} does not answer the created zone");

        var frozen = cluster.EdgeDns[2];
        using var reader = new UdpReader(frozen, "www." + zone);
        cluster.Signal(cluster.NodeOfEdge(3), "STOP");
        try
        {
            await cluster.SetA(zone, "www." + zone, "198.51.100.9");
            var changed = Stopwatch.StartNew();
            await LocalCluster.Eventually(async () => await cluster.StateOf("dc-3") == "drained", TimeSpan.FromSeconds(15),
                () => "dc-3 not drained while frozen");
            reader.Start(); // queries now queue in the frozen edge's socket, as real clients' would
            while (changed.Elapsed < TimeSpan.FromSeconds(6)) await Task.Delay(100); // frozen for 2 x max-lag
        }
        finally { cluster.Signal(cluster.NodeOfEdge(3), "CONT"); }

        // Re-admitted after catching up and the hold-down, it answers the new address.
        await LocalCluster.Eventually(() => Task.FromResult(reader.Answers.Contains("198.51.100.9")), TimeSpan.FromSeconds(30),
            () => $"the woken edge never answered the new data; it answered [{string.Join(", ", reader.Answers)}]; log:\n" + cluster.Log(cluster.NodeOfEdge(3)));
        reader.Stop();
        Assert.True(reader.Sent > 50, $"only {reader.Sent} queries were sent");
        Assert.DoesNotContain("192.0.2.1", reader.Answers); // not one answer from before the change
        Assert.Contains("FENCED", cluster.Log(cluster.NodeOfEdge(3), lines: 400));
    }

    /// <summary>Sends an A query every 20 ms from one socket and records every A address answered, whenever it comes.</summary>
    private sealed class UdpReader : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly byte[] _query;
        private readonly CancellationTokenSource _stop = new();
        private Task _send = Task.CompletedTask, _receive = Task.CompletedTask;
        public ConcurrentBag<string> Answers { get; } = [];
        public int Sent;

        public UdpReader(IPEndPoint edge, string name)
        {
            _socket.Connect(edge);
            _query = AuditDns.Query(0x1234, name, qtype: 1);
        }

        public void Start()
        {
            _receive = Task.Run(async () =>
            {
                var buf = new byte[4096];
                while (!_stop.IsCancellationRequested)
                {
                    int n;
                    try { n = await _socket.ReceiveAsync(buf, SocketFlags.None, _stop.Token); }
                    catch (OperationCanceledException) { break; }
                    catch (SocketException) { continue; } // port unreachable while the listeners are closed
                    foreach (var a in AuditDns.Parse(buf.AsSpan(0, n), AuditQuery.ConstantA, 0)?.Addresses ?? []) Answers.Add(a);
                }
            });
            _send = Task.Run(async () =>
            {
                for (int i = 0; i < 5000 && !_stop.IsCancellationRequested; i++)
                {
                    try { _socket.Send(_query); Interlocked.Increment(ref Sent); } catch (SocketException) { }
                    try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { break; }
                }
            });
        }

        public void Stop()
        {
            _stop.Cancel();
            try { Task.WaitAll([_send, _receive], 5000); } catch (AggregateException) { }
        }

        public void Dispose() { Stop(); _socket.Dispose(); }
    }
}
