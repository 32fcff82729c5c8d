using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using BenchmarkDotNet.Attributes;

namespace AkkaDns.Benchmarks;

/// <summary>
/// The hot path the front end runs per packet: parse the query and write its answer with
/// <see cref="Answerer.Handle"/> against a compiled zone. The figure that matters is Allocated (target: 0 B/op).
/// </summary>
[MemoryDiagnoser]
public class AnswerBenchmarks
{
    private const string ZoneText = """
        $ORIGIN example.test.
        $TTL 3600
        @       IN SOA ns1 hostmaster 2026112701 7200 3600 1209600 300
        @       IN NS  ns1
        @       IN NS  ns2
        @       IN MX  10 mail
        ns1     IN A   192.0.2.53
        ns2     IN A   192.0.2.54
        www     IN A   192.0.2.1
        www     IN A   192.0.2.2
        www     IN AAAA 2001:db8::1
        mail    IN A   192.0.2.25
        sub     IN NS  ns.sub
        ns.sub  IN A   192.0.2.99
        ns.sub  IN AAAA 2001:db8::99
        """;

    private readonly byte[] _response = new byte[65535];
    private Answerer _answerer = null!;
    private Answerer _signed = null!;
    private byte[] _positive = null!, _nxdomain = null!, _referral = null!, _positiveDo = null!, _nxdomainDo = null!;

    [GlobalSetup]
    public void Setup()
    {
        var zone = ZoneValidator.Normalize(MasterFileReader.ReadText(ZoneText, DnsName.Parse("example.test.")));
        ZoneValidator.EnsureValid(zone);
        var table = new ZoneTable();
        table.Publish(CompiledZone.Compile(zone));
        _answerer = new Answerer(table, new AnswerOptions());

        _positive = Query("www.example.test.", RecordType.A);
        _nxdomain = Query("nothing.example.test.", RecordType.A);
        _referral = Query("host.sub.example.test.", RecordType.A);

        // Measure real answers, not an error path: check each response once before timing.
        Expect(_positive, Rcode.NoError, m => m.AuthoritativeAnswer && m.Answers.Count == 2);
        Expect(_nxdomain, Rcode.NXDomain, m => m.AuthoritativeAnswer && m.Authority.Count == 1);
        Expect(_referral, Rcode.NoError, m => !m.AuthoritativeAnswer && m.Answers.Count == 0 && m.Authority.Count == 1 && m.Additional.Count == 2);
        Expect(_positive, Rcode.NoError, m => m.AuthoritativeAnswer && m.Answers.Count == 2, Transport.Tcp);

        // The same zone signed (ECDSA P-256, NSEC3 as the signer's defaults), asked with DO=1: RRSIGs with the answer,
        // the NSEC3 proofs with the NXDOMAIN.
        var signer = new ZoneSigner(zone.Origin);
        var key = new SigningKey(DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, secureEntryPoint: true), SignsZone: true, SignsKeys: true);
        var signedZone = signer.Sign(zone.Records, [key], new SigningPolicy(), DateTimeOffset.UtcNow);
        var signedTable = new ZoneTable();
        signedTable.Publish(CompiledZone.Compile(new Zone(zone.Origin, signedZone.Records)));
        _signed = new Answerer(signedTable, new AnswerOptions());
        _positiveDo = QueryDo("www.example.test.", RecordType.A);
        _nxdomainDo = QueryDo("nothing.example.test.", RecordType.A);
        Expect(_signed, _positiveDo, Rcode.NoError, m => m.Answers.Count == 3 && m.Answers.Any(r => r.Type == RecordType.RRSIG), Transport.Udp);
        Expect(_signed, _nxdomainDo, Rcode.NXDomain, m => m.Authority.Count(r => r.Type == RecordType.NSEC3) >= 2, Transport.Udp);
    }

    private static byte[] QueryDo(string name, RecordType type)
        => DnsMessage.CreateQuery(DnsName.Parse(name), type, id: 0x4242, ednsPayload: 1232, dnssecOk: true).Encode();

    private static byte[] Query(string name, RecordType type)
        => DnsMessage.CreateQuery(DnsName.Parse(name), type, id: 0x4242, ednsPayload: 1232).Encode();

    private void Expect(byte[] query, Rcode rcode, Func<DnsMessage, bool> shape, Transport transport = Transport.Udp)
        => Expect(_answerer, query, rcode, shape, transport);

    private void Expect(Answerer answerer, byte[] query, Rcode rcode, Func<DnsMessage, bool> shape, Transport transport)
    {
        int n = answerer.Handle(query, _response, new QueryContext(transport));
        if (n <= 0) throw new InvalidOperationException($"no answer for {DnsMessage.Parse(query).Questions[0]}");
        var m = DnsMessage.Parse(_response.AsSpan(0, n));
        if (m.Rcode != rcode || !shape(m)) throw new InvalidOperationException($"unexpected answer:\n{m}");
    }

    [Benchmark(Baseline = true)]
    public int Positive() => _answerer.Handle(_positive, _response, new QueryContext(Transport.Udp));

    [Benchmark]
    public int NxDomain() => _answerer.Handle(_nxdomain, _response, new QueryContext(Transport.Udp));

    [Benchmark]
    public int Referral() => _answerer.Handle(_referral, _response, new QueryContext(Transport.Udp));

    /// <summary>The same answer over TCP (no 512/EDNS limit; the front end adds the length prefix).</summary>
    [Benchmark]
    public int PositiveTcp() => _answerer.Handle(_positive, _response, new QueryContext(Transport.Tcp));

    [Benchmark]
    public int SignedPositiveDo() => _signed.Handle(_positiveDo, _response, new QueryContext(Transport.Udp));

    [Benchmark]
    public int SignedNxDomainDo() => _signed.Handle(_nxdomainDo, _response, new QueryContext(Transport.Udp));
}
