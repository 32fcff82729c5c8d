using System.Collections.Immutable;
using System.Globalization;
using static AkkaDns.Actors.Zones.FleetGuardProtocol;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// What the <see cref="FleetGuard"/> knows, pure and immutable: the zone deletions and replacements counted in the
/// fleet window, every zone's held changes (as the zones reported them) and the held fleet restores.
/// </summary>
internal sealed record FleetGuardState
{
    public ImmutableList<FleetChangeCounted> Window { get; init; } = [];
    public ImmutableDictionary<ZoneId, ZoneHeldChangesSet> Zones { get; init; } = ImmutableDictionary<ZoneId, ZoneHeldChangesSet>.Empty;
    public ImmutableList<HeldRestore> Restores { get; init; } = [];

    public static readonly FleetGuardState Empty = new();

    /// <summary>Deletions and replacements counted within <paramref name="window"/> before <paramref name="now"/>.</summary>
    public int InWindow(DateTimeOffset now, TimeSpan window) => Window.Count(c => c.At > now - window);

    /// <summary>Why the next zone deletion or replacement must be held, or null when the window has room for it.</summary>
    public string? Refusal(DateTimeOffset now, BlastRadiusSettings settings, bool deletion)
    {
        if (!settings.FleetWindowOn) return null;
        var count = InWindow(now, settings.FleetWindow);
        if (count < settings.FleetMaxZoneChanges) return null;
        return $"held: {count} zone deletions or whole-zone replacements across the fleet in the last {Span(settings.FleetWindow)}, "
             + $"the fleet-wide limit is {settings.FleetMaxZoneChanges}; this {(deletion ? "deletion" : "replacement")} waits for confirmation";
    }

    /// <summary>Held changes still waiting (not expired) in every zone.</summary>
    public int HeldZoneChanges(DateTimeOffset now) => Zones.Values.Sum(z => z.Held.Count(h => now < h.ExpiresAt));

    public int HeldRestores(DateTimeOffset now) => Restores.Count(r => !r.IsExpired(now));

    public FleetGuardState Apply(object e) => e switch
    {
        FleetChangeCounted c => this with { Window = Window.Add(c) },
        // Kept when empty too: its version orders a late retry of an older report (which must not bring changes back).
        ZoneHeldChangesSet z => this with { Zones = Zones.SetItem(z.ZoneId, z) },
        RestoreHeldStored r => this with { Restores = Restores.Add(r.Restore) },
        RestoreResolved r => this with { Restores = Restores.RemoveAll(x => x.Id == r.Id) },
        _ => throw new ArgumentException($"unknown fleet guard event {e.GetType().Name}"),
    };

    /// <summary>Drops window entries older than the window (they count no more) and, from the snapshot, nothing else.</summary>
    public FleetGuardState Prune(DateTimeOffset now, TimeSpan window) =>
        Window.Count > 0 && Window[0].At <= now - window ? this with { Window = Window.RemoveAll(c => c.At <= now - window) } : this;

    /// <summary>Whether a zone's report changes what is known (a stale or repeated report does not).</summary>
    public bool IsNews(ReportHeldChanges r) =>
        Zones.TryGetValue(r.ZoneId, out var known)
            ? r.Version > known.Version && !known.Held.SequenceEqual(r.Held)
            : r.Held.Count > 0;

    public FleetGuardSnapshot ToSnapshot() => new([.. Window], [.. Zones.Values], [.. Restores]);

    public static FleetGuardState From(FleetGuardSnapshot s) => new()
    {
        Window = [.. s.Window],
        Zones = s.Zones.ToImmutableDictionary(z => z.ZoneId),
        Restores = [.. s.Restores],
    };

    private static string Span(TimeSpan t) =>
        t.TotalHours >= 1 && t.TotalHours % 1 == 0 ? t.TotalHours.ToString(CultureInfo.InvariantCulture) + "h"
        : t.TotalMinutes >= 1 && t.TotalMinutes % 1 == 0 ? t.TotalMinutes.ToString(CultureInfo.InvariantCulture) + "m"
        : t.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
