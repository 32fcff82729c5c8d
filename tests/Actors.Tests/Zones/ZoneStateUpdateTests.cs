using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Update;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>DNS UPDATE decided by the pure zone state: named table cases over a small zone (www A, mail A+TXT).</summary>
public sealed class ZoneStateUpdateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Example = ZoneId.Parse("example.com");

    private static ResourceRecord Txt(string owner, string text, uint ttl = 300) =>
        new(N(owner), RecordType.TXT, ttl, [(byte)text.Length, .. System.Text.Encoding.ASCII.GetBytes(text)]);

    private static ZoneState Zone()
    {
        var s = ZoneState.Empty(Example);
        var d = s.Process(Create("example.com.", A("www.example.com.", "192.0.2.1"), A("mail.example.com.", "192.0.2.2"), Txt("mail.example.com.", "v=spf1")), T0);
        return s.Apply(Assert.Single(d.Events));
    }

    private static UpdatePrerequisite Pre(PrerequisiteKind k, string name, RecordType t = RecordType.ANY, ResourceRecord? r = null) => new(k, N(name), t, r);
    private static UpdateOperation Op(UpdateOperationKind k, string name, RecordType t = RecordType.ANY, ResourceRecord? r = null) => new(k, N(name), t, r);

    public sealed record Case(string Name, UpdatePrerequisite[] Prerequisites, UpdateOperation[] Updates, Rcode? Refused, Func<ZoneState, bool>? Then = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new(
        new Case("name in use passes", [Pre(PrerequisiteKind.NameInUse, "www.example.com.")], [Op(UpdateOperationKind.Add, "new.example.com.", RecordType.A, A("new.example.com.", "192.0.2.9"))], null,
            s => s.Records.Any(r => r.Owner.Equals(N("new.example.com.")))),
        new Case("name in use fails NXDOMAIN", [Pre(PrerequisiteKind.NameInUse, "none.example.com.")], [], Rcode.NXDomain),
        new Case("name not in use fails YXDOMAIN", [Pre(PrerequisiteKind.NameNotInUse, "www.example.com.")], [], Rcode.YXDomain),
        new Case("RRset exists fails NXRRSET", [Pre(PrerequisiteKind.RRsetExists, "www.example.com.", RecordType.MX)], [], Rcode.NXRRset),
        new Case("RRset does not exist fails YXRRSET", [Pre(PrerequisiteKind.RRsetDoesNotExist, "www.example.com.", RecordType.A)], [], Rcode.YXRRset),
        new Case("RRset value passes", [Pre(PrerequisiteKind.RRsetExistsValue, "www.example.com.", RecordType.A, A("www.example.com.", "192.0.2.1", 0))],
            [Op(UpdateOperationKind.DeleteRRset, "www.example.com.", RecordType.A)], null, s => !s.Records.Any(r => r.Owner.Equals(N("www.example.com.")))),
        new Case("RRset value fails NXRRSET", [Pre(PrerequisiteKind.RRsetExistsValue, "www.example.com.", RecordType.A, A("www.example.com.", "192.0.2.99", 0))], [], Rcode.NXRRset),
        new Case("out of zone NOTZONE", [Pre(PrerequisiteKind.NameInUse, "www.example.org.")], [], Rcode.NotZone),
        new Case("delete one record keeps the rest", [], [Op(UpdateOperationKind.DeleteRecord, "mail.example.com.", RecordType.TXT, Txt("mail.example.com.", "v=spf1", 0))], null,
            s => s.Records.Count(r => r.Owner.Equals(N("mail.example.com."))) == 1),
        new Case("delete name removes every RRset", [], [Op(UpdateOperationKind.DeleteName, "mail.example.com.")], null,
            s => !s.Records.Any(r => r.Owner.Equals(N("mail.example.com.")))),
        new Case("apex SOA and NS survive delete name", [], [Op(UpdateOperationKind.Add, "example.com.", RecordType.TXT, Txt("example.com.", "apex")), Op(UpdateOperationKind.DeleteName, "example.com."),
            Op(UpdateOperationKind.DeleteRRset, "example.com.", RecordType.NS), Op(UpdateOperationKind.Add, "w2.example.com.", RecordType.A, A("w2.example.com.", "192.0.2.8"))], null,
            s => s.Records.Count(r => r.Owner.Equals(N("example.com.")) && r.Type is RecordType.SOA or RecordType.NS) == 3),
        new Case("last apex NS is kept", [], [Op(UpdateOperationKind.DeleteRecord, "example.com.", RecordType.NS, Ns("example.com.", "ns1.example.com.", 0)),
            Op(UpdateOperationKind.DeleteRecord, "example.com.", RecordType.NS, Ns("example.com.", "ns2.example.com.", 0))], null,
            s => s.Records.Count(r => r.Type == RecordType.NS) == 1),
        new Case("CNAME beside data is ignored", [], [Op(UpdateOperationKind.Add, "www.example.com.", RecordType.CNAME, Cname("www.example.com.", "mail.example.com.")),
            Op(UpdateOperationKind.Add, "x.example.com.", RecordType.A, A("x.example.com.", "192.0.2.5"))], null,
            s => !s.Records.Any(r => r.Type == RecordType.CNAME)),
        new Case("an added record sets the RRset's TTL", [], [Op(UpdateOperationKind.Add, "www.example.com.", RecordType.A, A("www.example.com.", "192.0.2.3", 60))], null,
            s => s.Records.Where(r => r.Owner.Equals(N("www.example.com."))).All(r => r.Ttl == 60)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Update_cases(Case c)
    {
        var s = Zone();
        var d = s.Process(new ApplyUpdate(Example, c.Prerequisites, c.Updates, "k1"), T0);
        if (c.Refused is { } rcode)
        {
            var refused = Assert.IsType<ZoneCommandResult.UpdateRefused>(d.Result);
            Assert.Equal((ushort)rcode, refused.Rcode);
            Assert.Empty(d.Events); // nothing written
            return;
        }
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        var e = Assert.IsType<RRsetsChanged>(Assert.Single(d.Events)); // one event, one version, one serial step
        var next = s.Apply(e);
        Assert.Equal(s.Version + 1, next.Version);
        Assert.Equal(s.Serial + 1, next.Serial);
        Assert.True(c.Then!(next), string.Join("\n", next.Records));
    }

    [Fact]
    public void An_update_that_changes_nothing_succeeds_without_a_new_version()
    {
        var s = Zone();
        var d = s.Process(new ApplyUpdate(Example, [], [Op(UpdateOperationKind.Add, "www.example.com.", RecordType.A, A("www.example.com.", "192.0.2.1"))], "k1"), T0);
        var a = Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        Assert.Empty(d.Events);
        Assert.Equal(s.Version, a.Version);
    }

    [Fact]
    public void A_mass_deletion_is_held_by_the_blast_radius_guard()
    {
        var s = Zone();
        for (int i = 0; i < 20; i++)
            s = s.Apply(Assert.Single(s.Process(Change("example.com.", ReplaceA($"h{i}.example.com.", "192.0.2.1")), T0).Events));
        var delete = Enumerable.Range(0, 15).Select(i => Op(UpdateOperationKind.DeleteName, $"h{i}.example.com.")).ToArray();
        var d = ZoneSafeguards.Decide(s, new ApplyUpdate(Example, [], delete, "k1"), T0, BlastRadiusSettings.Default);
        Assert.IsType<PendingChanges.Held>(d.Result);
        Assert.IsType<PendingChanges.ChangeHeld>(Assert.Single(d.Events));
    }
}

/// <summary>X-AKKADNS-UPDATE-POLICY values are validated and normalized where metadata enters (API, CLI).</summary>
public sealed class UpdatePolicyMetadataTests
{
    [Theory]
    [InlineData("ACME _ACME-challenge.* txt", "acme _acme-challenge.* TXT")]
    [InlineData("acme. @ *", "acme @ *")]
    [InlineData("k1 www.example.com. A,AAAA", "k1 www.example.com A,AAAA")]
    public void Valid_lines_are_normalized(string given, string expected)
    {
        Assert.True(AkkaDns.Actors.Transfers.TransferMetadata.TryNormalizeValues(AkkaDns.Actors.Transfers.TransferMetadata.UpdatePolicy, [given], out var n, out var error), error);
        Assert.Equal([expected], n);
    }

    [Theory]
    [InlineData("acme _acme-challenge.*")]
    [InlineData("acme x NOTATYPE")]
    public void Bad_lines_are_refused_naming_the_value(string given)
    {
        Assert.False(AkkaDns.Actors.Transfers.TransferMetadata.TryNormalizeValues(AkkaDns.Actors.Transfers.TransferMetadata.UpdatePolicy, [given], out _, out var error));
        Assert.Contains("X-AKKADNS-UPDATE-POLICY", error);
    }
}
