using AkkaDns.Cluster.Tests.Acme;
using AkkaDns.Cluster.Tests.Propagation;
using Xunit.Abstractions;

namespace AkkaDns.Cluster.Tests.Dnssec;

/// <summary>
/// Zones signed by a real AkkaDns node, checked by real validators in a network namespace with only loopback
/// (validate.sh in the ACME test bed, without the CA): delv validates every answer kind, unbound validates every answer
/// through hundreds of changes and a ZSK and a CSK rollover (zero bogus, zero unvalidated), and the zones fetched by
/// AXFR pass ldns-verify-zone, dnssec-verify and kzonecheck.
/// </summary>
[Collection("acme")]
public sealed class SignedZoneValidationTests(ITestOutputHelper output)
{
    private static string Script => Path.Combine(LocalCluster.RepoRoot, "tests", "Cluster.Tests", "Dnssec", "validate.sh");

    [Fact]
    public void Validators_see_every_answer_secure_through_changes_and_rollovers()
    {
        var missing = new List<string>();
        if (Environment.UserName != "root") missing.Add("root (unshare -n)");
        foreach (var (tool, package) in new[] { ("/usr/bin/unshare", "util-linux"), ("/usr/bin/delv", "bind9-dnsutils"), ("/usr/sbin/unbound", "unbound"),
                     ("/usr/bin/ldns-verify-zone", "ldnsutils"), ("/usr/bin/dnssec-verify", "bind9-dnsutils"), ("/usr/bin/kzonecheck", "knot-dnssecutils"),
                     ("/usr/bin/dig", "bind9-dnsutils"), ("/usr/bin/curl", "curl") })
            if (!File.Exists(tool)) missing.Add($"{tool} (apt package {package})");
        Assert.True(missing.Count == 0, "the DNSSEC validation bed needs " + string.Join(", ", missing) + "; .ci/run installs them");

        // Short timers so the rollovers run within the test: each key step waits the zone's 2 s TTL + 1 s.
        var config = Path.Combine(Path.GetTempPath(), $"akkadns-dnssec-{Guid.NewGuid():N}.conf");
        File.WriteAllText(config, """
            akkadns.dnssec.propagation-delay = 1s
            akkadns.zones.dnssec-watch-interval = 250ms
            """);
        try
        {
            var (code, text) = AcmeTestBed.RunScript(Script, TimeSpan.FromMinutes(8), zone: "bed.akkadns.test.", ["--no-pebble", "--node-config", config],
                new Dictionary<string, string> { ["CHANGES"] = "400" });
            output.WriteLine(text);
            Assert.True(code == 0, $"validate.sh exited {code}:\n{text}");
            Assert.Matches(@"checked=(\d{4,}) bogus=0 insecure=0", text); // 400 changes make over a thousand validated answers
            Assert.Contains("rollovers finished", text);
        }
        finally { File.Delete(config); }
    }
}
