using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Node.Support;
using AkkaDns.Cluster.Tests.Transfers;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Cluster.Tests.Api.ApiTestHelpers;

namespace AkkaDns.Cluster.Tests.Update;

/// <summary>
/// DNS UPDATE (RFC 2136) against a real node with the tools operators use: BIND's nsupdate (UDP and TCP) and Knot's
/// knsupdate, TSIG-signed with keys made over the API, access from the zone's metadata. Each script's outcome is the
/// RCODE the RFC prescribes, and what is applied is answered by the edge afterwards.
/// </summary>
[Collection(SharedNodeCollection.Name)]
public sealed class NsupdateTests(SharedNode shared)
{
    private const string TsigPath = "/api/v1/servers/localhost/tsigkeys";
    private readonly HttpClient _http = shared.Http;
    private IPEndPoint Edge => shared.Node.Dns;

    [Theory]
    [InlineData("nsupdate", false)]
    [InlineData("nsupdate", true)]
    [InlineData("knsupdate", false)]
    public async Task Updates_and_each_prerequisite_answer_as_RFC_2136_says(string tool, bool tcp)
    {
        var (zone, key) = await UpdatableZone(tool + (tcp ? "-tcp" : ""), "hmac-sha256");
        var y = $"hmac-sha256:{key.Name}:{key.Secret}";

        // add, then the edge answers it
        await Expect(tool, tcp, y, zone, "NOERROR", $"update add a.{zone} 300 TXT \"one\"", $"update add a.{zone} 300 TXT \"two\"");
        await EdgeAnswers($"a.{zone}", "TXT", 2);
        // delete one record
        await Expect(tool, tcp, y, zone, "NOERROR", $"update delete a.{zone} TXT \"one\"");
        await EdgeAnswers($"a.{zone}", "TXT", 1);
        // delete an RRset (the name keeps its A)
        await Expect(tool, tcp, y, zone, "NOERROR", $"update add b.{zone} 300 TXT \"b\"", $"update add b.{zone} 300 A 192.0.2.7");
        await Expect(tool, tcp, y, zone, "NOERROR", $"update delete b.{zone} TXT");
        await EdgeAnswers($"b.{zone}", "TXT", 0);
        await EdgeAnswers($"b.{zone}", "A", 1);
        // delete a name
        await Expect(tool, tcp, y, zone, "NOERROR", $"update delete b.{zone}");
        await EdgeAnswers($"b.{zone}", "A", 0);

        // the five prerequisites, passing then failing
        await Expect(tool, tcp, y, zone, "NOERROR", $"prereq yxdomain a.{zone}", $"update add p1.{zone} 60 TXT \"x\"");
        await Expect(tool, tcp, y, zone, "NXDOMAIN", $"prereq yxdomain none.{zone}", $"update add p1.{zone} 60 TXT \"y\"");
        await Expect(tool, tcp, y, zone, "NOERROR", $"prereq nxdomain none.{zone}", $"update add p2.{zone} 60 TXT \"x\"");
        await Expect(tool, tcp, y, zone, "YXDOMAIN", $"prereq nxdomain a.{zone}", $"update add p2.{zone} 60 TXT \"y\"");
        await Expect(tool, tcp, y, zone, "NOERROR", $"prereq yxrrset a.{zone} TXT", $"update add p3.{zone} 60 TXT \"x\"");
        await Expect(tool, tcp, y, zone, "NXRRSET", $"prereq yxrrset a.{zone} MX", $"update add p3.{zone} 60 TXT \"y\"");
        await Expect(tool, tcp, y, zone, "NOERROR", $"prereq yxrrset a.{zone} TXT \"two\"", $"update add p4.{zone} 60 TXT \"x\"");
        await Expect(tool, tcp, y, zone, "NXRRSET", $"prereq yxrrset a.{zone} TXT \"three\"", $"update add p4.{zone} 60 TXT \"y\"");
        await Expect(tool, tcp, y, zone, "NOERROR", $"prereq nxrrset a.{zone} MX", $"update add p5.{zone} 60 TXT \"x\"");
        await Expect(tool, tcp, y, zone, "YXRRSET", $"prereq nxrrset a.{zone} TXT", $"update add p5.{zone} 60 TXT \"y\"");
        // nothing a failed prerequisite guarded was applied
        foreach (var p in new[] { "p1", "p2", "p3", "p4", "p5" })
            Assert.Equal(["\"x\""], await Dig.AnswersAsync(Edge, $"{p}.{zone}", "TXT"));

        // unsigned, and signed with a wrong secret
        await Expect(tool, tcp, null, zone, "REFUSED", $"update add u.{zone} 60 TXT \"u\"");
        await Expect(tool, tcp, $"hmac-sha256:{key.Name}:{Convert.ToBase64String(new byte[32])}", zone, "NOTAUTH|BADSIG", $"update add u.{zone} 60 TXT \"u\"");
        Assert.Empty(await Dig.AnswersAsync(Edge, $"u.{zone}", "TXT"));
    }

    [Fact]
    public async Task nsupdate_without_an_algorithm_signs_with_hmac_md5()
    {
        var (zone, key) = await UpdatableZone("md5", "hmac-md5");
        await Expect("nsupdate", false, $"{key.Name}:{key.Secret}", zone, "NOERROR", $"update add m.{zone} 60 TXT \"md5\"");
        await EdgeAnswers($"m.{zone}", "TXT", 1);
    }

    [Theory]
    [InlineData("nsupdate")]
    [InlineData("knsupdate")]
    public async Task A_key_limited_to_acme_challenge_TXT_is_refused_elsewhere(string tool)
    {
        var (zone, key) = await UpdatableZone("acme-" + tool, "hmac-sha256", $"{{key}} _acme-challenge.* TXT");
        var y = $"hmac-sha256:{key.Name}:{key.Secret}";
        await Expect(tool, false, y, zone, "NOERROR", $"update add _acme-challenge.www.{zone} 60 TXT \"token\"");
        await Expect(tool, false, y, zone, "REFUSED", $"update add www2.{zone} 60 TXT \"no\"");
        await Expect(tool, false, y, zone, "REFUSED", $"update add _acme-challenge.www.{zone} 60 CAA 0 issue \"ca.example\"");
        await Expect(tool, false, y, zone, "REFUSED", $"update delete _acme-challenge.www.{zone}");
        await EdgeAnswers($"_acme-challenge.www.{zone}", "TXT", 1);
        Assert.Empty(await Dig.AnswersAsync(Edge, $"www2.{zone}", "TXT"));
    }

    [Fact]
    public async Task A_mass_deletion_is_held_refused_with_an_EDE_naming_the_change_and_the_zone_is_unchanged()
    {
        var (zone, key) = await UpdatableZone("held", "hmac-sha256");
        var y = $"hmac-sha256:{key.Name}:{key.Secret}";
        var names = Enumerable.Range(0, 20).Select(i => $"h{i}.{zone}").ToList();
        await Expect("nsupdate", false, y, zone, "NOERROR", names.Select(n => $"update add {n} 60 TXT \"h\"").ToArray());
        var before = await Serial(zone);

        // nsupdate sends no EDNS, so it sees REFUSED only; the EDE text goes to a client that sends an OPT record.
        await Expect("nsupdate", false, y, zone, "REFUSED", names.Take(15).Select(n => $"update delete {n}").ToArray());
        var reply = await SignedUpdate(zone, key, names.Skip(5).Take(15).ToList());
        Assert.Equal(Rcode.Refused, reply.Rcode);
        var ede = reply.Edns?.Options.SingleOrDefault(o => o.Code == 15);
        Assert.NotNull(ede);
        var text = System.Text.Encoding.UTF8.GetString(ede!.Data.AsSpan(2));
        var pending = await AssertOk(await _http.GetAsync("/api/v1/changes"));
        var ids = JsonSerializer.Serialize(pending);
        Assert.Contains("held by the blast-radius guard as change ", text);
        var id = text.Split("as change ")[1].Split(':')[0];
        Assert.Contains(id, ids);
        Assert.Equal(before, await Serial(zone));
        await EdgeAnswers(names[0], "TXT", 1);
    }

    [Fact]
    public async Task A_secondary_zone_refuses_updates()
    {
        var (zone, key) = await UpdatableZone("secupd", "hmac-sha256");
        await SetMetadata(zone, "MASTERS", "127.0.0.1:9");
        var y = $"hmac-sha256:{key.Name}:{key.Secret}";
        // MASTERS reaches the edge a moment after the PUT: probe with an update that changes nothing
        await Poll.Until(() => Run("nsupdate", false, y, zone, [$"prereq nxdomain ready-probe.{zone}"]), r => r.Contains("REFUSED"), TimeSpan.FromSeconds(20));
        await Expect("nsupdate", false, y, zone, "REFUSED", $"update add s.{zone} 60 TXT \"s\"");
        var reply = await SignedUpdate(zone, key, [$"s.{zone}"]);
        Assert.Equal(Rcode.Refused, reply.Rcode);
        var ede = Assert.Single(reply.Edns!.Options, o => o.Code == 15);
        Assert.Contains("is a secondary", System.Text.Encoding.UTF8.GetString(ede.Data.AsSpan(2)));
        Assert.Empty(await Dig.AnswersAsync(Edge, $"s.{zone}", "TXT"));
        await SetMetadata(zone, "MASTERS");
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>A new zone whose TSIG-ALLOW-DNSUPDATE names a new key; waits until the edge takes updates with it.</summary>
    private async Task<(string Zone, TestKey Key)> UpdatableZone(string label, string algorithm, string? policy = null)
    {
        var zone = SharedNode.UniqueZone("upd-" + label);
        var key = await CreateKey($"upd-{Guid.NewGuid():N}"[..16] + ".", algorithm);
        await AssertOk(await _http.PostAsync(ZonesPath, Json(CreateBody(zone))), HttpStatusCode.Created);
        await SetMetadata(zone, "TSIG-ALLOW-DNSUPDATE", key.Name);
        if (policy is not null) await SetMetadata(zone, "X-AKKADNS-UPDATE-POLICY", policy.Replace("{key}", key.Name));
        var y = algorithm == "hmac-md5" ? $"{key.Name}:{key.Secret}" : $"{algorithm}:{key.Name}:{key.Secret}";
        // key and metadata are cluster data: the edge has them once a harmless update (an empty prerequisite) passes
        var first = await Poll.Until(() => Run("nsupdate", false, y, zone, [$"prereq nxdomain ready-probe.{zone}"]),
            r => !r.Contains("REFUSED") && !r.Contains("NOTAUTH") && !r.Contains("failed"), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("failed", first);
        if (policy is not null) // and the policy, set last: a no-op outside it (deleting an RRset that is not there) is refused
            await Poll.Until(() => Run("nsupdate", false, y, zone, [$"update delete policy-probe.{zone} TXT"]), r => r.Contains("REFUSED"), TimeSpan.FromSeconds(20));
        return (zone, key);
    }

    private async Task Expect(string tool, bool tcp, string? y, string zone, string rcode, params string[] lines)
    {
        var output = await Run(tool, tcp, y, zone, lines);
        if (rcode == "NOERROR")
            Assert.False(output.Contains("fail", StringComparison.OrdinalIgnoreCase) || output.Contains("REFUSED") || output.Contains("error"),
                $"{tool}: expected success for\n{string.Join("\n", lines)}\n{output}");
        else
            Assert.True(rcode.Split('|').Any(r => output.Contains(r, StringComparison.OrdinalIgnoreCase)), $"{tool}: expected {rcode} for\n{string.Join("\n", lines)}\n{output}");
    }

    /// <summary>Runs the tool with the script on stdin; returns its stdout and stderr and exit code.</summary>
    private async Task<string> Run(string tool, bool tcp, string? y, string zone, IReadOnlyList<string> lines)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (y is not null) { psi.ArgumentList.Add("-y"); psi.ArgumentList.Add(y); }
        if (tcp) psi.ArgumentList.Add("-v");
        psi.ArgumentList.Add("-t"); psi.ArgumentList.Add("5");
        using var process = Process.Start(psi)!;
        var script = $"server {Edge.Address} {Edge.Port}\nzone {zone}\n" + string.Join("\n", lines) + "\nsend\nquit\n";
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return $"exit {process.ExitCode}\n{await stdout}\n{await stderr}";
    }

    private async Task EdgeAnswers(string name, string type, int count)
    {
        var answers = await Poll.Until(() => Dig.AnswersAsync(Edge, name, type), a => a.Count == count, TimeSpan.FromSeconds(10));
        Assert.True(answers.Count == count, $"{name} {type}: expected {count} answers, got [{string.Join(", ", answers)}]");
    }

    /// <summary>A signed UPDATE with EDNS (our own client) deleting <paramref name="names"/>; the parsed reply.</summary>
    private async Task<DnsMessage> SignedUpdate(string zone, TestKey key, List<string> names)
    {
        var m = new DnsMessage { Id = 4242, Opcode = Opcode.Update, Questions = [new DnsQuestion(DnsName.Parse(zone), RecordType.SOA)], Edns = new Edns() };
        foreach (var n in names) m.Authority.Add(new DnsRecord(DnsName.Parse(n), RecordType.ANY, RecordClass.ANY, 0, []));
        var wire = m.Encode();
        var buffer = new byte[wire.Length + 512];
        wire.CopyTo(buffer, 0);
        Assert.True(TsigAlgorithms.TryParse(key.Algorithm, out var alg));
        var tsigKey = new TsigKey(DnsName.Parse(key.Name), alg, Convert.FromBase64String(key.Secret));
        int length = Tsig.SignRequest(buffer, wire.Length, tsigKey, DateTimeOffset.UtcNow, out _);
        using var udp = new System.Net.Sockets.UdpClient(Edge.AddressFamily);
        await udp.SendAsync(buffer.AsMemory(0, length), Edge);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = await udp.ReceiveAsync(cts.Token);
        return DnsMessage.Parse(reply.Buffer);
    }

    private async Task<TestKey> CreateKey(string name, string algorithm)
    {
        var body = await AssertOk(await _http.PostAsync(TsigPath, Json($$"""{"name": "{{name}}", "algorithm": "{{algorithm}}"}""")), HttpStatusCode.Created);
        return new TestKey(name, algorithm, body.GetProperty("key").GetString()!);
    }

    private async Task SetMetadata(string zone, string kind, params string[] values)
    {
        var response = await _http.PutAsync($"{ZonesPath}/{zone}/metadata/{kind}", Json(JsonSerializer.Serialize(new { metadata = values })));
        Assert.True(response.IsSuccessStatusCode, $"PUT metadata {kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<uint> Serial(string zone) =>
        (await AssertOk(await _http.GetAsync($"{ZonesPath}/{zone}"))).GetProperty("serial").GetUInt32();
}
