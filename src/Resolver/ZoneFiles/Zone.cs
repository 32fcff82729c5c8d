using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>Where a record came from in a master file (for error messages).</summary>
public readonly record struct SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>A zone's content: its origin and its records (class IN). Immutable.</summary>
public sealed class Zone
{
    public Zone(DnsName origin, IReadOnlyList<ResourceRecord> records, IReadOnlyList<SourceLocation>? locations = null)
    {
        Origin = origin; Records = records; Locations = locations;
    }

    public DnsName Origin { get; }
    public IReadOnlyList<ResourceRecord> Records { get; }
    /// <summary>Optional, parallel to <see cref="Records"/>: where each record was read.</summary>
    public IReadOnlyList<SourceLocation>? Locations { get; }
}
