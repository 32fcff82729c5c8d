using System.Collections.Concurrent;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>The private key behind a <see cref="DnssecKey"/>: one per algorithm family. Sign and Verify are called from
/// many threads at once.</summary>
internal abstract class KeyBackend : IDisposable
{
    public abstract byte[] PublicKeyField { get; }
    public abstract int Bits { get; }
    public abstract byte[] ExportPkcs8();
    public abstract byte[] Sign(ReadOnlySpan<byte> data);
    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
    public abstract void Dispose();

    public static KeyBackend Generate(DnssecAlgorithm algorithm, int rsaBits) => algorithm switch
    {
        DnssecAlgorithm.EcdsaP256Sha256 => new BclBackend(algorithm, ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        DnssecAlgorithm.EcdsaP384Sha384 => new BclBackend(algorithm, ECDsa.Create(ECCurve.NamedCurves.nistP384)),
        DnssecAlgorithm.RsaSha256 => rsaBits is >= 1024 and <= 4096
            ? new BclBackend(algorithm, RSA.Create(rsaBits)) : throw new ArgumentOutOfRangeException(nameof(rsaBits), "RSA keys of 1024-4096 bits"),
        DnssecAlgorithm.Ed25519 => Ed25519Backend.Generate(),
        _ => throw Unsupported(algorithm),
    };

    public static KeyBackend Import(DnssecAlgorithm algorithm, ReadOnlySpan<byte> pkcs8) => algorithm switch
    {
        DnssecAlgorithm.Ed25519 => Ed25519Backend.Import(pkcs8),
        _ => new BclBackend(algorithm, BclBackend.Create(algorithm, pkcs8)),
    };

    public static NotSupportedException Unsupported(DnssecAlgorithm algorithm) =>
        new($"DNSSEC algorithm {(byte)algorithm} ({algorithm}) is not supported");
}

/// <summary>ECDSA (RFC 6605) and RSA/SHA-256 (RFC 5702) through System.Security.Cryptography. The BCL does not promise
/// that one object may sign from several threads at once, so each signing borrows a copy from a small pool: copies are
/// made only as signings overlap (at most one per busy core), not one per thread that ever signed, which matters with
/// 10,000 zones' keys in one process.</summary>
internal sealed class BclBackend : KeyBackend
{
    private readonly DnssecAlgorithm _algorithm;
    private readonly AsymmetricAlgorithm _key;
    private readonly ConcurrentBag<AsymmetricAlgorithm> _pool = new();
    private readonly byte[] _pkcs8;

    public BclBackend(DnssecAlgorithm algorithm, AsymmetricAlgorithm key)
    {
        _algorithm = algorithm; _key = key;
        if (key is ECDsa ec)
        {
            int expected = algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? 256 : 384;
            if (ec.KeySize != expected) { key.Dispose(); throw new ArgumentException($"the key is on a {ec.KeySize}-bit curve, algorithm {(byte)algorithm} needs {expected}"); }
        }
        PublicKeyField = Field(key);
        _pkcs8 = key.ExportPkcs8PrivateKey();
    }

    public override byte[] PublicKeyField { get; }
    public override int Bits => _key.KeySize;
    public override byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    private HashAlgorithmName Hash => _algorithm == DnssecAlgorithm.EcdsaP384Sha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var key = Rent();
        try
        {
            return key switch
            {
                ECDsa ec => ec.SignData(data, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => throw Unsupported(_algorithm),
            };
        }
        finally { _pool.Add(key); }
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var key = Rent();
        try
        {
            return key switch
            {
                ECDsa ec => ec.VerifyData(data, signature, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                RSA rsa => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => throw Unsupported(_algorithm),
            };
        }
        finally { _pool.Add(key); }
    }

    private AsymmetricAlgorithm Rent() => _pool.TryTake(out var key) ? key : Create(_algorithm, _pkcs8);

    public static AsymmetricAlgorithm Create(DnssecAlgorithm algorithm, ReadOnlySpan<byte> pkcs8)
    {
        AsymmetricAlgorithm key = algorithm switch
        {
            DnssecAlgorithm.EcdsaP256Sha256 or DnssecAlgorithm.EcdsaP384Sha384 => ECDsa.Create(),
            DnssecAlgorithm.RsaSha256 => RSA.Create(),
            _ => throw Unsupported(algorithm),
        };
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out int read);
            if (read != pkcs8.Length) throw new ArgumentException("trailing bytes after the PKCS#8 private key");
        }
        catch { key.Dispose(); throw; }
        return key;
    }

    /// <summary>Qx||Qy (RFC 6605 §4); exponent length, exponent, modulus (RFC 3110 §2).</summary>
    private static byte[] Field(AsymmetricAlgorithm key)
    {
        if (key is ECDsa ec)
        {
            var q = ec.ExportParameters(false).Q;
            return [.. q.X!, .. q.Y!];
        }
        var p = ((RSA)key).ExportParameters(false);
        var e = p.Exponent!.AsSpan().TrimStart((byte)0);
        byte[] header = e.Length <= 255 ? [(byte)e.Length] : [0, (byte)(e.Length >> 8), (byte)e.Length];
        return [.. header, .. e, .. p.Modulus!.AsSpan().TrimStart((byte)0)];
    }

    public override void Dispose()
    {
        while (_pool.TryTake(out var k)) k.Dispose();
        CryptographicOperations.ZeroMemory(_pkcs8);
        _key.Dispose();
    }
}

/// <summary>Ed25519 (RFC 8080) through NSec (libsodium): 32-octet public key, 64-octet signature, PKCS#8 per RFC 8410.
/// libsodium's signing keeps no state in the key, so one key serves every thread.</summary>
internal sealed class Ed25519Backend : KeyBackend
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private Ed25519Backend(Key key)
    {
        _key = key;
        PublicKeyField = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    public static Ed25519Backend Generate() => new(Key.Create(Algorithm, Exportable()));

    public static Ed25519Backend Import(ReadOnlySpan<byte> pkcs8)
    {
        var creation = Exportable();
        if (!Key.TryImport(Algorithm, pkcs8, KeyBlobFormat.PkixPrivateKey, out var key, in creation) || key is null)
            throw new ArgumentException("not an Ed25519 PKCS#8 private key");
        return new Ed25519Backend(key);
    }

    public override byte[] PublicKeyField { get; }
    public override int Bits => 256;
    public override byte[] ExportPkcs8() => _key.Export(KeyBlobFormat.PkixPrivateKey);
    public override byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);
    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => Algorithm.Verify(_key.PublicKey, data, signature);
    public override void Dispose() => _key.Dispose();
}
