using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AkkaDns.Cluster.Tests.Node.Support;
using AkkaDns.Cluster.Tests.Support;

namespace AkkaDns.Cluster.Tests.Differential;

public static class SignedTestZone
{
    public const string Origin = "signed.example.";
    public static string File => Path.Combine(AppContext.BaseDirectory, "TestData", "signed.example.zone");
    /// <summary>The marker line: what follows it is added by a PATCH once AkkaDns has signed the zone.</summary>
    public const string AfterSigning = "\n; after signing:";
}

/// <summary>
/// The two signers of <see cref="SignedTestZone"/>: one real AkkaDns node (<c>akkadns run</c>, SQLite, free loopback
/// ports) that signs the zone it is given with <c>"dnssec": true</c> (its defaults: one ECDSAP256SHA256 CSK, NSEC3 with
/// no salt and 0 iterations) and then takes the file's last lines as one PATCH (incremental re-signing, a delta to the
/// edge), and a knotd that signs the same text on load with the same policy. The zone file knotd
/// loads carries the serial AkkaDns serves (AkkaDns's serial follows the zone's version), so SOA records compare as
/// they are. Both are stopped by their PIDs on dispose; every wait is bounded.
/// </summary>
public partial class SignedPairFixture : IAsyncLifetime
{
    /// <summary>NSEC3 (AkkaDns's default) when true, else NSEC (enabled with <c>{"nsec": true}</c>).</summary>
    protected virtual bool Nsec3 => true;
    /// <summary>NSEC3 opt-out (RFC 5155 §6; AkkaDns <c>"nsec3param": "1 1 0 -"</c>).</summary>
    protected virtual bool OptOut => false;

    private readonly string _dataDir = TempDir.Create("akkadns-signed-diff");
    private string? _knotZoneFile;

    public NodeProcess Node { get; private set; } = null!;
    public KnotRunner Knot { get; private set; } = null!;
    /// <summary>The zone's signing state as the node reports it (GET …/dnssec), for the test log.</summary>
    public string DnssecStatus { get; private set; } = "";
    /// <summary>NSEC3 hashed owner label (lower case) → the name it is the hash of, for every name of the zone.</summary>
    public IReadOnlyDictionary<string, string> Unhash { get; } = Nsec3Names.Map(System.IO.File.ReadAllText(SignedTestZone.File), SignedTestZone.Origin);

    public IPEndPoint AkkaDns => Node.Dns;

    public async Task InitializeAsync()
    {
        if (!KnotRunner.IsInstalled)
            throw new InvalidOperationException($"{KnotRunner.KnotdPath} is missing: install Debian's 'knot' package (.ci/run does)");
        var text = await System.IO.File.ReadAllTextAsync(SignedTestZone.File);
        Node = await NodeProcess.StartAsync(_dataDir, timeout: TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = Node.Api, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Add("X-API-Key", Node.ApiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var split = text.IndexOf(SignedTestZone.AfterSigning, StringComparison.Ordinal);
        var body = !Nsec3 ? JsonSerializer.Serialize(new { name = SignedTestZone.Origin, kind = "Native", zone = text[..split] })
            : OptOut ? JsonSerializer.Serialize(new { name = SignedTestZone.Origin, kind = "Native", dnssec = true, nsec3param = "1 1 0 -", zone = text[..split] })
            : JsonSerializer.Serialize(new { name = SignedTestZone.Origin, kind = "Native", dnssec = true, zone = text[..split] });
        using (var created = await http.PostAsync("api/v1/servers/localhost/zones", new StringContent(body, Encoding.UTF8, "application/json")))
            if (!created.IsSuccessStatusCode)
                throw new InvalidOperationException($"creating the signed zone: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}\n{Node.Stderr}");
        if (!Nsec3)
        {
            using var enabled = await http.PostAsync($"api/v1/servers/localhost/zones/{SignedTestZone.Origin}/dnssec/enable",
                new StringContent("""{"nsec": true}""", Encoding.UTF8, "application/json"));
            if (!enabled.IsSuccessStatusCode)
                throw new InvalidOperationException($"enabling DNSSEC with NSEC: {(int)enabled.StatusCode} {await enabled.Content.ReadAsStringAsync()}");
        }
        DnssecStatus = await http.GetStringAsync($"api/v1/servers/localhost/zones/{SignedTestZone.Origin}/dnssec");

        // Served signed: the DNSKEY RRset comes with its RRSIG.
        var first = await WaitSignedAsync(AkkaDns, null, TimeSpan.FromSeconds(30))
            ?? throw new TimeoutException($"the node did not serve {SignedTestZone.Origin} DNSKEY with an RRSIG within 30 s\n{Node.Stderr}");

        // The rest of the file as one change: re-signed incrementally on the zones side, applied as a delta by the edge.
        var rrsets = text[split..].Split('\n').Where(l => l.Length > 0 && !l.StartsWith(';'))
            .Select(l => l.Split((char[])[' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries))
            .Select(p => new
            {
                name = p[0] == "@" ? SignedTestZone.Origin : $"{p[0]}.{SignedTestZone.Origin}",
                type = p[2], ttl = 3600, changetype = "REPLACE",
                records = new[] { new { content = p[3].Trim(), disabled = false } },
            }).ToList();
        using (var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/servers/localhost/zones/{SignedTestZone.Origin}")
        { Content = new StringContent(JsonSerializer.Serialize(new { rrsets }), Encoding.UTF8, "application/json") })
        using (var patched = await http.SendAsync(request))
            if (!patched.IsSuccessStatusCode)
                throw new InvalidOperationException($"the change after signing: {(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
        var serial = await WaitSignedAsync(AkkaDns, first, TimeSpan.FromSeconds(30))
            ?? throw new TimeoutException($"the node did not serve the change after signing within 30 s\n{Node.Stderr}");

        _knotZoneFile = Path.Combine(_dataDir, "knot-signed.example.zone");
        await System.IO.File.WriteAllTextAsync(_knotZoneFile, SoaSerial().Replace(text, m => m.Groups[1].Value + serial + m.Groups[2].Value, 1));
        Knot = KnotRunner.Start([(SignedTestZone.Origin, _knotZoneFile)], TimeSpan.FromSeconds(20), signed: true, nsec3: Nsec3, optOut: OptOut);
        if (await WaitSignedAsync(Knot.EndPoint, null, TimeSpan.FromSeconds(10)) is not { } knotSerial || knotSerial != serial)
            throw new InvalidOperationException($"knotd serves {SignedTestZone.Origin} unsigned or with another serial than AkkaDns's {serial}:\n{Knot.Log}");
    }

    [GeneratedRegex(@"^(@\s+IN\s+SOA\s+\S+\s+\S+\s+)\d+(\s)", RegexOptions.Multiline)]
    private static partial Regex SoaSerial();

    /// <summary>Polls DNSKEY with DO=1 until it comes with an RRSIG and the SOA serial is not <paramref name="notSerial"/>;
    /// the SOA serial served then, or null.</summary>
    private static async Task<uint?> WaitSignedAsync(IPEndPoint server, uint? notSerial, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        var dnskey = DnsWire.BuildQuery(1, SignedTestZone.Origin, 48, new QueryOptions(EdnsSize: 1232, Do: true));
        var soa = DnsWire.BuildQuery(2, SignedTestZone.Origin, QuerySet.SOA, new QueryOptions(EdnsSize: 1232, Do: true));
        while (DateTime.UtcNow < until)
        {
            var wire = await DnsWire.UdpAsync(server, dnskey, TimeSpan.FromSeconds(1));
            if (wire is not null && DecodedResponse.Decode(wire).Answer.Any(a => a.Contains(" RRSIG DNSKEY ", StringComparison.Ordinal)))
            {
                var s = await DnsWire.UdpAsync(server, soa, TimeSpan.FromSeconds(1));
                var m = s is null ? null : ARSoft.Tools.Net.Dns.DnsMessage.Parse(s);
                if (m?.AnswerRecords.OfType<ARSoft.Tools.Net.Dns.SoaRecord>().FirstOrDefault() is { } rec && rec.SerialNumber != notSerial)
                    return rec.SerialNumber;
            }
            await Task.Delay(200);
        }
        return null;
    }

    public Task DisposeAsync()
    {
        Knot?.Dispose();
        var node = Node?.DisposeAsync().AsTask() ?? Task.CompletedTask;
        return node.ContinueWith(_ => TempDir.Delete(_dataDir), TaskScheduler.Default);
    }
}

/// <summary>The same pair with NSEC instead of NSEC3 (RFC 4034 §4, RFC 4035 §3.1.3).</summary>
public sealed class NsecSignedPairFixture : SignedPairFixture
{
    protected override bool Nsec3 => false;
}

/// <summary>The same pair with NSEC3 opt-out: the insecure delegation has no NSEC3 of its own (RFC 5155 §6, §7.2.7).</summary>
public sealed class OptOutSignedPairFixture : SignedPairFixture
{
    protected override bool OptOut => true;
}
