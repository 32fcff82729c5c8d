using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace AkkaDns.Cluster.Tests.Support;

/// <summary>
/// A real child process (usually <c>dotnet akkadns.dll …</c>) whose stdout and stderr lines are collected as they
/// come, so a test can wait for a line, send a signal, and read the exit code. Dispose kills it (by its PID) if it
/// still runs. Every wait is bounded.
/// </summary>
public sealed partial class ProcessRunner : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly object _gate = new();
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _streamsOpen = 2;
    private bool _exitedStreams; // both streams ended: no more lines will come

    private ProcessRunner(Process process) => _process = process;

    /// <summary>akkadns.dll next to the test assembly (the test project references src/Cluster).</summary>
    public static string AkkaDnsDll => Path.Combine(AppContext.BaseDirectory, "akkadns.dll");

    /// <summary>Starts <c>dotnet akkadns.dll ARGS</c>.</summary>
    public static ProcessRunner StartAkkaDns(params string[] args)
    {
        if (!File.Exists(AkkaDnsDll)) throw new FileNotFoundException("akkadns.dll is not next to the tests", AkkaDnsDll);
        return Start("dotnet", [AkkaDnsDll, .. args]);
    }

    public static ProcessRunner Start(string fileName, IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var runner = new ProcessRunner(process);
        process.OutputDataReceived += (_, e) => runner.OnLine(runner._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => runner.OnLine(runner._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    private void OnLine(List<string> into, string? line)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (line is null)
            {
                if (--_streamsOpen == 0) _exitedStreams = true;
            }
            else into.Add(line);
            signal = _lineArrived;
            _lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StdoutLines { get { lock (_gate) return [.. _stdout]; } }
    public IReadOnlyList<string> StderrLines { get { lock (_gate) return [.. _stderr]; } }
    public string Stdout => string.Join('\n', StdoutLines);
    public string Stderr => string.Join('\n', StderrLines);

    /// <summary>Waits for the first stdout line matching <paramref name="predicate"/>; throws with all output on timeout or exit.</summary>
    public async Task<string> WaitForStdoutLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                var hit = _stdout.FirstOrDefault(predicate);
                if (hit is not null) return hit;
                if (_exitedStreams) throw new InvalidOperationException($"process exited without the expected line.\n{Describe()}");
                arrived = _lineArrived.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no expected line within {timeout}.\n{Describe()}");
            await Task.WhenAny(arrived, Task.Delay(left));
        }
    }

    /// <summary>Waits for the process to end (and its output to be read); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"process still running after {timeout}.\n{Describe()}"); }
        return _process.ExitCode;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    public const int SIGINT = 2, SIGTERM = 15;

    /// <summary>Sends a POSIX signal (SIGTERM, SIGINT) to the process.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Exit state and everything printed, for assertion messages.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine(_process.HasExited ? $"exit code {_process.ExitCode}" : "still running");
        sb.AppendLine("stdout:").AppendLine(Stdout).AppendLine("stderr:").AppendLine(Stderr);
        return sb.ToString();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
