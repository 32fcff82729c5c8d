using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Tests.Zones;

public sealed class ZoneStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Example = ZoneId.Parse("example.com");

    /// <summary>Processes a command that must be accepted and applies its events.</summary>
    private static ZoneState Accept(ZoneState state, IZoneCommand command)
    {
        var d = state.Process(command, T0);
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        return d.Events.Aggregate(state, (s, e) => s.Apply(e));
    }

    private static ZoneState Created(params Resolver.Records.ResourceRecord[] extra) => Accept(ZoneState.Empty(Example), Create("example.com.", extra));

    [Fact]
    public void ZoneId_is_normalized_to_lower_case_absolute_name()
    {
        Assert.Equal("example.com.", ZoneId.Parse("Example.COM").Value);
        Assert.Equal(ZoneId.Parse("example.com."), ZoneId.From(DnsName.Parse("EXAMPLE.com.")));
    }

    [Fact]
    public void Create_fills_SOA_defaults_and_apex_NS_and_starts_at_version_1()
    {
        var s = Created(A("www.example.com.", "192.0.2.1"));
        Assert.True(s.Exists);
        Assert.Equal(1, s.Version);
        Assert.Equal(RecordType.SOA, s.Records[0].Type);
        var soa = SoaData.Parse(s.Records[0]);
        Assert.Equal(DnsName.Parse("ns1.example.com."), soa.MName);
        Assert.Equal(DnsName.Parse("hostmaster.example.com."), soa.RName);
        Assert.Equal(2, s.Records.Count(r => r.Type == RecordType.NS));
        Assert.Equal(1u, soa.Serial);
    }

    [Fact]
    public void Every_event_bumps_the_version_by_one_and_produces_exactly_one_event()
    {
        var s = Created();
        for (int i = 0; i < 3; i++)
        {
            var d = s.Process(Change("example.com.", ReplaceA("www.example.com.", $"192.0.2.{i + 1}")), T0);
            var e = Assert.Single(d.Events);
            Assert.Equal(s.Version + 1, e.Version);
            s = s.Apply(e);
        }
        Assert.Equal(4, s.Version);
    }

    [Fact]
    public void Serial_follows_each_change()
    {
        var s = Created();
        var before = SerialOf(s.Records);
        s = Accept(s, Change("example.com.", ReplaceA("www.example.com.", "192.0.2.1")));
        Assert.Equal(before + 1, SerialOf(s.Records));
        Assert.Equal(SerialOf(s.Records), s.Serial);
    }

    [Fact]
    public void Serial_never_goes_backwards_when_a_lower_serial_is_submitted()
    {
        var s = Accept(ZoneState.Empty(Example), Create("example.com.", Soa("example.com.", 2026112700)));
        Assert.Equal(2026112700u, s.Serial);
        // An operator sends an SOA with an older serial: the zone keeps moving forward.
        s = Accept(s, Change("example.com.", new RRsetChange(N("example.com."), RecordType.SOA, RRsetChangeKind.Replace, [Soa("example.com.", 5)])));
        Assert.Equal(2026112701u, s.Serial);
        Assert.Equal(2026112701u, SerialOf(s.Records));
        // A higher proposed serial is taken.
        s = Accept(s, Change("example.com.", new RRsetChange(N("example.com."), RecordType.SOA, RRsetChangeKind.Replace, [Soa("example.com.", 2026120100)])));
        Assert.Equal(2026120100u, s.Serial);
    }

    [Fact]
    public void Serial_wraps_around_per_RFC_1982()
    {
        // previous + 1 wraps to 0; version 10 is newer than 0 in RFC 1982 terms, so the serial meets the version.
        Assert.Equal(10u, SerialNumber.Next(uint.MaxValue, 10, null));
        // A version that RFC 1982 sees as older than previous + 1 is ignored: plain increment.
        Assert.Equal(uint.MaxValue, SerialNumber.Next(uint.MaxValue - 1, 3_000_000_000, null));
        Assert.True(SerialNumber.IsGreater(0, uint.MaxValue));
        Assert.False(SerialNumber.IsGreater(uint.MaxValue, 0));
        // The version (small) is not "greater" than a large date serial: keep counting from the serial.
        Assert.Equal(2026112701u, SerialNumber.Next(2026112700, 7, null));
        // Without a previous serial (new zone) the version is the serial.
        Assert.Equal(1u, SerialNumber.Next(null, 1, null));
    }

    [Fact]
    public void Serial_continues_after_delete_and_recreate()
    {
        var s = Accept(ZoneState.Empty(Example), Create("example.com.", Soa("example.com.", 500)));
        s = Accept(s, new DeleteZone(Example, "test"));
        s = Accept(s, Create("example.com."));
        Assert.Equal(3, s.Version);
        Assert.True(SerialNumber.IsGreater(s.Serial, 500));
    }

    [Fact]
    public void Validation_refusal_produces_no_event_and_names_record_and_rule()
    {
        var s = Created();
        var d = s.Process(Change("example.com.", ReplaceA("www.other.org.", "192.0.2.1")), T0);
        Assert.Empty(d.Events);
        var rejected = Assert.IsType<ZoneCommandResult.Rejected>(d.Result);
        Assert.Equal(ZoneRejection.Invalid, rejected.Reason);
        var problem = Assert.Single(rejected.Problems);
        Assert.Equal("out-of-zone", problem.Rule);
        Assert.Contains("www.other.org.", problem.Record);
    }

    [Fact]
    public void Deleting_the_apex_NS_set_is_refused()
    {
        var s = Created();
        var d = s.Process(Change("example.com.", RRsetChange.Delete(N("example.com."), RecordType.NS)), T0);
        Assert.Empty(d.Events);
        var rejected = Assert.IsType<ZoneCommandResult.Rejected>(d.Result);
        Assert.Contains(rejected.Problems, p => p.Rule == ZoneValidator.Rules.ApexNsMissing);
    }

    [Fact]
    public void A_change_request_is_atomic_one_bad_RRset_refuses_all()
    {
        var s = Created(A("a.example.com.", "192.0.2.1"));
        var d = s.Process(Change("example.com.",
            ReplaceA("b.example.com.", "192.0.2.2"),
            RRsetChange.Delete(N("a.example.com."), RecordType.A),
            RRsetChange.Delete(N("example.com."), RecordType.SOA)), T0);
        Assert.Empty(d.Events);
        Assert.IsType<ZoneCommandResult.Rejected>(d.Result);
        Assert.Same(s, s); // state untouched: Process is pure
        Assert.Contains(s.Records, r => r.Owner.Equals(N("a.example.com.")));
    }

    [Fact]
    public void Upserts_and_deletes_together_are_one_event()
    {
        var s = Created(A("a.example.com.", "192.0.2.1"));
        var d = s.Process(Change("example.com.",
            ReplaceA("b.example.com.", "192.0.2.2", "192.0.2.3"),
            RRsetChange.Delete(N("a.example.com."), RecordType.A)), T0);
        var e = Assert.IsType<RRsetsChanged>(Assert.Single(d.Events));
        Assert.Equal(2, e.Changes.Count);
        s = s.Apply(e);
        Assert.DoesNotContain(s.Records, r => r.Owner.Equals(N("a.example.com.")));
        Assert.Equal(2, s.Records.Count(r => r.Owner.Equals(N("b.example.com."))));
    }

    [Fact]
    public void Duplicate_RRset_in_one_request_is_refused()
    {
        var d = Created().Process(Change("example.com.", ReplaceA("b.example.com.", "192.0.2.2"), ReplaceA("b.example.com.", "192.0.2.3")), T0);
        Assert.Contains(Assert.IsType<ZoneCommandResult.Rejected>(d.Result).Problems, p => p.Rule == "duplicate-rrset-change");
    }

    [Fact]
    public void Create_twice_is_refused_as_already_exists()
    {
        var d = Created().Process(Create("example.com."), T0);
        Assert.Empty(d.Events);
        Assert.Equal(ZoneRejection.AlreadyExists, Assert.IsType<ZoneCommandResult.Rejected>(d.Result).Reason);
    }

    [Fact]
    public void Delete_removes_the_zone_and_later_changes_are_not_found()
    {
        var s = Accept(Created(), new DeleteZone(Example, "test"));
        Assert.False(s.Exists);
        Assert.Equal(2, s.Version);
        Assert.Empty(s.Records);
        var d = s.Process(Change("example.com.", ReplaceA("www.example.com.", "192.0.2.1")), T0);
        Assert.Empty(d.Events);
        Assert.Equal(ZoneRejection.NotFound, Assert.IsType<ZoneCommandResult.Rejected>(d.Result).Reason);
    }

    [Fact]
    public void History_lists_each_version_with_kind_summary_and_who()
    {
        var s = Accept(Created(), Change("example.com.", ReplaceA("www.example.com.", "192.0.2.1")) with { Who = "alice" });
        Assert.Equal([1L, 2L], s.History.Select(h => h.Version));
        Assert.Equal(ZoneChangeKind.RRsetsChanged, s.History[1].Kind);
        Assert.Equal("alice", s.History[1].Who);
        Assert.Contains("REPLACE www.example.com. A", s.History[1].Summary);
    }

    [Fact]
    public void ChangesSince_returns_the_missing_events_or_null_when_too_old()
    {
        var s = Created();
        for (int i = 0; i < ZoneState.RecentLimit + 5; i++)
            s = Accept(s, Change("example.com.", ReplaceA("www.example.com.", $"192.0.2.{i % 250 + 1}")));
        var recent = s.ChangesSince(s.Version - 3)!;
        Assert.Equal([s.Version - 2, s.Version - 1, s.Version], recent.Select(e => e.Version));
        Assert.Empty(s.ChangesSince(s.Version)!);
        Assert.Null(s.ChangesSince(1));
    }

    [Fact]
    public void Replaying_events_rebuilds_the_same_records()
    {
        var s = Created(A("a.example.com.", "192.0.2.1"));
        s = Accept(s, Change("example.com.", ReplaceA("b.example.com.", "192.0.2.2"), RRsetChange.Delete(N("a.example.com."), RecordType.A)));
        var replayed = s.Recent.Aggregate(ZoneState.Empty(Example), (x, e) => x.Apply(e));
        Assert.Equal(s.Records, replayed.Records);
        Assert.Equal(s.Version, replayed.Version);
        Assert.Equal(s.Serial, replayed.Serial);
    }

    private const string MasterFile = """
        $ORIGIN example.com.
        $TTL 3600
        @       IN SOA ns1 hostmaster 2026112700 7200 3600 1209600 300
        @       IN NS  ns1
        @       IN NS  ns2
        ns1     IN A   192.0.2.53
        ns2     IN A   192.0.2.54
        www 300 IN A   192.0.2.80
        """;

    [Fact]
    public void Create_from_master_file_keeps_its_serial_and_records()
    {
        var s = Accept(ZoneState.Empty(Example), new CreateZone(Example, [], [], "test", MasterFile: MasterFile));
        Assert.Equal(2026112700u, s.Serial);
        Assert.Equal(6, s.Records.Count);
    }

    [Fact]
    public void Replace_from_master_file_is_one_version_and_serial_moves_forward()
    {
        var s = Accept(ZoneState.Empty(Example), new CreateZone(Example, [], [], "test", MasterFile: MasterFile));
        s = Accept(s, new ReplaceZone(Example, MasterFile.Replace("192.0.2.80", "192.0.2.81"), "test"));
        Assert.Equal(2, s.Version);
        Assert.Equal(2026112701u, s.Serial); // same serial in the file: the zone still moves forward
        Assert.Contains(s.Records, r => r.Type == RecordType.A && r.RData.SequenceEqual(new byte[] { 192, 0, 2, 81 }));
    }

    [Fact]
    public void Master_file_syntax_error_is_refused_naming_the_line()
    {
        var s = Created();
        var d = s.Process(new ReplaceZone(Example, MasterFile.Replace("www 300 IN A   192.0.2.80", "www 300 IN A   999.0.2.80"), "test"), T0);
        Assert.Empty(d.Events);
        var rejected = Assert.IsType<ZoneCommandResult.Rejected>(d.Result);
        Assert.Contains(":8", rejected.Message);
    }

    [Fact]
    public void CNAME_beside_other_data_is_refused_by_the_validator()
    {
        var s = Created(A("www.example.com.", "192.0.2.1"));
        var d = s.Process(Change("example.com.", RRsetChange.Replace(N("www.example.com."), RecordType.CNAME, [Cname("www.example.com.", "example.net.")])), T0);
        Assert.Empty(d.Events);
        var rejected = Assert.IsType<ZoneCommandResult.Rejected>(d.Result);
        Assert.Contains(rejected.Problems, p => p.Rule == ZoneValidator.Rules.CnameAndOtherData && p.Record!.Contains("www.example.com."));
    }

    [Fact]
    public void Zone_at_a_public_suffix_is_refused()
    {
        var id = ZoneId.Parse("co.nz");
        var d = ZoneState.Empty(id).Process(new CreateZone(id, [N("ns1.example.net.")], [], "test"), T0);
        Assert.Empty(d.Events);
        Assert.Contains(Assert.IsType<ZoneCommandResult.Rejected>(d.Result).Problems, p => p.Rule == ZoneRules.PublicSuffix);
    }

    [Fact]
    public void Mixed_TTLs_in_a_replaced_RRset_are_unified_in_the_event()
    {
        var s = Created();
        var d = s.Process(Change("example.com.", RRsetChange.Replace(N("www.example.com."), RecordType.A,
            [A("www.example.com.", "192.0.2.1", 300), A("www.example.com.", "192.0.2.2", 60), A("www.example.com.", "192.0.2.2", 60)])), T0);
        var e = Assert.IsType<RRsetsChanged>(Assert.Single(d.Events));
        Assert.Equal([60u, 60u], e.Changes[0].Records.Select(r => r.Ttl));
    }
}
