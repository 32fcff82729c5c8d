using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Serving;

/// <summary>What the compiler precomputes: nodes (including empty non-terminals), cuts, wildcards, the negative
/// SOA, additional-section targets, and that it refuses invalid zones.</summary>
public sealed class CompiledZoneTests
{
    private const string Text = """
        $ORIGIN example.com.
        $TTL 3600
        @        SOA ns1 hostmaster 1 7200 3600 1209600 300
        @        NS  ns1
        @        MX  10 mail
        ns1      A   192.0.2.53
        mail     AAAA 2001:db8::25
        a.b.c    A   192.0.2.7
        *.w      A   192.0.2.8
        sub      NS  ns.sub
        ns.sub   A   192.0.2.100
        """;

    private static readonly CompiledZone Z = CompiledZone.Compile(MasterFileReader.ReadText(Text, null), version: 42);

    private static ZoneNode Node(string name) => Z.FindNode(DnsName.Parse(name)) ?? throw new Xunit.Sdk.XunitException(name + " missing");

    [Fact]
    public void Metadata_is_set()
    {
        Assert.Equal(DnsName.Parse("example.com."), Z.Origin);
        Assert.Equal(42, Z.Version);
        Assert.Equal(9, Z.RecordCount);
        Assert.True(Z.Apex.IsApex);
    }

    [Fact]
    public void Empty_non_terminals_are_nodes_without_data()
    {
        var b = Node("b.c.example.com.");
        Assert.Empty(b.RRsets);
        Assert.True(b.HasChildren);
        Assert.Empty(Node("c.example.com.").RRsets);
        Assert.Null(Z.FindNode(DnsName.Parse("x.c.example.com.")));
    }

    [Fact]
    public void Lookup_from_wire_bytes_ignores_case()
    {
        Assert.Same(Node("a.b.c.example.com."), Z.FindNode(DnsName.Parse("A.B.C.EXAMPLE.COM.").Wire));
    }

    [Fact]
    public void Cuts_wildcards_and_additional_targets_are_precomputed()
    {
        Assert.True(Node("sub.example.com.").IsDelegation);
        Assert.False(Z.Apex.IsDelegation);
        Assert.Same(Node("*.w.example.com."), Node("w.example.com.").Wildcard);
        Assert.Same(Node("ns.sub.example.com."), Z.FindNode(Node("sub.example.com.").Ns!.TargetName(0)));
        Assert.Same(Node("mail.example.com."), Z.FindNode(Z.Apex.Find(RecordType.MX)!.TargetName(0)));
        Assert.Same(Node("ns1.example.com."), Z.FindNode(Z.Apex.Ns!.TargetName(0)));
        Assert.True(Z.Apex.Ns!.HasTargets);
    }

    [Fact]
    public void Negative_SOA_TTL_is_min_of_TTL_and_MINIMUM()
    {
        Assert.Equal(300u, Z.NegativeSoa.Records[0].Ttl);
        Assert.Equal(3600u, Z.Apex.Find(RecordType.SOA)!.Records[0].Ttl);
    }

    [Fact]
    public void RRsets_are_sorted_by_type_and_compressible_names_located()
    {
        var types = Z.Apex.RRsets.Select(s => s.Type).ToArray();
        Assert.Equal(types.OrderBy(t => (ushort)t), types);
        var mx = Z.Apex.Find(RecordType.MX)!;
        Assert.Equal(2, mx.NameOffsets[0]); // after the 16-bit preference
    }

    [Fact]
    public void Invalid_zones_are_refused()
    {
        var bad = MasterFileReader.ReadText("$ORIGIN example.com.\n@ 300 SOA ns h 1 2 3 4 5\n@ 300 NS ns\nx 300 CNAME y\nx 300 A 192.0.2.1\n", null);
        Assert.Throws<ZoneValidationException>(() => CompiledZone.Compile(bad));
    }
}
