using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Cluster.Tests.Support;

/// <summary>
/// A real <c>knotd</c> as the PRIMARY of one zone on a free loopback port, for tests of AkkaDns as a secondary.
/// Changes go through <c>knotc</c> transactions (zone-begin … zone-commit) on a control socket in the temp folder;
/// Knot bumps the serial of each commit (<c>serial-policy: increment</c>) and keeps the differences in its journal
/// (<c>journal-content: changes</c>), so it answers IXFR from any earlier serial it served. Everything lives in a temp
/// folder removed on <see cref="Dispose"/>; knotd is killed by its PID. Knot listens on 127.0.0.1 only and has no
/// remote but the optional NOTIFY target (which must be a loopback address), so it sends nothing off loopback.
/// </summary>
/// <remarks>
/// Transfer ACL: with a key, transfers from 127.0.0.0/8 signed with that key only (an unsigned request is REFUSED,
/// a wrong key gets NOTAUTH/BADKEY or BADSIG); without a key, unsigned transfers from 127.0.0.0/8 (tests bind
/// 127.0.0.2 etc.); with <c>allowTransfer: false</c> there is no transfer ACL and Knot denies every AXFR/IXFR.
/// Knot 3.2 answers a denied transfer (no ACL, or unsigned where the ACL wants the key) with NOTAUTH, not REFUSED.
/// NOTIFY: Knot sends one at start-up and after every commit, signed with the key; Knot 3.2 sent it over TCP here,
/// so the target should listen on TCP as well as UDP.
/// </remarks>
public sealed class KnotPrimary : IDisposable
{
    public const string KnotcPath = "/usr/sbin/knotc";
    private static readonly TimeSpan KnotcTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly string _dir;
    private readonly StringBuilder _log;
    private readonly string _origin;
    private readonly string _socket;

    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>What knotd logged so far (stderr, level info), for failure messages.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    private KnotPrimary(Process process, string dir, StringBuilder log, int port, string origin)
    {
        _process = process; _dir = dir; _log = log; Port = port; _origin = origin;
        _socket = Path.Combine(dir, "knot.sock");
    }

    /// <summary>Starts knotd as primary of <paramref name="origin"/> with <paramref name="zoneText"/> (a master file; relative
    /// names are relative to the origin) and waits (bounded by <paramref name="timeout"/>, 20 s by default) until it answers
    /// the zone's SOA authoritatively. <paramref name="key"/> is spelled as knot.conf wants it (algorithm e.g. hmac-sha256,
    /// secret in base64). A bind race on the chosen port is retried on a new port.</summary>
    public static KnotPrimary Start(string origin, string zoneText, (string Name, string Algorithm, string Secret)? key = null,
        IPEndPoint? notify = null, bool allowTransfer = true, TimeSpan? timeout = null)
    {
        if (!KnotRunner.IsInstalled || !File.Exists(KnotcPath))
            throw new InvalidOperationException($"{KnotRunner.KnotdPath} or {KnotcPath} is missing: install Debian's 'knot' package (.ci/run does)");
        if (notify is not null && !IPAddress.IsLoopback(notify.Address))
            throw new ArgumentException($"the NOTIFY target {notify} is not a loopback address", nameof(notify));
        origin = origin.EndsWith('.') ? origin : origin + ".";
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var primary = TryStart(origin, zoneText, key, notify, allowTransfer, limit, out last);
            if (primary is not null) return primary;
        }
        throw new InvalidOperationException($"knotd did not start as primary of {origin}", last);
    }

    private static KnotPrimary? TryStart(string origin, string zoneText, (string Name, string Algorithm, string Secret)? key,
        IPEndPoint? notify, bool allowTransfer, TimeSpan limit, out Exception? error)
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-knotp-").FullName;
        var port = KnotRunner.FreeUdpAndTcpPort();
        var zoneFile = Path.Combine(dir, origin + "zone");
        File.WriteAllText(zoneFile, zoneText);
        var conf = Path.Combine(dir, "knot.conf");
        File.WriteAllText(conf, KnotConfig(dir, port, origin, zoneFile, key, notify, allowTransfer));

        var log = new StringBuilder();
        var psi = new ProcessStartInfo(KnotRunner.KnotdPath)
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

        var primary = new KnotPrimary(process, dir, log, port, origin);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (process.HasExited)
            {
                error = new InvalidOperationException($"knotd exited with {process.ExitCode}:\n{primary.Log}");
                primary.Dispose();
                return null;
            }
            if (AnswersSoa(port, origin) && File.Exists(primary._socket)) { error = null; return primary; }
            if (primary.Log.Contains("zone event 'load' failed", StringComparison.Ordinal))
            {
                var text = primary.Log;
                primary.Dispose();
                throw new InvalidOperationException($"knotd refused the zone {origin}:\n{text}");
            }
            Thread.Sleep(50);
        }
        error = new TimeoutException($"knotd gave no authoritative SOA for {origin} on port {port} within {limit}:\n{primary.Log}");
        primary.Dispose();
        return null;
    }

    /// <summary>The knot.conf used (see <c>man knot.conf</c>, Knot 3.2). No <c>user:</c>: knotd runs as the current user.</summary>
    internal static string KnotConfig(string dir, int port, string origin, string zoneFile,
        (string Name, string Algorithm, string Secret)? key, IPEndPoint? notify, bool allowTransfer)
    {
        var sb = new StringBuilder();
        sb.Append($"""
            server:
                listen: 127.0.0.1@{port}
                rundir: "{dir}"
                identity: ""
                version: ""
                nsid: ""
            control:
                listen: "{Path.Combine(dir, "knot.sock")}"
                timeout: 10
            database:
                storage: "{dir}"
            log:
              - target: stderr
                any: info

            """);
        if (key is { } k)
            sb.Append($"""
                key:
                  - id: {k.Name}
                    algorithm: {k.Algorithm}
                    secret: {k.Secret}

                """);
        if (notify is not null)
            sb.Append($"""
                remote:
                  - id: notify-target
                    address: {notify.Address}@{notify.Port}
                {(key is { } nk ? $"    key: {nk.Name}\n" : "")}
                """);
        if (allowTransfer)
            sb.Append($"""
                acl:
                  - id: transfer-from-loopback
                    address: 127.0.0.0/8
                {(key is { } ak ? $"    key: {ak.Name}\n" : "")}    action: transfer

                """);
        sb.Append($"""
            zone:
              - domain: {origin}
                storage: "{dir}"
                file: "{zoneFile}"
                semantic-checks: on
                zonefile-sync: -1
                zonefile-load: whole
                journal-content: changes
                serial-policy: increment
                dnssec-signing: off
            {(allowTransfer ? "    acl: [transfer-from-loopback]\n" : "")}{(notify is not null ? "    notify: notify-target\n" : "")}
            """);
        return sb.ToString();
    }

    /// <summary>The zone's current SOA serial, as Knot holds it (<c>knotc zone-read ZONE @ SOA</c>).</summary>
    public uint Serial()
    {
        var output = Knotc("zone-read", _origin, "@", "SOA");
        // "[example.com.] example.com. 3600 SOA ns1.example.com. hostmaster.example.com. 2 3600 900 604800 300"
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int soa = Array.IndexOf(tokens, "SOA");
            if (soa > 0 && tokens.Length > soa + 3 && uint.TryParse(tokens[soa + 3], NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
                return serial;
        }
        throw new InvalidOperationException($"knotc zone-read gave no SOA for {_origin}:\n{output}");
    }

    /// <summary>One transaction setting each record, written "owner ttl TYPE rdata" (owner relative to the zone or
    /// absolute); Knot bumps the serial on commit.</summary>
    public void Set(params string[] records) =>
        Transaction(records.Select(r => (IReadOnlyList<string>)["zone-set", _origin, .. Split(r)]));

    /// <summary>One transaction removing each RRset, written "owner TYPE".</summary>
    public void Unset(params string[] ownerTypes) =>
        Transaction(ownerTypes.Select(r => (IReadOnlyList<string>)["zone-unset", _origin, .. Split(r)]));

    /// <summary>Replaces the whole content with <paramref name="zoneText"/> (a master file of the same origin) in one
    /// transaction: every RRset but the apex SOA is removed, every record of the text but its SOA is set, and Knot bumps
    /// the serial it holds (the text's SOA serial is ignored so the serial never goes backwards).</summary>
    public void Replace(string zoneText)
    {
        var zone = MasterFileReader.ReadText(zoneText, DnsName.Parse(_origin));
        var apex = _origin.ToLowerInvariant();
        var current = Knotc("zone-read", _origin)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(t => t.Length >= 4)
            .Select(t => (Owner: t[1], Type: t[3]))
            .Where(x => !(x.Type == "SOA" && x.Owner.ToLowerInvariant() == apex))
            .Distinct()
            .ToList();
        var commands = new List<IReadOnlyList<string>>();
        foreach (var (owner, type) in current) commands.Add(["zone-unset", _origin, owner, type]);
        foreach (var r in zone.Records.Where(r => !(r.Type == RecordType.SOA && r.Owner.Equals(zone.Origin))))
            commands.Add(["zone-set", _origin, .. Split(Presentation(r))]);
        Transaction(commands);
    }

    /// <summary>"owner ttl TYPE rdata" as knotc zone-set takes it (no class).</summary>
    private static string Presentation(ResourceRecord r) =>
        $"{r.Owner} {r.Ttl.ToString(CultureInfo.InvariantCulture)} {RecordTypes.ToText(r.Type)} {RData.Format(r.Type, r.RData)}";

    /// <summary>knotc takes the record as separate arguments; rdata with quoted strings stays one argument per string.</summary>
    private static List<string> Split(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length) { current.Append(c).Append(text[++i]); any = true; continue; }
            if (c == '"') { quoted = !quoted; current.Append(c); any = true; continue; }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) { parts.Add(current.ToString()); current.Clear(); any = false; }
                continue;
            }
            current.Append(c); any = true;
        }
        if (any) parts.Add(current.ToString());
        return parts;
    }

    private void Transaction(IEnumerable<IReadOnlyList<string>> commands)
    {
        Knotc("zone-begin", _origin);
        try
        {
            foreach (var command in commands) Knotc([.. command]);
            Knotc("zone-commit", _origin);
        }
        catch
        {
            try { Knotc("zone-abort", _origin); } catch (InvalidOperationException) { /* the first error is the one to report */ }
            throw;
        }
    }

    /// <summary>Runs knotc on our control socket, bounded; throws with its output and knotd's log when it fails.</summary>
    private string Knotc(params string[] args)
    {
        var psi = new ProcessStartInfo(KnotcPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-s", _socket, "-t", "10", .. args]) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(KnotcTimeout))
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            throw new InvalidOperationException($"knotc {string.Join(' ', args)} did not finish within {KnotcTimeout}:\n{Log}");
        }
        process.WaitForExit();
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0 || output.Contains("error:", StringComparison.Ordinal))
            throw new InvalidOperationException($"knotc {string.Join(' ', args)} failed ({process.ExitCode}): {output}\n{Log}");
        return output;
    }

    /// <summary>One UDP SOA query; true when the answer is NOERROR with AA set (the zone is loaded).</summary>
    private static bool AnswersSoa(int port, string origin)
    {
        var query = new List<byte> { 0x4b, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
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
            if (n < 12 || buffer[0] != 0x4b || buffer[1] != 0x50) return false;
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
