using System.Security.Cryptography;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>
/// The NSEC3 owner-name hash (RFC 5155 §5): IH(salt, x, 0) = SHA-1(x || salt), IH(salt, x, k) = SHA-1(IH(k-1) || salt),
/// over the name's canonical wire form (lower case, RFC 4034 §6.2). Used by the signer to build the chain and by the
/// edges to find the covering NSEC3 when answering, so it is allocation-free. No key is involved: hashing a name is
/// not signing.
/// </summary>
internal static class Nsec3Hash
{
    /// <summary>Hash algorithm 1 (SHA-1), the only one defined (RFC 5155 §11).</summary>
    public const byte Sha1 = 1;
    public const int Length = 20;
    /// <summary>A base32hex-encoded SHA-1 hash is 32 characters (one DNS label).</summary>
    public const int LabelLength = 32;

    /// <summary>Hashes <paramref name="nameWire"/> (uncompressed wire form, any case) into <paramref name="destination"/>
    /// (at least 20 bytes). Returns false for a name longer than 255 bytes.</summary>
    public static bool TryHash(ReadOnlySpan<byte> nameWire, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        if (nameWire.Length > 255 || salt.Length > 255 || destination.Length < Length) return false;
        Span<byte> input = stackalloc byte[255 + 255];
        // Lower-case the name's label bytes (length octets are below 64, so they never fall in 'A'..'Z').
        for (int i = 0; i < nameWire.Length; i++)
        {
            byte b = nameWire[i];
            input[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        }
        salt.CopyTo(input[nameWire.Length..]);
        SHA1.HashData(input[..(nameWire.Length + salt.Length)], destination);
        for (int k = 0; k < iterations; k++)
        {
            destination[..Length].CopyTo(input);
            salt.CopyTo(input[Length..]);
            SHA1.HashData(input[..(Length + salt.Length)], destination);
        }
        return true;
    }

    /// <summary>Writes the 32-character base32hex label (RFC 4648 §7, upper case, no padding) of a 20-byte hash.</summary>
    public static void WriteLabel(ReadOnlySpan<byte> hash, Span<char> destination)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        int bits = 0, buffer = 0, o = 0;
        for (int i = 0; i < Length; i++)
        {
            buffer = (buffer << 8) | hash[i];
            bits += 8;
            while (bits >= 5) { destination[o++] = alphabet[(buffer >> (bits - 5)) & 31]; bits -= 5; }
        }
    }

    /// <summary>The inverse of <see cref="WriteLabel"/>: a 32-character base32hex label (either case) back to its hash.</summary>
    public static bool TryReadLabel(ReadOnlySpan<byte> label, Span<byte> hash)
    {
        if (label.Length != LabelLength || hash.Length < Length) return false;
        int bits = 0, buffer = 0, o = 0;
        foreach (var b in label)
        {
            int c = b | 0x20, v = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'v' ? c - 'a' + 10 : -1;
            if (v < 0) return false;
            buffer = ((buffer << 5) | v) & 0xFFFF;
            bits += 5;
            if (bits >= 8) { hash[o++] = (byte)(buffer >> (bits - 8)); bits -= 8; }
        }
        return o == Length;
    }

    /// <summary>The hash's base32hex label as a string (lower case, as zone files usually show it).</summary>
    public static string ToLabel(ReadOnlySpan<byte> hash)
    {
        Span<char> chars = stackalloc char[LabelLength];
        WriteLabel(hash, chars);
        return new string(chars);
    }
}
