using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Update;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Update;

/// <summary>UPDATE messages read into prerequisites and updates (RFC 2136 §2.4, §2.5, §3.2, §3.4.1).</summary>
public sealed class UpdateParserTests
{
    private static readonly DnsName Zone = DnsName.Parse("example.com.");

    private static DnsRecord R(string owner, RecordType type, RecordClass cls, uint ttl, byte[] data) => new(DnsName.Parse(owner), type, cls, ttl, data);
    private static readonly byte[] Ip = [192, 0, 2, 1];

    private static byte[] Message(IEnumerable<DnsRecord> prerequisites, IEnumerable<DnsRecord> updates, string zone = "example.com.", RecordType zoneType = RecordType.SOA)
    {
        var m = new DnsMessage { Id = 7, Opcode = Opcode.Update, Questions = [new DnsQuestion(DnsName.Parse(zone), zoneType)] };
        m.Answers.AddRange(prerequisites);
        m.Authority.AddRange(updates);
        return m.Encode();
    }

    [Fact]
    public void Reads_all_five_prerequisite_forms_and_all_four_update_forms_in_order()
    {
        var wire = Message(
            [R("a.example.com.", RecordType.A, RecordClass.ANY, 0, []), R("a.example.com.", RecordType.A, RecordClass.IN, 0, Ip),
             R("b.example.com.", RecordType.MX, RecordClass.NONE, 0, []), R("a.example.com.", RecordType.ANY, RecordClass.ANY, 0, []),
             R("c.example.com.", RecordType.ANY, RecordClass.NONE, 0, [])],
            [R("c.example.com.", RecordType.A, RecordClass.IN, 60, Ip), R("a.example.com.", RecordType.MX, RecordClass.ANY, 0, []),
             R("d.example.com.", RecordType.ANY, RecordClass.ANY, 0, []), R("a.example.com.", RecordType.A, RecordClass.NONE, 0, Ip)]);
        Assert.True(UpdateParser.TryParse(wire, out var request, out var failure), failure?.ToString());
        Assert.Equal(Zone, request!.Zone);
        Assert.Equal([PrerequisiteKind.RRsetExists, PrerequisiteKind.RRsetExistsValue, PrerequisiteKind.RRsetDoesNotExist, PrerequisiteKind.NameInUse, PrerequisiteKind.NameNotInUse],
            request.Prerequisites.Select(p => p.Kind));
        Assert.Equal([UpdateOperationKind.Add, UpdateOperationKind.DeleteRRset, UpdateOperationKind.DeleteName, UpdateOperationKind.DeleteRecord],
            request.Updates.Select(u => u.Kind));
        Assert.Equal(60u, request.Updates[0].Record!.Ttl);
    }

    public static TheoryData<string, byte[], Rcode> Bad => new()
    {
        { "zone section of type A", Message([], [], zoneType: RecordType.A), Rcode.FormErr },
        { "prerequisite with a TTL", Message([R("a.example.com.", RecordType.A, RecordClass.ANY, 5, [])], []), Rcode.FormErr },
        { "prerequisite of class ANY with data", Message([R("a.example.com.", RecordType.A, RecordClass.ANY, 0, Ip)], []), Rcode.FormErr },
        { "prerequisite outside the zone", Message([R("a.example.org.", RecordType.A, RecordClass.ANY, 0, [])], []), Rcode.NotZone },
        { "update outside the zone", Message([], [R("a.example.org.", RecordType.A, RecordClass.IN, 60, Ip)]), Rcode.NotZone },
        { "add of a meta type", Message([], [R("a.example.com.", RecordType.AXFR, RecordClass.IN, 60, [])]), Rcode.FormErr },
        { "delete RRset with a TTL", Message([], [R("a.example.com.", RecordType.A, RecordClass.ANY, 60, [])]), Rcode.FormErr },
        { "delete record with a TTL", Message([], [R("a.example.com.", RecordType.A, RecordClass.NONE, 60, Ip)]), Rcode.FormErr },
        { "update of class CH", Message([], [R("a.example.com.", RecordType.A, RecordClass.CH, 60, Ip)]), Rcode.FormErr },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Refuses_with_the_RFC_rcode(string what, byte[] wire, Rcode rcode)
    {
        Assert.False(UpdateParser.TryParse(wire, out _, out var failure), what);
        Assert.Equal(rcode, failure!.Rcode);
    }

    [Fact]
    public void Every_prefix_of_a_valid_message_fails_cleanly()
    {
        var wire = Message([R("a.example.com.", RecordType.A, RecordClass.IN, 0, Ip)], [R("c.example.com.", RecordType.MX, RecordClass.ANY, 0, [])]);
        Assert.True(UpdateParser.TryParse(wire, out _, out _));
        for (int n = 0; n < wire.Length; n++)
        {
            Assert.False(UpdateParser.TryParse(wire.AsSpan(0, n), out _, out var failure));
            Assert.Equal(Rcode.FormErr, failure!.Rcode);
        }
    }

    [Fact]
    public void Delete_RRset_of_a_type_with_names_in_its_data_reads_with_empty_data()
    {
        var wire = Message([], [R("a.example.com.", RecordType.MX, RecordClass.ANY, 0, []), R("a.example.com.", RecordType.CNAME, RecordClass.ANY, 0, [])]);
        Assert.True(UpdateParser.TryParse(wire, out var request, out var failure), failure?.ToString());
        Assert.All(request!.Updates, u => Assert.Equal(UpdateOperationKind.DeleteRRset, u.Kind));
    }
}

/// <summary>RFC 2136 §3.2.5 and §3.4.2 over a zone's records, and the least-privilege policy lines.</summary>
public sealed class UpdateRulesTests
{
    private static readonly DnsName Zone = DnsName.Parse("example.com.");
    private static ResourceRecord A(string owner, byte last, uint ttl = 300) => new(DnsName.Parse(owner), RecordType.A, ttl, [192, 0, 2, last]);
    private static ResourceRecord Ns(string target) => new(Zone, RecordType.NS, 3600, DnsName.Parse(target).Wire.ToArray());
    private static ResourceRecord Cname(string owner, string target) => new(DnsName.Parse(owner), RecordType.CNAME, 300, DnsName.Parse(target).Wire.ToArray());
    private static readonly List<ResourceRecord> Records = [Ns("ns1.example.com."), A("www.example.com.", 1), A("www.example.com.", 2)];

    [Fact]
    public void Value_dependent_prerequisite_compares_the_whole_RRset()
    {
        var one = new UpdatePrerequisite(PrerequisiteKind.RRsetExistsValue, DnsName.Parse("www.example.com."), RecordType.A, A("www.example.com.", 1, 0));
        var two = one with { Record = A("www.example.com.", 2, 0) };
        Assert.Equal(Rcode.NXRRset, UpdateRules.CheckPrerequisites(Records, [one])!.Rcode);
        Assert.Null(UpdateRules.CheckPrerequisites(Records, [one, two]));
    }

    [Fact]
    public void Adds_ignore_duplicates_and_a_CNAME_beside_data_and_set_the_RRset_TTL()
    {
        var after = UpdateRules.Apply(Zone, Records, [
            new UpdateOperation(UpdateOperationKind.Add, DnsName.Parse("www.example.com."), RecordType.A, A("www.example.com.", 1, 60)),
            new UpdateOperation(UpdateOperationKind.Add, DnsName.Parse("www.example.com."), RecordType.CNAME, Cname("www.example.com.", "x.example.net."))]);
        Assert.Equal(3, after.Count);
        Assert.All(after.Where(r => r.Type == RecordType.A), r => Assert.Equal(60u, r.Ttl));
    }

    [Fact]
    public void The_last_apex_NS_is_never_deleted()
    {
        var after = UpdateRules.Apply(Zone, Records, [new UpdateOperation(UpdateOperationKind.DeleteRecord, Zone, RecordType.NS, Ns("ns1.example.com.")),
            new UpdateOperation(UpdateOperationKind.DeleteRRset, Zone, RecordType.NS), new UpdateOperation(UpdateOperationKind.DeleteName, Zone, RecordType.ANY)]);
        Assert.Single(after, r => r.Type == RecordType.NS);
    }

    [Theory]
    [InlineData("_acme-challenge.www.example.com.", RecordType.TXT, UpdateOperationKind.Add, true)]
    [InlineData("_ACME-challenge.example.com.", RecordType.TXT, UpdateOperationKind.DeleteRRset, true)]
    [InlineData("www.example.com.", RecordType.TXT, UpdateOperationKind.Add, false)]
    [InlineData("_acme-challenge.www.example.com.", RecordType.A, UpdateOperationKind.Add, false)]
    [InlineData("_acme-challenge.www.example.com.", RecordType.ANY, UpdateOperationKind.DeleteName, false)]
    public void A_policy_line_limits_a_key_to_owners_and_types(string owner, RecordType type, UpdateOperationKind kind, bool allowed)
    {
        Assert.True(UpdatePolicyLine.TryParse("acme. _acme-challenge.* TXT", out var line, out var error), error);
        var update = new UpdateOperation(kind, DnsName.Parse(owner), type);
        Assert.Equal(allowed, UpdatePolicy.Check(Zone, "acme.", [line!], [update]) is null);
        Assert.Null(UpdatePolicy.Check(Zone, "other.", [line!], [update])); // a key without lines is not limited by them
    }

    [Theory]
    [InlineData("acme. _acme-challenge.*")]
    [InlineData("acme. x NOTATYPE")]
    [InlineData("acme. x AXFR")]
    public void Bad_policy_lines_are_refused(string text) => Assert.False(UpdatePolicyLine.TryParse(text, out _, out _));
}
