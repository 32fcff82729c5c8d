using System.Collections.Immutable;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Propagation;

/// <summary>One change the supervisor expects every datacenter to ack.</summary>
internal readonly record struct ZoneVersionStamp(long Version, DateTimeOffset At);

/// <summary>Lag figures of one datacenter at one instant.</summary>
internal readonly record struct DatacenterLag(long VersionsBehind, TimeSpan OldestUnacked, int ZonesBehind);

/// <summary>
/// The delivery ledger: the latest version of every zone (with when each recent version was produced) and every
/// datacenter's acks and failures. Pure and immutable; the supervisor actor holds one and swaps it.
/// </summary>
internal sealed record DeliveryState(
    ImmutableDictionary<ZoneId, ImmutableList<ZoneVersionStamp>> Versions,
    ImmutableDictionary<DatacenterName, DatacenterDelivery> Datacenters)
{
    private const int FailureMemory = 10;

    public static readonly DeliveryState Empty = new(
        ImmutableDictionary<ZoneId, ImmutableList<ZoneVersionStamp>>.Empty,
        ImmutableDictionary<DatacenterName, DatacenterDelivery>.Empty);

    public long Latest(ZoneId zone) => Versions.TryGetValue(zone, out var v) && v.Count > 0 ? v[^1].Version : 0;

    /// <summary>A zone reached a new version at <paramref name="at"/> (from the zone actor's delta).</summary>
    public DeliveryState ChangeMade(ZoneId zone, long version, DateTimeOffset at)
    {
        var list = Versions.TryGetValue(zone, out var v) ? v : ImmutableList<ZoneVersionStamp>.Empty;
        if (list.Count > 0 && list[^1].Version >= version) return this;
        return Prune(this with { Versions = Versions.SetItem(zone, list.Add(new ZoneVersionStamp(version, at))) }, zone);
    }

    /// <summary>A zone was deleted: nobody owes an ack for it any more.</summary>
    public DeliveryState ZoneRemoved(ZoneId zone) => this with
    {
        Versions = Versions.Remove(zone),
        Datacenters = Datacenters.ToImmutableDictionary(kv => kv.Key, kv => kv.Value with { Acked = kv.Value.Acked.Remove(zone) }),
    };

    public DeliveryState DatacenterSeen(DatacenterName dc) =>
        Datacenters.ContainsKey(dc) ? this : this with { Datacenters = Datacenters.SetItem(dc, DatacenterDelivery.New(dc)) };

    /// <summary>A datacenter applied <paramref name="zone"/> up to <paramref name="version"/>. A success resets the failure run.</summary>
    public DeliveryState Acked(DatacenterName dc, ZoneId zone, long version, DateTimeOffset at)
    {
        var d = DatacenterSeen(dc).Datacenters[dc];
        var prev = d.Acked.TryGetValue(zone, out var p) ? p : 0;
        d = d with { Acked = d.Acked.SetItem(zone, Math.Max(prev, version)), LastAck = at, ConsecutiveFailures = 0 };
        return Prune(this with { Datacenters = Datacenters.SetItem(dc, d) }, zone);
    }

    /// <summary>A delivery to <paramref name="dc"/> failed (a transfer that never completed, an apply that threw, bad data).</summary>
    public DeliveryState Failed(DatacenterName dc, string what, DateTimeOffset at)
    {
        var d = DatacenterSeen(dc).Datacenters[dc];
        var failures = d.RecentFailures.Add($"{at:O} {what}");
        if (failures.Count > FailureMemory) failures = failures.RemoveAt(0);
        d = d with { ConsecutiveFailures = d.ConsecutiveFailures + 1, RecentFailures = failures, CaughtUpSince = null, LastFailure = at };
        return this with { Datacenters = Datacenters.SetItem(dc, d) };
    }

    /// <summary>An operator drained or re-admitted a datacenter; an operator's drain is never undone by the policy.</summary>
    public DeliveryState OperatorSet(DatacenterName dc, bool serving, DateTimeOffset at)
    {
        var d = DatacenterSeen(dc).Datacenters[dc];
        d = serving
            ? d with { Serving = true, Drain = DrainReason.None, DrainDetail = null, ConsecutiveFailures = 0 }
            : d with { Serving = false, Drain = DrainReason.Operator, DrainDetail = $"drained by an operator at {at:O}" };
        return this with { Datacenters = Datacenters.SetItem(dc, d) };
    }

    /// <summary>
    /// A drain decided before this ledger existed (read back from the replicated serving set after the supervisor
    /// moved to another node): the datacenter stays drained until the policy, or an operator, re-admits it.
    /// </summary>
    public DeliveryState DrainRestored(DatacenterName dc, DrainReason reason, string detail)
    {
        var d = DatacenterSeen(dc).Datacenters[dc];
        d = d with { Serving = false, Drain = reason == DrainReason.None ? DrainReason.Lag : reason, DrainDetail = detail, CaughtUpSince = null };
        return this with { Datacenters = Datacenters.SetItem(dc, d) };
    }

    public DatacenterLag LagOf(DatacenterName dc, DateTimeOffset now)
    {
        if (!Datacenters.TryGetValue(dc, out var d)) return default;
        long behind = 0; int zones = 0; var oldest = TimeSpan.Zero;
        foreach (var (zone, stamps) in Versions)
        {
            if (stamps.Count == 0) continue;
            long acked = d.Acked.TryGetValue(zone, out var a) ? a : 0;
            long latest = stamps[^1].Version;
            if (acked >= latest) continue;
            behind += latest - acked; zones++;
            // The first version this datacenter lacks; if it was pruned from memory, the oldest we remember.
            var firstMissing = stamps.FirstOrDefault(s => s.Version > acked);
            var age = now - firstMissing.At;
            if (age > oldest) oldest = age;
        }
        return new DatacenterLag(behind, oldest, zones);
    }

    // Forget versions every datacenter has acked (keeps the ledger small); keep the latest always.
    private static DeliveryState Prune(DeliveryState s, ZoneId zone)
    {
        if (!s.Versions.TryGetValue(zone, out var stamps) || stamps.Count <= 1 || s.Datacenters.Count == 0) return s;
        long minAck = s.Datacenters.Values.Min(d => d.Acked.TryGetValue(zone, out var a) ? a : 0);
        int drop = 0;
        while (drop < stamps.Count - 1 && stamps[drop].Version <= minAck) drop++;
        return drop == 0 ? s : s with { Versions = s.Versions.SetItem(zone, stamps.RemoveRange(0, drop)) };
    }
}
