using System.Net;
using Akka.Configuration;
using AkkaDns.Actors.Propagation;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// Resolves <see cref="NodeSettings"/> in this order, later wins: config/akkadns.conf (defaults),
/// config/node.conf (node overlay), the --config file, AKKADNS_* environment variables, command-line options.
/// Bad values fail here, at start, with the setting's name and where it came from.
/// </summary>
public static class NodeSettingsLoader
{
    public static string ConfigDir => Path.Combine(AppContext.BaseDirectory, "config");

    /// <summary>The HOCON stack (overlay first, defaults as fallback) that both settings and Akka read.</summary>
    public static Config LoadHocon(string? overlayFile)
    {
        var config = Config.Empty;
        if (overlayFile is not null)
        {
            if (!File.Exists(overlayFile)) throw new SettingsException($"--config: file '{overlayFile}' not found");
            config = ParseFile(overlayFile);
        }
        foreach (var name in new[] { "node.conf", "cluster.conf", "akkadns.conf" })
        {
            var path = Path.Combine(ConfigDir, name);
            if (File.Exists(path)) config = config.WithFallback(ParseFile(path));
        }
        return config;
    }

    public static NodeSettings Load(NodeOptions options, Config hocon, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var node = hocon.GetConfig("akkadns.node") ?? Config.Empty;

        string Pick(string? option, string env, string key, string fallback)
        {
            if (!string.IsNullOrWhiteSpace(option)) return option.Trim();
            if (environment(env) is { Length: > 0 } fromEnv) return fromEnv.Trim();
            return node.HasPath(key) ? node.GetString(key, fallback) : fallback;
        }

        var data = Path.GetFullPath(Pick(options.Data, "AKKADNS_DATA", "data", "./data"));
        var journalText = Pick(options.Journal, "AKKADNS_JOURNAL", "journal", "sqlite").ToLowerInvariant();
        var journal = journalText switch
        {
            "sqlite" => JournalKind.Sqlite,
            "postgresql" or "postgres" or "pg" => JournalKind.PostgreSql,
            _ => throw new SettingsException($"journal: '{journalText}' is not one of sqlite, postgresql"),
        };
        var connection = Pick(options.Connection, "AKKADNS_CONNECTION", "connection", "");
        if (connection.Length == 0)
        {
            if (journal == JournalKind.PostgreSql) throw new SettingsException("journal postgresql needs a connection string (--connection or AKKADNS_CONNECTION)");
            connection = $"Data Source={Path.Combine(data, "akkadns.db")}";
        }

        var rolesText = options.Roles ?? environment("AKKADNS_ROLES");
        var roles = rolesText is { Length: > 0 }
            ? SplitList(rolesText)
            : (node.HasPath("roles") ? node.GetStringList("roles").ToList() : [.. NodeRoles.All]);
        foreach (var role in roles)
            if (!NodeRoles.All.Contains(role)) throw new SettingsException($"roles: unknown role '{role}' (known: {string.Join(", ", NodeRoles.All)})");
        if (roles.Count == 0) throw new SettingsException("roles: a node needs at least one role");

        var seedsText = environment("AKKADNS_SEEDS");
        var seeds = options.Seeds is { Count: > 0 } s ? s.ToList()
            : seedsText is { Length: > 0 } ? SplitList(seedsText)
            : node.HasPath("seeds") ? node.GetStringList("seeds").ToList() : [];
        foreach (var seed in seeds)
            if (!seed.StartsWith("akka.tcp://", StringComparison.Ordinal)) throw new SettingsException($"seeds: '{seed}' is not an akka.tcp:// address");

        int port = options.Port ?? (environment("AKKADNS_PORT") is { Length: > 0 } envPort
            ? (int.TryParse(envPort, out var p) ? p : throw new SettingsException($"AKKADNS_PORT: '{envPort}' is not a TCP port"))
            : node.HasPath("port") ? node.GetInt("port") : 4053);
        if (port is < 0 or > 65535) throw new SettingsException($"port: {port} is not a TCP port");

        var apiKey = environment("AKKADNS_API_KEY") is { Length: > 0 } envKey ? envKey.Trim()
            : node.HasPath("api-key") && node.GetString("api-key") is { Length: > 0 } confKey ? confKey : null;

        return new NodeSettings
        {
            DataDir = data,
            Dns = ParseEndPoint("dns", Pick(options.Dns, "AKKADNS_DNS", "dns", "127.0.0.1:5300")),
            Api = ParseEndPoint("api", Pick(options.Api, "AKKADNS_API", "api", "127.0.0.1:5380")),
            Journal = journal,
            ConnectionString = connection,
            Roles = roles,
            Datacenter = DatacenterName.TryParse(Pick(options.Datacenter, "AKKADNS_DATACENTER", "datacenter", "dc-1"), out var dc, out var dcProblem)
                ? dc! : throw new SettingsException($"datacenter: {dcProblem}"),
            Seeds = seeds,
            Hostname = Pick(null, "AKKADNS_HOSTNAME", "hostname", "127.0.0.1"),
            Port = port,
            ApiKey = apiKey,
            AskTimeout = node.HasPath("ask-timeout") ? node.GetTimeSpan("ask-timeout") : TimeSpan.FromSeconds(5),
            StartupTimeout = node.HasPath("startup-timeout") ? node.GetTimeSpan("startup-timeout") : TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>"127.0.0.1:5300", "[::1]:5300" or "localhost:5300" (loopback).</summary>
    public static IPEndPoint ParseEndPoint(string setting, string text)
    {
        var t = text.Trim();
        if (t.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) t = "127.0.0.1:" + t["localhost:".Length..];
        if (!IPEndPoint.TryParse(t, out var ep) || !t.Contains(':') || ep.Port is < 0 or > 65535)
            throw new SettingsException($"{setting}: '{text}' is not an ADDRESS:PORT (e.g. 127.0.0.1:5300)");
        return ep;
    }

    private static List<string> SplitList(string text) =>
        text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static Config ParseFile(string path)
    {
        try { return ConfigurationFactory.ParseString(File.ReadAllText(path)); }
        catch (Exception e) when (e is not SettingsException) { throw new SettingsException($"{path}: {e.Message}"); }
    }
}

/// <summary>A setting that cannot be used; the message names the setting and the value.</summary>
internal sealed class SettingsException(string message) : Exception(message);
