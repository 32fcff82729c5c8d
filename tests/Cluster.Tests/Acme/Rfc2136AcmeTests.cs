namespace AkkaDns.Cluster.Tests.Acme;

/// <summary>lego <c>--dns rfc2136</c> and certbot <c>--dns-rfc2136</c> get certificates from pebble through TSIG-signed
/// DNS UPDATE to the node (key made through the API, allowed by TSIG-ALLOW-DNSUPDATE), in their own network namespace.</summary>
[Collection("acme")]
public sealed class Rfc2136AcmeTests
{
    [Theory]
    [InlineData("lego-rfc2136")]
    [InlineData("certbot-rfc2136")]
    public void The_client_obtains_a_certificate_through_dns_update(string client)
    {
        Assert.True(AcmeTestBed.Missing() is null, AcmeTestBed.Missing());
        if (client.StartsWith("certbot", StringComparison.Ordinal))
            Assert.True(File.Exists("/usr/bin/certbot"), "certbot missing (.ci/run installs certbot python3-certbot-dns-rfc2136)");
        var (code, output) = AcmeTestBed.Run(client, TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"{client} failed ({code}):\n{output}");
        Assert.Contains("certificate ", output);
    }
}
