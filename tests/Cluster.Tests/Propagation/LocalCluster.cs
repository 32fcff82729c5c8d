using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DnsClient;

namespace AkkaDns.Cluster.Tests.Propagation;

/// <summary>
/// A cluster of real <c>akkadns run</c> processes started by scripts/cluster-up.sh (PostgreSQL journal, its own
/// database) and stopped by scripts/cluster-down.sh. The akkadns.dll next to the tests is the one started.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    public string Dir { get; }
    public Uri Api { get; }
    public string ApiKey { get; }
    public IReadOnlyList<Uri> NodeApis { get; }
    public IReadOnlyList<IPEndPoint> EdgeDns { get; }
    /// <summary>Each node's Akka address (akka.tcp://akkadns@127.0.0.1:PORT), same order as <see cref="NodeApis"/>.</summary>
    public IReadOnlyList<string> NodeAddresses { get; }
    public int Zones { get; }
    public HttpClient Http { get; }

    private LocalCluster(string dir, Dictionary<string, string> env, int zones)
    {
        Dir = dir; Zones = zones;
        Api = new Uri(env["API"]);
        ApiKey = env["API_KEY"];
        NodeApis = env["NODE_APIS"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u)).ToList();
        EdgeDns = env["EDGE_DNS"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(IPEndPoint.Parse).ToList();
        NodeAddresses = env.GetValueOrDefault("NODE_ADDRESSES", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Http = new HttpClient { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "scripts", "cluster-up.sh"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new FileNotFoundException("scripts/cluster-up.sh not found above " + AppContext.BaseDirectory);
        }
    }

    /// <param name="faults">edge number (1-based) → fault mode.</param>
    /// <param name="env">extra environment for every node (supervisor thresholds).</param>
    /// <param name="groups">edge number (1-based) → primary group id it runs with (to cut its traffic by nftables).</param>
    public static LocalCluster Start(int zones, int edges, IReadOnlyDictionary<int, string>? faults = null,
        IReadOnlyDictionary<string, string>? env = null, string? configOverlay = null, IReadOnlyDictionary<int, int>? groups = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkadns-cluster-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var args = new List<string> { "--zones", zones.ToString(), "--edges", edges.ToString(), "--dir", dir, "--timeout", "120" };
        foreach (var (k, mode) in faults ?? new Dictionary<int, string>()) { args.Add("--fault"); args.Add($"{k}={mode}"); }
        foreach (var (k, gid) in groups ?? new Dictionary<int, int>()) { args.Add("--gid"); args.Add($"{k}={gid}"); }
        if (configOverlay is not null)
        {
            var file = Path.Combine(dir, "overlay.conf");
            File.WriteAllText(file, configOverlay);
            args.Add("--config"); args.Add(file);
        }
        var extra = new Dictionary<string, string>(env ?? new Dictionary<string, string>())
        {
            ["AKKADNS_DLL"] = Path.Combine(AppContext.BaseDirectory, "akkadns.dll"),
        };
        var (code, output) = RunScript("cluster-up.sh", args, extra, TimeSpan.FromSeconds(180));
        if (code != 0) throw new InvalidOperationException($"cluster-up.sh failed ({code}):\n{output}");
        return new LocalCluster(dir, ReadEnv(Path.Combine(dir, "cluster.env")), zones);
    }

    public static (int Code, string Output) RunScript(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
        psi.ArgumentList.Add(Path.IsPathRooted(script) ? script : Path.Combine(RepoRoot, "scripts", script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var sb = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (sb) sb.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sb) sb.AppendLine(e.Data); };
        p.BeginOutputReadLine(); p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout)) { p.Kill(entireProcessTree: true); return (-1, $"{script} timed out after {timeout}\n{sb}"); }
        p.WaitForExit();
        lock (sb) return (p.ExitCode, sb.ToString());
    }

    private static Dictionary<string, string> ReadEnv(string file) =>
        File.ReadAllLines(file).Where(l => l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('"'));

    /// <summary>The node number (1-based, zones nodes first) of edge <paramref name="edge"/> (1-based).</summary>
    public int NodeOfEdge(int edge) => Zones + edge;

    /// <summary>The PID cluster-up (or the last restart) recorded for node <paramref name="node"/>.</summary>
    public int Pid(int node) => int.Parse(File.ReadAllText(Path.Combine(Dir, $"node{node}.pid")).Trim());

    /// <summary>Sends a signal by name (STOP, CONT, TERM) to node <paramref name="node"/>; fails unless kill succeeded.</summary>
    public void Signal(int node, string signal)
    {
        using var p = Process.Start(new ProcessStartInfo("kill", ["-" + signal, Pid(node).ToString()]) { UseShellExecute = false })!;
        p.WaitForExit(5000);
        if (p.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} of node{node} failed ({p.ExitCode})");
    }

    /// <summary>kill -9 a node by the PID cluster-up recorded.</summary>
    public void Kill(int node)
    {
        var pid = Pid(node);
        try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        try { Process.GetProcessById(pid).WaitForExit(10_000); } catch (ArgumentException) { }
    }

    /// <summary>Starts a node again with its recorded command; <paramref name="env"/> wins (AKKADNS_FAULT=none).</summary>
    public void Restart(int node, IReadOnlyDictionary<string, string>? env = null)
    {
        var outFile = Path.Combine(Dir, $"node{node}.out");
        RemoveOldIncarnation(node);
        File.WriteAllText(outFile, "");
        var (code, output) = RunScript(Path.Combine(Dir, $"node{node}.sh"), [], env, TimeSpan.FromSeconds(10));
        if (code != 0) throw new InvalidOperationException($"node{node}.sh failed: {output}");
        // A node restarted on the same address joins only once the cluster has downed its old incarnation
        // (split-brain resolver, stable-after 20 s): slow on a starved 2-core machine.
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (!File.ReadAllLines(outFile).Contains("ready"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"node{node} not ready again within 150 s:\n{Log(node)}");
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// Downs a killed node's old incarnation through a surviving node's API and waits (bounded) until it has left the
    /// membership, as an operator would before starting it again on the same address. Starting the new incarnation
    /// while the seed still tracks the old one races Akka.Remote's association clean-up on the seed: seen on a loaded
    /// CI machine, the seed acked InitJoin for a minute and the new incarnation never received it.
    /// </summary>
    private void RemoveOldIncarnation(int node)
    {
        var outFile = Path.Combine(Dir, $"node{node}.out");
        var address = File.Exists(outFile)
            ? File.ReadAllLines(outFile).Where(l => l.StartsWith("cluster akka.tcp://", StringComparison.Ordinal)).Select(l => l["cluster ".Length..].Trim()).LastOrDefault()
            : null;
        if (address is null) return;
        var survivor = NodeApis.Where((_, i) => i + 1 != node).FirstOrDefault();
        if (survivor is null) return;
        using var http = new HttpClient { BaseAddress = survivor, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var downed = false;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var members = http.GetFromJsonAsync<JsonElement>("api/v1/cluster/members").GetAwaiter().GetResult();
                var present = members.GetProperty("members").EnumerateArray()
                    .Any(m => string.Equals(m.GetProperty("address").GetString(), address, StringComparison.Ordinal));
                if (!present) return;
                if (!downed)
                {
                    using var response = http.PostAsync($"api/v1/cluster/down?address={Uri.EscapeDataString(address)}", null).GetAwaiter().GetResult();
                    downed = response.IsSuccessStatusCode;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException) { }
            Thread.Sleep(500);
        }
        throw new TimeoutException($"node{node}'s old incarnation {address} still a cluster member 90 s after being downed");
    }

    public string Log(int node, int lines = 40)
    {
        var path = Path.Combine(Dir, $"node{node}.log");
        return File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(lines)) : "(no log)";
    }

    // ---------- admin API ----------

    /// <summary>Node <paramref name="node"/>'s own admin API (1-based, zones nodes first); node 1's is <see cref="Http"/>.</summary>
    public HttpClient Node(int node)
    {
        lock (_clients)
        {
            if (_clients.TryGetValue(node, out var client)) return client;
            client = new HttpClient { BaseAddress = NodeApis[node - 1], Timeout = TimeSpan.FromSeconds(90) };
            client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
            return _clients[node] = client;
        }
    }

    private readonly Dictionary<int, HttpClient> _clients = new();

    /// <param name="bodySent">completed once the whole request body is written to the node's connection: the node
    /// has the import and is working on it (tests that act during an import wait for this, not for a delay).</param>
    public async Task CreateZone(string zone, string masterFile, int? via = null, TaskCompletionSource? bodySent = null)
    {
        var body = JsonSerializer.Serialize(new { name = zone, kind = "Native", zone = masterFile });
        HttpContent content = new StringContent(body, Encoding.UTF8, "application/json");
        if (bodySent is not null) content = new SignallingContent(content, bodySent);
        using var response = await Client(via).PostAsync("api/v1/servers/localhost/zones", content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"create {zone}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>PUT …/zonefile: replaces the zone's content with <paramref name="masterFile"/>; the zone as JSON.</summary>
    public async Task<JsonElement> ReplaceZone(string zone, string masterFile, int? via = null)
    {
        using var response = await Client(via).PutAsync($"api/v1/servers/localhost/zones/{zone}/zonefile", new StringContent(masterFile, Encoding.UTF8, "text/plain"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"replace {zone} via node {via ?? 1}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 2000)]}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task SetA(string zone, string owner, string address, int? via = null)
    {
        var body = JsonSerializer.Serialize(new
        {
            rrsets = new[] { new { name = owner, type = "A", ttl = 300, changetype = "REPLACE", records = new[] { new { content = address, disabled = false } } } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/servers/localhost/zones/{zone}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await Client(via).SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"patch {zone}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>GET the zone through node <paramref name="via"/>: null unless 200 (e.g. 503 while its shard moves).</summary>
    public async Task<JsonElement?> GetZone(string zone, int? via = null)
    {
        try
        {
            using var response = await Client(via).GetAsync($"api/v1/servers/localhost/zones/{zone}");
            if (!response.IsSuccessStatusCode) return null;
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }

    /// <summary>The node (1-based) whose zone shard region holds live zone entities, asked through zones node
    /// <paramref name="via"/> (the shard statistics of every region); null while none does or none answers.
    /// With one zone in the cluster, that is the node hosting its shard.</summary>
    public async Task<int?> NodeHostingZones(int via)
    {
        try
        {
            using var response = await Node(via).GetAsync("api/v1/cluster/sharding/region-stats");
            if (!response.IsSuccessStatusCode) return null;
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var hosts = json.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("entities").GetInt32() > 0)
                .Select(n => NodeAddresses.ToList().IndexOf(n.GetProperty("address").GetString()!.TrimEnd('/')) + 1)
                .ToList();
            return hosts is [var host] && host > 0 ? host : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }

    /// <summary>What an operator does after kill -9: `cluster down` of the dead node, through node <paramref name="via"/>.</summary>
    public async Task Down(int node, int via)
    {
        using var response = await Node(via).PostAsync($"api/v1/cluster/down?address={Uri.EscapeDataString(NodeAddresses[node - 1])}", null);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"down node{node} via node{via}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private HttpClient Client(int? via) => via is null or 1 ? Http : Node(via.Value);

    public async Task<JsonElement> Datacenters()
    {
        using var response = await Http.GetAsync("api/v1/datacenters");
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET datacenters: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> StateOf(string datacenter)
    {
        var json = await Datacenters();
        foreach (var d in json.GetProperty("datacenters").EnumerateArray())
            if (d.GetProperty("name").GetString() == datacenter) return d.GetProperty("state").GetString()!;
        return "unknown";
    }

    // ---------- DNS ----------

    /// <summary>The A addresses an edge answers for <paramref name="name"/>, or null when it does not answer at all.</summary>
    public static async Task<IReadOnlyList<string>?> QueryA(IPEndPoint edge, string name)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(edge))
        {
            UseCache = false, Retries = 0, Timeout = TimeSpan.FromMilliseconds(1000), UseTcpFallback = false, ThrowDnsErrors = false,
            ContinueOnDnsError = false, ContinueOnEmptyResponse = false,
        });
        try
        {
            var r = await client.QueryAsync(name, QueryType.A);
            return r.Answers.ARecords().Select(a => a.Address.ToString()).ToList();
        }
        catch (DnsResponseException) { return null; }
    }

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns the time it took.</summary>
    public static async Task<TimeSpan> Eventually(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > timeout) throw new Xunit.Sdk.XunitException($"not within {timeout.TotalSeconds:0.#} s: {what()}");
            await Task.Delay(50);
        }
        return sw.Elapsed;
    }

    public void Dispose()
    {
        Http.Dispose();
        lock (_clients) foreach (var c in _clients.Values) c.Dispose();
        RunScript("cluster-down.sh", ["--dir", Dir, "--wait", "10"], null, TimeSpan.FromSeconds(60));
    }
}

/// <summary>Sends <paramref name="inner"/> and completes <paramref name="sent"/> once it has been written out.</summary>
internal sealed class SignallingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TaskCompletionSource _sent;

    public SignallingContent(HttpContent inner, TaskCompletionSource sent)
    {
        _inner = inner;
        _sent = sent;
        foreach (var (name, values) in inner.Headers)
            if (name != "Content-Length") Headers.TryAddWithoutValidation(name, values);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await _inner.CopyToAsync(stream);
        await stream.FlushAsync();
        _sent.TrySetResult();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
