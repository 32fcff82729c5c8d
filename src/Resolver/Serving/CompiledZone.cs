using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.Zones;

namespace AkkaDns.Resolver.Serving;

/// <summary>
/// An immutable, query-ready form of one zone version: a name tree with pre-encoded RRsets.
/// Built once per version off the hot path; the answer path only reads it.
/// </summary>
public sealed partial class CompiledZone
{
    public DnsName Origin { get; private init; } = DnsName.Root;
    /// <summary>The zone version this snapshot was built from (0 in static mode).</summary>
    public long Version { get; private init; }
    public int RecordCount { get; private init; }

    /// <summary>Compiles a validated zone. Throws <see cref="ZoneValidationException"/> when the zone breaks a rule.</summary>
    public static CompiledZone Compile(Zone zone, long version = 0) => throw new NotImplementedException();
}
