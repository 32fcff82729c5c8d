using System.Diagnostics;
using System.Net;
using System.Text;

namespace AkkaDns.Cluster.Tests.Node.Support;

/// <summary>
/// A real <c>akkadns run</c> process on free ports and a given data folder. Start returns once the node printed
/// "ready"; the listener lines it printed before tell the bound ports.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _stdout = [];

    private NodeProcess(Process process, string dataDir) { _process = process; DataDir = dataDir; }

    public string DataDir { get; }
    public IPEndPoint Dns { get; private set; } = new(IPAddress.Loopback, 0);
    public Uri Api { get; private set; } = new("http://127.0.0.1/");
    /// <summary>The node's Akka address (akka.tcp://akkadns@127.0.0.1:PORT), a seed for other nodes.</summary>
    public string ClusterAddress { get; private set; } = "";
    public string ApiKey => File.ReadAllText(Path.Combine(DataDir, "api-key")).Trim();
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int Pid => _process.Id;

    public static string AkkaDnsDll => Path.Combine(AppContext.BaseDirectory, "akkadns.dll");

    public static async Task<NodeProcess> StartAsync(string dataDir, IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null, Action<NodeProcess>? started = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { AkkaDnsDll, "run", "--data", dataDir, "--dns", "127.0.0.1:0", "--api", "127.0.0.1:0", "--port", "0" }) psi.ArgumentList.Add(a);
        foreach (var a in extraArgs ?? []) psi.ArgumentList.Add(a);
        // The tests' own environment must not leak a key or a journal choice into the node.
        foreach (var name in new[] { "AKKADNS_API_KEY", "AKKADNS_JOURNAL", "AKKADNS_CONNECTION", "AKKADNS_DATA", "AKKADNS_SEEDS", "AKKADNS_ROLES" })
            psi.Environment.Remove(name);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;

        var process = Process.Start(psi)!;
        var node = new NodeProcess(process, dataDir);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (node._stderr) node._stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException("node exited before ready")); return; }
            lock (node._stdout) node._stdout.Add(e.Data);
            if (e.Data.StartsWith("dns udp+tcp ", StringComparison.Ordinal)) node.Dns = IPEndPoint.Parse(e.Data["dns udp+tcp ".Length..]);
            else if (e.Data.StartsWith("api ", StringComparison.Ordinal)) node.Api = new Uri(e.Data["api ".Length..]);
            else if (e.Data.StartsWith("cluster ", StringComparison.Ordinal)) node.ClusterAddress = e.Data["cluster ".Length..];
            else if (e.Data == "ready") ready.TrySetResult();
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        started?.Invoke(node); // the process before it is ready (its log, its pid), e.g. for a node that waits to be joined

        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var done = await Task.WhenAny(ready.Task, Task.Delay(limit));
        if (done != ready.Task || ready.Task.IsFaulted)
        {
            var why = done != ready.Task ? $"not ready after {limit.TotalSeconds:0} s" : "exited before ready";
            await node.DisposeAsync();
            throw new InvalidOperationException($"akkadns run {why}.\nstdout:\n{string.Join('\n', node._stdout)}\nstderr:\n{node.Stderr}");
        }
        return node;
    }

    /// <summary>SIGKILL: no graceful shutdown, as a crash or `kill -9` would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait for the exit code (graceful shutdown).</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited) Posix.Kill(_process.Id, Posix.SIGTERM);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try { await KillAsync(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}

internal static class Posix
{
    public const int SIGTERM = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
