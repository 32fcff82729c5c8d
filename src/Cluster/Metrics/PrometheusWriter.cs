using System.Globalization;
using System.Text;

namespace AkkaDns.Cluster.Metrics;

/// <summary>
/// Prometheus text exposition format 0.0.4, by hand (no client package): a <c># HELP</c> and <c># TYPE</c> line per
/// family, then its samples <c>name{label="value",…} number</c>. Label values are escaped (\\, \", \n).
/// </summary>
internal sealed class PrometheusWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    public PrometheusWriter Family(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    public PrometheusWriter Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0) _text.Append(',');
                _text.Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(Format(value)).Append('\n');
        return this;
    }

    /// <summary>A histogram from per-bucket (non-cumulative) counts; <paramref name="bounds"/> are the upper bounds, +Inf last implied.</summary>
    public PrometheusWriter Histogram(string name, ReadOnlySpan<double> bounds, ReadOnlySpan<long> counts, double sum, params (string Name, string Value)[] labels)
    {
        long cumulative = 0;
        var withLe = new (string, string)[labels.Length + 1];
        labels.CopyTo(withLe, 0);
        for (int i = 0; i <= bounds.Length; i++)
        {
            cumulative += counts[i];
            withLe[^1] = ("le", i < bounds.Length ? Format(bounds[i]) : "+Inf");
            Sample(name + "_bucket", cumulative, withLe);
        }
        Sample(name + "_sum", sum, labels);
        Sample(name + "_count", cumulative, labels);
        return this;
    }

    public override string ToString() => _text.ToString();

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
