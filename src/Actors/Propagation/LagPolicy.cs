namespace AkkaDns.Actors.Propagation;

/// <summary>
/// Where lag is judged. Drains a serving datacenter that is too far behind or failing, unless that would take the
/// serving set below the floor (then it alerts instead); re-admits a datacenter the policy drained once it has
/// held the latest version of every zone, with no failure, for the hold-down time. Operator drains stay.
/// </summary>
internal static class LagPolicy
{
    /// <summary>
    /// The answer to an edge's fence probe: does datacenter <paramref name="dc"/> serve, and for how long at most. A
    /// serving datacenter behind on some zone would be drained once its oldest un-acked change is max-lag old (when
    /// the floor allows that drain): its grant ends then, so the edge stops answering at max-lag exactly instead of
    /// up to an evaluation and a probe later. An unknown datacenter serves (it has not reported yet).
    /// </summary>
    public static (bool Serving, TimeSpan? Limit) Grant(DeliveryState state, DatacenterName dc, LagPolicyOptions options, DateTimeOffset now)
    {
        if (!state.Datacenters.TryGetValue(dc, out var d)) return (true, null);
        if (!d.Serving) return (false, null);
        var lag = state.LagOf(dc, now);
        if (lag.VersionsBehind == 0) return (true, null);
        // Only when the floor would hold even if every lagging datacenter went: several lagging at once (a large
        // import) must not all fence themselves below the floor, which the evaluation alone keeps, worst first.
        var serving = state.Datacenters.Values.Where(x => x.Serving).ToList();
        int lagging = serving.Count(x => x.Name == dc || state.LagOf(x.Name, now).VersionsBehind > 0);
        if (serving.Count - lagging < options.Floor(state.Datacenters.Count)) return (true, null);
        var left = options.MaxLag - lag.OldestUnacked;
        return (true, left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

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
