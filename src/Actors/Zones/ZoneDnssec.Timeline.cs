using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Zones;

/// <summary>The key timeline and the signing schedule of a zone (pure, <c>now</c> passed in).</summary>
internal static partial class ZoneDnssec
{
    // ---------------------------------------------------------------- key timeline

    /// <summary>How long a change of the DNSKEY RRset, or a signature, may live in caches: the zone's largest TTL plus
    /// the propagation delay.</summary>
    public static TimeSpan Wait(ZoneState state, DnssecSettings settings) =>
        TimeSpan.FromSeconds(state.Records.Count == 0 ? 0 : state.Records.Max(r => r.Ttl)) + settings.PropagationDelay;

    /// <summary>
    /// The key timeline at <paramref name="now"/>: a pre-published ZSK becomes active (and the old ZSK retires) once
    /// its DNSKEY had time to reach every cache; a retired key is removed once its signatures did; an active ZSK older
    /// than the ZSK lifetime starts a new rollover. A key that the parent's DS points to is never removed while no
    /// other confirmed key signs.
    /// </summary>
    public static (DnssecState Next, List<string> Steps) Advance(ZoneState state, DnssecContext ctx, DateTimeOffset now)
    {
        var d = state.Dnssec;
        var steps = new List<string>();
        var wait = Wait(state, ctx.Settings);
        foreach (var k in d.Keys.Where(k => k.Role == KeyRole.Zsk && k.Phase == KeyPhase.Published && k.PhaseSince + wait <= now).ToList())
        {
            d = d.WithKey(k with { Phase = KeyPhase.Active, PhaseSince = now });
            steps.Add($"ZSK {k.Id} (tag {k.KeyTag}) active");
            foreach (var old in d.Keys.Where(o => o.Role == KeyRole.Zsk && o.Phase == KeyPhase.Active && o.Id != k.Id).ToList())
            {
                d = d.WithKey(old with { Phase = KeyPhase.Retired, PhaseSince = now });
                steps.Add($"ZSK {old.Id} (tag {old.KeyTag}) retired");
            }
        }
        foreach (var k in d.Keys.Where(k => k.Phase == KeyPhase.Retired && k.PhaseSince + wait <= now).ToList())
        {
            if (k.IsSep && k.DsSeen && !d.Keys.Any(o => o.Id != k.Id && o.IsSep && o.DsSeen && o.Phase == KeyPhase.Active)) continue;
            d = d with { Keys = d.Keys.RemoveAll(x => x.Id == k.Id) };
            steps.Add($"key {k.Id} (tag {k.KeyTag}) removed");
        }
        if (ctx.Settings.ZskLifetime > TimeSpan.Zero && d.Keys.Any(k => k.Role == KeyRole.Ksk)
            && !d.Keys.Any(k => k.Role == KeyRole.Zsk && k.Phase == KeyPhase.Published)
            && d.Keys.Where(k => k.Role == KeyRole.Zsk && k.Phase == KeyPhase.Active).OrderBy(k => k.Created).FirstOrDefault() is { } aged
            && aged.PhaseSince + ctx.Settings.ZskLifetime <= now)
        {
            steps.Add($"ZSK rollover started (key {aged.Id} is older than {ctx.Settings.ZskLifetime.TotalDays:0.#} days): key {d.NextKeyId} pre-published");
            d = AddNewKey(d, ctx, KeyRole.Zsk, aged.Algorithm, aged.Bits, KeyPhase.Published, now);
        }
        return (d, steps);
    }

    /// <summary>When the zone next needs the signer: the earliest RRSIG refresh, or the next step of the key timeline.</summary>
    public static DateTimeOffset? NextAction(ZoneState state, DnssecSettings settings, DateTimeOffset now) =>
        NextActionFrom(state, settings, state.Exists && state.Dnssec.Enabled ? EarliestExpiry(state.Records, now) : null);

    /// <summary><see cref="NextAction(ZoneState, DnssecSettings, DateTimeOffset)"/> with the zone's
    /// <see cref="EarliestExpiry"/> already read (one pass over the records instead of two).</summary>
    public static DateTimeOffset? NextActionFrom(ZoneState state, DnssecSettings settings, DateTimeOffset? earliestExpiry)
    {
        if (!state.Exists || !state.Dnssec.Enabled) return null;
        var times = new List<DateTimeOffset>();
        if (earliestExpiry is { } expiry) times.Add(expiry - settings.RefreshBefore);
        var wait = Wait(state, settings);
        foreach (var k in state.Dnssec.Keys)
        {
            if (k.Role == KeyRole.Zsk && k.Phase == KeyPhase.Published) times.Add(k.PhaseSince + wait);
            if (k.Phase == KeyPhase.Retired) times.Add(k.PhaseSince + wait);
            if (k.Role == KeyRole.Zsk && k.Phase == KeyPhase.Active && settings.ZskLifetime > TimeSpan.Zero && state.Dnssec.Keys.Any(x => x.Role == KeyRole.Ksk))
                times.Add(k.PhaseSince + settings.ZskLifetime);
        }
        return times.Count == 0 ? null : times.Min();
    }

    /// <summary>The earliest expiration among the zone's RRSIGs (RFC 4034 §3.1.5 serial-number time, read near <paramref name="now"/>).</summary>
    public static DateTimeOffset? EarliestExpiry(IEnumerable<ResourceRecord> records, DateTimeOffset now)
    {
        long nowSeconds = now.ToUnixTimeSeconds();
        long? earliest = null;
        foreach (var r in records)
        {
            if (r.Type != RecordType.RRSIG || r.RData.Length < 12) continue;
            uint expiration = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(r.RData.AsSpan(8, 4));
            long at = nowSeconds + unchecked((int)(expiration - (uint)nowSeconds));
            if (earliest is null || at < earliest) earliest = at;
        }
        return earliest is { } e ? DateTimeOffset.FromUnixTimeSeconds(e) : null;
    }
}
