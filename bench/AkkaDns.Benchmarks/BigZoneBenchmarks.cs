using System.Text;
using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;
using BenchmarkDotNet.Attributes;

namespace AkkaDns.Benchmarks;

/// <summary>
/// The answer path against the zone bench/qps.sh serves (100k records: an A and an AAAA on each of 50k names) with
/// its query mix (70% existing names, 15% NXDOMAIN, 15% NODATA) over random names, so the zone's data is mostly
/// out of cache as it is under real load: the figure is the mean time per answered query, and Allocated must stay 0.
/// </summary>
[MemoryDiagnoser]
public class BigZoneBenchmarks
{
    private const int Names = 50_000;
    private const int QueryCount = 4096;
    private readonly byte[] _response = new byte[65535];
    private Answerer _answerer = null!;
    private byte[][] _queries = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("$ORIGIN bench.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.53\nns2 IN A 192.0.2.54\n");
        for (int i = 0; i < Names; i++)
            text.Append($"h{i} IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\nh{i} IN AAAA 2001:db8::{i >> 16:x}:{i & 0xFFFF:x}\n");
        var table = new ZoneTable();
        table.Publish(CompiledZone.Compile(MasterFileReader.ReadText(text.ToString(), DnsName.Parse("bench.example."))));
        _answerer = new Answerer(table, new AnswerOptions());

        var random = new Random(42);
        _queries = new byte[QueryCount][];
        for (int q = 0; q < QueryCount; q++)
        {
            double r = random.NextDouble();
            int i = random.Next(Names);
            var (name, type) = r < 0.70 ? ($"h{i}.bench.example.", random.NextDouble() < 0.5 ? RecordType.A : RecordType.AAAA)
                : r < 0.85 ? ($"nx{i}.bench.example.", RecordType.A) : ($"h{i}.bench.example.", RecordType.MX);
            _queries[q] = DnsMessage.CreateQuery(DnsName.Parse(name), type, id: (ushort)q).Encode();
            if (_answerer.Handle(_queries[q], _response, new QueryContext(Transport.Udp)) <= 0)
                throw new InvalidOperationException($"no answer for {name} {type}");
        }
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public int MixedQueries()
    {
        int total = 0;
        var queries = _queries;
        for (int q = 0; q < queries.Length; q++)
            total += _answerer.Handle(queries[q], _response, new QueryContext(Transport.Udp));
        return total;
    }
}
