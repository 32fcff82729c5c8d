namespace AkkaDns.Cluster.Cli;

/// <summary>Which zone a master file is for, when the operator does not say: its first $ORIGIN, else its file name.</summary>
internal static class MasterFileOrigin
{
    public static string Guess(string text, string fileName)
    {
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.StartsWith("$ORIGIN", StringComparison.OrdinalIgnoreCase))
            {
                var rest = line["$ORIGIN".Length..].Trim();
                int end = rest.IndexOfAny(' ', '\t', ';');
                return (end < 0 ? rest : rest[..end]).ToString();
            }
        }
        var name = fileName;
        foreach (var ext in new[] { ".zone", ".db", ".txt" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) name = name[..^ext.Length];
        if (name.StartsWith("db.", StringComparison.OrdinalIgnoreCase)) name = name[3..];
        if (name.Length == 0) throw new CliException(ExitCodes.Usage, $"cannot tell the zone of '{fileName}': give --zone NAME");
        return name;
    }
}
