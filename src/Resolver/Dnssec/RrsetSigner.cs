using System.Buffers.Binary;
using System.Security.Cryptography;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>What signing produced for one RRset: its RRSIGs and the digest of the data they cover.</summary>
internal sealed record SignedRRset(byte[] Digest, ResourceRecord[] Signatures);

/// <summary>
/// RFC 4034 §3.1.8.1 / §6: the canonical RRset (lower-case owner, lower-case names inside the RDATA of the RFC 4034
/// §6.2 types as amended by RFC 6840 §5.1, original TTL, RDATA sorted as octet strings, duplicates removed), the
/// RRSIG RDATA, and the signature over both.
/// </summary>
internal static class RrsetSigner
{
    /// <summary>The RRset in canonical form and order: owner | type | class | TTL | RDLENGTH | RDATA for each record.</summary>
    public static byte[] CanonicalRRset(DnsName owner, RecordType type, uint ttl, IReadOnlyList<ResourceRecord> records)
    {
        var rdatas = new byte[records.Count][];
        for (int i = 0; i < rdatas.Length; i++) rdatas[i] = RData.ToCanonical(type, records[i].RData);
        if (rdatas.Length > 1) Array.Sort(rdatas, static (a, b) => a.AsSpan().SequenceCompareTo(b));
        var ownerWire = owner.Wire;
        int size = 0, count = 0;
        for (int i = 0; i < rdatas.Length; i++)
        {
            if (i > 0 && rdatas[i].AsSpan().SequenceEqual(rdatas[i - 1])) { rdatas[i] = null!; continue; }
            size += ownerWire.Length + 10 + rdatas[i].Length; count++;
        }
        var buf = new byte[size];
        int pos = 0;
        foreach (var rd in rdatas)
        {
            if (rd is null) continue;
            for (int k = 0; k < ownerWire.Length; k++) buf[pos + k] = DnsName.ToLower(ownerWire[k]);
            pos += ownerWire.Length;
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos), (ushort)type);
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 2), (ushort)RecordClass.IN);
            BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(pos + 4), ttl);
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 8), (ushort)rd.Length);
            pos += 10;
            rd.CopyTo(buf, pos);
            pos += rd.Length;
        }
        return buf;
    }

    /// <summary>RRSIG labels field (RFC 4034 §3.1.3): the owner's labels, a leading "*" not counted.</summary>
    public static byte Labels(DnsName owner) => (byte)(owner.LabelCount - (owner.IsWildcard ? 1 : 0));

    /// <summary>Makes one RRSIG record over <paramref name="canonical"/> (from <see cref="CanonicalRRset"/>).</summary>
    public static ResourceRecord Sign(DnsName owner, RecordType type, uint ttl, ReadOnlySpan<byte> canonical,
        DnssecKey key, DnsName signerLower, uint inception, uint expiration)
    {
        var signer = signerLower.Wire;
        int headerLength = 18 + signer.Length;
        var input = new byte[headerLength + canonical.Length];
        WriteHeader(input, type, key, Labels(owner), ttl, expiration, inception, signer);
        canonical.CopyTo(input.AsSpan(headerLength));
        var signature = key.Sign(input);
        var rdata = new byte[headerLength + signature.Length];
        input.AsSpan(0, headerLength).CopyTo(rdata);
        signature.CopyTo(rdata, headerLength);
        return new ResourceRecord(owner, RecordType.RRSIG, ttl, rdata);
    }

    private static void WriteHeader(Span<byte> d, RecordType type, DnssecKey key, byte labels, uint ttl, uint expiration, uint inception, ReadOnlySpan<byte> signer)
    {
        BinaryPrimitives.WriteUInt16BigEndian(d, (ushort)type);
        d[2] = (byte)key.Algorithm;
        d[3] = labels;
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], ttl);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], expiration);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], inception);
        BinaryPrimitives.WriteUInt16BigEndian(d[16..], key.KeyTag);
        signer.CopyTo(d[18..]);
    }

    public static byte[] Digest(ReadOnlySpan<byte> canonical) => SHA256.HashData(canonical);

    // ---- reading RRSIG RDATA
    public static RecordType TypeCovered(ReadOnlySpan<byte> rrsig) => (RecordType)BinaryPrimitives.ReadUInt16BigEndian(rrsig);
    public static byte Algorithm(ReadOnlySpan<byte> rrsig) => rrsig[2];
    public static byte LabelsField(ReadOnlySpan<byte> rrsig) => rrsig[3];
    public static uint OriginalTtl(ReadOnlySpan<byte> rrsig) => BinaryPrimitives.ReadUInt32BigEndian(rrsig[4..]);
    public static uint Expiration(ReadOnlySpan<byte> rrsig) => BinaryPrimitives.ReadUInt32BigEndian(rrsig[8..]);
    public static uint Inception(ReadOnlySpan<byte> rrsig) => BinaryPrimitives.ReadUInt32BigEndian(rrsig[12..]);
    public static ushort KeyTag(ReadOnlySpan<byte> rrsig) => BinaryPrimitives.ReadUInt16BigEndian(rrsig[16..]);
    public static bool IsWellFormed(ReadOnlySpan<byte> rrsig) => rrsig.Length > 19;
}
