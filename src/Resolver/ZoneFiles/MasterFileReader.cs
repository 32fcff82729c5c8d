using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>
/// Reads RFC 1035 §5 master files into a <see cref="Zone"/>: <c>$ORIGIN</c>, <c>$TTL</c>, <c>$INCLUDE</c>, <c>@</c>,
/// relative names, blank owners, parentheses, comments, quoted strings, TTL units, TTL/class in either order and
/// RFC 3597 <c>\#</c> RDATA. Errors are <see cref="MasterFileException"/>s naming file:line, the record and the problem.
/// </summary>
/// <remarks>
/// A record without a TTL takes the <c>$TTL</c> value when one was given (RFC 2308 §4), else the previous
/// record's TTL (RFC 1035 §5.1), else it is an error ("no TTL and no $TTL"); Knot uses $TTL and the previous TTL
/// the same way. We never fall back to the SOA MINIMUM, whose meaning RFC 2308 changed.
/// Records are kept as written (duplicates and TTL mismatches included); <see cref="ZoneValidator.Normalize"/> cleans them.
/// </remarks>
public static class MasterFileReader
{
    /// <summary>How deep <c>$INCLUDE</c> may nest (a file including itself stops here).</summary>
    public const int MaxIncludeDepth = 8;

    /// <summary>Reads zone text. When <paramref name="origin"/> is null the first <c>$ORIGIN</c> before the first
    /// record sets it. <c>$INCLUDE</c> is refused unless <paramref name="includeBaseDirectory"/> is given.</summary>
    public static Zone ReadText(string text, DnsName? origin, string sourceName = "<text>", string? includeBaseDirectory = null)
    {
        var reader = new MasterFileParser(origin, fallbackOrigin: null);
        reader.ReadSource(text, sourceName, includeBaseDirectory is null ? null : Path.GetFullPath(includeBaseDirectory), depth: 0);
        return reader.Finish(sourceName);
    }

    /// <summary>Reads a zone file. Origin: <paramref name="origin"/> if given, else the file's <c>$ORIGIN</c> before its
    /// first record, else the file name without a trailing ".zone". <c>$INCLUDE</c> works relative to the file's folder.</summary>
    public static Zone ReadFile(string path, DnsName? origin = null)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new MasterFileException(path, 0, $"cannot read the zone file: {e.Message}"); }
        var reader = new MasterFileParser(origin, () => OriginFromFileName(path));
        reader.ReadSource(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!, depth: 0);
        return reader.Finish(path);
    }

    /// <summary>"example.com.zone" → example.com.; "example.com" → example.com.</summary>
    public static DnsName OriginFromFileName(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".zone", StringComparison.OrdinalIgnoreCase)) name = name[..^5];
        if (!name.EndsWith('.')) name += ".";
        if (!DnsName.TryParse(name, null, out var origin, out var error))
            throw new MasterFileException(path, 0, $"no origin given, no $ORIGIN before the first record, and the file name does not make one: {error}");
        return origin!;
    }
}
