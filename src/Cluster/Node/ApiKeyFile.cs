using System.Security.Cryptography;

namespace AkkaDns.Cluster.Node;

/// <summary>
/// Where a node's admin key comes from when none is configured: DATA/api-key, created on first start with a
/// random key and mode 600, so that the CLI on the same machine can read it and nobody else can.
/// </summary>
internal static class ApiKeyFile
{
    public const string FileName = "api-key";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    /// <summary>Reads the key from DATA/api-key, or null when the file is absent or empty.</summary>
    public static string? TryRead(string dataDir)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path)) return null;
        var key = File.ReadAllText(path).Trim();
        return key.Length == 0 ? null : key;
    }

    /// <summary>Returns the stored key, creating it first when absent. <paramref name="created"/> says which.</summary>
    public static string ReadOrCreate(string dataDir, out bool created)
    {
        created = false;
        if (TryRead(dataDir) is { } existing) return existing;
        Directory.CreateDirectory(dataDir);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var path = PathIn(dataDir);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream)) writer.WriteLine(key);
        created = true;
        return key;
    }
}
