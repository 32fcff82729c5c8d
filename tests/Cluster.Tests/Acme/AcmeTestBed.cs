using System.Diagnostics;
using System.Text;
using AkkaDns.Cluster.Tests.Propagation;

namespace AkkaDns.Cluster.Tests.Acme;

/// <summary>
/// Runs one ACME client against a real AkkaDns node and a local pebble CA, all inside a fresh network namespace:
/// <c>unshare -n bash acme-env.sh --dll … --dir … -- bash clients/NAME.sh</c>. acme-env.sh (next to this file) brings
/// loopback up, refuses to run when any other interface exists, starts the node (the akkadns.dll next to the tests)
/// and pebble, creates the zone, then runs the client script with the environment it documents. A new client (lego
/// rfc2136, certbot dns-rfc2136) is one more script in clients/ and one more test.
/// </summary>
public static class AcmeTestBed
{
    public static string ScriptDir => Path.Combine(LocalCluster.RepoRoot, "tests", "Cluster.Tests", "Acme");

    /// <summary>What the bed needs and is missing (root for unshare, the Debian packages), or null.</summary>
    public static string? Missing()
    {
        var missing = new List<string>();
        if (Environment.UserName != "root") missing.Add("root (unshare -n)");
        foreach (var tool in new[] { "/usr/bin/unshare", "/usr/bin/lego", "/usr/bin/pebble", "/usr/bin/openssl", "/usr/bin/curl", "/usr/bin/dig" })
            if (!File.Exists(tool)) missing.Add(tool);
        return missing.Count == 0 ? null : "the ACME test bed needs " + string.Join(", ", missing) + " (.ci/run installs the packages)";
    }

    /// <summary>Runs clients/<paramref name="client"/>.sh in the bed; returns its exit code and everything printed,
    /// with the node's and pebble's log tails appended when it failed.</summary>
    public static (int Code, string Output) Run(string client, TimeSpan timeout, string? zone = null) =>
        RunScript(Path.Combine(ScriptDir, "clients", client + ".sh"), timeout, zone, []);

    /// <summary>Runs <paramref name="script"/> in the bed, with <paramref name="bedArgs"/> for acme-env.sh (e.g.
    /// --no-pebble, --node-config FILE) and <paramref name="environment"/> added to the script's.</summary>
    public static (int Code, string Output) RunScript(string script, TimeSpan timeout, string? zone, IReadOnlyList<string> bedArgs,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkadns-acme-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("/usr/bin/unshare")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir,
        };
        foreach (var a in new[] { "-n", "bash", Path.Combine(ScriptDir, "acme-env.sh"), "--dll", Path.Combine(AppContext.BaseDirectory, "akkadns.dll"), "--dir", dir })
            psi.ArgumentList.Add(a);
        if (zone is not null) { psi.ArgumentList.Add("--zone"); psi.ArgumentList.Add(zone); }
        foreach (var a in bedArgs) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--");
        psi.ArgumentList.Add("bash");
        psi.ArgumentList.Add(script);
        psi.Environment["HOME"] = dir; // certbot and lego keep nothing in the real home
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;

        var output = new StringBuilder();
        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine(); p.BeginErrorReadLine();
        int code;
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            code = -1;
            lock (output) output.AppendLine($"acme test bed: timed out after {timeout}");
        }
        else
        {
            p.WaitForExit();
            code = p.ExitCode;
        }
        string text;
        lock (output) text = output.ToString();
        if (code != 0) text += Tail(Path.Combine(dir, "node.log"), "node log") + Tail(Path.Combine(dir, "pebble.log"), "pebble log");
        else TryDelete(dir);
        return (code, text);
    }

    private static string Tail(string file, string what) =>
        File.Exists(file) ? $"\n--- {what} ({file}), last lines ---\n" + string.Join('\n', File.ReadAllLines(file).TakeLast(40)) : "";

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
