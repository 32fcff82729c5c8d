using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>A change is applied to the zone's ordered records in place (<see cref="ZoneState.ApplyInOrder"/>) and gives
/// exactly what sorting the whole changed zone gave (<c>Order(ApplyChanges(…))</c>): same records, same order.</summary>
public sealed class ZoneStateOrderTests
{
    private static readonly DnsName Apex = N("example.com.");
    private static readonly string[] Owners = ["example.com.", "a.example.com.", "b.a.example.com.", "*.example.com.", "z.example.com.", "B.example.com.", "x.b.example.com."];
    private static readonly RecordType[] Types = [RecordType.SOA, RecordType.NS, RecordType.A, RecordType.TXT, RecordType.RRSIG, RecordType.NSEC3, RecordType.A, RecordType.TXT];

    private static ResourceRecord Random(Random random, DnsName? owner = null, RecordType? type = null) =>
        new(owner ?? N(Owners[random.Next(Owners.Length)]), type ?? Types[random.Next(Types.Length)], random.Next(6) == 0 ? 60u : 300u,
            [(byte)random.Next(4), (byte)random.Next(2)]);

    [Fact]
    public void Applying_in_order_equals_sorting_the_changed_zone()
    {
        var random = new Random(7);
        for (int round = 0; round < 500; round++)
        {
            var records = ZoneState.Order(Enumerable.Range(0, random.Next(0, 40)).Select(_ => Random(random)), Apex);
            var changes = new List<RRsetChange>();
            for (int i = 0, n = random.Next(1, 5); i < n; i++)
            {
                var owner = random.Next(3) == 0 && records.Count > 0 ? records[random.Next(records.Count)].Owner : N(Owners[random.Next(Owners.Length)]);
                var type = Types[random.Next(Types.Length)];
                if (random.Next(3) == 0) { changes.Add(RRsetChange.Delete(owner, type)); continue; }
                // Usually the change's own RRset; now and then (an old event, a duplicate key) something odd.
                var members = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(10) == 0 ? Random(random) : Random(random, owner, type)).ToList();
                changes.Add(RRsetChange.Replace(owner, type, members));
                if (random.Next(10) == 0) changes.Add(RRsetChange.Replace(owner, type, [Random(random, owner, type)]));
            }
            var expected = ZoneState.Order(ZoneState.ApplyChanges(records, changes), Apex);
            var actual = ZoneState.ApplyInOrder(records, changes, Apex);
            Assert.True(expected.SequenceEqual(actual), $"round {round}:\n{string.Join("\n", expected)}\n---\n{string.Join("\n", actual)}");
            // The guard's measure of the change, from the changed RRsets only, equals the whole-zone comparison.
            Assert.Equal(BlastRadiusGuard.Measure(records, expected), BlastRadiusGuard.MeasureChange(records, actual, changes, Apex));
        }
    }
}
