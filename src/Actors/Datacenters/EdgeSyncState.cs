using System.Collections.Immutable;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

/// <summary>What the edge does with one message about a zone (<see cref="EdgeSyncState"/>'s decisions).</summary>
public abstract record EdgeStep
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

    /// <summary>Serve this whole content. <paramref name="Adopted"/>: it replaces a version whose history the zone
    /// lost, whatever its version (<paramref name="HeldVersion"/>: the one served until now, -1 for none).</summary>
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
/// </summary>
public sealed record EdgeSyncState
{
    public static readonly EdgeSyncState Empty = new();

    /// <summary>The newest version announced by a delta, per zone.</summary>
    private ImmutableDictionary<ZoneId, long> Announced { get; init; } = ImmutableDictionary<ZoneId, long>.Empty;
    /// <summary>Zones whose journal history is lost: the zone reported an older version than the one served (the journal
    /// database was deleted and recreated). The version served is kept (fail static) until the zone holds content again
    /// (a backup import, a new creation); that content is then taken whole, whatever its version, and never patched with
    /// the new history's deltas, which do not continue the version served.</summary>
    private ImmutableHashSet<ZoneId> Lost { get; init; } = ImmutableHashSet<ZoneId>.Empty;

    private EdgeSyncState() { }

    public bool IsLost(ZoneId id) => Lost.Contains(id);

    public long AnnouncedVersion(ZoneId id) => Announced.GetValueOrDefault(id);

    private EdgeSyncState Announce(ZoneId id, long version) =>
        this with { Announced = Announced.SetItem(id, Math.Max(version, Announced.GetValueOrDefault(id))) };

    /// <summary>A delta from the topic. <paramref name="inFlight"/>: an ask for the zone is in flight (its reply will
    /// bring this version or more; the delta is not applied on top of a state about to change).</summary>
    public (EdgeSyncState State, EdgeStep Step) Delta(ZoneDelta d, ServedZone? held, bool inFlight)
    {
        var s = Announce(d.ZoneId, d.ToVersion);
        if (held is null)
            return (s, d.Event is ZoneEvents.ZoneCreated ? new EdgeStep.Apply(ZoneState.Empty(d.ZoneId), [d.Event]) : new EdgeStep.Fetch(Full: true));
        if (Lost.Contains(d.ZoneId)) return (s, new EdgeStep.Fetch(Full: true)); // a new history: take it whole
        if (d.ToVersion <= held.Version)
            // Already have it (duplicate or reordered), unless a zone we serve was created again at a version we passed
            // long ago: its journal was lost. Asking for the changes since ours tells (Changes).
            return (s, d.Event is ZoneEvents.ZoneCreated ? new EdgeStep.Fetch(Full: false) : EdgeStep.Ignore.Instance);
        if (d.FromVersion == held.Version && !inFlight) return (s, new EdgeStep.Apply(held.State, [d.Event]));
        return (s, new EdgeStep.Fetch(Full: false)); // gap: fetch the missing range
    }

    /// <summary>A delta too large for one message was announced: fetch the zone whole when it is newer than the one held.</summary>
    public (EdgeSyncState State, EdgeStep Step) DeltaTooLarge(ZoneDeltaTooLarge d, ServedZone? held)
    {
        var s = Announce(d.ZoneId, d.ToVersion);
        return (s, d.ToVersion > (held?.Version ?? -1) || Lost.Contains(d.ZoneId) ? new EdgeStep.Fetch(Full: true) : EdgeStep.Ignore.Instance);
    }

    /// <summary>The changes since the version asked for. Call <see cref="FollowUp"/> once the step is done.</summary>
    public (EdgeSyncState State, EdgeStep Step) Changes(ZoneChanges c, ServedZone? held)
    {
        if (held is null) return (this, new EdgeStep.Fetch(Full: true));
        if (c.ToVersion < held.Version)
            return (this with { Lost = Lost.Add(c.ZoneId) }, new EdgeStep.HistoryLost(c.ToVersion, held.Version));
        var missing = c.Events.Where(e => e.Version > held.Version).OrderBy(e => e.Version).ToList();
        // Nothing new in the reply (a delta that arrived while it was in flight was dropped as a gap: see FollowUp).
        if (missing.Count == 0) return (this, EdgeStep.Ignore.Instance);
        // The range must continue exactly from what is held; otherwise take the whole zone.
        for (int i = 0; i < missing.Count; i++)
            if (missing[i].Version != held.Version + 1 + i) return (this, new EdgeStep.Fetch(Full: true));
        return (this, new EdgeStep.Apply(held.State, missing));
    }

    /// <summary>The whole zone arrived. Call <see cref="FollowUp"/> once the step is done.</summary>
    public (EdgeSyncState State, EdgeStep Step) View(ZoneView v, ServedZone? held)
    {
        var heldVersion = held?.Version ?? -1;
        var adopt = Lost.Contains(v.ZoneId);
        var s = adopt ? this with { Lost = Lost.Remove(v.ZoneId) } : this;
        if (v.Version <= heldVersion && !adopt) return (s, EdgeStep.Ignore.Instance);
        var state = new ZoneState
        {
            Id = v.ZoneId, Exists = true, Version = v.Version, LastSerial = v.Serial,
            Records = v.Records.ToImmutableList(),
        };
        return (s, new EdgeStep.Serve(state, adopt, heldVersion));
    }

    /// <summary>The zone says it does not exist at <see cref="ZoneNotFound.Version"/>.</summary>
    public (EdgeSyncState State, EdgeStep Step) NotFound(ZoneNotFound nf, ServedZone? held)
    {
        if (held is null) return (this, EdgeStep.Ignore.Instance);
        if (nf.Version > held.Version) return (this, new EdgeStep.Remove($"deleted at version {nf.Version}"));
        // "Never existed" or an older version than we serve: the journal was lost or rolled back. Fail static.
        return (this with { Lost = Lost.Add(nf.ZoneId) }, new EdgeStep.KeepServing(
            $"zone actor reports no zone at version {nf.Version} while version {held.Version} is served; keeping it (fail static)"));
    }

    /// <summary>After a catch-up (changes or content applied, or not): a newer version announced meanwhile (its delta
    /// dropped as a gap) is asked for, unless the version served has a problem.</summary>
    public FetchRequest? FollowUp(ZoneId id, ServedZone? held) =>
        held is not null && held.Problem is null && Announced.GetValueOrDefault(id) > held.Version ? new FetchRequest(id, Full: false) : null;

    /// <summary>The zone left the table: forget what was announced and lost.</summary>
    public EdgeSyncState Forget(ZoneId id) => this with { Announced = Announced.Remove(id), Lost = Lost.Remove(id) };
}
