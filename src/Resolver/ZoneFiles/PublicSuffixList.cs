using System.Globalization;
using System.Reflection;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>
/// The Public Suffix List (publicsuffix.org): names under which anyone can register (com, co.nz, github.io, …).
/// AkkaDns refuses a zone whose apex is a public suffix, or above one (a TLD, the root): in the incident, bogus
/// zones for co.nz broke every name below it. Rules follow the list's algorithm: normal rules, wildcards
/// (<c>*.ck</c>), exceptions (<c>!www.ck</c>), and the implicit <c>*</c> rule that makes every TLD a suffix.
/// The list is data: <see cref="Load"/> reads any file in the list's format, so it can be replaced without a code
/// change; <see cref="Default"/> is the copy shipped inside this assembly (Debian's publicsuffix package).
/// </summary>
public sealed class PublicSuffixList
{
    private readonly HashSet<string> _rules;      // "co.nz"
    private readonly HashSet<string> _wildcards;  // "ck" for "*.ck"
    private readonly HashSet<string> _exceptions; // "www.ck" for "!www.ck"

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions, string source)
    {
        _rules = rules; _wildcards = wildcards; _exceptions = exceptions; Source = source;
    }

    /// <summary>Where the list came from (file path or "embedded").</summary>
    public string Source { get; }
    public int RuleCount => _rules.Count + _wildcards.Count + _exceptions.Count;

    private static readonly Lazy<PublicSuffixList> EmbeddedList = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AkkaDns.Resolver.public_suffix_list.dat")
            ?? throw new InvalidOperationException("embedded public suffix list missing from the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader, "embedded public_suffix_list.dat");
    });

    public static PublicSuffixList Default => EmbeddedList.Value;

    public static PublicSuffixList Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static PublicSuffixList Parse(TextReader reader, string source)
    {
        var idn = new IdnMapping();
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wild = new HashSet<string>(StringComparer.Ordinal);
        var exc = new HashSet<string>(StringComparer.Ordinal);
        int lineNo = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            // The format: one rule per line, up to the first whitespace; "//" comments; blank lines.
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith("//", StringComparison.Ordinal)) continue;
            int ws = text.IndexOfAny([' ', '\t']);
            if (ws > 0) text = text[..ws];
            bool exception = text.StartsWith('!');
            if (exception) text = text[1..];
            bool wildcard = text.StartsWith("*.", StringComparison.Ordinal);
            if (wildcard) text = text[2..];
            string ascii;
            try { ascii = idn.GetAscii(text).ToLowerInvariant(); }
            catch (ArgumentException e) { throw new FormatException($"{source}:{lineNo}: bad public suffix rule '{line.Trim()}': {e.Message}"); }
            (exception ? exc : wildcard ? wild : rules).Add(ascii);
        }
        if (rules.Count == 0) throw new FormatException($"{source}: no public suffix rules found");
        return new PublicSuffixList(rules, wild, exc, source);
    }

    /// <summary>
    /// True when <paramref name="apex"/> is a public suffix or above one (a TLD, or the root), so no zone may be
    /// created there. <paramref name="rule"/> names the list rule that matched, for the error message.
    /// </summary>
    public bool IsPublicSuffixOrAbove(DnsName apex, out string rule)
    {
        if (apex.IsRoot) { rule = "the root is above every public suffix"; return true; }
        if (apex.LabelCount == 1) { rule = $"'{Text(apex)}' is a top-level domain (implicit rule '*')"; return true; }
        var name = Text(apex);
        if (_exceptions.Contains(name)) { rule = ""; return false; }
        if (_rules.Contains(name)) { rule = $"'{name}' is listed as a public suffix (rule '{name}')"; return true; }
        var parent = name[(name.IndexOf('.') + 1)..];
        if (_wildcards.Contains(parent)) { rule = $"'{name}' matches public suffix rule '*.{parent}'"; return true; }
        rule = "";
        return false;
    }

    private static string Text(DnsName n) => n.ToString().TrimEnd('.').ToLowerInvariant();
}
