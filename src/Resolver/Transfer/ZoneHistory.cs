using System.Collections.Immutable;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Transfer;

/// <summary>One published change of a zone: from the version with <see cref="FromSoa"/> to the one with
/// <see cref="ToSoa"/>. The lists hold the other records only (the SOAs are the two ends).</summary>
public sealed record ZoneDiff(ResourceRecord FromSoa, ResourceRecord ToSoa, IReadOnlyList<ResourceRecord> Deleted, IReadOnlyList<ResourceRecord> Added)
{
    public uint FromSerial => SerialNumber.Of(FromSoa);
    public uint ToSerial => SerialNumber.Of(ToSoa);
}

/// <summary>The recent diffs of one zone, oldest first, an unbroken chain: each diff starts at the serial the
/// previous one ended at. Immutable.</summary>
public sealed class ZoneHistory
{
    public static readonly ZoneHistory Empty = new(ImmutableList<ZoneDiff>.Empty);

    private ZoneHistory(ImmutableList<ZoneDiff> diffs) { Diffs = diffs; }

    public ImmutableList<ZoneDiff> Diffs { get; }
    public int Count => Diffs.Count;
    /// <summary>The oldest serial a client can be brought up from, or null when empty.</summary>
    public uint? OldestSerial => Diffs.IsEmpty ? null : Diffs[0].FromSerial;
    public uint? NewestSerial => Diffs.IsEmpty ? null : Diffs[^1].ToSerial;

    /// <summary>This history with <paramref name="diff"/> appended, or restarted at it when it does not continue the
    /// chain; at most <paramref name="max"/> diffs (the oldest are dropped).</summary>
    public ZoneHistory With(ZoneDiff diff, int max)
    {
        var diffs = NewestSerial == diff.FromSerial ? Diffs.Add(diff) : ImmutableList.Create(diff);
        if (diffs.Count > max) diffs = diffs.RemoveRange(0, diffs.Count - max);
        return new ZoneHistory(diffs);
    }

    /// <summary>Index of the diff that starts at <paramref name="serial"/>, or -1.</summary>
    public int IndexOfFrom(uint serial)
    {
        for (int i = 0; i < Diffs.Count; i++)
            if (Diffs[i].FromSerial == serial) return i;
        return -1;
    }
}

/// <summary>
/// The histories of every zone. One writer (the zone's publisher) records; any number of transfer streams read
/// without locks: each zone's history is an immutable snapshot and the whole table is swapped atomically.
/// </summary>
public sealed class ZoneHistoryTable
{
    private readonly int _max;
    private readonly object _write = new(); // serializes writers only (one is expected; two must not lose diffs)
    private ImmutableDictionary<DnsName, ZoneHistory> _zones = ImmutableDictionary<DnsName, ZoneHistory>.Empty;

    public ZoneHistoryTable(int maxVersionsPerZone = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersionsPerZone, 1);
        _max = maxVersionsPerZone;
    }

    public int MaxVersionsPerZone => _max;

    public void Record(DnsName origin, ZoneDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        lock (_write)
        {
            var current = _zones.GetValueOrDefault(origin) ?? ZoneHistory.Empty;
            Volatile.Write(ref _zones, _zones.SetItem(origin, current.With(diff, _max)));
        }
    }

    /// <summary>Forgets a zone's history (zone reloaded from a file, deleted): its clients get full transfers.</summary>
    public void Reset(DnsName origin)
    {
        lock (_write) Volatile.Write(ref _zones, _zones.Remove(origin));
    }

    public ZoneHistory? Get(DnsName origin) => Volatile.Read(ref _zones).GetValueOrDefault(origin);
}
