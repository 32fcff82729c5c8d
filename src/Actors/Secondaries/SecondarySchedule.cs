using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Secondaries;

/// <summary>The SOA timers of the copy a secondary holds (RFC 1035 §3.3.13), in seconds.</summary>
public sealed record SoaTimers(uint Refresh, uint Retry, uint Expire);

public enum SecondaryResult : byte
{
    /// <summary>No refresh has finished yet.</summary>
    None = 0,
    /// <summary>The primary's serial is not newer than ours.</summary>
    UpToDate = 1,
    /// <summary>A transfer was committed as one change of the zone.</summary>
    Committed = 2,
    /// <summary>The transfer was held by the blast-radius guard: the edges serve the last version until someone decides.</summary>
    Held = 3,
    /// <summary>No primary answered, or the transfer was refused, broken or empty: nothing changed.</summary>
    Failed = 4,
}

/// <summary>One refresh to run: the zone's config and what the schedule knows of its copy.</summary>
public sealed record SecondaryJob(SecondaryZoneConfig Config, uint? KnownSerial, uint? HeldSerial, bool Notified);

/// <summary>How a refresh ended. <see cref="Serial"/> is the serial we hold afterwards (the primary's when
/// held); <see cref="Timers"/> the SOA timers of our copy when known.</summary>
public sealed record SecondaryOutcome(ZoneId Zone, SecondaryResult Result, uint? Serial, SoaTimers? Timers, string Message, bool Incremental = false);

/// <summary>A change of a zone's expired state the refresher must make known (the edges stop or resume answering).</summary>
internal sealed record ExpiryChange(ZoneId Zone, bool Expired, DateTimeOffset At);

/// <summary>What the schedule knows of one secondary zone (the API's and CLI's status).</summary>
public sealed record SecondaryZoneStatus(
    SecondaryZoneConfig Config,
    uint? Serial,
    SecondaryResult LastResult,
    string LastMessage,
    DateTimeOffset? LastCheck,
    DateTimeOffset? LastSuccess,
    DateTimeOffset NextCheck,
    DateTimeOffset? ExpiresAt,
    bool Expired,
    uint? HeldSerial,
    int Failures,
    bool InFlight,
    long Transfers);

/// <summary>Bounds on the SOA timers a primary may set (a refresh of 0 must not spin; one of a year must not starve).</summary>
public sealed record SecondaryTiming
{
    public TimeSpan MinRefresh { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRefresh { get; init; } = TimeSpan.FromDays(1);
    public TimeSpan MinRetry { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Retry before the first copy, when no SOA gives one.</summary>
    public TimeSpan InitialRetry { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Refreshes running at once (each may be a large transfer).</summary>
    public int MaxInFlight { get; init; } = 4;
}

/// <summary>
/// When each secondary zone is checked next, and what its last refresh said: pure, with <c>now</c> passed in (the
/// <see cref="SecondaryRefresher"/> is the wiring). A zone is due on its SOA refresh after a success, on its SOA retry
/// after a failure, and at once when configured or NOTIFYed. It expires when the SOA expire passes since the last
/// contact with a primary (a success, an up-to-date answer or a held transfer); a refresh that succeeds ends that.
/// A NOTIFY that arrives while the zone is being refreshed runs one more refresh after it (the serial may have moved).
/// </summary>
internal sealed class SecondarySchedule(SecondaryTiming timing)
{
    private sealed class Entry(SecondaryZoneConfig config, DateTimeOffset due)
    {
        public SecondaryZoneConfig Config = config;
        public DateTimeOffset Due = due;
        public uint? Serial;
        public SoaTimers? Timers;
        public SecondaryResult LastResult;
        public string LastMessage = "not checked yet";
        public DateTimeOffset? LastCheck, LastSuccess, ExpiresAt;
        public bool Expired, InFlight, NotifiedMeanwhile, Notified;
        public uint? HeldSerial;
        public int Failures;
        public long Transfers;
    }

    private readonly Dictionary<ZoneId, Entry> _zones = [];

    public int Count => _zones.Count;

    public SecondaryTiming Timing => timing;

    /// <summary>Takes the configured secondaries: new ones are due now, changed ones keep their state (a new primary
    /// list is due now), removed ones are forgotten. <paramref name="markedExpired"/>: the zones the edges hold as
    /// expired (kept across a restart of the refresher). Returns the zones removed while marked expired (to clear).</summary>
    public IReadOnlyList<ZoneId> Configure(IReadOnlyList<SecondaryZoneConfig> configs, IReadOnlySet<ZoneId> markedExpired, DateTimeOffset now)
    {
        var wanted = configs.ToDictionary(c => c.Zone);
        var clear = new List<ZoneId>();
        foreach (var id in _zones.Keys.Where(z => !wanted.ContainsKey(z)).ToList())
        {
            _zones.Remove(id);
        }
        clear.AddRange(markedExpired.Where(z => !wanted.ContainsKey(z)));
        foreach (var config in configs)
        {
            if (!_zones.TryGetValue(config.Zone, out var entry))
            {
                _zones[config.Zone] = new Entry(config, now) { Expired = markedExpired.Contains(config.Zone) };
                continue;
            }
            if (entry.Config.Equals(config)) continue;
            if (!entry.Config.Masters.SequenceEqual(config.Masters) || entry.Config.KeyName != config.KeyName) entry.Due = now;
            entry.Config = config;
        }
        return clear;
    }

    /// <summary>A NOTIFY for the zone (already checked against its primaries): refresh now, or once more after the
    /// refresh running. False when the zone is not a secondary here.</summary>
    public bool Notify(ZoneId zone, DateTimeOffset now)
    {
        if (!_zones.TryGetValue(zone, out var entry)) return false;
        if (entry.InFlight) entry.NotifiedMeanwhile = true;
        else { entry.Due = now; entry.Notified = true; }
        return true;
    }

    /// <summary>The zones due by <paramref name="now"/>, earliest first, up to the in-flight limit; marked in flight.</summary>
    public IReadOnlyList<SecondaryJob> TakeDue(DateTimeOffset now)
    {
        int free = timing.MaxInFlight - _zones.Values.Count(e => e.InFlight);
        if (free <= 0) return [];
        var due = _zones.Values.Where(e => !e.InFlight && e.Due <= now).OrderBy(e => e.Due).ThenBy(e => e.Config.Zone).Take(free).ToList();
        foreach (var e in due) e.InFlight = true;
        return due.Select(e =>
        {
            var job = new SecondaryJob(e.Config, e.Serial, e.HeldSerial, e.Notified);
            e.Notified = false;
            return job;
        }).ToList();
    }

    /// <summary>Folds a finished refresh in and schedules the next; returns an expiry change when the zone's state flips.</summary>
    public ExpiryChange? Complete(SecondaryOutcome outcome, DateTimeOffset now)
    {
        if (!_zones.TryGetValue(outcome.Zone, out var e)) return null; // removed while it ran
        e.InFlight = false;
        e.LastCheck = now;
        e.LastResult = outcome.Result;
        e.LastMessage = outcome.Message;
        if (outcome.Timers is not null) e.Timers = outcome.Timers;
        bool contact = outcome.Result is SecondaryResult.UpToDate or SecondaryResult.Committed or SecondaryResult.Held;
        if (outcome.Result == SecondaryResult.Held) e.HeldSerial = outcome.Serial;
        else if (outcome.Serial is { } s)
        {
            e.Serial = s;
            if (outcome.Result is SecondaryResult.Committed or SecondaryResult.UpToDate) e.HeldSerial = null;
        }
        if (outcome.Result == SecondaryResult.Committed) e.Transfers++;
        ExpiryChange? change = null;
        if (contact)
        {
            e.Failures = 0;
            e.LastSuccess = now;
            e.ExpiresAt = e.Timers is { } t ? now + TimeSpan.FromSeconds(t.Expire) : null;
            // A held transfer is contact, but the copy served is not the primary's: only a commit or "up to date" ends expiry.
            if (e.Expired && outcome.Result != SecondaryResult.Held) { e.Expired = false; change = new ExpiryChange(e.Config.Zone, false, now); }
            e.Due = now + Clamp(e.Timers is { } r ? TimeSpan.FromSeconds(r.Refresh) : timing.InitialRetry, timing.MinRefresh, timing.MaxRefresh);
        }
        else
        {
            e.Failures++;
            // After a restart the expire clock starts at the first check (when the copy last had contact is not kept).
            if (e.ExpiresAt is null && e.Timers is { } t) e.ExpiresAt = now + TimeSpan.FromSeconds(t.Expire);
            e.Due = now + Clamp(e.Timers is { } r ? TimeSpan.FromSeconds(r.Retry) : timing.InitialRetry, timing.MinRetry, timing.MaxRefresh);
            change = CheckExpiry(e, now) ?? change;
        }
        if (e.NotifiedMeanwhile) { e.NotifiedMeanwhile = false; e.Due = now; e.Notified = true; }
        return change;
    }

    /// <summary>Zones whose expire passed since the last contact (called on every tick): marked expired once.</summary>
    public IReadOnlyList<ExpiryChange> Expire(DateTimeOffset now)
    {
        var changes = new List<ExpiryChange>();
        foreach (var e in _zones.Values)
            if (CheckExpiry(e, now) is { } c) changes.Add(c);
        return changes;
    }

    private static ExpiryChange? CheckExpiry(Entry e, DateTimeOffset now)
    {
        if (e.Expired || e.ExpiresAt is not { } at || now < at || e.Serial is null) return null;
        e.Expired = true;
        return new ExpiryChange(e.Config.Zone, true, now);
    }

    public SecondaryZoneStatus? Status(ZoneId zone) => _zones.TryGetValue(zone, out var e) ? ToStatus(e) : null;

    public IReadOnlyList<SecondaryZoneStatus> All() => _zones.Values.OrderBy(e => e.Config.Zone).Select(ToStatus).ToList();

    private static SecondaryZoneStatus ToStatus(Entry e) => new(e.Config, e.Serial, e.LastResult, e.LastMessage, e.LastCheck,
        e.LastSuccess, e.Due, e.ExpiresAt, e.Expired, e.HeldSerial, e.Failures, e.InFlight, e.Transfers);

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
