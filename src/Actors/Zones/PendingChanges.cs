using AkkaDns.Actors.Serialization;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// A change the blast-radius guard held: stored in the zone (event <see cref="PendingChanges.ChangeHeld"/>), applied
/// only when someone confirms it. <see cref="Id"/> is "zone@version" (e.g. "example.com@7"), so it routes to its zone.
/// <see cref="Who"/> is who made it (an API key id, never a key).
/// </summary>
public sealed record PendingChange(string Id, IZoneCommand Command, string Who, DateTimeOffset At, DateTimeOffset ExpiresAt, string Reason)
{
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    public string Summary => Command switch
    {
        ZoneCommands.ChangeRRsets c => string.Join("; ", c.Changes.Select(x => x.ToString())),
        ZoneCommands.ReplaceZone => "replace the whole zone from a master file",
        ZoneCommands.DeleteZone => "delete the zone",
        ZoneCommands.ApplyUpdate u => "DNS UPDATE: " + string.Join("; ", u.Updates.Take(10).Select(x => x.ToString()))
            + (u.Updates.Count > 10 ? $"; … ({u.Updates.Count} updates)" : ""),
        _ => Command.GetType().Name,
    };
}

public static class PendingChanges
{
    /// <summary>"example.com@7" for the change held at version 7 of example.com.</summary>
    public static string IdFor(ZoneId zone, long version) => zone.Value.TrimEnd('.') + "@" + version;

    /// <summary>The zone a change id belongs to, or false when the id is not "zone@version".</summary>
    public static bool TryParseId(string id, out ZoneId? zone)
    {
        zone = null;
        var at = id.LastIndexOf('@');
        return at > 0 && long.TryParse(id.AsSpan(at + 1), out var v) && v > 0 && ZoneId.TryParse(id[..at], out zone);
    }

    // ---- commands

    /// <summary>Apply the held change <see cref="ChangeId"/> now (as it applies to the zone's current content).</summary>
    public sealed record ConfirmChange(ZoneId ZoneId, string ChangeId, string Who) : IZoneCommand;

    /// <summary>Drop the held change <see cref="ChangeId"/>.</summary>
    public sealed record RejectChange(ZoneId ZoneId, string ChangeId, string Who) : IZoneCommand;

    /// <summary>Emergency override: <see cref="Inner"/> bypasses the blast-radius guard. Logged, and the history
    /// names it ("OVERRIDE by …").</summary>
    public sealed record OverrideGuard(IZoneCommand Inner) : IZoneCommand
    {
        public ZoneId ZoneId => Inner.ZoneId;
        public string Who => Inner.Who;
    }

    // ---- events (each bumps the version; the content does not change for Held and Rejected)

    public sealed record ChangeHeld(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial, PendingChange Change) : IZoneEvent;

    public sealed record ChangeRejected(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial, string ChangeId, string Why) : IZoneEvent;

    /// <summary>The held change <see cref="ChangeId"/>, made by <see cref="MadeBy"/>, was confirmed by <see cref="Who"/>:
    /// <see cref="Inner"/> is the change itself (same version), applied as if made directly.</summary>
    public sealed record ChangeConfirmed(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial, string ChangeId, string MadeBy, IZoneEvent Inner) : IZoneEvent;

    // ---- replies and queries

    /// <summary>The reply to a change the guard held: nothing is applied until <see cref="ChangeId"/> is confirmed.</summary>
    public sealed record Held(ZoneId ZoneId, string ChangeId, string Reason, DateTimeOffset ExpiresAt) : ZoneCommandResult(ZoneId);

    /// <summary>Replies <see cref="PendingChangeList"/>.</summary>
    public sealed record GetPendingChanges(ZoneId ZoneId) : IWithZoneId, IAkkaDnsMessage;

    public sealed record PendingChangeList(ZoneId ZoneId, IReadOnlyList<PendingChange> Changes) : IAkkaDnsMessage;
}
