using Akka.Event;
using AkkaDns.Actors.Memory;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Datacenters;

/// <summary>
/// The one writer of an edge's <see cref="ZoneTable"/>, used on the <see cref="DatacenterActor"/>'s thread: applies
/// versions (patching the compiled zone where it can, recompiling otherwise), swaps the table entry, tells the zone
/// transfers (<see cref="IServedZoneObserver"/>: <c>Serving</c> before the swap, <c>Served</c> after) and queues the
/// local copy. Fail static: a version that does not compile is logged, reported and kept as the zone's problem, and the
/// last good version keeps serving.
/// </summary>
internal sealed class EdgeTableWriter : IDisposable
{
    private readonly DatacenterSettings _settings;
    private readonly ZoneTable _table;
    private readonly IServedZoneObserver? _observer;
    private readonly EdgeSnapshotWriter? _copies;
    private readonly ILoggingAdapter _log;
    private readonly Action<ZoneId, string> _reportFailure;
    private readonly Dictionary<ZoneId, ServedZone> _held = new();

    public EdgeTableWriter(DatacenterSettings settings, ZoneTable table, IServedZoneObserver? observer, EdgeSnapshotWriter? copies,
        ILoggingAdapter log, Action<ZoneId, string> reportFailure)
    {
        _settings = settings;
        _table = table;
        _observer = observer;
        _copies = copies;
        _log = log;
        _reportFailure = reportFailure;
    }

    /// <summary>Every zone served, as served.</summary>
    public IReadOnlyDictionary<ZoneId, ServedZone> Held => _held;

    public ServedZone? Get(ZoneId id) => _held.GetValueOrDefault(id);

    /// <summary>Applies events on top of <paramref name="from"/> (the state held, or an empty one for a new zone),
    /// compiles, and swaps the table entry. Returns why the zone must leave the table when the events deleted it (the
    /// caller removes it), else null.</summary>
    public string? Apply(ZoneId id, ZoneState from, IReadOnlyList<IZoneEvent> events)
    {
        _held.TryGetValue(id, out var held);
        var isHeld = held is not null && ReferenceEquals(held.State, from);
        if (isHeld && TryApplyIncrementally(id, events, held!))
        {
            Served(id, events);
            return null;
        }
        ZoneState next;
        try { next = events.Aggregate(isHeld ? held!.WithRecords() : from, (s, e) => s.Apply(e)); }
        catch (Exception e)
        {
            Fail(id, held, events[^1].Version, e);
            return null;
        }
        if (!next.Exists) return $"deleted at version {next.Version}";
        if (Publish(id, next, held)) Served(id, events);
        return null;
    }

    /// <summary>
    /// Changes on top of the version being served: the compiled zone takes just the changed RRsets
    /// (<see cref="CompiledZone.WithChanges"/>) instead of a whole recompile. RRset changes need nothing but the compiled
    /// zone (<see cref="IncrementalApply.TryPrepareChanges"/>); a whole-zone event reads the records back from it and
    /// compares them RRset by RRset (<see cref="IncrementalApply.TryPrepare"/>). False: not applicable, or a rule check
    /// failed; the full path then decides (and reports a real problem as before).
    /// </summary>
    private bool TryApplyIncrementally(ZoneId id, IReadOnlyList<IZoneEvent> events, ServedZone held)
    {
        if (held.Problem is not null || held.Compiled is not { } current || current.Version != held.Version) return false;
        if (!ReferenceEquals(_table.Get(id.Name), current)) return false;
        if (!IncrementalApply.TryPrepareChanges(held.State, current, events, out var next, out var updates)
            && !IncrementalApply.TryPrepare(held.WithRecords(), events, out next, out updates)) return false;
        CompiledZone compiled;
        try { compiled = current.WithChanges(updates, next.Version); }
        catch (Exception e) when (e is ZoneValidationException or ArgumentException or InvalidOperationException) { return false; }
        _observer?.Serving(id.Name, next.Serial, ServedDiffs.ForUpdates(current, compiled, updates));
        Swap(id, next, compiled, save: true);
        _observer?.Served(id.Name, next.Serial, changed: true);
        return true;
    }

    private void Served(ZoneId id, IReadOnlyList<IZoneEvent> events)
    {
        // Commit-to-served time and one structured line per applied propagation step (zone, version, datacenter).
        var lag = DateTimeOffset.UtcNow - events[^1].At;
        AkkaDns.Actors.Metrics.ActorMetrics.Propagation.Record(lag);
        _log.Info("datacenter {0}: zone {1} version {2} served ({3} event(s), {4:0.000} s after commit)",
            _settings.Name, id, events[^1].Version, events.Count, lag.TotalSeconds);
    }

    /// <summary>Publishes the compiled version and holds the state without its records (the compiled zone is their one
    /// copy on an edge); queues the local copy (fail static), written off the actor about once a second at most.</summary>
    private void Swap(ZoneId id, ZoneState state, CompiledZone compiled, bool save)
    {
        _table.Publish(compiled);
        _held[id] = new ServedZone(state with { Records = [], Recent = [], History = [] }, null) { Compiled = compiled };
        if (save)
            _copies?.Save(new EdgeSnapshot(id, state.Version, state.Serial, new CompiledRecords(compiled)) { Lineage = state.Lineage });
    }

    /// <summary>Compiles <paramref name="state"/> and swaps it in (<paramref name="previous"/>: the version served until
    /// now, for the transfers' difference). False when it did not compile (reported; the previous version stays).
    /// <paramref name="newHistory"/>: the state does not continue <paramref name="previous"/> (another lineage, or a
    /// history the zone lost): the transfers get no difference, so their IXFR history starts again (IXFR falls back to
    /// AXFR) instead of diffing two histories.</summary>
    public bool Publish(ZoneId id, ZoneState state, ServedZone? previous, bool save = true, bool newHistory = false)
    {
        CompiledZone compiled;
        try { compiled = CompiledZone.Compile(state.ToZone(), state.Version); }
        catch (Exception e)
        {
            Fail(id, previous, state.Version, e);
            return false;
        }
        _observer?.Serving(id.Name, state.Serial, previous?.Compiled is { } before && !newHistory ? ServedDiffs.Between(before, compiled) : null);
        Swap(id, state, compiled, save);
        HeapCompactor.Process.Loaded(compiled.RecordCount, _settings.CompactAfterLoadRecords, _log);
        _observer?.Served(id.Name, state.Serial, changed: previous is not null);
        return true;
    }

    /// <summary>Fail static: serve the local copy at once; the catalog and the zones then bring every zone up to date
    /// (or remove it, when the zone itself says it was deleted). With the journal down, the copy is what is served.</summary>
    public void LoadLocalCopy()
    {
        if (_copies is null) return;
        var copies = _copies.Store.LoadAll(out var problems);
        foreach (var problem in problems) _log.Warning("datacenter {0}: local copy skipped: {1}", _settings.Name, problem);
        foreach (var copy in copies) Publish(copy.ZoneId, copy.ToState(), null, save: false); // read from those very files
        if (copies.Count > 0) _log.Info("datacenter {0}: serving {1} zones from the local copy in {2} until the zones answer", _settings.Name, copies.Count, _copies.Store.Directory);
    }

    /// <summary>Keeps serving the zone's version, with <paramref name="problem"/> shown in the status.</summary>
    public void MarkProblem(ZoneId id, string problem)
    {
        if (_held.TryGetValue(id, out var held)) _held[id] = held with { Problem = problem };
    }

    private void Fail(ZoneId id, ServedZone? previous, long version, Exception e)
    {
        var problem = $"version {version} not applied: {e.Message}";
        _log.Warning("datacenter {0}: zone {1}: {2}; still serving version {3}", _settings.Name, id, problem,
            previous?.State.Version.ToString() ?? "none");
        if (previous is not null) _held[id] = previous with { Problem = problem };
        _reportFailure(id, problem);
    }

    /// <summary>The zone leaves the table, the transfers and the local copy.</summary>
    public void Remove(ZoneId id)
    {
        _table.Remove(id.Name);
        _observer?.Removed(id.Name);
        _copies?.Remove(id);
        _held.Remove(id);
    }

    public void Dispose() => _copies?.Dispose(); // writes what is queued
}
