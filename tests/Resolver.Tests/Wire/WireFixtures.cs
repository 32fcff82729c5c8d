namespace AkkaDns.Resolver.Tests.Wire;

/// <summary>Hand-written packets, byte by byte as they travel (annotated), shared by the codec tests.</summary>
internal static class WireFixtures
{
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));

    /// <summary>A dig-style query: example.com. IN A, RD set, EDNS 4096 with an 8-byte client cookie.</summary>
    public static readonly byte[] Query = Hex("""
        1234 0100 0001 0000 0000 0001
        07 6578616d706c65 03 636f6d 00  0001 0001
        00 0029 1000 00000000 000c  000a 0008 0102030405060708
        """);

    /// <summary>
    /// An authoritative answer to example.com. IN MX with compression everywhere it is allowed:
    /// answer MX 10 mail.example.com. (exchange compressed to "mail"+ptr 12), authority NS ns1.example.com.
    /// (compressed), additional mail.example.com. A 192.0.2.1 whose owner points into the MX RDATA (offset 43).
    /// </summary>
    public static readonly byte[] MxResponse = Hex("""
        1234 8400 0001 0001 0001 0001
        07 6578616d706c65 03 636f6d 00  000f 0001
        c00c 000f 0001 00000e10 0009  000a 04 6d61696c c00c
        c00c 0002 0001 00000e10 0006  03 6e7331 c00c
        c02b 0001 0001 00000e10 0004  c0000201
        """);

    /// <summary>An NXDOMAIN answer for www.example.com. A with the SOA in authority, both names in the SOA RDATA compressed.</summary>
    public static readonly byte[] SoaResponse = Hex("""
        abcd 8403 0001 0000 0001 0000
        03 777777 07 6578616d706c65 03 636f6d 00  0001 0001
        c010 0006 0001 00000e10 0027
           03 6e7331 c010  0a 686f73746d6173746572 c010
           78a2ea01 00001c20 00000e10 00093a80 00000e10
        """);
}
