using AkkaDns.Actors.Secondaries;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.Safeguards;
using AkkaDns.Cluster.Transfers;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using Microsoft.Extensions.Logging;
using SerialArithmetic = AkkaDns.Actors.Zones.SerialNumber;

namespace AkkaDns.Cluster.Secondaries;

/// <summary>
/// One refresh of a secondary zone (RFC 1034 §4.3.5): the SOA of each primary in turn until one answers; when its
/// serial is newer than ours, a transfer from it (IXFR from our copy, AXFR when we have none or the primary cannot),
/// committed through the zone service as ONE change (a create for the first copy, a replace after), so the zone's
/// rules, the public-suffix rule and the blast-radius guard judge it like any change, and the journal, history and
/// rollback hold it. A refused, broken or empty transfer changes nothing: the edges keep serving the last version.
/// </summary>
internal sealed class SecondaryWork(Lazy<IZoneService> zoneService, TransferConfigView view, TransferClient client, ILogger log) : ISecondaryWork
{
    /// <summary>Resolved on first use: the refresher starts with the actor system the zone service depends on.</summary>
    private IZoneService zones => zoneService.Value;

    public async Task<SecondaryOutcome> RefreshAsync(SecondaryJob job, CancellationToken ct)
    {
        var id = job.Config.Zone;
        var name = id.Name;
        SecondaryOutcome Fail(string message, SoaTimers? t = null, uint? serial = null) => new(id, SecondaryResult.Failed, serial, t, message);

        TsigKey? key = null;
        if (job.Config.KeyName is { } keyName)
        {
            key = EdgeTransfers.ToKeys(view.Current).FirstOrDefault(k => k.Name.ToString().Equals(keyName, StringComparison.OrdinalIgnoreCase));
            if (key is null) return Fail($"AXFR-MASTER-TSIG names the key '{keyName}', which does not exist (akkadns tsig list)");
        }

        // The primary's serial we last took (the schedule keeps it after the first refresh; before, our copy's serial).
        // Compared with it, not with our zone's serial: a rollback here moves ours ahead, and must not stop the following.
        ZoneView? ours = null;
        uint? serial = job.KnownSerial;
        if (serial is null)
        {
            var got = await zones.GetAsync(name, ct);
            if (got.IsOk) { ours = got.Value; serial = ours.Serial; }
            else if (got.Error is not ZoneError.NotFound) return Fail($"our copy could not be read: {got.Error.Message}");
        }
        var timers = ours is null ? null : TimersOf(ours.Records);

        var problems = new List<string>();
        foreach (var master in job.Config.Masters)
        {
            var source = new TransferSource(master, key);
            var probe = await client.QuerySoaAsync(source, name, ct);
            if (probe.Failure != TransferFailure.None || probe.Serial is not { } theirs) { problems.Add(probe.Message); continue; }
            if (serial is { } have && !SerialArithmetic.IsGreater(theirs, have))
                return new SecondaryOutcome(id, SecondaryResult.UpToDate, have, timers, $"{master} has serial {theirs}, we have {have}");
            if (job.HeldSerial == theirs)
            {
                // Confirmed since (our serial reached theirs), or still waiting for an operator: never submitted twice.
                var now = await zones.GetAsync(name, ct);
                if (now.IsOk && !SerialArithmetic.IsGreater(theirs, now.Value.Serial))
                    return new SecondaryOutcome(id, SecondaryResult.UpToDate, now.Value.Serial, TimersOf(now.Value.Records), $"the held transfer of serial {theirs} was confirmed");
                return new SecondaryOutcome(id, SecondaryResult.Held, theirs, timers,
                    $"the transfer of serial {theirs} from {master} is held (or was rejected): confirm it (akkadns change list), or wait for a new serial");
            }

            if (ours is null && serial is not null)
            {
                var got = await zones.GetAsync(name, ct);
                if (!got.IsOk && got.Error is not ZoneError.NotFound) return Fail($"our copy could not be read: {got.Error.Message}", timers, serial);
                ours = got.IsOk ? got.Value : null;
            }
            // IXFR only from a copy that is exactly what we took (not rolled back or changed since): else AXFR.
            var copy = ours is not null && ours.Serial == serial ? new ZoneCopy(ours.Serial, ours.Records) : null;
            var transfer = await client.FetchAsync(source, name, copy, ct);
            if (transfer.Failure != TransferFailure.None || transfer.Records is null)
            {
                if (transfer.Kind == IncomingTransferKind.UpToDate && transfer.Failure == TransferFailure.None)
                    return new SecondaryOutcome(id, SecondaryResult.UpToDate, serial, timers, $"{master} answered the IXFR with our serial");
                problems.Add(transfer.Message);
                continue;
            }
            return await Commit(job, master.ToString(), ours, transfer, timers, ct);
        }
        return Fail(problems.Count == 0 ? "no primary configured" : string.Join("; ", problems), timers, serial);
    }

    private async Task<SecondaryOutcome> Commit(SecondaryJob job, string master, ZoneView? ours, IncomingTransfer transfer, SoaTimers? timers, CancellationToken ct)
    {
        var id = job.Config.Zone;
        var text = MasterFileText.Write(new ZoneView(id, 0, transfer.Serial, transfer.Records!));
        var how = $"{(transfer.Kind == IncomingTransferKind.Incremental ? "IXFR" : transfer.FellBackToAxfr ? "AXFR (IXFR fallback)" : "AXFR")} of serial {transfer.Serial} from {master}: "
            + $"{transfer.Records!.Count} records in {transfer.Messages} messages, {transfer.Bytes} bytes";
        ZoneResult<ZoneView> result;
        using (SafeguardContext.As("secondary:" + master))
            result = ours is null
                ? await zones.CreateAsync(new NewZone(id.Name, [], [], text), ct)
                : await zones.ReplaceAsync(id.Name, text, ct);
        var newTimers = TimersOf(transfer.Records!) ?? timers;
        if (result.IsOk)
        {
            if (result.Value.Serial != transfer.Serial)
                log.LogWarning("secondary {Zone}: committed as serial {Ours}, the primary's is {Theirs} (a local change or rollback moved ours ahead)",
                    id, result.Value.Serial, transfer.Serial);
            return new SecondaryOutcome(id, SecondaryResult.Committed, transfer.Serial, newTimers, how, transfer.Kind == IncomingTransferKind.Incremental);
        }
        if (result.Error is HeldChange held)
            return new SecondaryOutcome(id, SecondaryResult.Held, transfer.Serial, timers, $"{how}; held as change {held.ChangeId}: {held.Message}");
        // The zone refused the content (its rules, the public-suffix rule) or is unavailable: nothing changed.
        return new SecondaryOutcome(id, SecondaryResult.Failed, job.KnownSerial ?? ours?.Serial, timers, $"{how}; refused: {result.Error.Message}");
    }

    /// <summary>The SOA timers of a copy (the SOA is the apex record of type SOA).</summary>
    internal static SoaTimers? TimersOf(IReadOnlyList<ResourceRecord> records)
    {
        var soa = records.FirstOrDefault(r => r.Type == RecordType.SOA);
        return soa is not null && AkkaDns.Actors.Zones.SoaData.TryParse(soa.RData, out var s) ? new SoaTimers(s!.Refresh, s.Retry, s.Expire) : null;
    }
}
