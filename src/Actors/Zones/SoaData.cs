using System.Buffers.Binary;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The fields of an SOA record (RFC 1035 §3.3.13), read from and written to uncompressed wire RDATA.
/// The zone actor owns the serial, so it needs to rewrite it without a round trip through text.
/// </summary>
public sealed record SoaData(DnsName MName, DnsName RName, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum)
{
    public byte[] ToRData()
    {
        var rdata = new byte[MName.WireLength + RName.WireLength + 20];
        MName.Wire.CopyTo(rdata);
        RName.Wire.CopyTo(rdata.AsSpan(MName.WireLength));
        var tail = rdata.AsSpan(MName.WireLength + RName.WireLength);
        BinaryPrimitives.WriteUInt32BigEndian(tail, Serial);
        BinaryPrimitives.WriteUInt32BigEndian(tail[4..], Refresh);
        BinaryPrimitives.WriteUInt32BigEndian(tail[8..], Retry);
        BinaryPrimitives.WriteUInt32BigEndian(tail[12..], Expire);
        BinaryPrimitives.WriteUInt32BigEndian(tail[16..], Minimum);
        return rdata;
    }

    public static bool TryParse(ReadOnlySpan<byte> rdata, out SoaData? soa)
    {
        soa = null;
        if (!DnsName.TryFromWire(rdata, out var mname, out var used1)) return false;
        if (!DnsName.TryFromWire(rdata[used1..], out var rname, out var used2)) return false;
        var tail = rdata[(used1 + used2)..];
        if (tail.Length != 20) return false;
        soa = new SoaData(mname!, rname!,
            BinaryPrimitives.ReadUInt32BigEndian(tail), BinaryPrimitives.ReadUInt32BigEndian(tail[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(tail[8..]), BinaryPrimitives.ReadUInt32BigEndian(tail[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(tail[16..]));
        return true;
    }

    public static SoaData Parse(ResourceRecord soa) => TryParse(soa.RData, out var s)
        ? s! : throw new FormatException($"malformed SOA RDATA at {soa.Owner}");
}

/// <summary>RFC 1982 serial number arithmetic on 32-bit SOA serials.</summary>
public static class SerialNumber
{
    /// <summary>True when <paramref name="a"/> is greater than <paramref name="b"/> in RFC 1982 terms
    /// (a secondary comparing them would see <paramref name="a"/> as newer).</summary>
    public static bool IsGreater(uint a, uint b) => a != b && unchecked((int)(a - b)) > 0;

    /// <summary>
    /// The serial of the next zone version. Starts from <c>previous + 1</c> (wrapping), so it always moves forward;
    /// moves further to the zone version, or to a serial the operator proposed (master file, SOA edit), when
    /// that one is newer by RFC 1982 — never to one that is older, so a secondary never sees the zone go back.
    /// With no previous serial (a brand-new zone), the version or the proposed serial is taken as is.
    /// </summary>
    public static uint Next(uint? previous, long version, uint? proposed)
    {
        uint byVersion = unchecked((uint)version);
        uint next = previous is { } p ? unchecked(p + 1) : byVersion;
        if (previous is not null && IsGreater(byVersion, next)) next = byVersion;
        if (proposed is { } wanted && (previous is null ? wanted != 0 : IsGreater(wanted, next))) next = wanted;
        return next;
    }
}
