using AkkaDns.Cluster.ZoneService;

namespace AkkaDns.Cluster.Update;

/// <summary>A DNS UPDATE the zone stored (journaled) as <see cref="Version"/> with <see cref="Serial"/>; an update that
/// changed nothing keeps the current version.</summary>
internal sealed record UpdateApplied(long Version, uint Serial);

/// <summary>A DNS UPDATE refused by the zone with the RCODE RFC 2136 prescribes (prerequisites, NOTZONE).</summary>
internal sealed record UpdateRefusedError(string Message, ushort Rcode) : ZoneError(Message);
