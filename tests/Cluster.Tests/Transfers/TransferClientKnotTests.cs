using AkkaDns.Cluster.Tests.Support;

namespace AkkaDns.Cluster.Tests.Transfers;

/// <summary>
/// AkkaDns as a secondary: <c>TransferClient</c> against a real Knot primary (<see cref="KnotPrimary"/>), with TSIG.
/// </summary>
public sealed class TransferClientKnotTests
{
    internal const string Origin = "xfr.example.";
    internal const string ZoneText = """
        $ORIGIN xfr.example.
        $TTL 3600
        @       SOA  ns1 hostmaster 10 3600 900 604800 300
        @       NS   ns1
        ns1     A    127.0.0.1
        www     A    192.0.2.1
        www     AAAA 2001:db8::1
        txt     TXT  "hello world" "two"
        """;

    [Fact]
    public void The_knot_primary_harness_bumps_the_serial_on_each_transaction()
    {
        using var knot = KnotPrimary.Start(Origin, ZoneText);
        Assert.Equal(10u, knot.Serial());
        knot.Set("mail 300 A 192.0.2.9", "txt2 60 TXT \"a b\" c");
        Assert.Equal(11u, knot.Serial());
        knot.Unset("www AAAA");
        Assert.Equal(12u, knot.Serial());
        knot.Replace("""
            $ORIGIN xfr.example.
            $TTL 3600
            @       SOA  ns1 hostmaster 1 3600 900 604800 300
            @       NS   ns1
            ns1     A    127.0.0.1
            only    A    192.0.2.77
            """);
        Assert.Equal(13u, knot.Serial());
    }
}
