using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>One RRset of a change: (<see cref="Owner"/>, <see cref="Type"/>) becomes <see cref="Records"/>, or is
/// deleted when <see cref="Records"/> is empty.</summary>
public sealed record RRsetUpdate(DnsName Owner, RecordType Type, IReadOnlyList<ResourceRecord> Records);
