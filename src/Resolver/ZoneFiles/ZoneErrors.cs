namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>A master file that cannot be read: the message names file:line, the record and what is wrong.</summary>
public sealed class MasterFileException(string file, int line, string problem)
    : Exception($"{file}:{line}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}

/// <summary>One broken zone rule: which rule, the offending record (presentation form) and why.</summary>
public sealed record ZoneProblem(string Rule, string Message, string? Record = null, SourceLocation? Location = null)
{
    public override string ToString() =>
        (Location is { } l ? l + ": " : "") + Message + (Record is null ? "" : $" (record: {Record})") + $" [{Rule}]";
}

/// <summary>A zone that breaks one or more rules.</summary>
public sealed class ZoneValidationException(IReadOnlyList<ZoneProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<ZoneProblem> Problems { get; } = problems;
}
