using System.Collections.Immutable;

namespace AkkaDns.Actors.Propagation;

/// <summary>Thresholds of the delivery supervisor (config section <c>akkadns.propagation</c>).</summary>
public sealed record LagPolicyOptions
{
    /// <summary>A datacenter whose oldest un-acked change is older than this is drained.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Consecutive delivery failures that drain a datacenter.</summary>
    public int MaxConsecutiveFailures { get; init; } = 3;
    /// <summary>How long a drained datacenter must stay caught up before it serves again.</summary>
    public TimeSpan HoldDown { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Never fewer serving datacenters than this count …</summary>
    public int FloorCount { get; init; } = 1;
    /// <summary>… nor than this share of all known datacenters (rounded up).</summary>
    public double FloorShare { get; init; } = 0.5;

    public int Floor(int total) => Math.Min(total, Math.Max(FloorCount, (int)Math.Ceiling(FloorShare * total)));
}

public enum DrainReason { None, Lag, Failures, Operator }

/// <summary>What the supervisor knows of one datacenter. Immutable.</summary>
public sealed record DatacenterDelivery(
    string Name,
    ImmutableDictionary<string, long> Acked,
    DateTimeOffset? LastAck,
    int ConsecutiveFailures,
    ImmutableList<string> RecentFailures,
    bool Serving,
    DrainReason Drain,
    string? DrainDetail,
    DateTimeOffset? CaughtUpSince)
{
    /// <summary>When the last delivery failure arrived: a failure run with nothing behind ends after a quiet hold-down.</summary>
    public DateTimeOffset? LastFailure { get; init; }

    public static DatacenterDelivery New(string name) =>
        new(name, ImmutableDictionary<string, long>.Empty, null, 0, ImmutableList<string>.Empty, true, DrainReason.None, null, null);
}

/// <summary>One change the supervisor expects every datacenter to ack.</summary>
public readonly record struct ZoneVersionStamp(long Version, DateTimeOffset At);

/// <summary>A decision of <see cref="LagPolicy.Evaluate"/>: drain, re-admit, or an alert when the floor stops a drain.</summary>
public abstract record SupervisorDecision(string Datacenter, string Why);
public sealed record DrainDecision(string Datacenter, DrainReason Reason, string Why) : SupervisorDecision(Datacenter, Why);
public sealed record UndrainDecision(string Datacenter, string Why) : SupervisorDecision(Datacenter, Why);
public sealed record FloorAlert(string Datacenter, string Why) : SupervisorDecision(Datacenter, Why);

/// <summary>Lag figures of one datacenter at one instant.</summary>
public readonly record struct DatacenterLag(long VersionsBehind, TimeSpan OldestUnacked, int ZonesBehind);

/// <summary>
/// The delivery ledger: the latest version of every zone (with when each recent version was produced) and every
/// datacenter's acks and failures. Pure and immutable; the supervisor actor holds one and swaps it.
/// </summary>
public sealed record DeliveryState(
    ImmutableDictionary<string, ImmutableList<ZoneVersionStamp>> Versions,
    ImmutableDictionary<string, DatacenterDelivery> Datacenters)
{
    private const int FailureMemory = 10;

    public static readonly DeliveryState Empty = new(
        ImmutableDictionary<string, ImmutableList<ZoneVersionStamp>>.Empty,
        ImmutableDictionary<string, DatacenterDelivery>.Empty);

    public long Latest(string zone) => Versions.TryGetValue(zone, out var v) && v.Count > 0 ? v[^1].Version : 0;

    /// <summary>A zone reached a new version at <paramref name="at"/> (from the zone actor's delta).</summary>
    public DeliveryState ChangeMade(string zone, long version, DateTimeOffset at)
    {
        var list = Versions.TryGetValue(zone, out var v) ? v : ImmutableList<ZoneVersionStamp>.Empty;
        if (list.Count > 0 && list[^1].Version >= version) return this;
        return Prune(this with { Versions = Versions.SetItem(zone, list.Add(new ZoneVersionStamp(version, at))) }, zone);
    }

    /// <summary>A zone was deleted: nobody owes an ack for it any more.</summary>
    public DeliveryState ZoneRemoved(string zone) => this with
    {
        Versions = Versions.Remove(zone),
        Datacenters = Datacenters.ToImmutableDictionary(kv => kv.Key, kv => kv.Value with { Acked = kv.Value.Acked.Remove(zone) }),
    };

    public DeliveryState DatacenterSeen(string dc) =>
        Datacenters.ContainsKey(dc) ? this : this with { Datacenters = Datacenters.SetItem(dc, DatacenterDelivery.New(dc)) };

    /// <summary>A datacenter applied <paramref name="zone"/> up to <paramref name="version"/>. A success resets the failure run.</summary>
    public DeliveryState Acked(string dc, string zone, long version, DateTimeOffset at)
    {
        var d = DatacenterSeen(dc).Datacenters[dc];
        var prev = d.Acked.TryGetValue(zone, out var p) ? p : 0;
        d = d with { Acked = d.Acked.SetItem(zone, Math.Max(prev, version)), LastAck = at, ConsecutiveFailures = 0 };
        return Prune(this with { Datacenters = Datacenters.SetItem(dc, d) }, zone);
    }

    /// <summary>A delivery to <paramref name="dc"/> failed (a transfer that never completed, an apply that threw, bad data).</summary>
    public DeliveryState Failed(string dc, string what, DateTimeOffset at)
    {
        var d = DatacenterSeen(dc).Datacenters[dc];
        var failures = d.RecentFailures.Add($"{at:O} {what}");
        if (failures.Count > FailureMemory) failures = failures.RemoveAt(0);
        d = d with { ConsecutiveFailures = d.ConsecutiveFailures + 1, RecentFailures = failures, CaughtUpSince = null, LastFailure = at };
        return this with { Datacenters = Datacenters.SetItem(dc, d) };
    }

    /// <summary>An operator drained or re-admitted a datacenter; an operator's drain is never undone by the policy.</summary>
    public DeliveryState OperatorSet(string dc, bool serving, DateTimeOffset at)
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
    public DeliveryState DrainRestored(string dc, DrainReason reason, string detail)
    {
        var d = DatacenterSeen(dc).Datacenters[dc];
        d = d with { Serving = false, Drain = reason == DrainReason.None ? DrainReason.Lag : reason, DrainDetail = detail, CaughtUpSince = null };
        return this with { Datacenters = Datacenters.SetItem(dc, d) };
    }

    public DatacenterLag LagOf(string dc, DateTimeOffset now)
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
    private static DeliveryState Prune(DeliveryState s, string zone)
    {
        if (!s.Versions.TryGetValue(zone, out var stamps) || stamps.Count <= 1 || s.Datacenters.Count == 0) return s;
        long minAck = s.Datacenters.Values.Min(d => d.Acked.TryGetValue(zone, out var a) ? a : 0);
        int drop = 0;
        while (drop < stamps.Count - 1 && stamps[drop].Version <= minAck) drop++;
        return drop == 0 ? s : s with { Versions = s.Versions.SetItem(zone, stamps.RemoveRange(0, drop)) };
    }
}

/// <summary>
/// Where lag is judged. Drains a serving datacenter that is too far behind or failing, unless that would take the
/// serving set below the floor (then it alerts instead); re-admits a datacenter the policy drained once it has
/// held the latest version of every zone, with no failure, for the hold-down time. Operator drains stay.
/// </summary>
public static class LagPolicy
{
    public static (DeliveryState State, IReadOnlyList<SupervisorDecision> Decisions) Evaluate(
        DeliveryState state, LagPolicyOptions options, DateTimeOffset now)
    {
        var decisions = new List<SupervisorDecision>();
        var dcs = state.Datacenters;
        int total = dcs.Count;
        int floor = options.Floor(total);
        int serving = dcs.Values.Count(d => d.Serving);

        // Worst first, so that when the floor allows only some drains, the laggiest go.
        var judged = dcs.Values
            .Select(d => (d, lag: state.LagOf(d.Name, now)))
            .OrderByDescending(x => x.d.ConsecutiveFailures >= options.MaxConsecutiveFailures)
            .ThenByDescending(x => x.lag.OldestUnacked)
            .ToList();

        foreach (var (d0, lag) in judged)
        {
            var d = d0;
            // A failure run ends with an ack, or (when the failures were retried and no ack follows because nothing
            // was missing: e.g. fetches that timed out while the zones node restarted) with a quiet hold-down while
            // the datacenter holds every version. Otherwise it would stay drained until the next change to a zone.
            if (d.ConsecutiveFailures > 0 && lag.VersionsBehind == 0 && d.LastFailure is { } last && now - last >= options.HoldDown)
                d = d with { ConsecutiveFailures = 0 };
            bool caughtUp = lag.VersionsBehind == 0 && d.ConsecutiveFailures == 0;
            d = d with { CaughtUpSince = caughtUp ? d.CaughtUpSince ?? now : null };

            if (d.Serving)
            {
                string? why = null; var reason = DrainReason.None;
                if (d.ConsecutiveFailures >= options.MaxConsecutiveFailures)
                { reason = DrainReason.Failures; why = $"{d.ConsecutiveFailures} delivery failures in a row (limit {options.MaxConsecutiveFailures})"; }
                else if (lag.VersionsBehind > 0 && lag.OldestUnacked > options.MaxLag)
                { reason = DrainReason.Lag; why = $"{lag.VersionsBehind} versions behind in {lag.ZonesBehind} zones, oldest un-acked change {lag.OldestUnacked.TotalSeconds:0.#} s old (limit {options.MaxLag.TotalSeconds:0.#} s)"; }

                if (why is not null)
                {
                    if (serving - 1 < floor)
                        decisions.Add(new FloorAlert(d.Name, $"should be drained ({why}) but only {serving} of {total} datacenters serve and the floor is {floor}"));
                    else
                    {
                        serving--;
                        d = d with { Serving = false, Drain = reason, DrainDetail = why };
                        decisions.Add(new DrainDecision(d.Name, reason, why));
                    }
                }
            }
            else if (d.Drain is DrainReason.Lag or DrainReason.Failures && caughtUp && now - d.CaughtUpSince >= options.HoldDown)
            {
                serving++;
                var why = $"caught up with every zone for {(now - d.CaughtUpSince!.Value).TotalSeconds:0.#} s (hold-down {options.HoldDown.TotalSeconds:0.#} s)";
                d = d with { Serving = true, Drain = DrainReason.None, DrainDetail = null };
                decisions.Add(new UndrainDecision(d.Name, why));
            }
            dcs = dcs.SetItem(d.Name, d);
        }
        return (state with { Datacenters = dcs }, decisions);
    }
}
