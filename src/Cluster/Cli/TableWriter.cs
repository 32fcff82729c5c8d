namespace AkkaDns.Cluster.Cli;

/// <summary>Left-aligned columns for people; the last column is never padded (content may be long).</summary>
internal sealed class TableWriter(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public TableWriter Add(params object?[] cells)
    {
        _rows.Add(cells.Select(c => c?.ToString() ?? "").ToArray());
        return this;
    }

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        Write(output, headers, widths);
        foreach (var row in _rows) Write(output, row, widths);
    }

    private static void Write(TextWriter output, string[] cells, int[] widths)
    {
        var parts = cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]));
        output.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
