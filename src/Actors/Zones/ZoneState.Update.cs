using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Update;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Zones.ZoneCommands;

namespace AkkaDns.Actors.Zones;

/// <summary>DNS UPDATE (RFC 2136) decided on the zone's own state: prerequisites, then the updates turned into the
/// RRset changes they make, decided like any <see cref="ChangeRRsets"/> (zone rules, serial step, one event).</summary>
public sealed partial record ZoneState
{
    private ZoneDecision Update(ApplyUpdate u, DateTimeOffset now)
    {
        if (!Exists) return NotFound();
        foreach (var p in u.Prerequisites)
            if (!p.Name.IsSubdomainOf(Id.Name)) return UpdateRefused(Rcode.NotZone, $"prerequisite {p.Name} is outside zone {Id}");
        foreach (var x in u.Updates)
            if (!x.Name.IsSubdomainOf(Id.Name)) return UpdateRefused(Rcode.NotZone, $"update {x.Name} is outside zone {Id}");
        if (UpdateRules.CheckPrerequisites(Records, u.Prerequisites) is { } failed) return UpdateRefused(failed.Rcode, failed.Message);
        var changes = Diff(Records, UpdateRules.Apply(Id.Name, Records, u.Updates));
        // RFC 2136 §3.4.2: an update that changes nothing (a duplicate add, a delete of nothing) succeeds; no new version.
        if (changes.Count == 0) return new ZoneDecision(new ZoneCommandResult.Accepted(Id, Version, Serial), []);
        return Change(new ChangeRRsets(Id, changes, u.Who), now);
    }

    private ZoneDecision UpdateRefused(Rcode rcode, string message) =>
        new(new ZoneCommandResult.UpdateRefused(Id, (ushort)rcode, message), []);

    /// <summary>The RRsets that differ (records or TTLs) between <paramref name="before"/> and <paramref name="after"/>:
    /// replaced with their new content, or deleted.</summary>
    internal static List<RRsetChange> Diff(IReadOnlyList<ResourceRecord> before, IReadOnlyList<ResourceRecord> after)
    {
        var old = before.GroupBy(r => (r.Owner, r.Type)).ToDictionary(g => g.Key, g => g.ToList());
        var now = after.GroupBy(r => (r.Owner, r.Type)).ToDictionary(g => g.Key, g => g.ToList());
        var changes = new List<RRsetChange>();
        foreach (var (key, set) in now)
            if (!old.TryGetValue(key, out var was) || !SameSet(was, set)) changes.Add(RRsetChange.Replace(key.Owner, key.Type, set));
        foreach (var key in old.Keys)
            if (!now.ContainsKey(key)) changes.Add(RRsetChange.Delete(key.Owner, key.Type));
        return changes;
    }

    private static bool SameSet(List<ResourceRecord> a, List<ResourceRecord> b) =>
        a.Count == b.Count && a.All(x => b.Any(y => y.Equals(x)));
}
