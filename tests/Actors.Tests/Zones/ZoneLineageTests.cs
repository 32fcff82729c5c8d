using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>Which history a zone's versions belong to, in the pure state: the lineage is given to it (the actor mints
/// it), a creation starts it, every other change keeps it.</summary>
public sealed class ZoneLineageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Example = ZoneId.Parse("example.com.");

    private static ZoneState Accept(ZoneState state, IZoneCommand command, string? lineage = null, DateTimeOffset? now = null)
    {
        var d = ZoneSafeguards.Decide(state, command, now ?? T0, BlastRadiusSettings.Off, lineage: lineage);
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        return d.Events.Aggregate(state, (s, e) => s.Apply(e));
    }

    [Fact]
    public void A_created_zone_takes_the_lineage_passed_in_and_its_event_carries_it()
    {
        var d = ZoneState.Empty(Example).Process(Create("example.com."), T0, "1111111111111111");
        var created = Assert.IsType<ZoneCreated>(Assert.Single(d.Events));
        Assert.Equal("1111111111111111", created.Lineage);
        var s = ZoneState.Empty(Example).Apply(created);
        Assert.Equal("1111111111111111", s.Lineage);
        Assert.Equal("1111111111111111", s.ToView().Lineage);
    }

    [Fact]
    public void Changes_keep_the_lineage_and_ignore_the_one_passed_in()
    {
        var s = Accept(ZoneState.Empty(Example), Create("example.com."), "1111111111111111");
        s = Accept(s, Change("example.com.", ReplaceA("www.example.com.", "192.0.2.1")), "2222222222222222");
        s = Accept(s, new ReplaceZone(Example, "$ORIGIN example.com.\n@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 IN NS ns1\nns1 300 IN A 192.0.2.53\n", "a"), "3333333333333333");
        Assert.Equal(3, s.Version);
        Assert.Equal("1111111111111111", s.Lineage);
    }

    [Fact]
    public void A_zone_created_again_after_a_deletion_gets_the_new_lineage_passed_in()
    {
        var s = Accept(ZoneState.Empty(Example), Create("example.com."), "1111111111111111");
        s = Accept(s, new DeleteZone(Example, "a"), "2222222222222222");
        Assert.False(s.Exists);
        Assert.Equal("1111111111111111", s.Lineage); // a deletion ends the history, it does not start one
        s = Accept(s, Create("example.com."), "3333333333333333");
        Assert.Equal(3, s.Version); // versions go on in the same journal stream; the lineage says it is another history
        Assert.Equal("3333333333333333", s.Lineage);
    }

    [Fact]
    public void A_zone_rebuilt_from_nothing_after_its_history_was_lost_starts_at_version_1_in_a_new_lineage()
    {
        var old = Accept(ZoneState.Empty(Example), Create("example.com."), "1111111111111111");
        for (int i = 0; i < 4; i++) old = Accept(old, Change("example.com.", ReplaceA("www.example.com.", $"192.0.2.{i}")));
        var rebuilt = Accept(ZoneState.Empty(Example), Create("example.com."), "4444444444444444"); // an empty journal stream
        Assert.Equal((5L, 1L), (old.Version, rebuilt.Version));
        Assert.NotEqual(old.Lineage, rebuilt.Lineage);
    }

    [Fact]
    public void Without_a_lineage_passed_in_a_creation_still_starts_a_distinct_one_never_the_legacy_one()
    {
        var a = Accept(ZoneState.Empty(Example), Create("example.com."));
        var b = Accept(ZoneState.Empty(Example), Create("example.com."), now: T0.AddSeconds(1));
        Assert.NotEqual(ZoneLineage.Legacy, a.Lineage);
        Assert.NotEqual(a.Lineage, b.Lineage);
        Assert.Equal(a.Lineage, Accept(ZoneState.Empty(Example), Create("example.com.")).Lineage); // pure: same inputs, same lineage
    }

    [Fact]
    public void A_state_from_before_lineages_is_in_the_legacy_lineage()
    {
        Assert.Equal(ZoneLineage.Legacy, ZoneState.Empty(Example).Lineage);
        var old = new ZoneCreated(Example, 1, T0, "a", 1, [Soa("example.com.", 1), Ns("example.com.", "ns1.example.com.")]); // as read from EC1
        Assert.Equal(ZoneLineage.Legacy, ZoneState.Empty(Example).Apply(old).Lineage);
        Assert.Equal("legacy", ZoneLineage.Describe(ZoneLineage.Legacy));
        Assert.Matches("^[0-9a-f]{16}$", ZoneLineage.New());
        Assert.NotEqual(ZoneLineage.New(), ZoneLineage.New());
    }
}
