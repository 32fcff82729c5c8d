using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Propagation;
using AkkaDns.Actors.Storage;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Node;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.ZoneService;

/// <summary>
/// The product implementation of <see cref="IZoneService"/>: asks the zone shard region (and the zone catalog for
/// the list). Ask happens only here, at the process edge, bounded by the node's ask-timeout; a timeout is
/// <see cref="ZoneError.Unavailable"/> (503): the change may or may not have been stored, the caller can look.
/// </summary>
internal sealed class ActorZoneService(ActorSystem system, IRequiredActor<ZoneActor> zones, IRequiredActor<ZoneCatalog> catalog, NodeSettings settings) : IZoneService
{
    /// <summary>The caller's API key id when the call comes from the API (history, two-person rule).</summary>
    private static string Who => Safeguards.SafeguardContext.Who ?? "admin-api";
    private TimeSpan Timeout => settings.AskTimeout;

    /// <summary>Asks the catalog which zones exist, then each zone for its current version (a few at a time).</summary>
    public async Task<ZoneResult<IReadOnlyList<ZoneSummary>>> ListAsync(CancellationToken ct = default)
    {
        // In chunks when thousands of zones make the list larger than a frame (the catalog may live on another node).
        var reply = await ChunkedReply.Ask(system, catalog.ActorRef, ZoneCatalogProtocol.ListZones.Instance, Timeout, ct) ?? TimedOut();
        if (reply is ZoneError error) return error;
        if (reply is not ZoneCatalogProtocol.ZoneList list) return Unexpected(reply);

        var summaries = new ZoneSummary?[list.Zones.Count];
        ZoneError? failure = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Zones.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            var entry = list.Zones[i];
            if (!entry.Exists) return;
            var zone = await GetAsync(entry.ZoneId.Name, token);
            if (zone.IsOk) summaries[i] = new ZoneSummary(zone.Value.Name, zone.Value.Version, zone.Value.Serial, zone.Value.Records.Count);
            else if (zone.Error is not ZoneError.NotFound) failure = zone.Error; // deleted meanwhile: just not listed
        });
        if (failure is not null) return failure;
        return summaries.OfType<ZoneSummary>().OrderBy(z => z.Name).ToList();
    }

    public async Task<ZoneResult<ZoneView>> CreateAsync(NewZone zone, CancellationToken ct = default)
    {
        var id = ZoneId.From(zone.Name);
        var result = await Command(new ZoneCommands.CreateZone(id, zone.Nameservers, zone.Records, Who, MasterFile: zone.MasterFile), ct);
        return result.IsOk ? await GetAsync(zone.Name, ct) : result.Error;
    }

    public async Task<ZoneResult<ZoneView>> GetAsync(DnsName zone, CancellationToken ct = default)
    {
        var id = ZoneId.From(zone);
        // In chunks: the zone may live on another node, and a whole large zone in one message would be dropped.
        return await ZoneFetch.Run(system, zones.ActorRef, id, Timeout, ct) switch
        {
            ZoneView v => v,
            ZoneNotFound => ZoneError.ZoneNotFound(id.Value),
            null => TimedOut(),
            var other => Unexpected(other),
        };
    }

    public async Task<ZoneResult<ZoneView>> ReplaceAsync(DnsName zone, string masterFile, CancellationToken ct = default)
    {
        var result = await Command(new ZoneCommands.ReplaceZone(ZoneId.From(zone), masterFile, Who), ct);
        return result.IsOk ? await GetAsync(zone, ct) : result.Error;
    }

    public async Task<ZoneResult<Done>> PatchAsync(DnsName zone, IReadOnlyList<RRsetChange> changes, CancellationToken ct = default)
    {
        var result = await Command(new ZoneCommands.ChangeRRsets(ZoneId.From(zone), [.. changes], Who), ct);
        return result.IsOk ? Done.Instance : result.Error;
    }

    public async Task<ZoneResult<Update.UpdateApplied>> UpdateAsync(DnsName zone, IReadOnlyList<AkkaDns.Resolver.Update.UpdatePrerequisite> prerequisites,
        IReadOnlyList<AkkaDns.Resolver.Update.UpdateOperation> updates, string who, CancellationToken ct = default)
    {
        var result = await Command(new ZoneCommands.ApplyUpdate(ZoneId.From(zone), prerequisites, updates, who), ct);
        return result.IsOk ? new Update.UpdateApplied(result.Value.Version, result.Value.Serial) : result.Error;
    }

    public async Task<ZoneResult<Done>> DeleteAsync(DnsName zone, CancellationToken ct = default)
    {
        var result = await Command(new ZoneCommands.DeleteZone(ZoneId.From(zone), Who), ct);
        return result.IsOk ? Done.Instance : result.Error;
    }

    public async Task<ZoneResult<string>> ExportAsync(DnsName zone, CancellationToken ct = default) =>
        (await GetAsync(zone, ct)).Map(MasterFileText.Write);

    public async Task<ZoneResult<IReadOnlyList<ZoneHistoryEntry>>> HistoryAsync(DnsName zone, CancellationToken ct = default)
    {
        var id = ZoneId.From(zone);
        // Up to 1000 lines of history: may exceed one frame, so the zone replies in chunks when it must.
        return await ChunkedReply.Ask(system, zones.ActorRef, new ZoneQueries.GetHistory(id), Timeout, ct) switch
        {
            null => TimedOut(),
            // A zone that never existed has an empty history; a deleted zone keeps its history.
            ZoneHistory { Entries.Count: 0 } => ZoneError.ZoneNotFound(id.Value),
            ZoneHistory h => h.Entries.Select(e => new ZoneHistoryEntry(e.Version, e.Serial, e.At, e.Kind.ToString(), e.Summary, e.Who)).ToList(),
            ZoneNotFound => ZoneError.ZoneNotFound(id.Value),
            ZoneError e => e,
            var other => Unexpected(other),
        };
    }

    public async Task<ZoneResult<DnssecView>> DnssecAsync(DnsName zone, int? privateKeyOf = null, CancellationToken ct = default)
    {
        var id = ZoneId.From(zone);
        return await Ask(zones.ActorRef, new GetDnssec(id, privateKeyOf), ct) switch
        {
            DnssecView { Exists: false } => ZoneError.ZoneNotFound(id.Value),
            DnssecView v => v,
            ZoneError e => e,
            var other => Unexpected(other),
        };
    }

    public async Task<ZoneResult<long>> DnssecAsync(DnsName zone, DnssecAction action, DnssecOptions options, CancellationToken ct = default)
    {
        var result = await Command(new DnssecCommand(ZoneId.From(zone), action, Who, options), ct);
        return result.IsOk ? result.Value.Version : result.Error;
    }

    /// <summary>Sends a command to its zone and maps the reply. A command larger than the chunk size (a big import)
    /// goes in pieces (<see cref="ZoneCommandChunk"/>): the zone may live on another node, and Akka.Remote drops any
    /// message over its frame size without a word.</summary>
    private async Task<ZoneResult<ZoneCommandResult.Accepted>> Command(IZoneCommand command, CancellationToken ct)
    {
        // A zone actor that cannot read the journal is stopped with this command unanswered: when it lives on this
        // node, its failure answers instead of the ask timeout (JournalHealth).
        var journalFailure = JournalHealth.Get(system).NextFailure(ZoneActor.PersistenceIdFor(command.ZoneId));
        var ask = AskChunked(command.ZoneId, Safeguards.SafeguardContext.Override ? new PendingChanges.OverrideGuard(command) : command, ct);
        if (await Task.WhenAny(ask, journalFailure) == journalFailure && !ask.IsCompleted)
            return new ZoneError.Unavailable(await journalFailure);
        return await ask switch
        {
            ZoneCommandResult.Accepted a => a,
            PendingChanges.Held h => new Safeguards.HeldChange(h.Reason, h.ChangeId, h.ExpiresAt),
            ZoneCommandResult.UpdateRefused u => new Update.UpdateRefusedError(u.Message, u.Rcode),
            ZoneCommandResult.Rejected r => r.Reason switch
            {
                ZoneRejection.NotFound => new ZoneError.NotFound(r.Message),
                ZoneRejection.AlreadyExists => new ZoneError.Conflict(r.Message),
                ZoneRejection.Unavailable => new ZoneError.Unavailable(r.Message),
                _ => new ZoneError.Invalid(r.Message, r.Problems.Select(p => p.ToString()).ToList()),
            },
            ZoneError e => e,
            var other => Unexpected(other),
        };
    }

    private async Task<object> AskChunked(ZoneId zone, object command, CancellationToken ct)
    {
        try
        {
            return await ChunkedTransport.Ask(system, zones.ActorRef, command, chunk => new ZoneCommandChunk(zone, chunk), _chunkSize, Timeout, ct);
        }
        catch (AskTimeoutException)
        {
            return TimedOut();
        }
    }

    /// <summary>akkadns.propagation.chunk-size (config/propagation.conf), the same bound every cross-node message keeps.</summary>
    private readonly int _chunkSize = PropagationSettings.From(system.Settings.Config).ChunkSize;

    /// <summary>One Ask with the node's timeout; a timeout or a dead region becomes <see cref="ZoneError.Unavailable"/>.</summary>
    private async Task<object> Ask(IActorRef target, object message, CancellationToken ct)
    {
        try
        {
            return await target.Ask<object>(message, Timeout, ct);
        }
        catch (AskTimeoutException)
        {
            return TimedOut();
        }
    }

    private ZoneError TimedOut() =>
        new ZoneError.Unavailable($"the zone actors did not answer within {Timeout.TotalSeconds:0.#} s; a change may or may not be stored, look before retrying"
            + (JournalHealth.Get(system).RecentFailure(TimeSpan.FromMinutes(1)) is { } journal ? $"; last journal failure on this node: {journal}" : ""));

    private static ZoneError Unexpected(object reply) => new ZoneError.Unavailable($"unexpected reply from the zone actors: {reply.GetType().Name}");
}
