using Akka.Configuration;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using static AkkaDns.Actors.Tests.Support.Records;

namespace AkkaDns.Actors.Tests.Zones;

public sealed class BlastRadiusGuardTests
{
    /// <summary>SOA, NS and <paramref name="hosts"/> A RRsets www0..wwwN.</summary>
    private static List<ResourceRecord> Zone(int hosts, uint serial = 1)
    {
        var list = new List<ResourceRecord> { Soa("example.com.", serial), Ns("example.com.", "ns1.example.com.") };
        for (int i = 0; i < hosts; i++) list.Add(A($"www{i}.example.com.", $"192.0.2.{i + 1}"));
        return list;
    }

    [Fact]
    public void Measure_counts_deleted_replaced_and_added_RRsets_and_ignores_the_SOA()
    {
        var before = Zone(4);
        var after = Zone(4, serial: 99);                       // only the SOA serial differs
        Assert.Equal(new BlastRadius(5, 0, 0, 0), BlastRadiusGuard.Measure(before, after));

        after.RemoveAll(r => r.Owner.Equals(N("www0.example.com.")));                // deleted
        after[after.FindIndex(r => r.Owner.Equals(N("www1.example.com.")))] = A("www1.example.com.", "198.51.100.1"); // replaced
        after.Add(A("new.example.com.", "192.0.2.200"));                                // added
        var radius = BlastRadiusGuard.Measure(before, after);
        Assert.Equal(new BlastRadius(5, 1, 1, 1), radius);
        Assert.Equal(2, radius.Affected);
        Assert.Equal(0.4, radius.Share, 3);
    }

    [Fact]
    public void A_TTL_change_is_a_replacement_but_member_order_is_not()
    {
        var before = new List<ResourceRecord> { Soa("example.com.", 1), A("www.example.com.", "192.0.2.1"), A("www.example.com.", "192.0.2.2") };
        var reordered = new List<ResourceRecord> { Soa("example.com.", 1), A("www.example.com.", "192.0.2.2"), A("www.example.com.", "192.0.2.1") };
        var newTtl = new List<ResourceRecord> { Soa("example.com.", 1), A("www.example.com.", "192.0.2.1", 60), A("www.example.com.", "192.0.2.2", 60) };
        Assert.Equal(0, BlastRadiusGuard.Measure(before, reordered).Affected);
        Assert.Equal(1, BlastRadiusGuard.Measure(before, newTtl).Replaced);
    }

    [Fact]
    public void Deleting_more_than_the_share_is_held_and_names_the_numbers()
    {
        var before = Zone(19);                                    // 20 RRsets besides the SOA
        var after = before.Take(2 + 13).ToList();                  // keeps SOA, NS, 13 hosts: 6 deleted = 30%
        var reason = BlastRadiusGuard.Check(BlastRadiusGuard.Measure(before, after), BlastRadiusSettings.Default);
        Assert.NotNull(reason);
        Assert.Contains("30%", reason);
        Assert.Contains("25%", reason);
        Assert.Contains("6 of 20 RRsets deleted", reason);
    }

    [Fact]
    public void Deleting_at_most_the_share_passes()
    {
        var before = Zone(19);
        var after = before.Take(2 + 14).ToList();                  // 5 deleted = 25%: not more than the share
        Assert.Null(BlastRadiusGuard.Check(BlastRadiusGuard.Measure(before, after), BlastRadiusSettings.Default));
    }

    [Fact]
    public void Small_changes_below_the_floor_pass_even_in_a_tiny_zone()
    {
        var before = Zone(2);                                      // NS + 2 hosts
        var after = before.Take(3).ToList();                       // 1 of 3 deleted (33%), below the floor of 5
        Assert.Null(BlastRadiusGuard.Check(BlastRadiusGuard.Measure(before, after), BlastRadiusSettings.Default));
        var strict = BlastRadiusSettings.Default with { ShareFloor = 1 };
        Assert.NotNull(BlastRadiusGuard.Check(BlastRadiusGuard.Measure(before, after), strict));
    }

    [Fact]
    public void More_than_the_count_is_held_even_when_the_share_is_small()
    {
        var before = Zone(99);                                     // 100 RRsets
        var after = before.Take(2 + 88).ToList();                  // 11 deleted = 11%
        var settings = BlastRadiusSettings.Default with { MaxCount = 10 };
        var reason = BlastRadiusGuard.Check(BlastRadiusGuard.Measure(before, after), settings);
        Assert.NotNull(reason);
        Assert.Contains("limit of 10", reason);
        Assert.Null(BlastRadiusGuard.Check(BlastRadiusGuard.Measure(before, after), BlastRadiusSettings.Default));
    }

    [Fact]
    public void Zone_deletion_is_held_unless_configured_off_and_nothing_is_held_with_the_guard_off()
    {
        Assert.NotNull(BlastRadiusGuard.CheckDeletion(3, BlastRadiusSettings.Default));
        Assert.Null(BlastRadiusGuard.CheckDeletion(3, BlastRadiusSettings.Default with { HoldZoneDeletion = false }));
        Assert.Null(BlastRadiusGuard.CheckDeletion(3, BlastRadiusSettings.Off));
        var before = Zone(19);
        Assert.Null(BlastRadiusGuard.Check(BlastRadiusGuard.Measure(before, before.Take(1).ToList()), BlastRadiusSettings.Off));
    }

    [Fact]
    public void Settings_are_read_from_config_and_bad_values_are_refused()
    {
        var s = BlastRadiusSettings.FromConfig(ConfigurationFactory.ParseString(
            "akkadns.safeguards { max-share = 0.5, max-count = 7, share-floor = 2, pending-ttl = 10m, two-person-rule = on, hold-zone-deletion = off }"));
        Assert.Equal((0.5, 7, 2, TimeSpan.FromMinutes(10), true, false),
            (s.MaxShare, s.MaxCount, s.ShareFloor, s.PendingTtl, s.TwoPersonRule, s.HoldZoneDeletion));
        Assert.Equal(BlastRadiusSettings.Default, BlastRadiusSettings.FromConfig(ConfigurationFactory.Empty));
        var e = Assert.Throws<ConfigurationException>(() => BlastRadiusSettings.FromConfig(ConfigurationFactory.ParseString("akkadns.safeguards.max-share = 1.5")));
        Assert.Contains("max-share", e.Message);
    }
}
