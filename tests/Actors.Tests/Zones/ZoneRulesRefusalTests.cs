using System.Reflection;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>
/// Every refusal of <see cref="ZoneRules"/> (the Resolver's <see cref="ZoneValidator"/> rules, the SOA the zone actor
/// relies on, the Public Suffix List at creation) as one table in the CoreDNS <c>lookup_test.go</c> style: zone text
/// in, the rule id and the record the problem names out. One row per rule; a rule without a row fails the last test.
/// </summary>
public sealed class ZoneRulesRefusalTests
{
    private const string Apex = """
        $TTL 300
        @        SOA   ns1 hostmaster 1 7200 900 1209600 300
        @        NS    ns1
        ns1      A     192.0.2.1

        """;

    /// <summary>One row: <paramref name="Record"/> is the record named in the problem (presentation form), null for
    /// rules about something missing, which name the zone in <paramref name="Names"/> instead. <paramref name="FromCode"/>
    /// is added to the zone after reading: RDATA the master-file reader already refuses can still come from code.</summary>
    public sealed record Case(string Name, string Origin, string Text, string Rule, string? Record, string Names,
        ResourceRecord? FromCode = null)
    {
        public override string ToString() => Name;
    }

    private static readonly Case[] Cases =
    [
        new("no SOA", "example.com.", "$TTL 1\n@ NS ns1\n", ZoneValidator.Rules.SoaMissing, null, "apex example.com."),
        new("two SOAs", "example.com.", Apex + "@ SOA ns1 hostmaster 2 7200 900 1209600 300\n", ZoneValidator.Rules.SoaMultiple,
            "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2 7200 900 1209600 300", "apex example.com."),
        new("SOA below the apex", "example.com.", Apex + "x SOA ns1 hostmaster 1 2 3 4 5\n", ZoneValidator.Rules.SoaNotAtApex,
            "x.example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 5", "SOA at x.example.com."),
        new("apex NS missing", "example.com.", "$TTL 1\n@ SOA ns1 hostmaster 1 2 3 4 5\n", ZoneValidator.Rules.ApexNsMissing,
            null, "apex example.com. has no NS"),
        new("CNAME and other data", "example.com.", Apex + "www CNAME ns1\nwww MX 10 ns1\n", ZoneValidator.Rules.CnameAndOtherData,
            "www.example.com. 300 IN CNAME ns1.example.com.", "www.example.com. has a CNAME and other data (MX)"),
        new("two CNAMEs", "example.com.", Apex + "www CNAME ns1\nwww CNAME ns2\n", ZoneValidator.Rules.CnameMultiple,
            "www.example.com. 300 IN CNAME ns2.example.com.", "www.example.com. has more than one CNAME"),
        new("CNAME at the apex", "example.com.", Apex + "@ CNAME other.example.\n", ZoneValidator.Rules.CnameAtApex,
            "example.com. 300 IN CNAME other.example.", "CNAME at the apex example.com."),
        new("two DNAMEs", "example.com.", Apex + "d DNAME example.net.\nd DNAME example.org.\n", ZoneValidator.Rules.DnameMultiple,
            "d.example.com. 300 IN DNAME example.org.", "d.example.com. has more than one DNAME"),
        new("data below a DNAME", "example.com.", Apex + "d DNAME example.net.\nx.d A 192.0.2.9\n", ZoneValidator.Rules.BelowDname,
            "x.d.example.com. 300 IN A 192.0.2.9", "x.d.example.com. lies below the DNAME at d.example.com."),
        new("out of zone", "example.com.", Apex + "www.example.net. A 192.0.2.9\n", ZoneValidator.Rules.OutOfZone,
            "www.example.net. 300 IN A 192.0.2.9", "www.example.net. is outside the zone example.com."),
        new("MX below a delegation", "example.com.", Apex + "sub NS ns.sub\nns.sub A 192.0.2.53\nmail.sub MX 10 ns.sub\n",
            ZoneValidator.Rules.NonGlueBelowDelegation, "mail.sub.example.com. 300 IN MX 10 ns.sub.example.com.",
            "MX at mail.sub.example.com. lies below the delegation sub.example.com."),
        new("TXT at a delegation", "example.com.", Apex + "sub NS ns.sub\nsub TXT hidden\n", ZoneValidator.Rules.DataAtDelegation,
            "sub.example.com. 300 IN TXT \"hidden\"", "TXT at the delegation point sub.example.com."),
        new("DS at the apex", "example.com.", Apex + "@ DS 1 5 1 AABB\n", ZoneValidator.Rules.DsNotAtDelegation,
            "example.com. 300 IN DS 1 5 1 AABB", "DS at example.com., which is not a delegation point"),
        new("type ANY as data", "example.com.", Apex + "x TYPE255 \\# 0\n", ZoneValidator.Rules.MetaType,
            "x.example.com. 300 IN ANY \\# 0", "type ANY is a meta or question-only type"),
        new("an A of 3 octets (from code: the reader refuses it)", "example.com.", Apex, ZoneValidator.Rules.RDataInvalid,
            "x.example.com. 300 IN A", "the RDATA is malformed",
            new ResourceRecord(DnsName.Parse("x.example.com."), RecordType.A, 300, [1, 2, 3])),
        // soa-rdata is defence in depth: a cut SOA is refused by the validator first (rdata-invalid), so ZoneRules never
        // reaches its own check through Check(); this row pins that order.
        new("SOA RDATA cut short (from code)", "example.com.", "$TTL 300\n@ NS ns1\nns1 A 192.0.2.1\n",
            ZoneValidator.Rules.RDataInvalid, "example.com. 300 IN SOA", "the RDATA is malformed",
            new ResourceRecord(DnsName.Parse("example.com."), RecordType.SOA, 300, [0, 0, 0])),
        new("a zone at a public suffix", "co.nz.", Apex, ZoneRules.PublicSuffix, null, "zone co.nz. refused"),
        new("a zone above a public suffix", "nz.", Apex, ZoneRules.PublicSuffix, null, "zone nz. refused"),
    ];

    public static TheoryData<Case> Table
    {
        get
        {
            var data = new TheoryData<Case>();
            foreach (var c in Cases) data.Add(c);
            return data;
        }
    }

    /// <summary>What creating the zone runs: the apex against the Public Suffix List, then the zone's rules.</summary>
    private static IReadOnlyList<ZoneProblem> Refusals(Case c)
    {
        var origin = DnsName.Parse(c.Origin);
        if (ZoneRules.CheckApex(origin) is { } apex) return [apex];
        var zone = ZoneRules.ReadMasterFile(c.Text, origin, "t.zone");
        if (c.FromCode is { } extra) zone = new Zone(origin, [.. zone.Records, extra]);
        return ZoneRules.Check(ZoneRules.Normalize(zone));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_rule_refuses_its_zone_naming_the_record(Case c)
    {
        var problem = Assert.Single(Refusals(c), p => p.Rule == c.Rule);
        if (c.Record is null) Assert.Null(problem.Record);
        else Assert.StartsWith(c.Record, problem.Record);
        Assert.Contains(c.Names, problem.Message);
    }

    [Fact]
    public void The_zone_the_rows_break_is_accepted_as_it_is()
    {
        Assert.Empty(Refusals(new Case("the apex alone", "example.com.", Apex, "", null, "")));
    }

    [Fact]
    public void Every_rule_id_has_a_row()
    {
        var ids = typeof(ZoneValidator.Rules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(ZoneRules).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);
        string[] shadowed = [ZoneRules.SoaRData]; // see its row: rdata-invalid comes first
        Assert.Empty(ids.Except(Cases.Select(c => c.Rule)).Except(shadowed));
    }
}
