using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Serving;

/// <summary>
/// <see cref="CompiledZone.WithChanges"/> must answer exactly as a full compile of the changed zone: every query of a
/// fixed set gets byte-identical responses after each step (new names under new empty non-terminals, removals that make
/// empty non-terminals vanish, wildcards, cuts with glue, additional-section targets, SOA serials), and the version it
/// was built from keeps answering as before.
/// </summary>
public sealed class CompiledZoneChangesTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private const string Text = """
        $ORIGIN example.com.
        $TTL 3600
        @        SOA ns1 hostmaster 1 7200 3600 1209600 300
        @        NS  ns1
        @        MX  10 mail
        ns1      A   192.0.2.53
        mail     A   192.0.2.25
        a.b.c    A   192.0.2.7
        *.w      A   192.0.2.8
        www      CNAME a.b.c
        """;

    private static readonly string[] Questions =
    [
        "example.com. SOA", "example.com. MX", "example.com. NS", "ns1.example.com. A", "mail.example.com. A", "mail.example.com. AAAA",
        "a.b.c.example.com. A", "b.c.example.com. A", "c.example.com. A", "x.w.example.com. A", "w.example.com. A",
        "www.example.com. A", "new.deep.example.com. A", "deep.example.com. A", "sub.example.com. A", "host.sub.example.com. A",
        "ns.sub.example.com. A", "x.v.example.com. TXT", "v.example.com. TXT", "nothing.example.com. A", "mail.example.com. MX",
    ];

    private static ResourceRecord R(string owner, RecordType type, string rdata, uint ttl = 3600) =>
        new(DnsName.Parse(owner), type, ttl, RData.Parse(type, rdata, Origin));

    private static RRsetUpdate Set(string owner, RecordType type, params ResourceRecord[] records) => new(DnsName.Parse(owner), type, records);

    private static RRsetUpdate Soa(uint serial) =>
        Set("example.com.", RecordType.SOA, R("example.com.", RecordType.SOA, $"ns1 hostmaster {serial} 7200 3600 1209600 300"));

    private static readonly RRsetUpdate[][] Steps =
    [
        [Set("new.deep.example.com.", RecordType.A, R("new.deep.example.com.", RecordType.A, "192.0.2.1")), Soa(2)],
        [Set("mail.example.com.", RecordType.A), Set("mail.example.com.", RecordType.AAAA, R("mail.example.com.", RecordType.AAAA, "2001:db8::25")), Soa(3)],
        [Set("a.b.c.example.com.", RecordType.A), Soa(4)], // b.c and c vanish; www's CNAME now points at nothing
        [Set("*.w.example.com.", RecordType.A), Set("*.v.example.com.", RecordType.TXT, R("*.v.example.com.", RecordType.TXT, "\"wild\"")), Soa(5)],
        [Set("sub.example.com.", RecordType.NS, R("sub.example.com.", RecordType.NS, "ns.sub")), Set("ns.sub.example.com.", RecordType.A, R("ns.sub.example.com.", RecordType.A, "192.0.2.99")), Soa(6)],
        [Set("ns1.example.com.", RecordType.A, R("ns1.example.com.", RecordType.A, "192.0.2.54", 60), R("ns1.example.com.", RecordType.A, "192.0.2.55", 30),
            R("ns1.example.com.", RecordType.A, "192.0.2.55", 30)), Soa(7)],
        [Set("new.deep.example.com.", RecordType.A), Set("nothing-there.example.com.", RecordType.A), Soa(8)],
        [Set("a.b.c.example.com.", RecordType.A, R("a.b.c.example.com.", RecordType.A, "192.0.2.70")), Soa(9)],
    ];

    [Fact]
    public void Each_step_answers_as_a_full_compile_of_the_changed_zone()
    {
        var records = MasterFileReader.ReadText(Text, null).Records.ToList();
        var patched = CompiledZone.Compile(new Zone(Origin, records), version: 1);
        long version = 1;
        foreach (var step in Steps)
        {
            var before = Answers(patched);
            var previous = patched;
            foreach (var u in step)
            {
                records.RemoveAll(r => r.Owner.Equals(u.Owner) && r.Type == u.Type);
                records.AddRange(u.Records);
            }
            patched = patched.WithChanges(step, ++version);
            var full = CompiledZone.Compile(new Zone(Origin, records), version);

            Assert.Equal(version, patched.Version);
            Assert.Equal(full.RecordCount, patched.RecordCount);
            Assert.Equal(full.NodeCount, patched.NodeCount);
            var expected = Answers(full);
            var actual = Answers(patched);
            foreach (var q in Questions)
                Assert.True(expected[q].SequenceEqual(actual[q]), $"step to version {version}: {q}\nfull:    {DnsMessage.Parse(expected[q])}\npatched: {DnsMessage.Parse(actual[q])}");
            // The version it was built from is untouched: readers holding it see what they saw.
            var again = Answers(previous);
            foreach (var q in Questions) Assert.True(before[q].SequenceEqual(again[q]), $"version {version - 1} changed for {q}");
        }
    }

    [Fact]
    public void A_change_that_breaks_a_local_rule_is_refused_and_leaves_the_zone_as_it_was()
    {
        var zone = CompiledZone.Compile(MasterFileReader.ReadText(Text, null), version: 1);
        Assert.Throws<ZoneValidationException>(() => zone.WithChanges([Set("www.example.com.", RecordType.A, R("www.example.com.", RecordType.A, "192.0.2.1"))], 2));
        Assert.Throws<ZoneValidationException>(() => zone.WithChanges([Set("example.com.", RecordType.NS)], 2));
        Assert.Throws<ZoneValidationException>(() => zone.WithChanges([Set("other.org.", RecordType.A, R("other.org.", RecordType.A, "192.0.2.1"))], 2));
        Assert.Throws<ZoneValidationException>(() => zone.WithChanges([Set("x.example.com.", RecordType.SOA, R("x.example.com.", RecordType.SOA, "ns1 hostmaster 1 2 3 4 5"))], 2));
        Assert.NotNull(zone.FindNode(DnsName.Parse("www.example.com.")));
        Assert.Equal(1, zone.Version);
    }

    [Fact]
    public void Many_single_changes_to_a_large_zone_keep_every_name_findable()
    {
        var records = new List<ResourceRecord> { R("example.com.", RecordType.SOA, "ns1 hostmaster 1 7200 3600 1209600 300"), R("example.com.", RecordType.NS, "ns1"), R("ns1.example.com.", RecordType.A, "192.0.2.53") };
        for (int i = 0; i < 5000; i++) records.Add(R($"h{i}.example.com.", RecordType.A, $"10.0.{i >> 8}.{i & 255}"));
        var zone = CompiledZone.Compile(new Zone(Origin, records), version: 1);
        for (int i = 0; i < 3000; i++) // adds 3000 names, removes 1000: the index grows and re-shards on the way
        {
            var step = i % 3 == 2
                ? Set($"h{i}.example.com.", RecordType.A)
                : Set($"n{i}.x{i % 7}.example.com.", RecordType.A, R($"n{i}.x{i % 7}.example.com.", RecordType.A, "192.0.2.1"));
            zone = zone.WithChanges([step], i + 2);
        }
        for (int i = 0; i < 3000; i++)
        {
            Assert.Equal(i % 3 != 2, zone.FindNode(DnsName.Parse($"h{i}.example.com.")) is not null);
            Assert.Equal(i % 3 != 2, zone.FindNode(DnsName.Parse($"n{i}.x{i % 7}.example.com.")) is not null);
        }
        for (int i = 3000; i < 5000; i++) Assert.NotNull(zone.FindNode(DnsName.Parse($"h{i}.example.com.")));
        Assert.Equal(5003 - 1000 + 2000, zone.RecordCount);
    }

    private static Dictionary<string, byte[]> Answers(CompiledZone zone)
    {
        var table = new ZoneTable();
        table.Publish(zone);
        var answerer = new Answerer(table, new AnswerOptions());
        var result = new Dictionary<string, byte[]>();
        var buffer = new byte[4096];
        foreach (var q in Questions)
        {
            var parts = q.Split(' ');
            var query = DnsMessage.CreateQuery(DnsName.Parse(parts[0]), Enum.Parse<RecordType>(parts[1]), id: 7).Encode();
            int n = answerer.Handle(query, buffer, new QueryContext(Transport.Udp));
            result[q] = buffer.AsSpan(0, n).ToArray();
        }
        return result;
    }
}
