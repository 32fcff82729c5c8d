using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// A real <c>akkadns serve --zone FILE --listen 127.0.0.1:0</c> process (akkadns.dll is copied into the
/// test output because the test project references src/Cluster). Ready once it prints
/// <c>listening udp+tcp 127.0.0.1:PORT</c>; killed by its PID on <see cref="Dispose"/>.
/// </summary>
public sealed partial class AkkaDnsServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed (stdout and stderr), for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    private AkkaDnsServeProcess(Process process, StringBuilder output, int port)
    {
        _process = process; _output = output; Port = port;
    }

    [GeneratedRegex(@"^listening udp\+tcp 127\.0\.0\.1:(\d+)\s*$")]
    private static partial Regex ListeningLine();

    public static string AkkaDnsDll => Path.Combine(AppContext.BaseDirectory, "akkadns.dll");

    /// <param name="extraArguments">More <c>serve</c> options, e.g. <c>--max-udp-payload 4096</c>.</param>
    public static AkkaDnsServeProcess Start(IEnumerable<string> zoneFiles, TimeSpan? timeout = null, IEnumerable<string>? extraArguments = null)
    {
        if (!File.Exists(AkkaDnsDll))
            throw new FileNotFoundException($"akkadns.dll not found next to the tests ({AkkaDnsDll}): does the test project still reference src/Cluster?");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(AkkaDnsDll);
        psi.ArgumentList.Add("serve");
        foreach (var zone in zoneFiles)
        {
            psi.ArgumentList.Add("--zone");
            psi.ArgumentList.Add(Path.GetFullPath(zone));
        }
        psi.ArgumentList.Add("--listen");
        psi.ArgumentList.Add("127.0.0.1:0");
        foreach (var a in extraArguments ?? []) psi.ArgumentList.Add(a);

        var output = new StringBuilder();
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            var m = ListeningLine().Match(e.Data);
            if (m.Success) ready.TrySetResult(int.Parse(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("akkadns serve exited before listening"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? TimeSpan.FromSeconds(30);
        try
        {
            if (!ready.Task.Wait(limit))
                throw new TimeoutException($"akkadns serve printed no 'listening udp+tcp' line within {limit}");
            return new AkkaDnsServeProcess(process, output, ready.Task.Result);
        }
        catch (Exception e)
        {
            Stop(process);
            string text; lock (output) text = output.ToString();
            throw new InvalidOperationException($"akkadns serve did not start ({e.GetBaseException().Message}). Output:\n{text}", e);
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) { process.Kill(); process.WaitForExit(5000); }
            // Once it has exited, the parameterless wait also drains the redirected output into the handlers.
            if (process.HasExited) process.WaitForExit();
        }
        catch (InvalidOperationException) { /* already gone */ }
    }

    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();
    }
}
