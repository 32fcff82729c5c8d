using System.Diagnostics;
using System.Net;
using System.Text;
using AkkaDns.Cluster.Tests.Support;

namespace AkkaDns.Cluster.Tests.Transfers;

/// <summary>A TSIG key as the three servers' configurations spell it.</summary>
public sealed record TestKey(string Name, string Algorithm, string Secret)
{
    public override string ToString() => $"{Name} ({Algorithm})"; // never the secret
}

/// <summary>
/// A real secondary (Knot, NSD or BIND's named, from Debian's packages) of one zone whose primary is an AkkaDns edge:
/// it takes NOTIFY from 127.0.0.1 signed with the key (AkkaDns signs NOTIFYs with the zone's first TSIG-ALLOW-AXFR key, as PowerDNS does) and transfers (IXFR, falling back to AXFR) with a TSIG key. Everything lives in a
/// temp folder removed on dispose; the process is killed by its PID. These are the configurations docs/transfers.md
/// shows operators.
/// </summary>
public sealed class SecondaryServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string? _logFile;

    public string Kind { get; }
    public string Dir { get; }
    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>What the server logged so far (stderr, plus its log file for NSD).</summary>
    public string Log
    {
        get
        {
            string file = "";
            try { if (_logFile is not null && File.Exists(_logFile)) file = File.ReadAllText(_logFile); } catch (IOException) { }
            lock (_log) return _log + file;
        }
    }

    private SecondaryServer(string kind, string dir, int port, ProcessStartInfo psi, string? logFile)
    {
        Kind = kind; Dir = dir; Port = port; _logFile = logFile;
        psi.RedirectStandardError = true; psi.RedirectStandardOutput = true; psi.UseShellExecute = false;
        _process = new Process { StartInfo = psi };
        DataReceivedEventHandler append = (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += append;
        _process.OutputDataReceived += append;
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public bool HasExited => _process.HasExited;

    public static SecondaryServer Start(string kind, string zone, IPEndPoint primary, TestKey key) => kind switch
    {
        "knot" => StartKnot(zone, primary, key),
        "nsd" => StartNsd(zone, primary, key),
        "bind" => StartBind(zone, primary, key),
        _ => throw new ArgumentException($"unknown secondary kind {kind}", nameof(kind)),
    };

    public static string KnotConfig(string dir, int port, string zone, IPEndPoint primary, TestKey key) => $"""
        server:
            listen: 127.0.0.1@{port}
            rundir: "{dir}"
        database:
            storage: "{dir}"
        log:
          - target: stderr
            any: info
        key:
          - id: {key.Name}
            algorithm: {key.Algorithm}
            secret: {key.Secret}
        remote:
          - id: akkadns
            address: {primary.Address}@{primary.Port}
            key: {key.Name}
        acl:
          - id: notify-from-akkadns
            address: {primary.Address}
            key: {key.Name}
            action: notify
          - id: transfer-to-loopback
            address: 127.0.0.1
            action: transfer
        zone:
          - domain: {zone}
            storage: "{dir}"
            master: akkadns
            acl: [notify-from-akkadns, transfer-to-loopback]
            zonefile-sync: -1
            zonefile-load: none
            journal-content: changes
        """;

    private static SecondaryServer StartKnot(string zone, IPEndPoint primary, TestKey key)
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-knot2-").FullName;
        int port = KnotRunner.FreeUdpAndTcpPort();
        var conf = Path.Combine(dir, "knot.conf");
        File.WriteAllText(conf, KnotConfig(dir, port, zone, primary, key));
        var psi = new ProcessStartInfo(KnotRunner.KnotdPath);
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(conf);
        return new SecondaryServer("knot", dir, port, psi, null);
    }

    public static string NsdConfig(string dir, int port, string zone, IPEndPoint primary, TestKey key) => $"""
        server:
            ip-address: 127.0.0.1@{port}
            port: {port}
            zonesdir: "{dir}"
            database: ""
            pidfile: "{dir}/nsd.pid"
            xfrdfile: "{dir}/xfrd.state"
            zonelistfile: "{dir}/zone.list"
            xfrdir: "{dir}"
            username: ""
            chroot: ""
            logfile: "{dir}/nsd.log"
            verbosity: 2
            server-count: 1
        remote-control:
            control-enable: no
        key:
            name: "{key.Name}"
            algorithm: {key.Algorithm}
            secret: "{key.Secret}"
        zone:
            name: "{zone}"
            zonefile: "{zone}zone"
            allow-notify: {primary.Address} {key.Name}
            request-xfr: {primary.Address}@{primary.Port} {key.Name}
            provide-xfr: 127.0.0.1 NOKEY
        """;

    private static SecondaryServer StartNsd(string zone, IPEndPoint primary, TestKey key)
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-nsd-").FullName;
        int port = KnotRunner.FreeUdpAndTcpPort();
        var conf = Path.Combine(dir, "nsd.conf");
        File.WriteAllText(conf, NsdConfig(dir, port, zone, primary, key));
        var psi = new ProcessStartInfo("/usr/sbin/nsd");
        foreach (var a in new[] { "-d", "-c", conf }) psi.ArgumentList.Add(a);
        return new SecondaryServer("nsd", dir, port, psi, Path.Combine(dir, "nsd.log"));
    }

    public static string BindConfig(string dir, int port, string zone, IPEndPoint primary, TestKey key) => $$"""
        options {
            directory "{{dir}}";
            listen-on port {{port}} { 127.0.0.1; };
            listen-on-v6 { none; };
            pid-file "{{dir}}/named.pid";
            session-keyfile "{{dir}}/session.key";
            managed-keys-directory "{{dir}}";
            recursion no;
            notify no;
            dnssec-validation no;
        };
        controls { };
        key "{{key.Name}}" { algorithm {{key.Algorithm}}; secret "{{key.Secret}}"; };
        primaries akkadns { {{primary.Address}} port {{primary.Port}} key "{{key.Name}}"; };
        zone "{{zone}}" {
            type secondary;
            file "{{dir}}/{{zone}}db";
            primaries { akkadns; };
            allow-notify { key "{{key.Name}}"; };
            allow-transfer { 127.0.0.1; };
        };
        logging {
            channel to-stderr { stderr; severity info; print-time yes; print-category yes; };
            category default { to-stderr; };
            category xfer-in { to-stderr; };
            category notify { to-stderr; };
        };
        """;

    private static SecondaryServer StartBind(string zone, IPEndPoint primary, TestKey key)
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-named-").FullName;
        int port = KnotRunner.FreeUdpAndTcpPort();
        var conf = Path.Combine(dir, "named.conf");
        File.WriteAllText(conf, BindConfig(dir, port, zone, primary, key));
        var psi = new ProcessStartInfo("/usr/sbin/named");
        foreach (var a in new[] { "-g", "-c", conf }) psi.ArgumentList.Add(a);
        return new SecondaryServer("bind", dir, port, psi, null);
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
