using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Benchmarks;

/// <summary>
/// Stopwatch figures for zone transfers, quicker than a BenchmarkDotNet run on a 1M-record zone:
/// <c>axfr-stream [records] [rounds]</c> drains <see cref="ZoneTransferStream"/> over the bench/genzone.py zone in
/// process (message writing only, no socket); <c>axfr-client host port zone [rounds]</c> is a minimal AXFR client that
/// only reads the length-framed messages and counts bytes and messages (no parsing), so it measures the server and the
/// socket rather than the client's decoding (kdig parses every record).
/// </summary>
internal static class AxfrStopwatch
{
    public static int Stream(string[] args)
    {
        int records = args.Length > 1 ? int.Parse(args[1]) : 1_000_000;
        int rounds = args.Length > 2 ? int.Parse(args[2]) : 5;
        int repeat = args.Length > 3 ? int.Parse(args[3]) : 1; // transfers per round (a small zone: in cache)
        var zone = BenchZone(records);
        var query = DnsMessage.CreateQuery(zone.Origin, RecordType.AXFR, id: 7).Encode();
        if (!TransferRequest.TryParse(query, out var request, out _)) throw new InvalidOperationException("AXFR query");
        var buffer = new byte[65535];
        for (int r = 0; r < rounds; r++)
        {
            // The walk alone (what the snapshot's layout costs, whatever the writing): every record's owner and RDATA.
            var walk = Stopwatch.StartNew();
            long touched = 0;
            foreach (var node in zone.EnumerateNodes())
                foreach (var set in node.RRsets)
                    for (int i = 0; i < set.Records.Length; i++) touched += node.Name[0] + set.Data[set.Records[i].DataStart];
            if (repeat == 1) Console.WriteLine($"walk {walk.Elapsed.TotalMilliseconds:F1} ms ({touched})");

            long allocated = GC.GetAllocatedBytesForCurrentThread();
            int gen0 = GC.CollectionCount(0);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            long bytes = 0;
            ZoneTransferStream stream = null!;
            for (int k = 0; k < repeat; k++)
            {
                using var s = stream = ZoneTransferStream.Axfr(request!, zone);
                int n;
                while ((n = s.Next(buffer)) > 0) bytes += n;
            }
            sw.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"round {r + 1}: {sw.Elapsed.TotalMilliseconds:F1} ms (CPU {cpu.TotalMilliseconds:F0} ms), {stream.MessagesWritten} messages, {stream.RecordsWritten} records, "
                + $"{bytes} B, {bytes / 1e6 / sw.Elapsed.TotalSeconds:F1} MB/s, allocated {GC.GetAllocatedBytesForCurrentThread() - allocated} B, gen0 {GC.CollectionCount(0) - gen0}");
        }
        return 0;
    }

    /// <summary><c>axfr-names</c>: the cost of writing 1M owner names (h{i}.bench.example., 2 per name as in the
    /// zone) into 16 KiB messages, hashed compression against linear.</summary>
    public static int Names(string[] args)
    {
        var names = Enumerable.Range(0, 500_000).Select(i => DnsName.Parse($"h{i}.bench.example.").Wire.ToArray()).ToArray();
        var buffer = new byte[65535];
        Span<ushort> log = stackalloc ushort[512];
        Span<uint> slots = stackalloc uint[1024];
        Span<byte> header = stackalloc byte[12], fixedA = stackalloc byte[14], fixedAaaa = stackalloc byte[26];
        for (int round = 0; round < 3; round++)
            foreach (bool hashed in new[] { true, false })
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                long total = 0;
                int i = 0;
                while (i < names.Length)
                {
                    var w = hashed ? new ResponseWriter(buffer.AsSpan(0, 16384), log, slots) : new ResponseWriter(buffer.AsSpan(0, 16384), log);
                    w.TryWriteBytes(header);
                    while (i < names.Length && w.TryWriteName(names[i]) && w.TryWriteBytes(fixedA) && w.TryWriteName(names[i]) && w.TryWriteBytes(fixedAaaa)) i++;
                    total += w.Position;
                }
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                Console.WriteLine($"{(hashed ? "hashed" : "linear")}: CPU {cpu.TotalMilliseconds:F0} ms for {names.Length * 2} names, {total} B");
            }
        return 0;
    }

    public static int Client(string[] args)
    {
        string host = args[1];
        int port = int.Parse(args[2]);
        var origin = DnsName.Parse(args[3]);
        int rounds = args.Length > 4 ? int.Parse(args[4]) : 1;
        var query = DnsMessage.CreateQuery(origin, RecordType.AXFR, id: 7).Encode();
        var frame = new byte[2 + query.Length];
        frame[0] = (byte)(query.Length >> 8); frame[1] = (byte)query.Length;
        query.CopyTo(frame, 2);
        var buffer = new byte[1 << 20];
        for (int r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            using var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
            s.ReceiveBufferSize = 1 << 20;
            s.Connect(host, port);
            s.Send(frame);
            long bytes = 0, messages = 0, answers = 0;
            int soa = 0, have = 0, need = 2; // need: bytes of the current frame still to skip/parse
            bool inLength = true;
            int msgStart = 0;
            while (soa < 2)
            {
                int got = s.Receive(buffer, have, buffer.Length - have, SocketFlags.None);
                if (got == 0) break;
                have += got;
                int pos = 0;
                while (true)
                {
                    if (inLength)
                    {
                        if (have - pos < 2) break;
                        need = buffer[pos] << 8 | buffer[pos + 1];
                        pos += 2; inLength = false; msgStart = pos;
                    }
                    if (have - msgStart < need) break;
                    // A whole message at msgStart: count it; the transfer ends with the message whose last record is
                    // the closing SOA (the first message's first record is the opening one; an error answer has none).
                    int an = buffer[msgStart + 6] << 8 | buffer[msgStart + 7];
                    answers += an; messages++; bytes += need;
                    int count = RecordTypes(buffer.AsSpan(msgStart, need), out int first, out int last);
                    if (messages == 1) soa += count > 0 && first == 6 ? 1 : 2;
                    if (last == 6 && (messages > 1 || count > 1)) soa++;
                    pos = msgStart + need; inLength = true;
                }
                Buffer.BlockCopy(buffer, pos, buffer, 0, have - pos);
                msgStart -= pos; have -= pos;
            }
            sw.Stop();
            Console.WriteLine($"{sw.Elapsed.TotalSeconds:F3} {answers} {bytes} {messages}");
        }
        return 0;
    }

    private static int RecordTypes(ReadOnlySpan<byte> m, out int first, out int last)
    {
        first = last = 0;
        int qd = m[4] << 8 | m[5], an = m[6] << 8 | m[7], pos = 12;
        for (int q = 0; q < qd; q++) pos = SkipName(m, pos) + 4;
        for (int a = 0; a < an; a++)
        {
            pos = SkipName(m, pos);
            int type = m[pos] << 8 | m[pos + 1];
            if (a == 0) first = type;
            last = type;
            pos += 10 + (m[pos + 8] << 8 | m[pos + 9]);
        }
        return an;
    }

    private static int SkipName(ReadOnlySpan<byte> m, int pos)
    {
        while (true)
        {
            int len = m[pos];
            if (len == 0) return pos + 1;
            if ((len & 0xC0) == 0xC0) return pos + 2;
            pos += 1 + len;
        }
    }

    /// <summary>The zone of bench/genzone.py: SOA, 2 NS, 2 glue A, then an A and an AAAA on records/2 names.</summary>
    public static CompiledZone BenchZone(int records)
    {
        var text = new StringBuilder("$ORIGIN bench.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.53\nns2 IN A 192.0.2.54\n");
        for (int i = 0; i < records / 2; i++)
            text.Append($"h{i} IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\nh{i} IN AAAA 2001:db8::{i >> 16:x}:{i & 0xFFFF:x}\n");
        return CompiledZone.Compile(MasterFileReader.ReadText(text.ToString(), DnsName.Parse("bench.example.")));
    }
}
