using System.Buffers.Binary;
using System.Security.Cryptography;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>
/// One DNSSEC key pair with its DNSKEY view (RFC 4034 §2): flags, algorithm, public-key field, key tag, DS.
/// Holds private material: <see cref="ToString"/> shows the public facts only and the private key leaves only through
/// <see cref="ExportPkcs8"/>. <see cref="Sign"/> and <see cref="Verify"/> are thread-safe, so a zone can be signed on
/// every core. ECDSA and RSA come from System.Security.Cryptography, Ed25519 from NSec (libsodium).
/// </summary>
public sealed class DnssecKey : IDisposable
{
    public const ushort ZoneKeyFlag = 0x0100;
    public const ushort SecureEntryPointFlag = 0x0001;

    private readonly KeyBackend _key;
    private bool _disposed;

    private DnssecKey(DnssecAlgorithm algorithm, ushort flags, KeyBackend key)
    {
        Algorithm = algorithm; Flags = flags; _key = key;
        PublicKey = key.PublicKeyField;
        DnskeyRData = new byte[4 + PublicKey.Length];
        BinaryPrimitives.WriteUInt16BigEndian(DnskeyRData, flags);
        DnskeyRData[2] = 3;
        DnskeyRData[3] = (byte)algorithm;
        PublicKey.CopyTo(DnskeyRData, 4);
        KeyTag = ComputeKeyTag(DnskeyRData);
        Bits = key.Bits;
    }

    public DnssecAlgorithm Algorithm { get; }
    public ushort Flags { get; }
    public bool IsSecureEntryPoint => (Flags & SecureEntryPointFlag) != 0;
    /// <summary>The DNSKEY public-key field: Qx||Qy (RFC 6605 §4), exponent length, exponent, modulus (RFC 3110 §2).</summary>
    public byte[] PublicKey { get; }
    /// <summary>DNSKEY RDATA: flags, protocol 3, algorithm, public key.</summary>
    public byte[] DnskeyRData { get; }
    /// <summary>RFC 4034 Appendix B.</summary>
    public ushort KeyTag { get; }
    public int Bits { get; }

    /// <summary>A new key; <paramref name="secureEntryPoint"/> gives flags 257 (KSK/CSK), else 256.</summary>
    public static DnssecKey Generate(DnssecAlgorithm algorithm, bool secureEntryPoint, int rsaBits = 2048) =>
        new(algorithm, (ushort)(ZoneKeyFlag | (secureEntryPoint ? SecureEntryPointFlag : 0)), KeyBackend.Generate(algorithm, rsaBits));

    /// <summary>A key from its PKCS#8 DER private key (as <see cref="ExportPkcs8"/> wrote it; RFC 8410 for Ed25519).</summary>
    public static DnssecKey Import(DnssecAlgorithm algorithm, ushort flags, ReadOnlySpan<byte> pkcs8PrivateKey) =>
        new(algorithm, flags, KeyBackend.Import(algorithm, pkcs8PrivateKey));

    /// <summary>The private key as PKCS#8 DER. Callers must encrypt it before storing it.</summary>
    public byte[] ExportPkcs8()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.ExportPkcs8();
    }

    /// <summary>A DNSSEC signature of <paramref name="data"/> (RRSIG signature field format: r||s for ECDSA, RFC 6605 §4).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.Sign(data);
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.Verify(data, signature);
    }

    /// <summary>The DNSKEY (or CDNSKEY) record of this key at <paramref name="origin"/>.</summary>
    public ResourceRecord ToDnskey(DnsName origin, uint ttl, RecordType type = RecordType.DNSKEY)
    {
        if (type is not (RecordType.DNSKEY or RecordType.CDNSKEY)) throw new ArgumentException("DNSKEY or CDNSKEY", nameof(type));
        return new ResourceRecord(origin, type, ttl, (byte[])DnskeyRData.Clone());
    }

    /// <summary>The DS (or CDS) record of this key (RFC 4034 §5.1.4): digest 2 = SHA-256 (RFC 4509), 4 = SHA-384 (RFC 6605).</summary>
    public ResourceRecord ToDs(DnsName origin, uint ttl, byte digestType = 2, RecordType type = RecordType.DS)
    {
        if (type is not (RecordType.DS or RecordType.CDS)) throw new ArgumentException("DS or CDS", nameof(type));
        var input = new byte[origin.WireLength + DnskeyRData.Length];
        origin.ToLowerCase().Wire.CopyTo(input);
        DnskeyRData.CopyTo(input, origin.WireLength);
        byte[] digest = digestType switch
        {
            2 => SHA256.HashData(input),
            4 => SHA384.HashData(input),
            _ => throw new ArgumentException($"digest type {digestType} (2 = SHA-256, 4 = SHA-384)", nameof(digestType)),
        };
        var rdata = new byte[4 + digest.Length];
        BinaryPrimitives.WriteUInt16BigEndian(rdata, KeyTag);
        rdata[2] = (byte)Algorithm;
        rdata[3] = digestType;
        digest.CopyTo(rdata, 4);
        return new ResourceRecord(origin, type, ttl, rdata);
    }

    /// <summary>RFC 4034 Appendix B: the one's-complement-like sum over the DNSKEY RDATA.</summary>
    public static ushort ComputeKeyTag(ReadOnlySpan<byte> dnskeyRData)
    {
        uint ac = 0;
        for (int i = 0; i < dnskeyRData.Length; i++) ac += (i & 1) != 0 ? dnskeyRData[i] : (uint)dnskeyRData[i] << 8;
        ac += (ac >> 16) & 0xFFFF;
        return (ushort)(ac & 0xFFFF);
    }

    /// <summary>Public facts only, never private material.</summary>
    public override string ToString() => $"DNSSEC key {KeyTag} alg {(byte)Algorithm} ({Algorithm}) flags {Flags} {Bits} bits";

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _key.Dispose();
    }
}
