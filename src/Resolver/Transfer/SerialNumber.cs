using System.Buffers.Binary;
using AkkaDns.Resolver.Records;

namespace AkkaDns.Resolver.Transfer;

/// <summary>SOA serial arithmetic (RFC 1982 §3.2, SERIAL_BITS = 32).</summary>
public static class SerialNumber
{
    /// <summary>True when <paramref name="a"/> is newer than <paramref name="b"/>. Serials exactly 2^31 apart are
    /// undefined by the RFC; here neither is newer (so an IXFR falls back to a full transfer).</summary>
    public static bool IsNewer(uint a, uint b) => a != b && (int)(a - b) > 0 && a - b != 0x8000_0000u;

    /// <summary>The SERIAL field of SOA RDATA (uncompressed): after MNAME and RNAME, the first of the five numbers.</summary>
    public static uint OfSoaRData(ReadOnlySpan<byte> rdata) => BinaryPrimitives.ReadUInt32BigEndian(rdata[^20..]);

    public static uint Of(ResourceRecord soa) => soa.Type == Wire.RecordType.SOA
        ? OfSoaRData(soa.RData) : throw new ArgumentException($"not an SOA: {soa}", nameof(soa));
}
