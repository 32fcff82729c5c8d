using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>Loads zone files for serving: read, normalize (duplicates, RRset TTLs), validate.</summary>
public static class ZoneLoader
{
    /// <summary>Reads and validates a zone file. Throws <see cref="MasterFileException"/> for a file that cannot be read
    /// and <see cref="ZoneValidationException"/> for a zone that breaks a rule; both messages name file:line.</summary>
    public static Zone LoadFile(string path, DnsName? origin = null)
    {
        var zone = ZoneValidator.Normalize(MasterFileReader.ReadFile(path, origin));
        ZoneValidator.EnsureValid(zone);
        return zone;
    }

    /// <summary>Reads and validates zone text (as <see cref="LoadFile"/>, for text that arrives through an API).
    /// <c>$INCLUDE</c> is refused: text from the network must not read the server's files.</summary>
    public static Zone LoadText(string text, DnsName origin, string sourceName = "<text>")
    {
        var zone = ZoneValidator.Normalize(MasterFileReader.ReadText(text, origin, sourceName));
        ZoneValidator.EnsureValid(zone);
        return zone;
    }

    /// <summary>
    /// Splits a command-line zone argument: <c>ORIGIN=FILE</c> gives both, a bare <c>FILE</c> leaves the origin to the
    /// file. The text before the first '=' counts as an origin only when it has no path separator, so a path that
    /// merely contains '=' (e.g. <c>zones/a=b.zone</c>) stays a path. The origin is absolute with or without its dot.
    /// </summary>
    public static (DnsName? Origin, string Path) ParseZoneArgument(string arg)
    {
        ArgumentNullException.ThrowIfNull(arg);
        int eq = arg.IndexOf('=');
        if (eq < 0) return (null, RequirePath(arg, arg));
        string left = arg[..eq], right = arg[(eq + 1)..];
        if (left.Contains('/') || left.Contains('\\')) return (null, RequirePath(arg, arg));
        if (left.Length == 0) throw new ArgumentException($"zone argument '{arg}': the origin before '=' is empty (use ORIGIN=FILE or FILE)");
        string abs = left.EndsWith('.') ? left : left + ".";
        if (!DnsName.TryParse(abs, null, out var origin, out var error))
            throw new ArgumentException($"zone argument '{arg}': origin '{left}' is not a valid domain name: {error}");
        return (origin, RequirePath(arg, right));
    }

    private static string RequirePath(string arg, string path) =>
        string.IsNullOrWhiteSpace(path) ? throw new ArgumentException($"zone argument '{arg}' has no file (use ORIGIN=FILE or FILE)") : path;
}
