using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Transfer;
using static AkkaDns.Resolver.Tests.Transfer.TransferFixture;

namespace AkkaDns.Resolver.Tests.Transfer;

public sealed class IxfrPlannerTests
{
    private static ZoneDiff Diff(uint from, uint to, ResourceRecord[]? deleted = null, ResourceRecord[]? added = null)
        => new(Soa(from), Soa(to), deleted ?? [], added ?? []);

    private static ZoneHistory History(int max, params ZoneDiff[] diffs)
    {
        var table = new ZoneHistoryTable(max);
        foreach (var d in diffs) table.Record(Origin, d);
        return table.Get(Origin)!;
    }

    [Theory]
    [InlineData(5u, 5u)]                 // same serial
    [InlineData(6u, 5u)]                 // client newer
    [InlineData(2u, 0xFFFF_FFF0u)]       // client newer across the wrap (RFC 1982)
    public void A_client_at_or_past_the_current_serial_gets_the_single_soa(uint client, uint current)
        => Assert.Equal(IxfrPlanKind.Current, IxfrPlanner.Plan(History(10, Diff(4, 5)), client, current).Kind);

    [Fact]
    public void A_client_behind_across_the_wrap_is_not_current()
    {
        var history = History(10, Diff(0xFFFF_FFFF, 1));
        var plan = IxfrPlanner.Plan(history, 0xFFFF_FFFF, 1);
        Assert.Equal(IxfrPlanKind.Incremental, plan.Kind);
    }

    [Fact]
    public void Diffs_from_the_clients_serial_condense_to_one_and_changes_that_undo_each_other_cancel_out()
    {
        var kept = A("kept", "192.0.2.1");
        var readded = A("readded", "192.0.2.2");
        var transient = A("transient", "192.0.2.3");
        var ttlChanged = A("ttl", "192.0.2.4", ttl: 300);
        var history = History(10,
            Diff(1, 2, added: [A("before", "192.0.2.9")]),                  // older than the client: not included
            Diff(2, 3, deleted: [kept, readded], added: [transient]),
            Diff(3, 4, deleted: [transient, ttlChanged], added: [readded, ttlChanged.WithTtl(600)]),
            Diff(4, 5, added: [A("new", "192.0.2.5")]));

        var plan = IxfrPlanner.Plan(history, 2, 5);

        Assert.Equal(IxfrPlanKind.Incremental, plan.Kind);
        var diff = plan.Diff!;
        Assert.Equal(2u, diff.FromSerial);
        Assert.Equal(5u, diff.ToSerial);
        Assert.Equal([kept, ttlChanged], diff.Deleted);
        Assert.Equal([ttlChanged.WithTtl(600), A("new", "192.0.2.5")], diff.Added);
    }

    [Theory]
    [InlineData(0xFFFF_0000u)]   // never seen (older than 4 by RFC 1982)
    [InlineData(1u)]   // older than the oldest kept diff
    public void An_unknown_or_too_old_serial_gets_a_full_transfer(uint client)
        => Assert.Equal(IxfrPlanKind.Full, IxfrPlanner.Plan(History(10, Diff(2, 3), Diff(3, 4)), client, 4).Kind);

    [Fact]
    public void No_history_or_a_history_that_does_not_reach_the_current_serial_gets_a_full_transfer()
    {
        Assert.Equal(IxfrPlanKind.Full, IxfrPlanner.Plan(null, 3, 4).Kind);
        Assert.Equal(IxfrPlanKind.Full, IxfrPlanner.Plan(History(10, Diff(2, 3)), 2, 4).Kind);
    }

    [Fact]
    public void The_history_keeps_the_newest_versions_and_drops_the_oldest()
    {
        var history = History(3, Diff(1, 2), Diff(2, 3), Diff(3, 4), Diff(4, 5), Diff(5, 6));

        Assert.Equal(3, history.Count);
        Assert.Equal(3u, history.OldestSerial);
        Assert.Equal(6u, history.NewestSerial);
        Assert.Equal(IxfrPlanKind.Full, IxfrPlanner.Plan(history, 2, 6).Kind);
        Assert.Equal(IxfrPlanKind.Incremental, IxfrPlanner.Plan(history, 3, 6).Kind);
    }

    [Fact]
    public void A_diff_that_does_not_continue_the_chain_restarts_it()
    {
        var table = new ZoneHistoryTable();
        table.Record(Origin, Diff(1, 2));
        table.Record(Origin, Diff(2, 3));
        var before = table.Get(Origin)!;
        table.Record(Origin, Diff(10, 11));

        var history = table.Get(Origin)!;
        Assert.Equal(1, history.Count);
        Assert.Equal(10u, history.OldestSerial);
        Assert.Equal(2, before.Count); // a reader's snapshot is not changed
        table.Reset(Origin);
        Assert.Null(table.Get(Origin));
    }
}
