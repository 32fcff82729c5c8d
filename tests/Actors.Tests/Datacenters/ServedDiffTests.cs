using System.Collections.Immutable;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Tests.Datacenters;

/// <summary>
/// What an edge's served version deleted and added against the one before (the IXFR history's raw material):
/// changed RRsets only, a TTL change as a deletion plus an addition, the SOA only as FromSoa/ToSoa; the whole-zone walk
/// (<see cref="ServedDiffs.Between"/>) agrees with the per-update one (<see cref="ServedDiffs.ForUpdates"/>), both read from
/// compiled versions, as an edge holds them.
/// </summary>
public sealed class ServedDiffTests
{
    private static readonly DnsName Apex = DnsName.Parse("example.com.");

    private static ResourceRecord R(string owner, RecordType type, string rdata, uint ttl = 300) =>
        new(DnsName.Parse(owner), type, ttl, RData.Parse(type, rdata, Apex));

    private static ResourceRecord Soa(uint serial) => R("example.com.", RecordType.SOA, $"ns1 hostmaster {serial} 7200 3600 1209600 300", 3600);

    private static ImmutableList<ResourceRecord> Base(uint serial = 1) => ZoneState.Order(
    [
        Soa(serial), R("example.com.", RecordType.NS, "ns1"), R("ns1.example.com.", RecordType.A, "192.0.2.53"),
        R("a.example.com.", RecordType.A, "192.0.2.1"), R("a.example.com.", RecordType.A, "192.0.2.2"),
        R("a.example.com.", RecordType.TXT, "\"a\""), R("b.example.com.", RecordType.A, "192.0.2.10"),
        R("c.example.com.", RecordType.MX, "10 ns1"),
    ], Apex);

    /// <summary>Serial 1 → 2 by replacing RRsets: the expected deletions and additions, as "owner ttl TYPE rdata".</summary>
    public sealed record Case(string Name, RRsetUpdate[] Updates, string[] Deleted, string[] Added)
    {
        public override string ToString() => Name;
    }

    private static RRsetUpdate Set(string owner, RecordType type, params ResourceRecord[] records) => new(DnsName.Parse(owner), type, records);

    public static TheoryData<Case> Cases() => new()
    {
        new Case("RRset replaced: old records deleted, new added",
            [Set("a.example.com.", RecordType.A, R("a.example.com.", RecordType.A, "192.0.2.3"))],
            ["a.example.com. 300 IN A 192.0.2.1", "a.example.com. 300 IN A 192.0.2.2"], ["a.example.com. 300 IN A 192.0.2.3"]),
        new Case("RRset partly replaced: only the records that differ",
            [Set("a.example.com.", RecordType.A, R("a.example.com.", RecordType.A, "192.0.2.2"), R("a.example.com.", RecordType.A, "192.0.2.4"))],
            ["a.example.com. 300 IN A 192.0.2.1"], ["a.example.com. 300 IN A 192.0.2.4"]),
        new Case("TTL change: deletion and addition",
            [Set("b.example.com.", RecordType.A, R("b.example.com.", RecordType.A, "192.0.2.10", 60))],
            ["b.example.com. 300 IN A 192.0.2.10"], ["b.example.com. 60 IN A 192.0.2.10"]),
        new Case("RRset added",
            [Set("d.example.com.", RecordType.AAAA, R("d.example.com.", RecordType.AAAA, "2001:db8::1"))],
            [], ["d.example.com. 300 IN AAAA 2001:db8::1"]),
        new Case("RRset added at an existing owner",
            [Set("b.example.com.", RecordType.TXT, R("b.example.com.", RecordType.TXT, "\"b\""))],
            [], ["b.example.com. 300 IN TXT \"b\""]),
        new Case("RRset removed",
            [Set("c.example.com.", RecordType.MX)],
            ["c.example.com. 300 IN MX 10 ns1.example.com."], []),
        new Case("Several at once, one of them unchanged",
            [Set("a.example.com.", RecordType.TXT, R("a.example.com.", RecordType.TXT, "\"a\"")), Set("c.example.com.", RecordType.MX),
             Set("d.example.com.", RecordType.A, R("d.example.com.", RecordType.A, "192.0.2.40"))],
            ["c.example.com. 300 IN MX 10 ns1.example.com."], ["d.example.com. 300 IN A 192.0.2.40"]),
        new Case("Only the SOA: nothing deleted or added", [], [], []),
    };

    /// <summary>The state after the updates, as the edge holds it (ZoneState order, the SOA's serial bumped).</summary>
    private static ImmutableList<ResourceRecord> Apply(ImmutableList<ResourceRecord> before, IReadOnlyList<RRsetUpdate> updates, uint serial)
    {
        var records = before.Where(r => r.Type != RecordType.SOA && !updates.Any(u => u.Owner.Equals(r.Owner) && u.Type == r.Type))
            .Concat(updates.SelectMany(u => u.Records)).Append(Soa(serial));
        return ZoneState.Order(records, Apex);
    }

    private static CompiledZone Z(IEnumerable<ResourceRecord> records, long version = 1) => CompiledZone.Compile(new Zone(Apex, records.ToList()), version);

    private static List<string> Lines(IEnumerable<ResourceRecord> records) => records.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();

    private static List<string> Lines(IEnumerable<string> lines) => lines.Order(StringComparer.Ordinal).ToList();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lists_only_what_changed_and_keeps_the_soa_aside(Case c)
    {
        var before = Base();
        var after = Apply(before, c.Updates, 2);
        var updates = c.Updates.Append(new RRsetUpdate(Apex, RecordType.SOA, [Soa(2)])).ToList(); // as IncrementalApply gives them

        var diff = ServedDiffs.ForUpdates(Z(before), Z(before).WithChanges(updates, 2), updates);

        Assert.Equal(Lines(Z(after).EnumerateRecords()), Lines(Z(before).WithChanges(updates, 2).EnumerateRecords()));
        Assert.Equal(Soa(1), diff.FromSoa);
        Assert.Equal(Soa(2), diff.ToSoa);
        Assert.Equal(Lines(c.Deleted), Lines(diff.Deleted));
        Assert.Equal(Lines(c.Added), Lines(diff.Added));
        Assert.DoesNotContain(diff.Deleted, r => r.Type == RecordType.SOA);
        Assert.DoesNotContain(diff.Added, r => r.Type == RecordType.SOA);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Between_agrees_with_ForUpdates(Case c)
    {
        var before = Base();
        var after = Apply(before, c.Updates, 2);
        var updates = c.Updates.Append(new RRsetUpdate(Apex, RecordType.SOA, [Soa(2)])).ToList();

        var incremental = ServedDiffs.ForUpdates(Z(before), Z(before).WithChanges(updates, 2), updates);
        var whole = ServedDiffs.Between(Z(before), Z(after, 2));

        Assert.Equal(incremental.FromSoa, whole.FromSoa);
        Assert.Equal(incremental.ToSoa, whole.ToSoa);
        Assert.Equal(Lines(incremental.Deleted), Lines(whole.Deleted));
        Assert.Equal(Lines(incremental.Added), Lines(whole.Added));
        Assert.Equal(Lines(c.Deleted), Lines(whole.Deleted));
        Assert.Equal(Lines(c.Added), Lines(whole.Added));
    }

    [Fact]
    public void Between_handles_changes_at_both_ends_of_the_zone()
    {
        var before = Base();
        // Everything but the SOA and the apex NS replaced or removed, and names after every old one added.
        var after = ZoneState.Order(
        [
            Soa(5), R("example.com.", RecordType.NS, "ns1"), R("example.com.", RecordType.A, "192.0.2.100"),
            R("ns1.example.com.", RecordType.A, "192.0.2.54"), R("zz.example.com.", RecordType.A, "192.0.2.99"),
        ], Apex);

        var diff = ServedDiffs.Between(Z(before), Z(after, 2));

        Assert.Equal(Soa(5), diff.ToSoa);
        Assert.Equal(Lines(before.Where(r => r.Type != RecordType.SOA && r.Type != RecordType.NS)), Lines(diff.Deleted));
        Assert.Equal(Lines(after.Where(r => r.Type != RecordType.SOA && r.Type != RecordType.NS)), Lines(diff.Added));
    }

    [Fact]
    public void The_same_zone_compiled_twice_differs_in_nothing()
    {
        var diff = ServedDiffs.Between(Z(Base()), Z(Base(), 2));

        Assert.Empty(diff.Deleted);
        Assert.Empty(diff.Added);
        Assert.Equal(diff.FromSoa, diff.ToSoa);
    }
}
