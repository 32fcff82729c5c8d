using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.Zones;

/// <summary>The product implementation of <see cref="IZoneService"/>: asks the zone shard region, with timeouts.</summary>
internal sealed class ActorZoneService : IZoneService
{
    private static readonly ZoneError NotWired = new ZoneError.Unavailable("zone actors are not wired into this build yet");

    public Task<ZoneResult<IReadOnlyList<ZoneSummary>>> ListAsync(CancellationToken ct = default) => Task.FromResult<ZoneResult<IReadOnlyList<ZoneSummary>>>(NotWired);
    public Task<ZoneResult<ZoneView>> CreateAsync(NewZone zone, CancellationToken ct = default) => Task.FromResult<ZoneResult<ZoneView>>(NotWired);
    public Task<ZoneResult<ZoneView>> GetAsync(DnsName zone, CancellationToken ct = default) => Task.FromResult<ZoneResult<ZoneView>>(NotWired);
    public Task<ZoneResult<ZoneView>> ReplaceAsync(DnsName zone, string masterFile, CancellationToken ct = default) => Task.FromResult<ZoneResult<ZoneView>>(NotWired);
    public Task<ZoneResult<ZoneView>> PatchAsync(DnsName zone, IReadOnlyList<RRsetChange> changes, CancellationToken ct = default) => Task.FromResult<ZoneResult<ZoneView>>(NotWired);
    public Task<ZoneResult<Done>> DeleteAsync(DnsName zone, CancellationToken ct = default) => Task.FromResult<ZoneResult<Done>>(NotWired);
    public Task<ZoneResult<string>> ExportAsync(DnsName zone, CancellationToken ct = default) => Task.FromResult<ZoneResult<string>>(NotWired);
    public Task<ZoneResult<IReadOnlyList<ZoneHistoryEntry>>> HistoryAsync(DnsName zone, CancellationToken ct = default) => Task.FromResult<ZoneResult<IReadOnlyList<ZoneHistoryEntry>>>(NotWired);
}
