using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AkkaDns.Cluster.Tests.Support;

/// <summary>
/// Runs a real <c>knotd</c> (Debian package <c>knot</c>) serving one zone file on a free loopback port,
/// as a reference server for differential tests. Everything it writes lives in a temp folder removed on
/// <see cref="Dispose"/>; the process is killed by its PID. Nothing rewrites the zone: no zone-file sync,
/// no journal, no DNSSEC, so knotd answers exactly what the file says.
/// </summary>
public sealed class KnotRunner : IDisposable
{
    public const string KnotdPath = "/usr/sbin/knotd";

    private readonly Process _process;
    private readonly string _dir;
    private readonly StringBuilder _log;

    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>What knotd printed so far (its log goes to stderr, level info), for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    private KnotRunner(Process process, string dir, StringBuilder log, int port)
    {
        _process = process; _dir = dir; _log = log; Port = port;
    }

    public static bool IsInstalled => File.Exists(KnotdPath);

    /// <summary>The warning and error lines of the log (e.g. semantic-check findings), empty when the zone is clean.</summary>
    public IReadOnlyList<string> Problems =>
        Log.Split('\n').Where(l => l.Contains(" warning: ", StringComparison.Ordinal) || l.Contains(" error: ", StringComparison.Ordinal)).ToList();

    /// <summary>Starts knotd for <paramref name="origin"/> from <paramref name="zoneFile"/> and waits (bounded)
    /// until it answers the zone's SOA authoritatively. A bind race on the chosen port is retried on a new port.</summary>
    /// <param name="udpMaxPayload">knotd's <c>udp-max-payload</c>; null keeps its default (1232).</param>
    public static KnotRunner Start(string origin, string zoneFile, TimeSpan? timeout = null, int? udpMaxPayload = null) =>
        Start([(origin, zoneFile)], timeout, udpMaxPayload);

    /// <summary>Starts knotd serving several zones (e.g. a parent and its child) and waits until each answers its SOA.</summary>
    /// <param name="signed">knotd signs the zones itself on load (<see cref="SigningPolicy"/>): the DO=1 differential.</param>
    /// <param name="nsec3">with <paramref name="signed"/>: NSEC3 (no salt, 0 iterations) when true, else NSEC.</param>
    /// <param name="optOut">with NSEC3: opt-out (RFC 5155 §6), insecure delegations get no NSEC3.</param>
    public static KnotRunner Start(IReadOnlyList<(string Origin, string File)> zones, TimeSpan? timeout = null, int? udpMaxPayload = null,
        bool signed = false, bool nsec3 = true, bool optOut = false)
    {
        if (!IsInstalled)
            throw new InvalidOperationException($"{KnotdPath} is missing: install Debian's 'knot' package (.ci/run does)");
        var normalized = zones.Select(z => (z.Origin.EndsWith('.') ? z.Origin : z.Origin + ".", Path.GetFullPath(z.File))).ToList();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var runner = TryStart(normalized, limit, udpMaxPayload, signed ? Policy(nsec3, optOut) : null, out last);
            if (runner is not null) return runner;
        }
        throw new InvalidOperationException($"knotd did not start for {string.Join(", ", normalized)}", last);
    }

    private static KnotRunner? TryStart(List<(string Origin, string File)> zones, TimeSpan limit, int? udpMaxPayload, string? policy, out Exception? error)
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-knot-").FullName;
        var port = FreeUdpAndTcpPort();
        var conf = Path.Combine(dir, "knot.conf");
        File.WriteAllText(conf, KnotConfig(dir, port, zones, udpMaxPayload, policy));

        var log = new StringBuilder();
        var psi = new ProcessStartInfo(KnotdPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(conf);
        var process = new Process { StartInfo = psi };
        DataReceivedEventHandler append = (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += append;
        process.OutputDataReceived += append;
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var runner = new KnotRunner(process, dir, log, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (process.HasExited)
            {
                error = new InvalidOperationException($"knotd exited with {process.ExitCode}:\n{runner.Log}");
                runner.Dispose();
                return null;
            }
            if (zones.All(z => AnswersSoa(port, z.Origin))) { error = null; return runner; }
            if (runner.Log.Contains("zone event 'load' failed", StringComparison.Ordinal))
            {
                // A zone knotd refuses (syntax or semantic check) will not load on another port either.
                var text = runner.Log;
                runner.Dispose();
                throw new InvalidOperationException($"knotd refused a zone of {string.Join(", ", zones.Select(z => z.File))}:\n{text}");
            }
            Thread.Sleep(50);
        }
        error = new TimeoutException($"knotd gave no authoritative SOA for {string.Join(", ", zones.Select(z => z.Origin))} on port {port} within {limit}:\n{runner.Log}");
        runner.Dispose();
        return null;
    }

    /// <summary>The knot.conf used: see <c>man knot.conf</c>. No <c>user:</c>, so knotd runs as the current user.
    /// identity, version and nsid are empty: knotd then discloses nothing about itself (CHAOS TXT, NSID), as AkkaDns.</summary>
    internal static string KnotConfig(string dir, int port, IEnumerable<(string Origin, string File)> zones, int? udpMaxPayload = null, string? signingPolicy = null) => $"""
        server:
            listen: 127.0.0.1@{port}
            rundir: "{dir}"
            identity: ""
            version: ""
            nsid: ""
            {(udpMaxPayload is { } max ? $"udp-max-payload: {max}" : "# udp-max-payload: default (1232)")}
        database:
            storage: "{dir}"
        {signingPolicy ?? ""}
        log:
          - target: stderr
            any: info
        template:
          - id: default
            storage: "{dir}"
            semantic-checks: on
            zonefile-sync: -1
            zonefile-load: whole
            journal-content: none
            {(signingPolicy is not null ? "dnssec-signing: on\n    dnssec-policy: differential" : "dnssec-signing: off")}
        zone:
        {string.Join("\n", zones.Select(z => $"  - domain: {z.Origin}\n    file: \"{z.File}\""))}
        """;

    /// <summary>
    /// What AkkaDns does by default when a zone is created with <c>"dnssec": true</c>: one ECDSAP256SHA256 CSK, NSEC3 with
    /// no salt and no extra iterations (RFC 9276; "nsec3: off" for the NSEC profile), CDS/CDNSKEY published for the CSK. knotd signs on load; with
    /// <c>zonefile-load: whole</c> it keeps the file's serial on the first load.
    /// </summary>
    private const string SigningPolicy = """
        policy:
          - id: differential
            algorithm: ecdsap256sha256
            single-type-signing: on
            nsec3: on
            nsec3-iterations: 0
            nsec3-salt-length: 0
            nsec3-opt-out: off
            cds-cdnskey-publish: always
            cds-digest-type: sha256
        """;

    private static string Policy(bool nsec3, bool optOut) => SigningPolicy
        .Replace("nsec3: on", nsec3 ? "nsec3: on" : "nsec3: off", StringComparison.Ordinal)
        .Replace("nsec3-opt-out: off", optOut ? "nsec3-opt-out: on" : "nsec3-opt-out: off", StringComparison.Ordinal);

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 at the moment of asking.</summary>
    internal static int FreeUdpAndTcpPort()
    {
        for (var i = 0; i < 50; i++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) { /* UDP side taken: try another */ }
        }
        throw new InvalidOperationException("no loopback port free for both UDP and TCP");
    }

    /// <summary>One UDP SOA query; true when the answer is NOERROR with AA set (the zone is loaded).</summary>
    private static bool AnswersSoa(int port, string origin)
    {
        var query = new List<byte> { 0x4b, 0x4e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in origin.TrimEnd('.').Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(Encoding.ASCII.GetBytes(label));
        }
        query.AddRange(new byte[] { 0, 0, 6, 0, 1 });
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.ReceiveTimeout = 200;
        try
        {
            udp.SendTo(query.ToArray(), new IPEndPoint(IPAddress.Loopback, port));
            var buffer = new byte[4096];
            var n = udp.Receive(buffer);
            if (n < 12 || buffer[0] != 0x4b || buffer[1] != 0x4e) return false;
            var flags = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
            return (flags & 0x8000) != 0 && (flags & 0x0400) != 0 && (flags & 0x000f) == 0;
        }
        catch (SocketException) { return false; }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); }
        }
        catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
