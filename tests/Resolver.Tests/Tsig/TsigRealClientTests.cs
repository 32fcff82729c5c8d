using System.Diagnostics;
using System.Net;
using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Tests.Answering;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;

// Not "...Tests.Tsig": that namespace would shadow the Tsig class.
namespace AkkaDns.Resolver.Tests.TsigTests;

/// <summary>
/// BIND's dig and Knot's kdig sign a query with each algorithm against the in-process DnsServer and check our
/// signed answer; a wrong secret and an unknown key name get the errors those clients expect.
/// </summary>
public sealed class TsigRealClientTests : IAsyncLifetime
{
    private const string Zone = """
        $ORIGIN example.
        $TTL 3600
        @   IN SOA ns1 hostmaster 2026120301 7200 3600 1209600 300
        @   NS ns1
        ns1 A  192.0.2.53
        """;
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==";
    private static readonly string[] DigNames = ["hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"];

    private DnsServer _server = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        var keys = TsigAlgorithms.All.Select(a => new TsigKey(DnsName.Parse($"{TsigAlgorithms.ToName(a)}.key."), a, Convert.FromBase64String(Secret)));
        var fixture = new AnswerFixture(new AnswerOptions { Keyring = new TsigKeyStore(keys) }, Zone);
        _server = new DnsServer(fixture.Answerer, new DnsServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1 });
        await _server.StartAsync();
        _port = _server.LocalEndPoint.Port;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string KeyName(string digName)
        => (TsigAlgorithms.TryParse(digName, out var a) ? TsigAlgorithms.ToName(a) : throw new ArgumentException(digName)) + ".key";

    /// <summary>
    /// Runs the client, and again (at most three times in all) when it got no reply at all: a UDP answer lost or
    /// late on a loaded CI machine is not what these tests are about (CI once saw kdig time out after 3 s). An
    /// answer that arrives is checked in full; a wrong signature is never retried away, since it is a reply.
    /// </summary>
    private static async Task<string> Run(string tool, params string[] args)
    {
        var output = "";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            output = await RunOnce(tool, args);
            if (!NoReply(output)) return output;
        }
        return output;
    }

    private static bool NoReply(string output)
        => !output.Contains("status:")
           && (output.Contains("response timeout") || output.Contains("timed out") || output.Contains("no servers could be reached"));

    private static async Task<string> RunOnce(string tool, string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await p.WaitForExitAsync(cts.Token);
        return await stdout + await stderr;
    }

    private Task<string> Dig(string key, params string[] extra)
        => Run("dig", ["-p", _port.ToString(), "@127.0.0.1", "+tries=1", "+time=5", "-y", key, .. extra, "example.", "SOA"]);

    private Task<string> Kdig(string key, params string[] extra)
        => Run("kdig", ["-p", _port.ToString(), "@127.0.0.1", "+retry=0", "+time=5", "-y", key, .. extra, "example.", "SOA"]);

    public static TheoryData<string> Algorithms() => new(DigNames);

    [Theory, MemberData(nameof(Algorithms))]
    public async Task Dig_verifies_our_signed_answer(string alg)
    {
        foreach (var transport in new[] { "+notcp", "+tcp" })
        {
            var output = await Dig($"{alg}:{KeyName(alg)}:{Secret}", transport);
            Assert.Contains("status: NOERROR", output);
            Assert.Contains(";; TSIG PSEUDOSECTION:", output);
            Assert.Contains("IN\tSOA\tns1.example. hostmaster.example. 2026120301", output);
            Assert.DoesNotContain("tsig verify failure", output);
            Assert.DoesNotContain("Couldn't verify", output);
        }
    }

    [Theory, MemberData(nameof(Algorithms))]
    public async Task Kdig_verifies_our_signed_answer(string alg)
    {
        foreach (var transport in new[] { "+notcp", "+tcp" })
        {
            var output = await Kdig($"{alg}:{KeyName(alg)}:{Secret}", transport);
            Assert.Contains("status: NOERROR", output);
            Assert.Contains("TSIG", output);
            Assert.DoesNotContain("failed", output);
            Assert.Contains("2026120301", output);
        }
    }

    [Fact]
    public async Task Dig_with_a_wrong_secret_gets_NotAuth_BadSig()
    {
        var output = await Dig($"hmac-sha256:{KeyName("hmac-sha256")}:{Convert.ToBase64String(new byte[32])}");
        Assert.Contains("status: NOTAUTH", output);
        Assert.Contains("BADSIG", output);
    }

    [Fact]
    public async Task Dig_with_an_unknown_key_name_gets_NotAuth_BadKey()
    {
        var output = await Dig($"hmac-sha256:nobody.key:{Secret}");
        Assert.Contains("status: NOTAUTH", output);
        Assert.Contains("BADKEY", output);
    }

    [Fact]
    public async Task Kdig_with_a_wrong_secret_is_told_BadSig()
    {
        var output = await Kdig($"hmac-sha256:{KeyName("hmac-sha256")}:{Convert.ToBase64String(new byte[32])}");
        Assert.Contains("status: BADSIG", output); // kdig shows the TSIG error in place of NOTAUTH
        Assert.Contains("BADSIG 0", output);       // TSIG pseudosection: error BADSIG, no other data
    }
}
