using System.Buffers.Binary;
using System.Numerics;

namespace AkkaDns.Resolver.Tsig;

/// <summary>
/// SHA-224 (FIPS 180-4 §6.3: SHA-256 with its own initial value, output cut to 28 bytes) and HMAC over it
/// (RFC 2104), because the BCL has no SHA-224. One-shot only: TSIG always hashes one contiguous buffer.
/// Checked against the RFC 4231 vectors in the tests.
/// </summary>
internal static class Sha224
{
    public const int HashLength = 28;
    private const int BlockLength = 64;

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static readonly uint[] Iv = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];

    public static byte[] Hash(ReadOnlySpan<byte> data) => Hash(data, []);

    /// <summary>Hash of <paramref name="first"/> followed by <paramref name="second"/> (HMAC's pad block + text).</summary>
    private static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        Span<uint> h = stackalloc uint[8];
        Iv.CopyTo(h);
        Span<uint> w = stackalloc uint[64];
        Span<byte> block = stackalloc byte[BlockLength];
        long total = first.Length + (long)second.Length;
        int filled = 0;
        for (int part = 0; part < 2; part++)
        {
            var src = part == 0 ? first : second;
            while (src.Length > 0)
            {
                int n = Math.Min(BlockLength - filled, src.Length);
                src[..n].CopyTo(block[filled..]);
                filled += n; src = src[n..];
                if (filled == BlockLength) { Compress(h, block, w); filled = 0; }
            }
        }
        block[filled++] = 0x80;
        if (filled > BlockLength - 8) { block[filled..].Clear(); Compress(h, block, w); filled = 0; }
        block[filled..(BlockLength - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(block[(BlockLength - 8)..], (ulong)total * 8);
        Compress(h, block, w);
        var result = new byte[HashLength];
        for (int i = 0; i < 7; i++) BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(i * 4), h[i]);
        return result;
    }

    /// <summary>RFC 2104 HMAC: H((K ^ opad) || H((K ^ ipad) || text)), keys longer than a block hashed first.</summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        Span<byte> k = stackalloc byte[BlockLength];
        k.Clear();
        if (key.Length > BlockLength) Hash(key).CopyTo(k); else key.CopyTo(k);
        Span<byte> pad = stackalloc byte[BlockLength];
        for (int i = 0; i < BlockLength; i++) pad[i] = (byte)(k[i] ^ 0x36);
        var inner = Hash(pad, data);
        for (int i = 0; i < BlockLength; i++) pad[i] = (byte)(k[i] ^ 0x5c);
        return Hash(pad, inner);
    }

    private static void Compress(Span<uint> h, ReadOnlySpan<byte> block, Span<uint> w)
    {
        for (int t = 0; t < 16; t++) w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(t * 4)..]);
        for (int t = 16; t < 64; t++)
        {
            uint s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 64; t++)
        {
            uint S1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            uint ch = (e & f) ^ (~e & g);
            uint t1 = hh + S1 + ch + K[t] + w[t];
            uint S0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            uint maj = (a & b) ^ (a & c) ^ (b & c);
            uint t2 = S0 + maj;
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
}
