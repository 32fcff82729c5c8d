using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.Safeguards;

/// <summary>One zone rolled back: it now holds what it held at <see cref="ToVersion"/>, as the new <see cref="Version"/>.</summary>
internal sealed record RollbackOutcome(string Zone, long ToVersion, long Version, uint Serial);

/// <summary>What a fleet restore did, zone by zone.</summary>
internal sealed record RestoreReport(DateTimeOffset ToTime, IReadOnlyList<RollbackOutcome> RolledBack, IReadOnlyList<string> Unchanged,
    IReadOnlyList<RestoreSkip> Skipped, IReadOnlyList<RestoreSkip> Failed);

internal sealed record RestoreSkip(string Zone, string Reason);

/// <summary>
/// Point-in-time restore: replays a zone's journal to the chosen version or time (<see cref="ZoneHistoryReplay"/>)
/// and sends the result to the zone actor as a <see cref="ZoneRollback.RollbackZone"/>, a new change that is
/// validated, journaled and propagated like any other. Reads the journal directly, so it runs on nodes that can
/// reach the journal database (the zones nodes).
/// </summary>
internal sealed class RestoreService(ActorSystem system, IRequiredActor<ZoneActor> zones, IRequiredActor<ZoneCatalog> catalog, NodeSettings settings)
{
    public const string IdPrefix = FleetGuard.RestoreIdPrefix;
    private static readonly TimeSpan PendingTtl = TimeSpan.FromHours(1);

    /// <summary>The blast-radius guard treats a fleet restore as a change to confirm: it is held under an id, by the
    /// fleet guard singleton (persisted), so every node lists it and any node can confirm it.</summary>
    public async Task<ZoneResult<HeldRestore>> HoldAsync(DateTimeOffset toTime, string who, CancellationToken ct = default) =>
        await AskGuard(new FleetGuardProtocol.HoldRestore(toTime.ToUniversalTime(), who, PendingTtl), ct) switch
        {
            FleetGuardProtocol.RestoreHeld h => h.Restore,
            ZoneError e => e,
            var other => Unexpected(other),
        };

    public async Task<ZoneResult<IReadOnlyList<HeldRestore>>> PendingAsync(CancellationToken ct = default) =>
        await AskGuard(FleetGuardProtocol.ListHeldRestores.Instance, ct) switch
        {
            FleetGuardProtocol.HeldRestoreList l => l.Restores.OrderBy(p => p.At).ToList(),
            ZoneError e => e,
            var other => Unexpected(other),
        };

    /// <summary>Runs a held restore (the fleet guard checks expiry and the two-person rule, and takes it out of the
    /// list first, so it runs once whichever node confirms), or drops it when <paramref name="run"/> is false.</summary>
    public async Task<ZoneResult<RestoreReport?>> ResolveAsync(string id, string who, bool run, CancellationToken ct = default)
    {
        var reply = await AskGuard(new FleetGuardProtocol.ResolveRestore(id, who, run), ct,
            "; it may have taken the restore off the list without running it: see `akkadns change list`, ask again if it is gone");
        if (reply is ZoneError error) return error;
        if (reply is not FleetGuardProtocol.RestoreResolution r) return Unexpected(reply);
        switch (r.Outcome)
        {
            case FleetGuardProtocol.RestoreOutcome.NotFound: return new ZoneError.NotFound(r.Message);
            case FleetGuardProtocol.RestoreOutcome.Expired: return new ZoneError.Invalid(r.Message);
            case FleetGuardProtocol.RestoreOutcome.TwoPersonRule: return new ZoneError.Conflict(r.Message);
            case FleetGuardProtocol.RestoreOutcome.Dropped: return (RestoreReport?)null;
        }
        var held = r.Restore!;
        var result = await RestoreAllAsync(held.ToTime, $"{who} confirming {id} by {held.Who}", ct);
        return result.IsOk ? result.Value : result.Error;
    }

    /// <summary>One Ask to the fleet guard (through the catalog singleton) with the node's timeout.</summary>
    private async Task<object> AskGuard(IFleetGuardMessage message, CancellationToken ct, string onTimeout = "")
    {
        try { return await catalog.ActorRef.Ask<object>(message, settings.AskTimeout, ct); }
        catch (AskTimeoutException)
        {
            return new ZoneError.Unavailable($"the fleet guard (zone catalog singleton) did not answer within {settings.AskTimeout.TotalSeconds:0.#} s{onTimeout}");
        }
    }

    private static ZoneError Unexpected(object reply) => new ZoneError.Unavailable($"unexpected reply from the fleet guard: {reply.GetType().Name}");

    public async Task<ZoneResult<RollbackOutcome>> RollbackAsync(DnsName zone, RollbackTarget target, string who, CancellationToken ct = default)
    {
        var id = ZoneId.From(zone);
        ZoneState past;
        try { past = await ZoneHistoryReplay.StateAtAsync(system, id, target, ct).WaitAsync(settings.AskTimeout, ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new ZoneError.Unavailable($"cannot read the history of zone {id} from the journal: {e.Message}");
        }
        if (past.Version == 0)
            return target.Version is not null
                ? ZoneError.ZoneNotFound(id.Value)
                : new ZoneError.Invalid($"zone {id} did not exist yet at {target.Time:yyyy-MM-ddTHH:mm:ssZ}: nothing to roll back to");
        if (target.Version is { } wanted && past.Version < wanted)
            return new ZoneError.Invalid($"zone {id} has no version {wanted}: its latest version is {past.Version}");
        if (!past.Exists)
            return new ZoneError.Invalid($"zone {id} was deleted at version {past.Version} ({target}): delete the zone instead of rolling back");

        return await SendRollback(id, past, target, who, ct);
    }

    /// <summary>
    /// Rolls every zone the journal knows (deleted ones included: they come back) to its last version at or before
    /// <paramref name="toTime"/>. Zones already at that version are left alone; zones that did not exist then are
    /// skipped, never deleted (a mass deletion is exactly what a restore must not do).
    /// <para>Restore in seconds: the journal is read once for all zones (<see cref="FleetReplay"/>), then the rollbacks
    /// are sent to the zone actors many at a time (each zone is its own actor, so they persist in parallel).</para>
    /// </summary>
    public async Task<ZoneResult<RestoreReport>> RestoreAllAsync(DateTimeOffset toTime, string who, CancellationToken ct = default)
    {
        IReadOnlyDictionary<ZoneId, ZoneAt> zonesAt;
        try { zonesAt = await FleetReplay.AllAtAsync(system, toTime, ct).WaitAsync(JournalReadLimit, ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new ZoneError.Unavailable($"cannot read the zones' history from the journal: {e.Message}");
        }
        var rolled = new System.Collections.Concurrent.ConcurrentBag<RollbackOutcome>();
        var unchanged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var skipped = new System.Collections.Concurrent.ConcurrentBag<RestoreSkip>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<RestoreSkip>();
        await Parallel.ForEachAsync(zonesAt, new ParallelOptions { MaxDegreeOfParallelism = RestoreParallelism, CancellationToken = ct }, async (zone, token) =>
        {
            var (id, (past, latest)) = (zone.Key, zone.Value);
            try
            {
                if (!past.Exists)
                {
                    skipped.Add(new RestoreSkip(id.Value, past.Version == 0 ? "did not exist yet" : $"was deleted at version {past.Version}"));
                    return;
                }
                if (latest == past.Version) { unchanged.Add(id.Value); return; }
                var result = await SendRollback(id, past, RollbackTarget.ToVersion(past.Version), who, token);
                if (result.IsOk) rolled.Add(result.Value);
                else failed.Add(new RestoreSkip(id.Value, result.Error.Message));
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                failed.Add(new RestoreSkip(id.Value, e.Message));
            }
        });
        return new RestoreReport(toTime.ToUniversalTime(),
            [.. rolled.OrderBy(r => r.Zone, StringComparer.Ordinal)], [.. unchanged.Order(StringComparer.Ordinal)],
            [.. skipped.OrderBy(s => s.Zone, StringComparer.Ordinal)], [.. failed.OrderBy(s => s.Zone, StringComparer.Ordinal)]);
    }

    /// <summary>Rollbacks in flight at once during a fleet restore: enough to keep the journal busy, few enough that
    /// each one answers well within the ask timeout.</summary>
    private const int RestoreParallelism = 64;

    /// <summary>Reading every zone's history once (a million records for 10,000 zones) takes longer than one ask.</summary>
    private TimeSpan JournalReadLimit => settings.AskTimeout * 4 > TimeSpan.FromMinutes(5) ? settings.AskTimeout * 4 : TimeSpan.FromMinutes(5);

    private readonly int _chunkSize = AkkaDns.Actors.Propagation.PropagationSettings.From(system.Settings.Config).ChunkSize;

    /// <summary>The past content, sent to the zone actor as a new change (<see cref="ZoneRollback.RollbackZone"/>).</summary>
    private async Task<ZoneResult<RollbackOutcome>> SendRollback(ZoneId id, ZoneState past, RollbackTarget target, string who, CancellationToken ct)
    {
        var command = new ZoneRollback.RollbackZone(id, past.Version, target.ToString(), past.Records, who);
        object reply;
        // The rollback carries the whole zone: in chunks, the zone may live on another node (frame size).
        try { reply = await AkkaDns.Actors.Chunking.ChunkedTransport.Ask(system, zones.ActorRef, command, c => new ZoneCommandChunk(id, c), _chunkSize, settings.AskTimeout, ct); }
        catch (AskTimeoutException)
        {
            return new ZoneError.Unavailable($"zone {id} did not answer within {settings.AskTimeout.TotalSeconds:0.#} s; the rollback may or may not be stored, look at its history");
        }
        return reply switch
        {
            ZoneCommandResult.Accepted a => new RollbackOutcome(id.Value, past.Version, a.Version, a.Serial),
            ZoneCommandResult.Rejected { Reason: ZoneRejection.NotFound } r => new ZoneError.NotFound(r.Message),
            ZoneCommandResult.Rejected { Reason: ZoneRejection.Unavailable } r => new ZoneError.Unavailable(r.Message),
            ZoneCommandResult.Rejected r => new ZoneError.Invalid(r.Message, r.Problems.Select(p => p.ToString()).ToList()),
            var other => new ZoneError.Unavailable($"unexpected reply from zone {id}: {other.GetType().Name}"),
        };
    }
}
