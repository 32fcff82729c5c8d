using Akka.Configuration;

namespace AkkaDns.Actors.Storage;

/// <summary>
/// Loads config/akkadns.conf, the HOCON defaults of every node. The file is copied next to the assemblies of every
/// project that references AkkaDns.Actors (see the csproj), so it is found at <c>{AppContext.BaseDirectory}/config</c>.
/// </summary>
internal static class AkkaDnsConfig
{
    public const string FileName = "akkadns.conf";

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "config", FileName);

    /// <summary>The defaults, without the SQL plugin's own defaults (see <see cref="PersistenceConfig.For"/>).</summary>
    public static Config LoadDefaults(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"AkkaDns HOCON defaults not found at {path} (config/{FileName} is copied to the output folder at build)", path);
        return ConfigurationFactory.ParseString(File.ReadAllText(path));
    }
}
