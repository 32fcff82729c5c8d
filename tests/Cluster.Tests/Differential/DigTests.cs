using System.Diagnostics;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// <c>dig</c> (Debian bind9-dnsutils), a client we did not write, against a live <c>akkadns serve</c>: the answer
/// shown for a plain query, over UDP and TCP, and for a name that does not exist.
/// </summary>
public sealed class DigTests(AkkaDnsFixture akka) : IClassFixture<AkkaDnsFixture>
{
    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Dig_gets_an_authoritative_answer(string transport)
    {
        var output = await Dig(transport, "www.rich.example", "A");
        Assert.Contains("status: NOERROR", output);
        Assert.Matches(@"flags: qr aa;", output);
        Assert.Matches(@"(?m)^www\.rich\.example\.\s+3600\s+IN\s+A\s+192\.0\.2\.80$", output);
        Assert.Matches(@"(?m)^www\.rich\.example\.\s+3600\s+IN\s+A\s+192\.0\.2\.81$", output);
        Assert.Contains("ANSWER: 2,", output);
    }

    [Fact]
    public async Task Dig_sees_nxdomain_with_the_soa_and_its_negative_ttl()
    {
        var output = await Dig("+notcp", "nothere.rich.example", "A");
        Assert.Contains("status: NXDOMAIN", output);
        Assert.Matches(@"flags: qr aa;", output);
        Assert.Matches(@"(?m)^rich\.example\.\s+300\s+IN\s+SOA\s+ns1\.rich\.example\. hostmaster\.rich\.example\. 2026112701 ", output);
    }

    private async Task<string> Dig(string transport, string name, string type)
    {
        var psi = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "@127.0.0.1", "-p", akka.Server.Port.ToString(), name, type, "+norec", transport, "+time=3", "+tries=1" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dig (apt-get install bind9-dnsutils)");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await p.WaitForExitAsync(cts.Token);
        var text = await stdout + await stderr;
        Assert.True(p.ExitCode == 0, $"dig exited with {p.ExitCode}:\n{text}");
        return text;
    }
}
