namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>Hand-made bad packets for the differential set ("malformed" category). Each says what is wrong with it.</summary>
public static class MalformedQueries
{
    private static byte[] Header(ushort id, ushort flags, ushort qd, ushort an = 0, ushort ns = 0, ushort ar = 0)
    {
        var h = new List<byte>();
        foreach (var v in new[] { id, flags, qd, an, ns, ar }) DnsWire.AppendU16(h, v);
        return h.ToArray();
    }

    private static byte[] Question(string name = "www.rich.example.", ushort type = QuerySet.A) =>
        [.. DnsWire.EncodeName(name), (byte)(type >> 8), (byte)type, 0, 1];

    private static DiffQuery M(string label, Func<ushort, byte[]> build, Func<ushort, byte[]>? withoutTrailingBytes = null) =>
        new("malformed", "", 0, QueryOptions.Plain, label, build, withoutTrailingBytes);

    public static readonly IReadOnlyList<DiffQuery> All =
    [
        M("response bit set (QR=1)", id => [.. Header(id, 0x8000, 1), .. Question()]),
        M("QDCOUNT=0", id => Header(id, 0, 0)),
        M("QDCOUNT=2", id => [.. Header(id, 0, 2), .. Question(), .. Question("mail.rich.example.")]),
        M("header cut at 11 bytes", id => Header(id, 0, 1)[..11]),
        M("question name cut", id => [.. Header(id, 0, 1), 3, (byte)'w', (byte)'w']),
        M("question without type and class", id => [.. Header(id, 0, 1), .. DnsWire.EncodeName("www.rich.example.")]),
        M("question with type but no class", id => [.. Header(id, 0, 1), .. DnsWire.EncodeName("www.rich.example."), 0, 1]),
        M("compression pointer in the question pointing to itself", id => [.. Header(id, 0, 1), 0xc0, 12, 0, 1, 0, 1]),
        M("compression pointer forward", id => [.. Header(id, 0, 1), 0xc0, 30, 0, 1, 0, 1, .. new byte[20]]),
        M("label type 0x40 (extended label)", id => [.. Header(id, 0, 1), 0x41, (byte)'x', 0, 0, 1, 0, 1]),
        M("ARCOUNT=1 but no record", id => [.. Header(id, 0, 1, ar: 1), .. Question()]),
        M("two OPT records", id => [.. Header(id, 0, 1, ar: 2), .. Question(), .. DnsWire.Opt(1232), .. DnsWire.Opt(1232)]),
        M("OPT RDLENGTH past the end", id => [.. Header(id, 0, 1, ar: 1), .. Question(), .. DnsWire.Opt(1232, rdlengthOverride: 40)]),
        M("OPT option length past its RDATA", id => [.. Header(id, 0, 1, ar: 1), .. Question(),
            .. DnsWire.Opt(1232, rdata: [0, 10, 0, 9, 1, 2])]),
        M("OPT with a non-root owner", id => [.. Header(id, 0, 1, ar: 1), .. Question(), 1, (byte)'x', .. DnsWire.Opt(1232)[1..]]),
        M("trailing garbage after the question", id => [.. Header(id, 0, 1), .. Question(), 0xde, 0xad, 0xbe, 0xef],
            id => [.. Header(id, 0, 1), .. Question()]),
        M("name longer than 255 octets", id => [.. Header(id, 0, 1),
            .. Enumerable.Range(0, 5).SelectMany(_ => new byte[] { 63 }.Concat(Enumerable.Repeat((byte)'a', 63))), 0, 0, 1, 0, 1]),
    ];
}
