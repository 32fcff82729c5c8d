using System.Diagnostics;

namespace AkkaDns.Cluster.Tests.Node.Support;

/// <summary>Runs the real <c>akkadns</c> binary as an operator would, capturing exit code and both streams.</summary>
public static class AkkaDnsCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(NodeProcess.AkkaDnsDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "AKKADNS_API_KEY", "AKKADNS_NODE", "AKKADNS_DATA" }) psi.Environment.Remove(name);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { process.Kill(true); throw new TimeoutException("akkadns " + string.Join(' ', args) + " did not finish"); }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a zone verb against <paramref name="node"/> with its key.</summary>
    public static Task<Result> ZoneAsync(NodeProcess node, params string[] args) =>
        RunAsync(["zone", .. args, "--node", node.Api.ToString(), "--api-key", node.ApiKey]);
}
