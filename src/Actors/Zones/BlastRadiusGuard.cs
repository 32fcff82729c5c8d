using System.Collections.Immutable;
using Akka.Configuration;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Zones;

/// <summary>The <c>akkadns.safeguards</c> section of config/akkadns.conf, typed.</summary>
public sealed record BlastRadiusSettings
{
    public const string ConfigPath = "akkadns.safeguards";

    /// <summary>Off: nothing is ever held (not recommended; the default is on).</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>A change deleting or replacing more than this share of the zone's RRsets (SOA not counted) is held...</summary>
    public double MaxShare { get; init; } = 0.25;
    /// <summary>...unless it touches fewer than this many RRsets: editing 1 of a 3-RRset zone is routine work, not a blast.</summary>
    public int ShareFloor { get; init; } = 5;
    /// <summary>A change deleting or replacing more than this many RRsets is held whatever the zone's size.</summary>
    public int MaxCount { get; init; } = 1000;
    /// <summary>Deleting a whole zone is held.</summary>
    public bool HoldZoneDeletion { get; init; } = true;
    /// <summary>How long a held change waits for confirmation; after that it can only be rejected (or made again).</summary>
    public TimeSpan PendingTtl { get; init; } = TimeSpan.FromHours(24);
    /// <summary>On: the confirmation must come from a different API key than the one that made the change.</summary>
    public bool TwoPersonRule { get; init; }
    /// <summary>Fleet-wide: the sliding window in which zone deletions and whole-zone replacements are counted
    /// across every zone and every node (one count, kept by the fleet guard singleton).</summary>
    public TimeSpan FleetWindow { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Fleet-wide: at most this many zone deletions or whole-zone replacements (that delete or change at
    /// least one RRset) are applied within <see cref="FleetWindow"/>; the next ones are held. 0 turns the fleet
    /// window off.</summary>
    public int FleetMaxZoneChanges { get; init; } = 20;
    /// <summary>How long a zone waits for the fleet guard's permit before it refuses the change (fails closed:
    /// nothing is applied). Below the API's ask-timeout, so the caller gets this error rather than its own timeout.</summary>
    public TimeSpan FleetPermitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>True when a zone deletion or replacement needs the fleet guard's permit.</summary>
    public bool FleetWindowOn => Enabled && FleetMaxZoneChanges > 0;

    public static readonly BlastRadiusSettings Default = new();

    /// <summary>Never holds anything (tools and tests that exercise other rules).</summary>
    public static readonly BlastRadiusSettings Off = new() { Enabled = false };

    public static BlastRadiusSettings FromConfig(Config config)
    {
        var d = Default;
        var c = config.GetConfig(ConfigPath);
        if (c is null || c.IsEmpty) return d;
        var s = new BlastRadiusSettings
        {
            Enabled = c.GetBoolean("guard", d.Enabled),
            MaxShare = c.GetDouble("max-share", d.MaxShare),
            ShareFloor = c.GetInt("share-floor", d.ShareFloor),
            MaxCount = c.GetInt("max-count", d.MaxCount),
            HoldZoneDeletion = c.GetBoolean("hold-zone-deletion", d.HoldZoneDeletion),
            PendingTtl = c.GetTimeSpan("pending-ttl", d.PendingTtl),
            TwoPersonRule = c.GetBoolean("two-person-rule", d.TwoPersonRule),
            FleetWindow = c.GetTimeSpan("fleet-window", d.FleetWindow),
            FleetMaxZoneChanges = c.GetInt("fleet-max-zone-changes", d.FleetMaxZoneChanges),
            FleetPermitTimeout = c.GetTimeSpan("fleet-permit-timeout", d.FleetPermitTimeout),
        };
        if (s.MaxShare is <= 0 or > 1) throw new ConfigurationException($"{ConfigPath}.max-share must be in (0, 1] (is {s.MaxShare})");
        if (s.MaxCount < 1) throw new ConfigurationException($"{ConfigPath}.max-count must be at least 1 (is {s.MaxCount})");
        if (s.PendingTtl <= TimeSpan.Zero) throw new ConfigurationException($"{ConfigPath}.pending-ttl must be positive (is {s.PendingTtl})");
        if (s.FleetWindow <= TimeSpan.Zero) throw new ConfigurationException($"{ConfigPath}.fleet-window must be positive (is {s.FleetWindow})");
        if (s.FleetMaxZoneChanges < 0) throw new ConfigurationException($"{ConfigPath}.fleet-max-zone-changes must be 0 (off) or more (is {s.FleetMaxZoneChanges})");
        if (s.FleetPermitTimeout <= TimeSpan.Zero) throw new ConfigurationException($"{ConfigPath}.fleet-permit-timeout must be positive (is {s.FleetPermitTimeout})");
        return s;
    }
}

/// <summary>How much of a zone a change touches, counted in RRsets (the SOA, whose serial always moves, is not counted).</summary>
internal sealed record BlastRadius(int RRsetsBefore, int Deleted, int Replaced, int Added)
{
    /// <summary>RRsets of the current zone that the change removes or changes.</summary>
    public int Affected => Deleted + Replaced;
    public double Share => RRsetsBefore == 0 ? 0 : (double)Affected / RRsetsBefore;

    /// <summary>"30%", whatever the culture (logs and API messages are read by scripts too).</summary>
    public static string Percent(double share) => Math.Round(share * 100).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%";

    public override string ToString() =>
        $"{Deleted} of {RRsetsBefore} RRsets deleted, {Replaced} replaced ({Percent(Share)}), {Added} added";
}

/// <summary>
/// The blast-radius guard, pure: measures what a change would do to a zone and says whether it must be held for
/// confirmation. The lesson: a bad command once turned a whole DNS database into "everything is gone" and pushed it
/// everywhere in seconds; a change that large now waits for a person.
/// </summary>
internal static class BlastRadiusGuard
{
    /// <summary>Compares the zone's content before and after a change, RRset by RRset (order and TTL-only
    /// differences inside an RRset count as a replacement, as they change answers).</summary>
    public static BlastRadius Measure(IReadOnlyList<ResourceRecord> before, IReadOnlyList<ResourceRecord> after)
    {
        var old = Group(before);
        var next = Group(after);
        int deleted = 0, replaced = 0, added = 0;
        foreach (var (key, records) in old)
        {
            if (!next.TryGetValue(key, out var now)) deleted++;
            else if (!SameSet(records, now)) replaced++;
        }
        foreach (var key in next.Keys)
            if (!old.ContainsKey(key)) added++;
        return new BlastRadius(old.Count, deleted, replaced, added);
    }

    /// <summary>Why the change must be held, or null when it may go ahead.</summary>
    public static string? Check(BlastRadius radius, BlastRadiusSettings settings)
    {
        if (!settings.Enabled) return null;
        if (radius.Affected > settings.MaxCount)
            return $"held: the change deletes or replaces {radius.Affected} RRsets, more than the limit of {settings.MaxCount} ({radius})";
        if (radius.Affected >= settings.ShareFloor && radius.Share > settings.MaxShare)
            return $"held: the change deletes or replaces {BlastRadius.Percent(radius.Share)} of the zone's RRsets, more than the limit of {BlastRadius.Percent(settings.MaxShare)} ({radius})";
        return null;
    }

    /// <summary>Why deleting the zone must be held, or null.</summary>
    public static string? CheckDeletion(int rrsets, BlastRadiusSettings settings) =>
        settings.Enabled && settings.HoldZoneDeletion
            ? $"held: deleting the zone removes all {rrsets} of its RRsets; confirm to delete it"
            : null;

    /// <summary><see cref="Measure"/> of an RRset change, both lists in <see cref="ZoneState.Order"/>'s order
    /// (<paramref name="after"/> = <paramref name="before"/> with <paramref name="changes"/>): only the changed RRsets are
    /// compared (nothing else differs; the SOA is not counted), and the RRsets before are counted as runs of the list.</summary>
    public static BlastRadius MeasureChange(ImmutableList<ResourceRecord> before, ImmutableList<ResourceRecord> after, IReadOnlyList<RRsetChange> changes, DnsName apex)
    {
        int count = 0;
        ResourceRecord? previous = null;
        foreach (var r in before)
        {
            if (r.Type == RecordType.SOA || ZoneDnssec.IsGenerated(r.Type)) continue;
            if (previous is null || previous.Type != r.Type || !previous.Owner.Equals(r.Owner)) count++;
            previous = r;
        }
        int deleted = 0, replaced = 0, added = 0;
        var seen = new HashSet<(DnsName, RecordType)>();
        // The changed RRsets: those the changes name, and those their records belong to (the same, once validated).
        foreach (var (owner, type) in changes.Select(c => (c.Owner, c.Type)).Concat(changes.SelectMany(c => c.Records).Select(r => (r.Owner, r.Type))))
        {
            if (type == RecordType.SOA || ZoneDnssec.IsGenerated(type) || !seen.Add((owner, type))) continue;
            var old = ZoneState.RRsetIn(before, apex, owner, type);
            var now = ZoneState.RRsetIn(after, apex, owner, type);
            if (old.Count > 0 && now.Count == 0) deleted++;
            else if (old.Count == 0 && now.Count > 0) added++;
            else if (old.Count > 0 && !SameSet(old, now)) replaced++;
        }
        return new BlastRadius(count, deleted, replaced, added);
    }

    private static Dictionary<(DnsName, RecordType), List<ResourceRecord>> Group(IReadOnlyList<ResourceRecord> records)
    {
        var groups = new Dictionary<(DnsName, RecordType), List<ResourceRecord>>();
        foreach (var r in records)
        {
            // The SOA changes with every version, and the DNSSEC records (RRSIG, NSEC3, DNSKEY…) with every re-signing, of
            // ours or of a primary we follow: the guard measures the operator's data, not its signatures.
            if (r.Type == RecordType.SOA || ZoneDnssec.IsGenerated(r.Type)) continue;
            var key = (r.Owner, r.Type);
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(r);
        }
        return groups;
    }

    private static bool SameSet(List<ResourceRecord> a, List<ResourceRecord> b)
    {
        if (a.Count != b.Count || a[0].Ttl != b[0].Ttl) return false;
        var set = new HashSet<ResourceRecord>(a, SameDataComparer.Instance);
        return b.All(set.Contains);
    }
}
