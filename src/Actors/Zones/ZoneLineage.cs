using System.Security.Cryptography;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// Which history a zone's versions belong to. Versions count the events of one journal stream; a zone created again
/// (after a deletion, or after its journal history was lost and it was rebuilt from a backup) starts a new history
/// whose versions may repeat or go below the old ones. Each history has its own lineage id, minted by the zone actor
/// when the history starts (<see cref="ZoneEvents.ZoneCreated"/>) and carried by every delta, view, catalog report and
/// edge copy: an edge never patches content of one lineage with a delta of another, it takes the new lineage whole.
/// </summary>
internal static class ZoneLineage
{
    /// <summary>The lineage of everything written before lineages existed (old journals, snapshots, edge copies): an
    /// upgrade reads it for every zone on both sides, so it never looks like a change of history.</summary>
    public const string Legacy = "";

    /// <summary>A fresh lineage: 64 random bits as 16 hex digits. Called by the zone actor only (the pure state is given it).</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A lineage derived from the zone and the time of its creation, for callers of the pure state that pass
    /// none (tests, tools): never <see cref="Legacy"/>, and distinct for two creations at different times.</summary>
    public static string Derive(ZoneId id, DateTimeOffset at)
    {
        var bytes = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{id.Value}/{at.UtcTicks}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 8));
    }

    /// <summary>For logs and problems: "legacy" for the empty lineage.</summary>
    public static string Describe(string lineage) => lineage.Length == 0 ? "legacy" : lineage;
}
