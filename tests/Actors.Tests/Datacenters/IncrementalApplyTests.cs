using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>
/// The edge's cheap apply path must end where <see cref="ZoneState.Apply"/> plus a full compile end: the same records
/// in the same order, the same version and serial, and a compiled zone with the same content.
/// </summary>
public sealed class IncrementalApplyTests
{
    private static readonly ZoneId Id = ZoneId.Parse("example.com.");
    private static readonly DnsName Origin = Id.Name;

    private static ResourceRecord R(string owner, RecordType type, string rdata, uint ttl = 300) =>
        new(DnsName.Parse(owner), type, ttl, RData.Parse(type, rdata, Origin));

    private static ZoneEvents.RRsetsChanged Changed(long version, params RRsetChange[] changes) =>
        new(Id, version, DateTimeOffset.UnixEpoch, "test", (uint)(100 + version), changes);

    [Fact]
    public void Records_version_serial_and_compiled_content_equal_the_full_path()
    {
        var created = new ZoneEvents.ZoneCreated(Id, 1, DateTimeOffset.UnixEpoch, "test", 101,
        [
            R("example.com.", RecordType.SOA, "ns1 hostmaster 101 7200 3600 1209600 300"), R("example.com.", RecordType.NS, "ns1"),
            R("ns1.example.com.", RecordType.A, "192.0.2.53"), R("b.example.com.", RecordType.A, "192.0.2.2"),
            R("b.example.com.", RecordType.TXT, "\"x\""), R("d.example.com.", RecordType.A, "192.0.2.4"),
        ]);
        var state = ZoneState.Empty(Id).Apply(created);
        IZoneEvent[] events =
        [
            Changed(2, RRsetChange.Replace(DnsName.Parse("c.example.com."), RecordType.A, [R("c.example.com.", RecordType.A, "192.0.2.3"), R("c.example.com.", RecordType.A, "192.0.2.33")])),
            Changed(3, RRsetChange.Delete(DnsName.Parse("b.example.com."), RecordType.A), RRsetChange.Replace(DnsName.Parse("a.example.com."), RecordType.AAAA, [R("a.example.com.", RecordType.AAAA, "2001:db8::1")])),
            Changed(4, RRsetChange.Replace(DnsName.Parse("b.example.com."), RecordType.A, [R("b.example.com.", RecordType.A, "192.0.2.22")]),
                RRsetChange.Replace(DnsName.Parse("x.y.example.com."), RecordType.MX, [R("x.y.example.com.", RecordType.MX, "10 ns1")])),
            Changed(5, RRsetChange.Delete(DnsName.Parse("d.example.com."), RecordType.A)),
        ];

        var compiled = CompiledZone.Compile(state.ToZone(), state.Version);
        // One event at a time (as deltas arrive) and then all of them at once (as a catch-up brings them).
        var stepwise = state;
        foreach (var e in events)
        {
            Assert.True(IncrementalApply.TryPrepare(stepwise, [e], out var next, out var updates));
            compiled = compiled.WithChanges(updates, next.Version);
            stepwise = next;
        }
        Assert.True(IncrementalApply.TryPrepare(state, events, out var atOnce, out _));

        var full = events.Aggregate(state, (s, e) => s.Apply(e));
        foreach (var candidate in new[] { stepwise, atOnce })
        {
            Assert.Equal(full.Records.Select(r => r.ToString()), candidate.Records.Select(r => r.ToString()));
            Assert.Equal(full.Version, candidate.Version);
            Assert.Equal(full.Serial, candidate.Serial);
        }
        var expected = CompiledZone.Compile(full.ToZone(), full.Version);
        Assert.Equal(expected.RecordCount, compiled.RecordCount);
        Assert.Equal(expected.NodeCount, compiled.NodeCount);
        Assert.Equal(full.Serial, SoaData.TryParse(compiled.Apex.Find(RecordType.SOA)!.RData(0), out var soa) ? soa!.Serial : 0);
    }

    [Fact]
    public void Other_events_take_the_full_path()
    {
        var state = ZoneState.Empty(Id);
        var created = new ZoneEvents.ZoneCreated(Id, 1, DateTimeOffset.UnixEpoch, "test", 1, [R("example.com.", RecordType.SOA, "ns1 hostmaster 1 7200 3600 1209600 300")]);
        Assert.False(IncrementalApply.TryPrepare(state, [created], out _, out _));
        var live = state.Apply(created);
        Assert.False(IncrementalApply.TryPrepare(live, [new ZoneEvents.ZoneDeleted(Id, 2, DateTimeOffset.UnixEpoch, "test", 2)], out _, out _));
    }

    private static List<ResourceRecord> Hosts(uint serial, Func<int, string> address, int count = 20) =>
    [
        R("example.com.", RecordType.SOA, $"ns1 hostmaster {serial} 7200 3600 1209600 300"), R("example.com.", RecordType.NS, "ns1"),
        R("ns1.example.com.", RecordType.A, "192.0.2.53"),
        .. Enumerable.Range(0, count).Select(i => R($"h{i}.example.com.", RecordType.A, address(i))),
    ];

    [Fact]
    public void A_rollback_or_replacement_that_changes_a_few_RRsets_patches_only_those_and_equals_the_full_path()
    {
        var state = ZoneState.Empty(Id).Apply(new ZoneEvents.ZoneCreated(Id, 1, DateTimeOffset.UnixEpoch, "test", 1, Hosts(1, i => $"10.0.0.{i}")));
        // Version 2 rolls back to content where h3 differs, h7 has a second address and a new TTL, h19 is gone and
        // h20 is new; version 3 replaces the zone with h3 back as it was.
        var rolledBack = Hosts(2, i => i == 3 ? "10.9.9.9" : $"10.0.0.{i}", 19);
        rolledBack.RemoveAll(r => r.Owner.Equals(DnsName.Parse("h7.example.com.")));
        rolledBack.AddRange([R("h7.example.com.", RecordType.A, "10.0.0.7", 60), R("h7.example.com.", RecordType.A, "10.0.7.7", 60), R("h20.example.com.", RecordType.AAAA, "2001:db8::20")]);
        IZoneEvent[] events =
        [
            new ZoneRollback.ZoneRolledBack(Id, 2, DateTimeOffset.UnixEpoch, "test", 2, 1, "to version 1", rolledBack),
            new ZoneEvents.ZoneReplaced(Id, 3, DateTimeOffset.UnixEpoch, "test", 3, [.. rolledBack.Select(r => r.Type == RecordType.SOA
                ? R("example.com.", RecordType.SOA, "ns1 hostmaster 3 7200 3600 1209600 300")
                : r.Owner.Equals(DnsName.Parse("h3.example.com.")) ? R("h3.example.com.", RecordType.A, "10.0.0.3") : r)]),
        ];

        var compiled = CompiledZone.Compile(state.ToZone(), state.Version);
        Assert.True(IncrementalApply.TryPrepare(state, [events[0]], out var afterRollback, out var updates));
        // SOA, h3, h7, h19 (gone), h20 (new): five RRsets of 24, nothing else.
        Assert.Equal(["example.com./SOA", "h19.example.com./A", "h20.example.com./AAAA", "h3.example.com./A", "h7.example.com./A"],
            updates.Select(u => $"{u.Owner}/{u.Type}").Order(StringComparer.Ordinal));
        compiled = compiled.WithChanges(updates, afterRollback.Version);
        Assert.True(IncrementalApply.TryPrepare(afterRollback, [events[1]], out var afterReplace, out updates));
        Assert.Equal(2, updates.Count); // SOA and h3
        compiled = compiled.WithChanges(updates, afterReplace.Version);

        var full = events.Aggregate(state, (s, e) => s.Apply(e));
        Assert.Equal(full.Records.Select(r => r.ToString()), afterReplace.Records.Select(r => r.ToString()));
        Assert.Equal((full.Version, full.Serial), (afterReplace.Version, afterReplace.Serial));
        var expected = CompiledZone.Compile(full.ToZone(), full.Version);
        Assert.Equal(expected.RecordCount, compiled.RecordCount);
        Assert.Equal(expected.NodeCount, compiled.NodeCount);
        Assert.Equal(3u, SoaData.TryParse(compiled.Apex.Find(RecordType.SOA)!.RData(0), out var soa) ? soa!.Serial : 0);
    }

    [Fact]
    public void A_whole_zone_event_that_changes_most_RRsets_takes_the_full_path()
    {
        var state = ZoneState.Empty(Id).Apply(new ZoneEvents.ZoneCreated(Id, 1, DateTimeOffset.UnixEpoch, "test", 1, Hosts(1, i => $"10.0.0.{i}")));
        var replaced = new ZoneEvents.ZoneReplaced(Id, 2, DateTimeOffset.UnixEpoch, "test", 2, Hosts(2, i => $"10.1.0.{i}"));
        Assert.False(IncrementalApply.TryPrepare(state, [replaced], out _, out _));
    }
}
