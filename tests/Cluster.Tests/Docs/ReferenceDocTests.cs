using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using System.Text.RegularExpressions;
using AkkaDns.Cluster.Cli;

namespace AkkaDns.Cluster.Tests.Docs;

/// <summary>
/// docs/reference.md against the code, so the reference cannot drift: every CLI verb (and its own options), every
/// admin API route, every <c>akkadns.*</c> key of config/*.conf and every <c>AKKADNS_*</c> variable in src/ must be
/// in the page, and every route, key and variable the page names must still exist. The sources of truth are read
/// from the code, never from a list kept here: the command tree the builders named in src/Cluster/Program.cs
/// return, the Map… calls under src/Cluster, the HOCON files, the C# sources.
/// </summary>
public sealed partial class ReferenceDocTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Doc = File.ReadAllText(Path.Combine(Root, "docs", "reference.md"));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaDns.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (AkkaDns.sln) not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> SourceFiles(string under) =>
        Directory.EnumerateFiles(Path.Combine(Root, under), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Order(StringComparer.Ordinal);

    private static void NoneMissing(IEnumerable<string> missing, string what)
    {
        var list = missing.Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(list.Count == 0, $"docs/reference.md lacks {list.Count} {what}:\n  " + string.Join("\n  ", list));
    }

    // ---- CLI verbs -------------------------------------------------------------------------------------------

    /// <summary>The top-level commands exactly as the CLI builds them (<c>CliRoot.Create</c>, which Program.cs runs).</summary>
    internal static IReadOnlyList<Command> TopLevelCommands()
    {
        var commands = AkkaDns.Cluster.Cli.CliRoot.Create().Subcommands.ToList();
        Assert.True(commands.Count >= 5, $"only {commands.Count} top-level verbs found");
        return commands;
    }

    private static IEnumerable<(string Path, Command Command)> Walk(Command command, string prefix)
    {
        var path = prefix + " " + command.Name;
        yield return (path, command);
        foreach (var sub in command.Subcommands)
            foreach (var item in Walk(sub, path)) yield return item;
    }

    internal static IReadOnlyList<(string Path, Command Command)> CommandTree() =>
        [.. TopLevelCommands().SelectMany(c => Walk(c, "akkadns"))];

    /// <summary>The text of a verb's section: from its heading <c>### `akkadns …`</c> to the next heading.</summary>
    private static string? Section(string verbPath)
    {
        var heading = "### `" + verbPath + "`";
        var lines = Doc.Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        if (start < 0) return null;
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith('#'));
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    [Fact]
    public void Every_cli_verb_has_its_own_section()
    {
        var tree = CommandTree();
        Assert.Contains(tree, t => t.Path == "akkadns zone transfer allow");
        NoneMissing(tree.Where(t => Section(t.Path) is null).Select(t => $"### `{t.Path}`"), "CLI verb sections");
    }

    [Fact]
    public void Every_option_of_a_verb_is_named_in_its_section()
    {
        var missing = new List<string>();
        foreach (var (path, command) in CommandTree())
        {
            var section = Section(path);
            if (section is null) continue; // reported by the test above
            foreach (var option in command.Options)
            {
                if (option is HelpOption or VersionOption) continue;
                if (!Regex.IsMatch(section, @"(?<![\w-])" + Regex.Escape(option.Name) + @"(?![\w-])"))
                    missing.Add($"{path} {option.Name}");
            }
        }
        NoneMissing(missing, "verb options (named in the verb's own section)");
    }

    [Fact]
    public void Every_verb_section_in_the_doc_is_a_verb_of_the_cli()
    {
        var verbs = CommandTree().Select(t => t.Path).ToHashSet(StringComparer.Ordinal);
        var stale = VerbHeading().Matches(Doc).Select(m => m.Groups["verb"].Value).Where(v => !verbs.Contains(v)).ToList();
        Assert.True(stale.Count == 0, "docs/reference.md has sections for verbs the CLI does not have:\n  " + string.Join("\n  ", stale));
    }

    // ---- Admin API routes ------------------------------------------------------------------------------------

    /// <summary>
    /// Every <c>X.Map{Get,Post,Put,Patch,Delete}(EXPR, …)</c> under src/Cluster, with the prefix of the
    /// <c>MapGroup(EXPR)</c> its receiver came from. EXPR is string literals and constants joined by <c>+</c>; the
    /// constants are read from the compiled assembly (<c>ZoneJsonMapper.ZonesPath</c>, or <c>Path</c> of the file's
    /// own class), so the routes are the ones the node really maps.
    /// </summary>
    internal static IReadOnlyList<string> CodeRoutes()
    {
        var assembly = typeof(CliVerb).Assembly;
        var routes = new List<string>();
        int mapCalls = 0;
        foreach (var file in SourceFiles(Path.Combine("src", "Cluster")))
        {
            var text = StripComments(File.ReadAllText(file));
            mapCalls += AnyMapCall().Matches(text).Count;
            var ownType = ClassName().Match(text) is { Success: true } c ? c.Groups["name"].Value : null;
            var groups = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match g in GroupDeclaration().Matches(text))
                groups[g.Groups["var"].Value] = Evaluate(g.Groups["expr"].Value, ownType, assembly, file);
            foreach (Match m in MapCall().Matches(text))
            {
                var receiver = m.Groups["receiver"].Value;
                var prefix = groups.TryGetValue(receiver, out var p) ? p : "";
                var path = prefix + Evaluate(m.Groups["expr"].Value, ownType, assembly, file);
                routes.Add(m.Groups["verb"].Value.ToUpperInvariant() + " " + path);
            }
        }
        Assert.True(routes.Count == mapCalls,
            $"{mapCalls} Map…( calls under src/Cluster but {routes.Count} understood (a MapMethods or an unusual route expression?); teach ReferenceDocTests");
        Assert.True(routes.Count >= 20, $"only {routes.Count} routes found");
        return routes;
    }

    private static string Evaluate(string expr, string? ownType, Assembly assembly, string file)
    {
        var result = "";
        foreach (var raw in expr.Split('+'))
        {
            var term = raw.Trim();
            if (term.StartsWith('"') && term.EndsWith('"') && term.Length >= 2) { result += term[1..^1]; continue; }
            var parts = term.Split('.');
            var (typeName, field) = parts.Length >= 2 ? (parts[^2], parts[^1]) : (ownType, parts[0]);
            var type = assembly.GetTypes().FirstOrDefault(t => t.Name == typeName)
                ?? throw new InvalidOperationException($"{file}: route term '{term}': type {typeName} not found");
            var value = type.GetField(field, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null) as string
                ?? throw new InvalidOperationException($"{file}: route term '{term}' is not a string constant");
            result += value;
        }
        return result;
    }

    private static string StripComments(string text) => LineComment().Replace(text, "");

    private static IEnumerable<string> DocRoutes() =>
        DocRoute().Matches(Doc).Select(m => m.Groups["verb"].Value + " " + m.Groups["path"].Value);

    [Fact]
    public void Every_api_route_is_in_the_reference()
    {
        var doc = DocRoutes().ToHashSet(StringComparer.Ordinal);
        NoneMissing(CodeRoutes().Where(r => !doc.Contains(r)).Select(r => $"`{r}`"), "admin API routes");
    }

    [Fact]
    public void Every_route_in_the_reference_exists_in_the_code()
    {
        var code = CodeRoutes().ToHashSet(StringComparer.Ordinal);
        var stale = DocRoutes().Where(r => !code.Contains(r)).Distinct().ToList();
        Assert.True(stale.Count == 0, "docs/reference.md names routes the node does not map:\n  " + string.Join("\n  ", stale));
    }

    // ---- Configuration keys ----------------------------------------------------------------------------------

    /// <summary>Every leaf key under <c>akkadns</c> in config/*.conf: a small reader of the HOCON these files use
    /// (<c>a.b {</c> blocks, <c>key = value</c>, <c>#</c> comments), each key then checked with Akka's own parser.</summary>
    internal static IReadOnlyList<string> ConfigKeys()
    {
        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "config"), "*.conf").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var stack = new Stack<string>();
            var fileKeys = new List<string>();
            foreach (var rawLine in text.Split('\n'))
            {
                var line = rawLine.Trim();
                int hash = line.IndexOf('#');
                if (hash >= 0 && !line[..hash].Contains('"')) line = line[..hash].Trim();
                if (line.Length == 0) continue;
                if (line == "}") { stack.Pop(); continue; }
                var open = BlockOpen().Match(line);
                if (open.Success) { stack.Push(open.Groups["key"].Value.Trim('"')); continue; }
                var assign = Assignment().Match(line);
                if (!assign.Success) throw new InvalidOperationException($"{file}: cannot read line '{rawLine}'; teach ReferenceDocTests");
                var full = string.Join('.', stack.Reverse().Append(assign.Groups["key"].Value.Trim('"')));
                if (full.StartsWith("akkadns.", StringComparison.Ordinal)) fileKeys.Add(full);
            }
            Assert.True(stack.Count == 0, $"{file}: unbalanced braces");
            var parsed = Akka.Configuration.ConfigurationFactory.ParseString(text);
            foreach (var key in fileKeys)
                Assert.True(parsed.HasPath(key), $"{file}: read key {key}, which Akka's HOCON parser does not see");
            keys.AddRange(fileKeys);
        }
        Assert.Contains("akkadns.node.dns", keys);
        Assert.Contains("akkadns.propagation.supervisor.max-lag", keys);
        return keys.Distinct().ToList();
    }

    private static IEnumerable<string> DocConfigKeys() =>
        DocConfigKey().Matches(Doc).Select(m => m.Groups["key"].Value)
            .Where(k => k.Split('.')[^1] is not ("db" or "conf")); // file names such as akkadns.db, not keys

    [Fact]
    public void Every_config_key_is_in_the_reference()
    {
        var doc = DocConfigKeys().ToHashSet(StringComparer.Ordinal);
        NoneMissing(ConfigKeys().Where(k => !doc.Contains(k)).Select(k => $"`{k}`"), "configuration keys of config/*.conf");
    }

    [Fact]
    public void Every_config_key_in_the_reference_exists()
    {
        var code = ConfigKeys();
        var stale = DocConfigKeys().Where(k => !code.Any(c => c == k || c.StartsWith(k + ".", StringComparison.Ordinal))).Distinct().ToList();
        Assert.True(stale.Count == 0, "docs/reference.md names akkadns.* keys no config/*.conf file has:\n  " + string.Join("\n  ", stale));
    }

    // ---- Environment variables -------------------------------------------------------------------------------

    internal static IReadOnlyList<string> CodeEnvironmentVariables()
    {
        var names = SourceFiles("src").SelectMany(f => EnvName().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .Distinct().ToList();
        Assert.Contains("AKKADNS_API_KEY", names);
        return names;
    }

    private static IEnumerable<string> DocEnvironmentVariables() =>
        DocEnvName().Matches(Doc).Select(m => m.Groups["name"].Value);

    [Fact]
    public void Every_environment_variable_the_code_reads_is_in_the_reference()
    {
        var doc = DocEnvironmentVariables().ToHashSet(StringComparer.Ordinal);
        NoneMissing(CodeEnvironmentVariables().Where(n => !doc.Contains(n)).Select(n => $"`{n}`"), "environment variables read in src/");
    }

    [Fact]
    public void Every_environment_variable_in_the_reference_is_read_by_the_code()
    {
        var code = CodeEnvironmentVariables().ToHashSet(StringComparer.Ordinal);
        // Variables only the scripts and tests read are named on this page without backticks (they live in testing.md).
        var stale = DocEnvironmentVariables().Where(n => !code.Contains(n)).Distinct().ToList();
        Assert.True(stale.Count == 0, "docs/reference.md names AKKADNS_* variables src/ does not read:\n  " + string.Join("\n  ", stale));
    }

    // ---- Patterns --------------------------------------------------------------------------------------------

    [GeneratedRegex(@"^### `(?<verb>akkadns( [^`]+)?)`\s*$", RegexOptions.Multiline)]
    private static partial Regex VerbHeading();

    [GeneratedRegex(@"\.Map(Get|Post|Put|Patch|Delete|Methods|Fallback)\(")]
    private static partial Regex AnyMapCall();

    [GeneratedRegex(@"(?<receiver>\w+)\.Map(?<verb>Get|Post|Put|Patch|Delete)\(\s*(?<expr>(""[^""]*""|[\w.]+)(\s*\+\s*(""[^""]*""|[\w.]+))*)\s*,")]
    private static partial Regex MapCall();

    [GeneratedRegex(@"var\s+(?<var>\w+)\s*=\s*\w+\.MapGroup\(\s*(?<expr>[^;]*?)\s*\)\s*;")]
    private static partial Regex GroupDeclaration();

    [GeneratedRegex(@"\bclass\s+(?<name>\w+)")]
    private static partial Regex ClassName();

    [GeneratedRegex(@"(?<![:""])//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"`(?<verb>GET|POST|PUT|PATCH|DELETE) (?<path>/[^`\s?]*)[^`]*`")]
    private static partial Regex DocRoute();

    [GeneratedRegex(@"^(?<key>""[^""]*""|[\w.-]+)\s*\{$")]
    private static partial Regex BlockOpen();

    [GeneratedRegex(@"^(?<key>""[^""]*""|[\w.-]+)\s*[=:]")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"`(?<key>akkadns(\.[a-z][a-z0-9-]*)+)`")]
    private static partial Regex DocConfigKey();

    [GeneratedRegex(@"""(?<name>AKKADNS_[A-Z0-9_]+)")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"`(?<name>AKKADNS_[A-Z0-9_]+)`")]
    private static partial Regex DocEnvName();
}
