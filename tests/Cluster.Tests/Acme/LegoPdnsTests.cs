namespace AkkaDns.Cluster.Tests.Acme;

/// <summary>
/// lego 4.9.1's <c>--dns pdns</c> provider gets a certificate from a local pebble CA through AkkaDns's PowerDNS-shaped
/// API: it reads GET /api, GET …/zones/{zone.} and PATCHes the TXT RRset in and out; pebble checks the TXT record
/// on the node's DNS port. Everything runs in its own network namespace.
/// </summary>
[Collection("acme")]
public sealed class LegoPdnsTests
{
    [Fact]
    public void Lego_pdns_obtains_a_certificate_and_cleans_up_its_challenge()
    {
        Assert.True(AcmeTestBed.Missing() is null, AcmeTestBed.Missing());
        var (code, output) = AcmeTestBed.Run("lego-pdns", TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"lego --dns pdns failed ({code}):\n{output}");
        Assert.Contains("Server responded with a certificate", output);
        Assert.Contains("certificate ", output);
    }

    /// <summary>The apex and its wildcard share one TXT RRset: lego reads it back and appends the second value, and
    /// pebble must find both. (lego 4.9.1 deletes the whole RRset at the first clean-up and warns at the second.)</summary>
    [Fact]
    public void Lego_pdns_obtains_a_certificate_for_the_apex_and_its_wildcard()
    {
        Assert.True(AcmeTestBed.Missing() is null, AcmeTestBed.Missing());
        var (code, output) = AcmeTestBed.Run("lego-pdns-wildcard", TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"lego --dns pdns -d apex -d '*.apex' failed ({code}):\n{output}");
        Assert.Contains("Server responded with a certificate", output);
    }
}

/// <summary>The ACME tests each start a node and a CA: one at a time, not beside other process tests.</summary>
[CollectionDefinition("acme", DisableParallelization = true)]
public sealed class AcmeCollection;
