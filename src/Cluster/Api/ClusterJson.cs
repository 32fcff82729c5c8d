namespace AkkaDns.Cluster.Api;

/// <summary>One cluster member as the membership verbs show it (Petabridge.Cmd's columns).</summary>
public sealed record MemberJson(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable);

public sealed record MembersJson(IReadOnlyList<MemberJson> Members, int Count, string? Leader);

public sealed record ClusterStatusJson(MemberJson Self, string? Leader, bool IsLeader, IReadOnlyList<string> Unreachable);

public sealed record LeaderJson(string? Leader);

public sealed record ClusterVerbJson(string Verb, IReadOnlyList<string> Addresses, string Message);

/// <summary>One membership event for <c>cluster tail</c>.</summary>
public sealed record MemberEventJson(DateTimeOffset At, string Event, string Address, IReadOnlyList<string> Roles, string Status);

public sealed record RegionsJson(IReadOnlyList<string> Regions);

public sealed record RegionNodeJson(string Address, int Shards, int Entities);

public sealed record RegionStatsJson(string Region, IReadOnlyList<RegionNodeJson> Nodes, int Shards, int Entities, IReadOnlyList<string> Failed);

public sealed record ActorSystemJson(string Name, string Address, double UptimeSeconds, DateTimeOffset StartedAt, string AkkaVersion, string AkkaDnsVersion, IReadOnlyList<string> Roles);
