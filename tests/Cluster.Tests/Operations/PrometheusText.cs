using System.Globalization;
using System.Text.RegularExpressions;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>
/// A strict reader of the Prometheus text format (0.0.4), for tests: every line is a HELP, a TYPE or a sample;
/// every sample belongs to a family declared by TYPE before it (histograms: _bucket with le, _sum, _count);
/// histogram buckets are cumulative and end at le="+Inf" equal to _count; counters are never negative.
/// Throws <see cref="FormatException"/> naming the line on the first violation.
/// </summary>
public sealed partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public Dictionary<string, string> Types { get; } = [];
    public List<Sample> Samples { get; } = [];

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""\G([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)""")]
    private static partial Regex LabelPair();

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        var helped = new HashSet<string>();
        var lines = text.Split('\n');
        if (lines[^1] != "") throw new FormatException("exposition must end with a newline");
        for (int n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            string Where() => $"line {n + 1}: '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var name = line[7..].Split(' ')[0];
                if (!helped.Add(name)) throw new FormatException($"{Where()}: second HELP for {name}");
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                if (parts.Length != 2 || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new FormatException($"{Where()}: bad TYPE");
                if (!result.Types.TryAdd(parts[0], parts[1])) throw new FormatException($"{Where()}: second TYPE for {parts[0]}");
                if (result.Samples.Any(s => Family(result, s.Name) == parts[0])) throw new FormatException($"{Where()}: TYPE after samples");
                continue;
            }
            if (line.StartsWith('#') || line.Length == 0) throw new FormatException($"{Where()}: neither HELP, TYPE nor sample");
            var m = SampleLine().Match(line);
            if (!m.Success) throw new FormatException($"{Where()}: not 'name{{labels}} value'");
            var labels = new Dictionary<string, string>();
            if (m.Groups[2].Success && m.Groups[2].Value.Length > 0)
            {
                int at = 0;
                var body = m.Groups[2].Value;
                while (at < body.Length)
                {
                    var pair = LabelPair().Match(body, at);
                    if (!pair.Success) throw new FormatException($"{Where()}: bad label at '{body[at..]}'");
                    if (!labels.TryAdd(pair.Groups[1].Value, pair.Groups[2].Value)) throw new FormatException($"{Where()}: label repeated");
                    at += pair.Length;
                }
            }
            var value = m.Groups[3].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"{Where()}: bad value"),
            };
            var sample = new Sample(m.Groups[1].Value, labels, value);
            var family = Family(result, sample.Name) ?? throw new FormatException($"{Where()}: no TYPE declared for {sample.Name}");
            if (result.Types[family] == "counter" && value < 0) throw new FormatException($"{Where()}: negative counter");
            if (result.Types[family] == "histogram" && sample.Name.EndsWith("_bucket", StringComparison.Ordinal) && !labels.ContainsKey("le"))
                throw new FormatException($"{Where()}: bucket without le");
            result.Samples.Add(sample);
        }
        result.CheckHistograms();
        return result;
    }

    private static string? Family(PrometheusText p, string sample)
    {
        if (p.Types.ContainsKey(sample)) return p.Types[sample] == "histogram" ? null : sample;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && p.Types.TryGetValue(sample[..^suffix.Length], out var t) && t == "histogram")
                return sample[..^suffix.Length];
        return null;
    }

    private void CheckHistograms()
    {
        foreach (var (name, _) in Types.Where(t => t.Value == "histogram"))
        {
            var buckets = Samples.Where(s => s.Name == name + "_bucket").ToList();
            if (buckets.Count == 0) continue;
            for (int i = 1; i < buckets.Count; i++)
                if (buckets[i].Value < buckets[i - 1].Value) throw new FormatException($"{name}: buckets not cumulative at le={buckets[i].Labels["le"]}");
            if (buckets[^1].Labels["le"] != "+Inf") throw new FormatException($"{name}: last bucket is not le=\"+Inf\"");
            var count = Samples.SingleOrDefault(s => s.Name == name + "_count") ?? throw new FormatException($"{name}: no _count");
            if (count.Value != buckets[^1].Value) throw new FormatException($"{name}: _count {count.Value} != +Inf bucket {buckets[^1].Value}");
            _ = Samples.SingleOrDefault(s => s.Name == name + "_sum") ?? throw new FormatException($"{name}: no _sum");
        }
    }

    /// <summary>The value of one sample whose labels include <paramref name="labels"/>; 0 when absent.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).Sum(s => s.Value);
}
