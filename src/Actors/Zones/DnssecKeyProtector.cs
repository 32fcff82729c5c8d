using System.Security.Cryptography;
using System.Text;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// Encrypts DNSSEC private keys at rest (AES-256-GCM) with the node's key-encryption key, so a leaked journal database
/// does not leak signing keys. The sealed form is <c>[1][kek id: 8][nonce: 12][tag: 16][ciphertext]</c>, bound to the
/// zone and key it belongs to (associated data), so a sealed key copied to another zone or key does not open.
/// Every zones node must read the same key-encryption key: a zone's shard may move to any of them.
/// </summary>
public sealed class KeyProtector
{
    public const string FileName = "dnssec-kek";
    private const byte Format = 1;
    private readonly byte[] _kek;

    public KeyProtector(ReadOnlySpan<byte> kek)
    {
        if (kek.Length != 32) throw new ArgumentException($"the DNSSEC key-encryption key must be 32 bytes (is {kek.Length})");
        _kek = kek.ToArray();
        KekId = SHA256.HashData(_kek).AsSpan(0, 8).ToArray();
    }

    /// <summary>The first 8 bytes of SHA-256(KEK): stored with each sealed key, so a node with another KEK says so
    /// instead of failing with a bare authentication error.</summary>
    public byte[] KekId { get; }
    public string KekIdHex => Convert.ToHexString(KekId).ToLowerInvariant();

    /// <summary>The KEK from configuration (base64 of 32 bytes).</summary>
    public static KeyProtector FromBase64(string base64, string where)
    {
        byte[] kek;
        try { kek = Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { throw new ArgumentException($"{where}: the DNSSEC key-encryption key is not base64"); }
        if (kek.Length != 32) throw new ArgumentException($"{where}: the DNSSEC key-encryption key must be 32 bytes of base64 (is {kek.Length} bytes)");
        return new KeyProtector(kek);
    }

    /// <summary>DATA/dnssec-kek, created on first start (32 random bytes, base64, mode 600 like the API key).</summary>
    public static KeyProtector ReadOrCreate(string dataDir, out bool created)
    {
        var path = Path.Combine(dataDir, FileName);
        created = false;
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDir);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var f = new FileStream(path, options);
                f.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
                created = true;
            }
            catch (IOException) when (File.Exists(path)) { } // another process made it first: read theirs
        }
        return FromBase64(File.ReadAllText(path), path);
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string context)
    {
        var sealedKey = new byte[1 + 8 + 12 + 16 + plaintext.Length];
        sealedKey[0] = Format;
        KekId.CopyTo(sealedKey, 1);
        var nonce = sealedKey.AsSpan(9, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_kek, 16);
        aes.Encrypt(nonce, plaintext, sealedKey.AsSpan(37), sealedKey.AsSpan(21, 16), Encoding.UTF8.GetBytes(context));
        return sealedKey;
    }

    /// <summary>Opens a sealed key. Throws <see cref="CryptographicException"/> with a message that says why
    /// (another KEK, another zone or key, a damaged record); never includes key material.</summary>
    public byte[] Unseal(ReadOnlySpan<byte> sealedKey, string context)
    {
        if (sealedKey.Length < 37 || sealedKey[0] != Format)
            throw new CryptographicException($"{context}: the stored private key is not in a known sealed format");
        if (!sealedKey.Slice(1, 8).SequenceEqual(KekId))
            throw new CryptographicException($"{context}: the private key was sealed with DNSSEC key-encryption key {Convert.ToHexString(sealedKey.Slice(1, 8)).ToLowerInvariant()}, "
                + $"but this node reads key {KekIdHex}: give every zones node the same {FileName} file (or akkadns.dnssec.kek)");
        var plain = new byte[sealedKey.Length - 37];
        using var aes = new AesGcm(_kek, 16);
        try { aes.Decrypt(sealedKey.Slice(9, 12), sealedKey[37..], sealedKey.Slice(21, 16), plain, Encoding.UTF8.GetBytes(context)); }
        catch (CryptographicException)
        {
            throw new CryptographicException($"{context}: the stored private key does not open with this node's key-encryption key (damaged, or sealed for another zone or key)");
        }
        return plain;
    }
}
