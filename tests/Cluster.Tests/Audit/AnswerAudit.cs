using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Propagation;

namespace AkkaDns.Cluster.Tests.Audit;

/// <summary>How one audit run is shaped: the short form runs in CI, the long form from bench/audit.sh.</summary>
public sealed record AuditOptions
{
    public required string Case { get; init; }
    public required double MaxLagSeconds { get; init; }
    public double ChangesPerSecond { get; init; } = 10;
    /// <summary>The writer runs at least this long, and on until the fault has healed and a few changes more went in.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(12);
    /// <summary>The API node (1-based) the writer sends its changes to.</summary>
    public int WriterNode { get; init; } = 1;
    /// <summary>The edge (1-based) the fault strikes, for the fence and re-admit figures; null when none.</summary>
    public int? FaultedEdge { get; init; }
    public TimeSpan ConvergeTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public double StaleLimit => MaxLagSeconds + 1;

    /// <summary>Short (CI) or long (AKKADNS_AUDIT_LONG=1: 600 changes in 25 s, as the operator tried).</summary>
    public static bool Long => Environment.GetEnvironmentVariable("AKKADNS_AUDIT_LONG") == "1";
}

/// <summary>The audit's time line, in seconds since it started; the fault marks when it struck and when it healed.</summary>
public sealed class AuditClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    public double Now => _watch.Elapsed.TotalSeconds;
    public double? FaultAt { get; set; }
    public double? HealAt { get; set; }
    public void Fault() => FaultAt = Now;
    public void Heal() => HealAt = Now;
    /// <summary>Time zero: when the readers and the writer start (the zone exists on every edge).</summary>
    public void Restart() => _watch.Restart();
}

/// <summary>
/// The answer audit (issue 15): readers query every edge continuously over UDP while a writer makes sequential
/// changes whose answers prove their version and a fault strikes; every answer is checked (<see cref="AuditChecker"/>).
/// At the end the zone is read back (no acknowledged change lost) and every edge must converge to its last version.
/// </summary>
public sealed class AnswerAudit
{
    private readonly LocalCluster _cluster;
    private readonly AuditOptions _options;
    private readonly AuditLedger _ledger = new();
    private readonly AuditClock _clock = new();
    private readonly List<EdgeTally> _tallies;
    private volatile bool _stop;

    public AnswerAudit(LocalCluster cluster, AuditOptions options)
    {
        _cluster = cluster; _options = options;
        _tallies = [.. cluster.EdgeDns.Select((e, i) => new EdgeTally { Edge = $"dc-{i + 1} ({e})" })];
    }

    public static string MasterFile => $"""
        $ORIGIN {AuditChecker.Zone}
        $TTL 300
        @    IN SOA ns1 hostmaster 1 7200 3600 1209600 300
        @    IN NS  ns1
        ns1  IN A   192.0.2.53
        k    IN A   {AuditChecker.ConstantAddress}
        x    IN CNAME t0
        t0   IN TXT "0"
        """;

    /// <summary>Creates the zone, waits until every edge answers version 0, then runs writer, readers and fault.</summary>
    public async Task<AuditReport> Run(Func<AuditClock, Task> fault)
    {
        await _cluster.CreateZone(AuditChecker.Zone, MasterFile, via: _options.WriterNode);
        foreach (var edge in _cluster.EdgeDns)
            await LocalCluster.Eventually(async () => await VersionAt(edge) == 0, TimeSpan.FromSeconds(60),
                () => $"edge {edge} does not answer the audit zone");

        _clock.Restart();
        var readers = _cluster.EdgeDns.Select((e, i) => StartReader(e, _tallies[i])).ToList();
        var faultTask = Task.Run(() => fault(_clock));
        var writes = await Write(faultTask);
        await faultTask; // surfaces the fault's own failure

        var (finalVersion, lost) = await ReadBack();
        var converged = await Converge(finalVersion);
        _stop = true;
        foreach (var r in readers) r.Join(TimeSpan.FromSeconds(5));
        return new AuditReport(_options, _clock, _ledger, _tallies, writes, finalVersion, lost, converged);
    }

    private Thread StartReader(IPEndPoint edge, EdgeTally tally)
    {
        var thread = new Thread(() => Read(edge, tally)) { IsBackground = true, Name = "audit-reader " + tally.Edge };
        thread.Start();
        return thread;
    }

    /// <summary>One query at a time from one socket; a reply to an earlier query that comes late is checked too.</summary>
    private void Read(IPEndPoint edge, EdgeTally tally)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 250 };
        socket.Connect(edge);
        var outstanding = new Dictionary<ushort, AuditQuery>();
        var buffer = new byte[4096];
        ushort id = (ushort)Random.Shared.Next(1, 60000);
        for (int i = 0; !_stop && i < 1_000_000; i++)
        {
            id++;
            var kind = i % 4 == 3 ? AuditQuery.ConstantA : AuditQuery.VersionedTxt;
            if (outstanding.Count > 2000) outstanding.Clear();
            outstanding[id] = kind;
            lock (tally) tally.Queries++;
            try { socket.Send(AuditDns.Query(id, kind)); }
            catch (SocketException) { lock (tally) tally.Unanswered++; Thread.Sleep(20); continue; }
            var answered = false;
            var deadline = Environment.TickCount64 + 250;
            while (!answered && Environment.TickCount64 < deadline)
            {
                int n;
                try { n = socket.Receive(buffer); }
                catch (SocketException) { break; } // timed out, or port unreachable while the listeners are closed
                var replyId = AuditDns.IdOf(buffer.AsSpan(0, n));
                if (!outstanding.Remove(replyId, out var asked)) continue;
                var answer = AuditDns.Parse(buffer.AsSpan(0, n), asked, _clock.Now);
                lock (tally)
                {
                    if (answer is null) { tally.Wrong++; tally.Note($"{_clock.Now:0.000}s a reply that is not a DNS message ({n} bytes)"); }
                    else AuditChecker.Check(answer, _ledger, tally, _options.StaleLimit);
                }
                answered = replyId == id;
            }
            if (!answered) { lock (tally) tally.Unanswered++; Thread.Sleep(20); }
            else Thread.Sleep(10);
        }
    }

    private async Task<(int Accepted, int Rejected, int Uncertain)> Write(Task fault)
    {
        using var http = new HttpClient { BaseAddress = _cluster.NodeApis[_options.WriterNode - 1], Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-API-Key", _cluster.ApiKey);
        var interval = 1.0 / _options.ChangesPerSecond;
        var limit = _options.Duration.TotalSeconds + 300;
        var next = _clock.Now;
        for (int n = 1; _clock.Now < limit; n++)
        {
            // Paced; after a slow request (an outage) it goes on at the same pace rather than in a burst.
            next = Math.Max(next + interval, _clock.Now);
            if (next > _clock.Now) await Task.Delay(TimeSpan.FromSeconds(next - _clock.Now));
            var healedLongEnough = fault.IsCompleted && (_clock.HealAt is not { } heal || AcceptedSince(heal) >= 3);
            if (_clock.Now >= _options.Duration.TotalSeconds && healedLongEnough) break;
            _ledger.Issued(n);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/servers/localhost/zones/{AuditChecker.Zone}") { Content = Change(n) };
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode) _ledger.Accepted(n, _clock.Now);
                else if ((int)response.StatusCode is >= 400 and < 500) _ledger.Rejected(n);
                else
                {
                    var body = await response.Content.ReadAsStringAsync();
                    _ledger.Uncertain(n, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 100)]}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { _ledger.Uncertain(n, e.GetType().Name); }
        }
        return (_ledger.AcceptedCount, _ledger.RejectedCount, _ledger.UncertainCount);
    }

    private int AcceptedSince(double at) => _ledger.AcceptedVersions.Count(v => _ledger.AcceptedAt(v) > at);

    private static StringContent Change(int n) => new(JsonSerializer.Serialize(new
    {
        rrsets = new object[]
        {
            new { name = "x." + AuditChecker.Zone, type = "CNAME", ttl = 300, changetype = "REPLACE", records = new[] { new { content = $"t{n}.{AuditChecker.Zone}", disabled = false } } },
            new { name = $"t{n}.{AuditChecker.Zone}", type = "TXT", ttl = 300, changetype = "REPLACE", records = new[] { new { content = $"\"{n}\"", disabled = false } } },
        },
    }), Encoding.UTF8, "application/json");

    /// <summary>The zone as the API holds it at the end: its version (x's CNAME) and the accepted versions it lacks.</summary>
    private async Task<(int Version, IReadOnlyList<int> Lost)> ReadBack()
    {
        JsonElement? zone = null;
        await LocalCluster.Eventually(async () => (zone = await _cluster.GetZone(AuditChecker.Zone, via: _options.WriterNode)) is not null,
            TimeSpan.FromSeconds(90), () => "the audit zone cannot be read back through the API");
        var rrsets = zone!.Value.GetProperty("rrsets").EnumerateArray().ToList();
        var txtOwners = rrsets.Where(r => r.GetProperty("type").GetString() == "TXT").Select(r => r.GetProperty("name").GetString()!.ToLowerInvariant()).ToHashSet();
        var cname = rrsets.Single(r => r.GetProperty("name").GetString()!.Equals("x." + AuditChecker.Zone, StringComparison.OrdinalIgnoreCase) && r.GetProperty("type").GetString() == "CNAME");
        var target = cname.GetProperty("records")[0].GetProperty("content").GetString()!;
        var version = int.Parse(target[1..target.IndexOf('.')], CultureInfo.InvariantCulture);
        var lost = _ledger.AcceptedVersions.Where(v => !txtOwners.Contains($"t{v}.{AuditChecker.Zone}")).ToList();
        return (version, lost);
    }

    /// <summary>Waits (bounded) until every edge has answered <paramref name="version"/>; the edges that did not.</summary>
    private async Task<IReadOnlyList<string>> Converge(int version)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < _options.ConvergeTimeout)
        {
            var behind = _tallies.Where(t => { lock (t) return t.MaxVersion < version; }).Select(t => t.Edge).ToList();
            if (behind.Count == 0) return [];
            await Task.Delay(200);
        }
        return _tallies.Where(t => { lock (t) return t.MaxVersion < version; }).Select(t => $"{t.Edge} at version {t.MaxVersion}").ToList();
    }

    private static async Task<int?> VersionAt(IPEndPoint edge)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(edge);
        await socket.SendAsync(AuditDns.Query(7, AuditQuery.VersionedTxt));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(1000);
        try
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return AuditDns.Parse(buffer.AsSpan(0, n), AuditQuery.VersionedTxt, 0) is { Rcode: 0, CnameVersion: { } v } ? v : null;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException) { return null; }
    }
}
