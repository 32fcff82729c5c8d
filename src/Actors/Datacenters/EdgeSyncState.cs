using System.Collections.Immutable;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

/// <summary>What the edge does with one message about a zone (<see cref="EdgeSyncState"/>'s decisions).</summary>
internal abstract record EdgeStep
{
    /// <summary>Nothing to do: a duplicate or older version, or nothing new.</summary>
    public sealed record Ignore : EdgeStep
    {
        public static readonly Ignore Instance = new();
    }

    /// <summary>Ask the zone: its whole content, or the changes since the version held (a gap, a check).</summary>
    public sealed record Fetch(bool Full) : EdgeStep;

    /// <summary>Apply these events on top of <paramref name="From"/> (the state served, or an empty one for a new zone).</summary>
    public sealed record Apply(ZoneState From, IReadOnlyList<IZoneEvent> Events) : EdgeStep;

    /// <summary>Serve this whole content. <paramref name="Adopted"/>: it replaces a version of another history (another
    /// lineage, or one the zone lost), whatever its version (<paramref name="HeldVersion"/>: the one served until now,
    /// -1 for none); it does not continue what was served, so the IXFR history starts again.</summary>
    public sealed record Serve(ZoneState State, bool Adopted, long HeldVersion) : EdgeStep;

    /// <summary>The zone was deleted at a version newer than the one served: it leaves the table.</summary>
    public sealed record Remove(string Why) : EdgeStep;

    /// <summary>Fail static: the zone reports less than is served (its journal was lost or rolled back); keep serving,
    /// with this problem in the status.</summary>
    public sealed record KeepServing(string Problem) : EdgeStep;

    /// <summary>The zone is behind the version served: its journal lost the history followed here. Keep serving and
    /// fetch it whole; that content is then taken whatever its version.</summary>
    public sealed record HistoryLost(long ZoneVersion, long ServedVersion) : EdgeStep;
}

/// <summary>
/// How the edge follows each zone's versions (pure, immutable): it applies a <see cref="ZoneDelta"/> only on top of the
/// version it holds; on a gap it asks the zone for the missing events or, when those are gone, for the whole zone. It
/// remembers the newest version announced per zone (deltas dropped during a catch-up are fetched after it), and the
/// zones whose journal history is lost (<see cref="IsLost"/>). The caller passes what it serves (<see cref="ServedZone"/>)
/// and does the effects.
/// <para>One history per zone: versions compare only within one lineage (<see cref="ZoneLineage"/>). A delta, change
/// list or catalog report of another lineage than the one held is never applied on top of it: the zone is fetched
/// whole, and that content replaces what is held whatever its version, lower included (<see cref="EdgeStep.Serve"/>
/// with <c>Adopted</c>, which also restarts the edge's IXFR history). A "not found" of another lineage removes nothing
/// (fail static: a deletion is newer only within the lineage held).</para>
/// </summary>
internal sealed record EdgeSyncState
{
    public static readonly EdgeSyncState Empty = new();

    /// <summary>The newest version announced per zone, and the lineage it belongs to.</summary>
    private ImmutableDictionary<ZoneId, (string Lineage, long Version)> Announced { get; init; } =
        ImmutableDictionary<ZoneId, (string, long)>.Empty;
    /// <summary>Zones whose journal history is lost: the zone reported an older version than the one served (the journal
    /// database was deleted and recreated), or no zone in another lineage. The version served is kept (fail static) until
    /// the zone holds content again (a backup import, a new creation); that content is then taken whole, whatever its
    /// version, and never patched with the new history's deltas, which do not continue the version served.</summary>
    private ImmutableHashSet<ZoneId> Lost { get; init; } = ImmutableHashSet<ZoneId>.Empty;

    private EdgeSyncState() { }

    public bool IsLost(ZoneId id) => Lost.Contains(id);

    public long AnnouncedVersion(ZoneId id) => Announced.TryGetValue(id, out var a) ? a.Version : 0;

    /// <summary>The lineage of the newest announcement, null when none was heard.</summary>
    public string? AnnouncedLineage(ZoneId id) => Announced.TryGetValue(id, out var a) ? a.Lineage : null;

    /// <summary>A newer announcement in the same lineage raises the version; one in another lineage replaces it (the
    /// versions of two histories do not compare).</summary>
    private EdgeSyncState Announce(ZoneId id, string lineage, long version) =>
        this with
        {
            Announced = Announced.SetItem(id, Announced.TryGetValue(id, out var a) && a.Lineage == lineage
                ? (lineage, Math.Max(version, a.Version)) : (lineage, version)),
        };

    /// <summary>The zone's own answer (its content, its changes) says which lineage it is in now: an announcement of
    /// another lineage (an old one, late) is dropped, so that <see cref="FollowUp"/> never chases it.</summary>
    private EdgeSyncState Heard(ZoneId id, string lineage, long version) =>
        Announced.TryGetValue(id, out var a) && a.Lineage != lineage ? this with { Announced = Announced.SetItem(id, (lineage, version)) } : this;

    private static bool OtherLineage(ServedZone? held, string lineage) => held is not null && held.State.Lineage != lineage;

    /// <summary>A delta from the topic. <paramref name="inFlight"/>: an ask for the zone is in flight (its reply will
    /// bring this version or more; the delta is not applied on top of a state about to change).</summary>
    public (EdgeSyncState State, EdgeStep Step) Delta(ZoneDelta d, ServedZone? held, bool inFlight)
    {
        var s = Announce(d.ZoneId, d.Lineage, d.ToVersion);
        if (held is null)
            return (s, d.Event is ZoneEvents.ZoneCreated
                ? new EdgeStep.Apply(ZoneState.Empty(d.ZoneId) with { Lineage = d.Lineage }, [d.Event])
                : new EdgeStep.Fetch(Full: true));
        // Another history (the zone was created again): its deltas do not continue ours, whatever the versions say.
        if (OtherLineage(held, d.Lineage)) return (s, new EdgeStep.Fetch(Full: true));
        if (Lost.Contains(d.ZoneId)) return (s, new EdgeStep.Fetch(Full: true)); // a new history: take it whole
        if (d.ToVersion <= held.Version)
            // Already have it (duplicate or reordered), unless a zone we serve was created again at a version we passed
            // long ago: its journal was lost. Asking for the changes since ours tells (Changes).
            return (s, d.Event is ZoneEvents.ZoneCreated ? new EdgeStep.Fetch(Full: false) : EdgeStep.Ignore.Instance);
        if (d.FromVersion == held.Version && !inFlight) return (s, new EdgeStep.Apply(held.State, [d.Event]));
        return (s, new EdgeStep.Fetch(Full: false)); // gap: fetch the missing range
    }

    /// <summary>A delta too large for one message was announced: fetch the zone whole when it is newer than the one
    /// held, or of another lineage.</summary>
    public (EdgeSyncState State, EdgeStep Step) DeltaTooLarge(ZoneDeltaTooLarge d, ServedZone? held)
    {
        var s = Announce(d.ZoneId, d.Lineage, d.ToVersion);
        var fetch = d.ToVersion > (held?.Version ?? -1) || OtherLineage(held, d.Lineage) || Lost.Contains(d.ZoneId);
        return (s, fetch ? new EdgeStep.Fetch(Full: true) : EdgeStep.Ignore.Instance);
    }

    /// <summary>The changes since the version asked for. Call <see cref="FollowUp"/> once the step is done.</summary>
    public (EdgeSyncState State, EdgeStep Step) Changes(ZoneChanges c, ServedZone? held)
    {
        if (held is null) return (this, new EdgeStep.Fetch(Full: true));
        var s = Heard(c.ZoneId, c.Lineage, c.ToVersion);
        // Events of another history, even when their versions follow ours: never applied, the zone is taken whole.
        if (OtherLineage(held, c.Lineage)) return (s, new EdgeStep.Fetch(Full: true));
        if (c.ToVersion < held.Version)
            return (s with { Lost = Lost.Add(c.ZoneId) }, new EdgeStep.HistoryLost(c.ToVersion, held.Version));
        var missing = c.Events.Where(e => e.Version > held.Version).OrderBy(e => e.Version).ToList();
        // Nothing new in the reply (a delta that arrived while it was in flight was dropped as a gap: see FollowUp).
        if (missing.Count == 0) return (s, EdgeStep.Ignore.Instance);
        // The range must continue exactly from what is held; otherwise take the whole zone.
        for (int i = 0; i < missing.Count; i++)
            if (missing[i].Version != held.Version + 1 + i) return (s, new EdgeStep.Fetch(Full: true));
        return (s, new EdgeStep.Apply(held.State, missing));
    }

    /// <summary>The whole zone arrived. Call <see cref="FollowUp"/> once the step is done. Content of another lineage
    /// than the one held is taken whatever its version (a new history); so is content of a zone whose history was lost.</summary>
    public (EdgeSyncState State, EdgeStep Step) View(ZoneView v, ServedZone? held)
    {
        var heldVersion = held?.Version ?? -1;
        var otherLineage = OtherLineage(held, v.Lineage);
        var adopt = Lost.Contains(v.ZoneId) || otherLineage;
        var s = Heard(v.ZoneId, v.Lineage, v.Version);
        if (adopt) s = s with { Lost = s.Lost.Remove(v.ZoneId) };
        // A lost history under the same lineage id (legacy): what was announced may be the lost history's versions,
        // which FollowUp would chase for ever. Start the announcements from this content.
        if (adopt && !otherLineage) s = s with { Announced = s.Announced.SetItem(v.ZoneId, (v.Lineage, v.Version)) };
        if (v.Version <= heldVersion && !adopt) return (s, EdgeStep.Ignore.Instance);
        var state = new ZoneState
        {
            Id = v.ZoneId, Exists = true, Version = v.Version, LastSerial = v.Serial,
            Records = v.Records.ToImmutableList(), Lineage = v.Lineage,
        };
        return (s, new EdgeStep.Serve(state, adopt, heldVersion));
    }

    /// <summary>The zone says it does not exist at <see cref="ZoneNotFound.Version"/>. It leaves the table only for a
    /// deletion newer than the version held, in the lineage held.</summary>
    public (EdgeSyncState State, EdgeStep Step) NotFound(ZoneNotFound nf, ServedZone? held)
    {
        if (held is null) return (this, EdgeStep.Ignore.Instance);
        if (OtherLineage(held, nf.Lineage))
            // A deletion in another history: not newer than ours in any sense the edge can check. Fail static.
            return (this with { Lost = Lost.Add(nf.ZoneId) }, new EdgeStep.KeepServing(
                $"zone actor reports no zone (version {nf.Version} of lineage {ZoneLineage.Describe(nf.Lineage)}) while version {held.Version} of lineage "
                + $"{ZoneLineage.Describe(held.State.Lineage)} is served; another history, keeping it (fail static)"));
        if (nf.Version > held.Version) return (this, new EdgeStep.Remove($"deleted at version {nf.Version}"));
        // "Never existed" or an older version than we serve: the journal was lost or rolled back. Fail static.
        return (this with { Lost = Lost.Add(nf.ZoneId) }, new EdgeStep.KeepServing(
            $"zone actor reports no zone at version {nf.Version} while version {held.Version} is served; keeping it (fail static)"));
    }

    /// <summary>After a catch-up (changes or content applied, or not): a newer version announced meanwhile (its delta
    /// dropped as a gap) is asked for, and the whole zone when the announcement is of another lineage than the one
    /// held; nothing while the version served has a problem.</summary>
    public FetchRequest? FollowUp(ZoneId id, ServedZone? held)
    {
        if (held is null || held.Problem is not null || !Announced.TryGetValue(id, out var a)) return null;
        if (a.Lineage != held.State.Lineage) return new FetchRequest(id, Full: true);
        return a.Version > held.Version ? new FetchRequest(id, Full: false) : null;
    }

    /// <summary>The zone left the table: forget what was announced and lost.</summary>
    public EdgeSyncState Forget(ZoneId id) => this with { Announced = Announced.Remove(id), Lost = Lost.Remove(id) };
}
