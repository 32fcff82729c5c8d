using AkkaDns.Actors.Serialization;

namespace AkkaDns.Actors.Zones;

/// <summary>Sent to the <see cref="ZoneCatalog"/> singleton, which hands it to its <see cref="FleetGuard"/> child.</summary>
public interface IFleetGuardMessage : IAkkaDnsMessage;

/// <summary>A held change as the fleet guard counts it: its id and until when it can be confirmed.</summary>
public sealed record HeldEntry(string Id, DateTimeOffset ExpiresAt);

/// <summary>A fleet restore waiting for confirmation (id "restore@TICKS"), kept by the fleet guard, persisted.</summary>
public sealed record HeldRestore(string Id, DateTimeOffset ToTime, string Who, DateTimeOffset At, DateTimeOffset ExpiresAt)
{
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}

/// <summary>Messages of the <see cref="FleetGuard"/>: the fleet-wide window of zone deletions and replacements, the
/// held fleet restores, and the count of every held change in the cluster.</summary>
public static class FleetGuardProtocol
{
    // ---- zone actor → guard

    /// <summary>A zone asks before it deletes itself or replaces its whole content. <see cref="Request"/> pairs the
    /// answer with the question (a late answer to an earlier, timed-out request is ignored).</summary>
    public sealed record RequestFleetPermit(ZoneId ZoneId, long Version, bool Deletion, string Who, long Request) : IFleetGuardMessage;

    /// <summary>The answer: <see cref="Refusal"/> null = go ahead (counted in the window), else why it must be held.</summary>
    public sealed record FleetPermit(ZoneId ZoneId, long Request, string? Refusal) : IAkkaDnsMessage
    {
        public bool Granted => Refusal is null;
    }

    /// <summary>The zone's held changes now (after each hold, confirmation, rejection; after recovery); sent until acked.</summary>
    public sealed record ReportHeldChanges(ZoneId ZoneId, long Version, IReadOnlyList<HeldEntry> Held) : IFleetGuardMessage;

    public sealed record HeldChangesReported(ZoneId ZoneId, long Version) : IAkkaDnsMessage;

    // ---- API → guard: held fleet restores

    /// <summary>Replies <see cref="RestoreHeld"/>.</summary>
    public sealed record HoldRestore(DateTimeOffset ToTime, string Who, TimeSpan Ttl) : IFleetGuardMessage;

    public sealed record RestoreHeld(HeldRestore Restore) : IAkkaDnsMessage;

    /// <summary>Replies <see cref="HeldRestoreList"/>.</summary>
    public sealed record ListHeldRestores : IFleetGuardMessage
    {
        public static readonly ListHeldRestores Instance = new();
    }

    public sealed record HeldRestoreList(IReadOnlyList<HeldRestore> Restores) : IAkkaDnsMessage;

    /// <summary>Confirm (<see cref="Run"/>) or reject a held restore. A confirmation takes it out of the list at once,
    /// so it runs once, on the node that asked. Replies <see cref="RestoreResolution"/>.</summary>
    public sealed record ResolveRestore(string Id, string Who, bool Run) : IFleetGuardMessage;

    public enum RestoreOutcome : byte { Run = 1, Dropped = 2, NotFound = 3, Expired = 4, TwoPersonRule = 5 }

    /// <summary><see cref="Restore"/> is set for <see cref="RestoreOutcome.Run"/> and <see cref="RestoreOutcome.Dropped"/>.</summary>
    public sealed record RestoreResolution(RestoreOutcome Outcome, HeldRestore? Restore, string Message) : IAkkaDnsMessage;

    // ---- metrics

    /// <summary>Replies <see cref="FleetGuardStatus"/>.</summary>
    public sealed record GetFleetGuardStatus : IFleetGuardMessage
    {
        public static readonly GetFleetGuardStatus Instance = new();
    }

    /// <summary>Held changes not yet expired (zone changes, fleet restores) and the window's count and limit.</summary>
    public sealed record FleetGuardStatus(int HeldZoneChanges, int HeldRestores, int WindowChanges, int WindowLimit) : IAkkaDnsMessage
    {
        public int Held => HeldZoneChanges + HeldRestores;
    }

    // ---- the guard's journal

    public sealed record FleetChangeCounted(ZoneId ZoneId, long Version, bool Deletion, DateTimeOffset At) : IAkkaDnsMessage;

    public sealed record ZoneHeldChangesSet(ZoneId ZoneId, long Version, IReadOnlyList<HeldEntry> Held) : IAkkaDnsMessage;

    public sealed record RestoreHeldStored(HeldRestore Restore) : IAkkaDnsMessage;

    public sealed record RestoreResolved(string Id, string Who, DateTimeOffset At, bool Run) : IAkkaDnsMessage;

    public sealed record FleetGuardSnapshot(IReadOnlyList<FleetChangeCounted> Window, IReadOnlyList<ZoneHeldChangesSet> Zones,
        IReadOnlyList<HeldRestore> Restores) : IAkkaDnsMessage;
}
