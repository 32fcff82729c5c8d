namespace AkkaDns.Cluster.Api;

/// <summary>One cluster member as the membership verbs show it (Petabridge.Cmd's columns).</summary>
internal sealed record MemberJson(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable);

internal sealed record MembersJson(IReadOnlyList<MemberJson> Members, int Count, string? Leader);

internal sealed record ClusterStatusJson(MemberJson Self, string? Leader, bool IsLeader, IReadOnlyList<string> Unreachable);

internal sealed record LeaderJson(string? Leader);

internal sealed record ClusterVerbJson(string Verb, IReadOnlyList<string> Addresses, string Message);

/// <summary>One membership event for <c>cluster tail</c>.</summary>
internal sealed record MemberEventJson(DateTimeOffset At, string Event, string Address, IReadOnlyList<string> Roles, string Status);

internal sealed record RegionsJson(IReadOnlyList<string> Regions);

internal sealed record RegionNodeJson(string Address, int Shards, int Entities);

internal sealed record RegionStatsJson(string Region, IReadOnlyList<RegionNodeJson> Nodes, int Shards, int Entities, IReadOnlyList<string> Failed);

internal sealed record ActorSystemJson(string Name, string Address, double UptimeSeconds, DateTimeOffset StartedAt, string AkkaVersion, string AkkaDnsVersion, IReadOnlyList<string> Roles);
