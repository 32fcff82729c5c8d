using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.ZoneService;

namespace AkkaDns.Cluster.Safeguards;

/// <summary>A held change as the API shows it.</summary>
internal sealed record PendingChangeView(string Id, string Zone, string Summary, string Reason, string Who, DateTimeOffset At, DateTimeOffset ExpiresAt, bool Expired);

/// <summary>
/// The held changes of every zone (each zone actor keeps its own, persisted), and their confirmation or rejection.
/// A change id is "zone@version", so confirming goes straight to the one zone that holds it.
/// </summary>
internal sealed class ChangeService(ActorSystem system, IRequiredActor<ZoneActor> zones, IRequiredActor<ZoneCatalog> catalog, NodeSettings settings)
{
    public async Task<ZoneResult<IReadOnlyList<PendingChangeView>>> ListAsync(CancellationToken ct = default)
    {
        // Both replies may come in chunks: thousands of zones, or a held import of a whole zone, exceed a frame.
        var reply = await ChunkedReply.Ask(system, catalog.ActorRef, ZoneCatalogProtocol.ListZones.Instance, settings.AskTimeout, ct);
        if (reply is null) return Timeout("the zone catalog");
        if (reply is not ZoneCatalogProtocol.ZoneList list) return new ZoneError.Unavailable($"unexpected reply from the zone catalog: {reply.GetType().Name}");
        var found = new System.Collections.Concurrent.ConcurrentBag<PendingChangeView>();
        ZoneError? failure = null;
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(list.Zones, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (entry, token) =>
        {
            switch (await ChunkedReply.Ask(system, zones.ActorRef, new PendingChanges.GetPendingChanges(entry.ZoneId), settings.AskTimeout, token))
            {
                case PendingChanges.PendingChangeList l:
                    foreach (var p in l.Changes)
                        found.Add(new PendingChangeView(p.Id, entry.ZoneId.Value, p.Summary, p.Reason, p.Who, p.At, p.ExpiresAt, p.IsExpired(now)));
                    break;
                case null: failure = Timeout($"zone {entry.ZoneId}"); break;
            }
        });
        if (failure is not null) return failure;
        return found.OrderBy(p => p.At).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    public Task<ZoneResult<ZoneCommandResult.Accepted>> ConfirmAsync(string id, string who, CancellationToken ct = default) =>
        Send(id, zone => new PendingChanges.ConfirmChange(zone, id, who), ct);

    public Task<ZoneResult<ZoneCommandResult.Accepted>> RejectAsync(string id, string who, CancellationToken ct = default) =>
        Send(id, zone => new PendingChanges.RejectChange(zone, id, who), ct);

    private async Task<ZoneResult<ZoneCommandResult.Accepted>> Send(string id, Func<ZoneId, IZoneCommand> make, CancellationToken ct)
    {
        if (!PendingChanges.TryParseId(id, out var zone)) return new ZoneError.NotFound($"'{id}' is not a change id (they look like example.com@7; see `akkadns change list`)");
        object reply;
        try { reply = await zones.ActorRef.Ask<object>(make(zone!), settings.AskTimeout, ct); }
        catch (AskTimeoutException) { return Timeout($"zone {zone}"); }
        return reply switch
        {
            ZoneCommandResult.Accepted a => a,
            ZoneCommandResult.Rejected { Reason: ZoneRejection.NotFound } r => new ZoneError.NotFound(r.Message),
            ZoneCommandResult.Rejected r when r.Problems.Any(p => p.Rule == "two-person-rule") => new ZoneError.Conflict(r.Message),
            ZoneCommandResult.Rejected r => new ZoneError.Invalid(r.Message, r.Problems.Select(p => p.ToString()).ToList()),
            PendingChanges.Held h => new HeldChange(h.Reason, h.ChangeId, h.ExpiresAt),
            var other => new ZoneError.Unavailable($"unexpected reply from zone {zone}: {other.GetType().Name}"),
        };
    }

    private ZoneError Timeout(string what) => new ZoneError.Unavailable($"{what} did not answer within {settings.AskTimeout.TotalSeconds:0.#} s");
}
