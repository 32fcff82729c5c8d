using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.ZoneService;

/// <summary>
/// The edge between the admin surface (HTTP API, CLI) and wherever zones live. The API and CLI are written
/// against this interface only, so they do not depend on the actors' message shapes or timing; the node
/// implements it by asking the zone shard region (<see cref="ActorZoneService"/>). Every call returns a value
/// or a typed <see cref="ZoneError"/>; none throws for a refused or timed-out request.
/// </summary>
internal interface IZoneService
{
    Task<ZoneResult<IReadOnlyList<ZoneSummary>>> ListAsync(CancellationToken ct = default);

    /// <summary>Creates a zone: from master-file text when <see cref="NewZone.MasterFile"/> is set, else from
    /// the name servers and records given (SOA defaults filled in by the zone).</summary>
    Task<ZoneResult<ZoneView>> CreateAsync(NewZone zone, CancellationToken ct = default);

    Task<ZoneResult<ZoneView>> GetAsync(DnsName zone, CancellationToken ct = default);

    /// <summary>Replaces the whole content of an existing zone with a master file (one change, one version).</summary>
    Task<ZoneResult<ZoneView>> ReplaceAsync(DnsName zone, string masterFile, CancellationToken ct = default);

    /// <summary>Applies RRset upserts and deletes together as ONE change: all or nothing. Answers once journaled, without
    /// the zone's content (fetching a 100k-record zone after each change was most of a PATCH's time).</summary>
    Task<ZoneResult<Done>> PatchAsync(DnsName zone, IReadOnlyList<RRsetChange> changes, CancellationToken ct = default);

    /// <summary>A DNS UPDATE (RFC 2136): prerequisites checked against the zone actor's current state, the updates
    /// applied all or nothing as ONE change; answered once journaled. Refused prerequisites give
    /// <see cref="Update.UpdateRefusedError"/> (its RCODE), a held change <see cref="Safeguards.HeldChange"/>.</summary>
    Task<ZoneResult<Update.UpdateApplied>> UpdateAsync(DnsName zone, IReadOnlyList<AkkaDns.Resolver.Update.UpdatePrerequisite> prerequisites,
        IReadOnlyList<AkkaDns.Resolver.Update.UpdateOperation> updates, string who, CancellationToken ct = default);

    Task<ZoneResult<Done>> DeleteAsync(DnsName zone, CancellationToken ct = default);

    /// <summary>The zone as RFC 1035 master-file text.</summary>
    Task<ZoneResult<string>> ExportAsync(DnsName zone, CancellationToken ct = default);

    Task<ZoneResult<IReadOnlyList<ZoneHistoryEntry>>> HistoryAsync(DnsName zone, CancellationToken ct = default);

    /// <summary>The zone's DNSSEC state and keys; with <paramref name="privateKeyOf"/>, that one key's private key too.</summary>
    Task<ZoneResult<Actors.Zones.DnssecView>> DnssecAsync(DnsName zone, int? privateKeyOf = null, CancellationToken ct = default);

    /// <summary>A DNSSEC operation (enable, disable, keys, rollover…) as one change of the zone: its new version, or a
    /// <see cref="Safeguards.HeldChange"/> when it is held for confirmation.</summary>
    Task<ZoneResult<long>> DnssecAsync(DnsName zone, Actors.Zones.DnssecAction action, Actors.Zones.DnssecOptions options, CancellationToken ct = default);
}

/// <summary>The unit result of a call that returns nothing but success.</summary>
internal sealed record Done
{
    public static readonly Done Instance = new();
}
