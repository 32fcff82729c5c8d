using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>A change checked against what it touches (<see cref="ZoneState.StaysValid"/>) is accepted or refused exactly
/// as the whole-zone normalize-and-check (<see cref="ZoneState.Finish"/>) decides it: random changes over delegations,
/// glue, CNAMEs, DNAMEs, DS records and the apex.</summary>
public sealed class ZoneStateLocalCheckTests
{
    private static readonly ZoneId Z = ZoneId.Parse("example.com");
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["example.com.", "a.example.com.", "sub.example.com.", "ns.sub.example.com.", "x.ns.sub.example.com.",
        "c.example.com.", "d.example.com.", "e.d.example.com.", "*.example.com.", "w.a.example.com."];
    private static readonly RecordType[] Types = [RecordType.A, RecordType.A, RecordType.TXT, RecordType.NS, RecordType.CNAME, RecordType.DS, RecordType.DNAME, RecordType.AAAA];

    private static ResourceRecord Make(Random random, string owner, RecordType type, uint ttl) => new(N(owner), type, ttl, type switch
    {
        RecordType.A => [192, 0, 2, (byte)random.Next(3)],
        RecordType.AAAA => [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)random.Next(3)],
        RecordType.TXT => [1, (byte)('a' + random.Next(3))],
        RecordType.DS => [0x30, 0x39, 13, 2, .. Enumerable.Repeat((byte)random.Next(3), 32)],
        _ => N($"t{random.Next(3)}.example.net.").Wire.ToArray(),
    });

    [Fact]
    public void Random_changes_are_decided_as_the_whole_zone_check_decides_them()
    {
        var random = new Random(11);
        var s = ZoneState.Empty(Z).Apply(Assert.Single(ZoneState.Empty(Z).Process(Create("example.com.", A("a.example.com.", "192.0.2.1"),
            Ns("sub.example.com.", "ns.sub.example.com."), A("ns.sub.example.com.", "192.0.2.2")), T0).Events));
        Assert.True(ZoneState.IsValidAndNormalized(s.Records, Z.Name));
        int accepted = 0, refused = 0, local = 0;
        for (int step = 0; step < 600; step++)
        {
            var changes = new List<RRsetChange>();
            var keys = new HashSet<(string, RecordType)>();
            for (int i = 0, n = random.Next(1, 3); i < n; i++)
            {
                var owner = Names[random.Next(Names.Length)];
                var type = Types[random.Next(Types.Length)];
                if (!keys.Add((owner, type))) continue;
                if (random.Next(3) == 0) { changes.Add(RRsetChange.Delete(N(owner), type)); continue; }
                uint ttl = random.Next(2) == 0 ? 300u : 60u;
                var members = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Make(random, owner, type, ttl)).DistinctBy(r => Convert.ToHexString(r.RData)).ToList();
                changes.Add(RRsetChange.Replace(N(owner), type, members));
            }
            var at = T0.AddMinutes(step);
            var decision = s.Process(new ChangeRRsets(Z, changes, "test"), at);
            var reference = s.Finish(ZoneState.ApplyChanges(s.Records, changes), at, "test",
                (v, serial, _) => new ZoneEvents.RRsetsChanged(Z, v, at, "test", serial, changes));
            Assert.Equal(reference.Result.GetType(), decision.Result.GetType());
            if (decision.Result is ZoneCommandResult.Rejected rejected)
            {
                Assert.Equal(((ZoneCommandResult.Rejected)reference.Result).Problems, rejected.Problems);
                refused++;
                continue;
            }
            var e = Assert.IsType<ZoneEvents.RRsetsChanged>(Assert.Single(decision.Events));
            var r = Assert.IsType<ZoneEvents.RRsetsChanged>(Assert.Single(reference.Events));
            Assert.Equal((r.Version, r.Serial), (e.Version, e.Serial));
            s = s.Apply(e);
            accepted++;
            if (ZoneState.KnownValid(s.Records, Z.Name)) local++;
        }
        Assert.True(accepted > 100 && refused > 100 && local > 50, $"{accepted} accepted ({local} known valid without a whole-zone check), {refused} refused");
    }
}

public sealed class ZoneStateLocalCheckCaseTests
{
    [Fact]
    public void A_cname_added_beside_an_address_is_refused_by_the_local_check_too()
    {
        var z = ZoneId.Parse("example.com");
        var t = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
        var s = ZoneState.Empty(z).Apply(Assert.Single(ZoneState.Empty(z).Process(Create("example.com.", A("c.example.com.", "192.0.2.1")), t).Events));
        s = s.Apply(Assert.Single(s.Process(new ChangeRRsets(z, [ReplaceA("d.example.com.", "192.0.2.2")], "test"), t).Events));
        Assert.True(ZoneState.KnownValid(s.Records, z.Name));
        var d = s.Process(new ChangeRRsets(z, [RRsetChange.Replace(N("c.example.com."), RecordType.CNAME, [Cname("c.example.com.", "d.example.com.")])], "test"), t);
        var refused = Assert.IsType<ZoneCommandResult.Rejected>(d.Result);
        Assert.Contains(refused.Problems, p => p.Rule == "cname-and-other-data");
    }
}
