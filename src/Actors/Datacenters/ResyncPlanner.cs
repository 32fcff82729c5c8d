using System.Collections.Immutable;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;

namespace AkkaDns.Actors.Datacenters;

/// <summary>A zone a listing showed ahead of what the edge serves (or not served yet), checked again a moment later.</summary>
internal readonly record struct ListedAhead(ZoneId ZoneId, long Latest, bool WasHeld);

/// <summary>What to do with one catalog listing (<see cref="ResyncPlanner.Listed"/>).</summary>
/// <param name="First">The first listing: the start-up load begins (list once more when this edge's subscription has spread).</param>
/// <param name="LoadedNow">The start-up load is complete with this listing (nothing listed was missing).</param>
/// <param name="Fetches">What to ask now, in order.</param>
/// <param name="Recheck">Zones to look at again after <see cref="ResyncPlanner.RecheckDelay"/> (<see cref="ResyncPlanner.Recheck"/>).</param>
internal sealed record ResyncPlan(bool First, bool LoadedNow, IReadOnlyList<FetchRequest> Fetches, IReadOnlyList<ListedAhead> Recheck);

/// <summary>
/// Resync against the catalog (pure, immutable; <c>now</c> passed in). A listing carries each zone's latest version
/// and its lineage (a zone held in another lineage is fetched whole at once, whatever the versions):
/// the edge fetches every zone it does not hold, and for zones it holds asks the changes since its version only where
/// that differs, a moment later (during a mass change the list is ahead of every edge by the deltas still in flight).
/// A full sweep (every zone asked, behind the catch-ups) runs at the first listing, when the catalog restarted (a new
/// incarnation), when the list has no versions, and every full-resync interval: the safety net for lost version reports.
/// Also tracks the start-up load: <see cref="Loaded"/> once every zone of the first listing has arrived.
/// </summary>
internal sealed record ResyncPlanner
{
    public TimeSpan FullResyncInterval { get; }
    /// <summary>How long after a listing the zones it showed ahead are looked at again.</summary>
    public TimeSpan RecheckDelay { get; }

    /// <summary>A first listing arrived.</summary>
    public bool HasListed { get; private init; }
    /// <summary>The catalog incarnation of the last listing.</summary>
    public string? Incarnation { get; private init; }
    public DateTimeOffset NextFullSweep { get; private init; } = DateTimeOffset.MinValue;
    /// <summary>Zones of the first listing still to arrive; null once the start-up load is complete.</summary>
    private ImmutableHashSet<ZoneId>? Initial { get; init; }

    public ResyncPlanner(TimeSpan fullResyncInterval, TimeSpan recheckDelay)
    {
        FullResyncInterval = fullResyncInterval;
        RecheckDelay = recheckDelay;
    }

    public static ResyncPlanner For(DatacenterSettings s) =>
        new(s.FullResyncInterval, TimeSpan.FromTicks(Math.Min(s.RequestTimeout.Ticks, s.ResyncInterval.Ticks / 2)));

    /// <summary>The start-up load is complete: listed once, and every zone of that listing arrived.</summary>
    public bool Loaded => HasListed && Initial is null;

    public (ResyncPlanner Planner, ResyncPlan Plan) Listed(ZoneList list, IReadOnlyDictionary<ZoneId, ServedZone> served,
        EdgeSyncState sync, DateTimeOffset now)
    {
        var next = this;
        var first = !HasListed;
        var loadedNow = false;
        if (first)
        {
            var initial = list.Zones.Select(z => z.ZoneId).Where(z => !served.ContainsKey(z)).ToImmutableHashSet();
            loadedNow = initial.IsEmpty;
            next = next with { HasListed = true, Initial = loadedNow ? null : initial };
        }
        // Without versions (an older catalog), after the catalog restarted, and every full-resync interval: ask every
        // zone. Otherwise only those whose latest version differs from the one held.
        var sweep = list.Latest is null || list.Latest.Count != list.Zones.Count || list.Incarnation != Incarnation || now >= NextFullSweep;
        next = next with { Incarnation = list.Incarnation, NextFullSweep = sweep ? now + FullResyncInterval : NextFullSweep };

        var lineages = list.Lineages is { } l && l.Count == list.Zones.Count ? l : null;
        var fetches = new List<FetchRequest>();
        var later = new List<ListedAhead>();
        var listed = new HashSet<ZoneId>(list.Zones.Count);
        for (int i = 0; i < list.Zones.Count; i++)
        {
            var id = list.Zones[i].ZoneId;
            listed.Add(id);
            var latest = sweep ? -1 : list.Latest![i]; // without a sweep the list carries a version for every zone
            var lineage = lineages?[i]; // null: the catalog has not heard (or does not know lineages)
            if (sync.IsLost(id) || first && !served.ContainsKey(id)) fetches.Add(new(id, Full: true));
            else if (!served.TryGetValue(id, out var held)) later.Add(new(id, latest, WasHeld: false));
            // Another history than the one held: its versions do not compare with ours. Take it whole, now.
            else if (lineage is not null && lineage != held.State.Lineage) fetches.Add(new(id, Full: true));
            else if (sweep) fetches.Add(new(id, Full: false, Urgent: false));
            else if (latest >= 0 && latest < held.Version) fetches.Add(new(id, Full: false)); // its history went back: ask now
            else if (latest > held.Version) later.Add(new(id, latest, WasHeld: true));
        }
        // Held but not listed: maybe deleted while a delete delta was lost. Only the zone itself may say so.
        foreach (var id in served.Keys)
            if (!listed.Contains(id)) fetches.Add(new(id, Full: true));
        return (next, new ResyncPlan(first, loadedNow, fetches, later));
    }

    /// <summary>Zones still behind the listed version a moment later (their delta was lost, not just late), or still
    /// not served: ask them (a deleted zone answers "not found": no harm).</summary>
    public static IReadOnlyList<FetchRequest> Recheck(IReadOnlyList<ListedAhead> zones, IReadOnlyDictionary<ZoneId, ServedZone> served)
    {
        var fetches = new List<FetchRequest>();
        foreach (var (id, latest, wasHeld) in zones)
        {
            if (!served.TryGetValue(id, out var held)) fetches.Add(new(id, Full: true));
            else if (wasHeld && held.Version < latest) fetches.Add(new(id, Full: false));
        }
        return fetches;
    }

    /// <summary>The zone answered (content or "not found"). <c>LoadedNow</c>: it was the last of the start-up load.</summary>
    public (ResyncPlanner Planner, bool LoadedNow) Arrived(ZoneId id)
    {
        if (Initial is null || !Initial.Contains(id)) return (this, false);
        var rest = Initial.Remove(id);
        return rest.IsEmpty ? (this with { Initial = null }, true) : (this with { Initial = rest }, false);
    }
}
