using AkkaDns.Cluster.Tests.Differential;

namespace AkkaDns.Cluster.Tests.Malformed;

/// <summary>
/// A deterministic (seeded) corpus of bad DNS packets: every prefix of a valid query, bit flips, random bytes,
/// counts of 65535, compression loops, overlong names, broken OPT records, and hand-made oddities.
/// The same seed gives the same packets every run, so a failure can be replayed.
/// </summary>
public static class MalformedPackets
{
    public const int Seed = 20261127;

    public static IReadOnlyList<(string What, byte[] Packet)> Build(int seed = Seed)
    {
        var rng = new Random(seed);
        var list = new List<(string, byte[])>();
        var valid = DnsWire.BuildQuery(0x1234, "www.rich.example.", QuerySet.A, new QueryOptions(EdnsSize: 1232, Do: true));

        for (var n = 0; n < valid.Length; n++) list.Add(($"prefix {n} of a valid query", valid[..n]));

        for (var i = 0; i < 120; i++)
        {
            var p = (byte[])valid.Clone();
            var flips = 1 + rng.Next(3);
            for (var f = 0; f < flips; f++) p[rng.Next(p.Length)] ^= (byte)(1 << rng.Next(8));
            p[2] &= 0x7f; // keep QR=0 so the server has to look at the rest
            list.Add(($"bit flips #{i}", p));
        }

        for (var i = 0; i < 100; i++)
        {
            var p = new byte[rng.Next(0, 600)];
            rng.NextBytes(p);
            if (p.Length > 2) p[2] &= 0x7f;
            list.Add(($"random bytes #{i} ({p.Length} B)", p));
        }

        for (var i = 0; i < 40; i++)
        {
            var p = (byte[])valid.Clone();
            var at = 4 + 2 * rng.Next(4);                 // one of QD/AN/NS/AR COUNT
            p[at] = 0xff; p[at + 1] = 0xff;
            if (rng.Next(2) == 0) { p[4] = 0xff; p[5] = 0xff; p[10] = 0xff; p[11] = 0xff; }
            list.Add(($"count of 65535 #{i} at offset {at}", p));
        }

        list.AddRange(HandMade());
        return list;
    }

    private static byte[] Header(ushort qd = 1, ushort an = 0, ushort ns = 0, ushort ar = 0, ushort flags = 0)
    {
        var h = new List<byte>();
        foreach (var v in new ushort[] { 0x4242, flags, qd, an, ns, ar }) DnsWire.AppendU16(h, v);
        return h.ToArray();
    }

    private static readonly byte[] Www = [.. DnsWire.EncodeName("www.rich.example."), 0, 1, 0, 1];

    private static IEnumerable<(string, byte[])> HandMade()
    {
        yield return ("pointer to itself", [.. Header(), 0xc0, 12, 0, 1, 0, 1]);
        yield return ("two pointers pointing at each other", [.. Header(), 0xc0, 14, 0xc0, 12, 0, 1, 0, 1]);
        yield return ("pointer past the end", [.. Header(), 0xc0, 0xff, 0, 1, 0, 1]);
        yield return ("pointer into the header", [.. Header(), 0xc0, 2, 0, 1, 0, 1]);
        yield return ("label after a pointer loop", [.. Header(), 3, (byte)'w', (byte)'w', (byte)'w', 0xc0, 12, 0, 1, 0, 1]);
        yield return ("label length 63 with 10 bytes left", [.. Header(), 63, .. new byte[10]]);
        yield return ("reserved label type 0x80", [.. Header(), 0x80, 0, 0, 1, 0, 1]);
        yield return ("300 one-letter labels", [.. Header(), .. Enumerable.Range(0, 300).SelectMany(_ => new byte[] { 1, (byte)'a' }), 0, 0, 1, 0, 1]);
        yield return ("answer record pointing back into itself", [.. Header(an: 1), .. Www, 0xc0, 0x1e, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]);
        yield return ("OPT RDLENGTH 65535", [.. Header(ar: 1), .. Www, .. DnsWire.Opt(1232, rdlengthOverride: 0xffff)]);
        yield return ("OPT option length 65535", [.. Header(ar: 1), .. Www, .. DnsWire.Opt(1232, rdata: [0, 10, 0xff, 0xff, 1])]);
        yield return ("OPT cut in its fixed part", [.. Header(ar: 1), .. Www, .. DnsWire.Opt(1232)[..7]]);
        yield return ("three OPT records", [.. Header(ar: 3), .. Www, .. DnsWire.Opt(1232), .. DnsWire.Opt(512), .. DnsWire.Opt(4096)]);
        yield return ("OPT in the answer section", [.. Header(an: 1), .. Www, .. DnsWire.Opt(1232)]);
        yield return ("OPT payload size 0", [.. Header(ar: 1), .. Www, .. DnsWire.Opt(0)]);
        yield return ("OPT version 255", [.. Header(ar: 1), .. Www, .. DnsWire.Opt(1232, version: 255)]);
        yield return ("QTYPE OPT", [.. Header(), .. DnsWire.EncodeName("www.rich.example."), 0, 41, 0, 1]);
        yield return ("QTYPE AXFR over UDP", [.. Header(), .. DnsWire.EncodeName("rich.example."), 0, 252, 0, 1]);
        yield return ("QTYPE 0 and QCLASS 0", [.. Header(), .. DnsWire.EncodeName("www.rich.example."), 0, 0, 0, 0]);
        yield return ("QCLASS CHAOS", [.. Header(), .. DnsWire.EncodeName("version.bind."), 0, 16, 0, 3]);
        yield return ("every header bit set but QR", [.. Header(flags: 0x7fff), .. Www]);
        yield return ("all counts 65535, no data", Header(0xffff, 0xffff, 0xffff, 0xffff));
        yield return ("empty packet", []);
        yield return ("one byte", [0x42]);
        yield return ("64 KB of zeros", new byte[65000]);
    }
}
