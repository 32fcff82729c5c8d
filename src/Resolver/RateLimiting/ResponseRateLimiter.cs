using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace AkkaDns.Resolver.RateLimiting;

internal enum RateLimitDecision : byte { Send, Drop, Slip }

/// <summary>
/// Response rate limiting: a fixed table of token buckets keyed by (source prefix, response kind). Each bucket
/// earns <see cref="RateLimitOptions.ResponsesPerSecond"/> tokens a second, up to rate × window; a response with no
/// token left is limited: dropped, or every Slip-th one sent truncated. Thread-safe (striped locks, no allocation),
/// so every receive loop can share one limiter.
/// </summary>
internal sealed class ResponseRateLimiter
{
    private struct Bucket
    {
        public ulong KeyHi, KeyLo;  // masked address (IPv6-mapped) …
        public byte Kind;           // … and response kind; KeyHi == 0 && KeyLo == 0 && !Used => empty
        public bool Used;
        public long LastTick;       // Stopwatch ticks of the last refill
        public int Tokens;
        public uint Limited;        // limited responses since the bucket was created (drives slip)
    }

    private const int Ways = 4;
    private readonly Bucket[] _table;
    private readonly object[] _stripes;
    private readonly RateLimitOptions _options;
    private readonly long _ticksPerSecond;
    private long _sent, _dropped, _slipped;

    public ResponseRateLimiter(RateLimitOptions options, long ticksPerSecond = 0)
    {
        _options = options;
        _table = new Bucket[Math.Max(Ways, options.TableSize)];
        _stripes = new object[64];
        for (int i = 0; i < _stripes.Length; i++) _stripes[i] = new object();
        _ticksPerSecond = ticksPerSecond > 0 ? ticksPerSecond : Stopwatch.Frequency;
    }

    public RateLimitOptions Options => _options;
    public long Sent => Interlocked.Read(ref _sent);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Slipped => Interlocked.Read(ref _slipped);

    /// <summary>True when responses to this source are never limited (limiter off, or an exempt loopback source):
    /// lets the front end skip classifying the response and reading the clock.</summary>
    public bool IsExempt(ReadOnlySpan<byte> address) => !_options.Enabled || (_options.ExemptLoopback && IsLoopback(address));

    /// <summary>Decides for one response to a source address (4 or 16 bytes), at time <paramref name="nowTicks"/>.</summary>
    public RateLimitDecision Check(ReadOnlySpan<byte> address, ResponseKind kind, long nowTicks)
    {
        if (IsExempt(address))
            return RateLimitDecision.Send;
        MaskedKey(address, out var hi, out var lo);
        ulong h = Mix(hi ^ (lo * 0x9E3779B97F4A7C15UL) ^ ((ulong)kind << 56));
        // Set-associative: a key lives in one aligned set of Ways slots, and a set is guarded by exactly one stripe
        // lock (overlapping windows under different locks would let two threads write the same slot).
        int set = (int)(h % (ulong)(_table.Length / Ways));
        int start = set * Ways;
        RateLimitDecision decision;
        lock (_stripes[set & (_stripes.Length - 1)])
        {
            ref var b = ref Find(start, hi, lo, (byte)kind, nowTicks);
            long capacity = (long)_options.ResponsesPerSecond * Math.Max(1, _options.WindowSeconds);
            long elapsed = nowTicks - b.LastTick;
            if (elapsed >= _ticksPerSecond || elapsed < 0)
            {
                long earned = elapsed < 0 ? capacity : elapsed / _ticksPerSecond * _options.ResponsesPerSecond;
                b.Tokens = (int)Math.Min(capacity, b.Tokens + earned);
                b.LastTick = elapsed < 0 ? nowTicks : b.LastTick + elapsed / _ticksPerSecond * _ticksPerSecond;
            }
            if (b.Tokens > 0) { b.Tokens--; decision = RateLimitDecision.Send; }
            else
            {
                b.Limited++;
                decision = _options.Slip > 0 && b.Limited % (uint)_options.Slip == 0 ? RateLimitDecision.Slip : RateLimitDecision.Drop;
            }
        }
        switch (decision)
        {
            case RateLimitDecision.Send: Interlocked.Increment(ref _sent); break;
            case RateLimitDecision.Drop: Interlocked.Increment(ref _dropped); break;
            default: Interlocked.Increment(ref _slipped); break;
        }
        return decision;
    }

    // Looks among Ways neighbouring slots for the key; else takes an empty slot, else the least recently refilled.
    private ref Bucket Find(int start, ulong hi, ulong lo, byte kind, long now)
    {
        int victim = start;
        for (int i = start; i < start + Ways; i++)
        {
            ref var b = ref _table[i];
            if (b.Used && b.KeyHi == hi && b.KeyLo == lo && b.Kind == kind) return ref b;
            if (!b.Used) { victim = i; break; }
            if (b.LastTick < _table[victim].LastTick) victim = i;
        }
        ref var v = ref _table[victim];
        v = new Bucket
        {
            KeyHi = hi, KeyLo = lo, Kind = kind, Used = true, LastTick = now,
            Tokens = _options.ResponsesPerSecond * Math.Max(1, _options.WindowSeconds), Limited = 0,
        };
        return ref v;
    }

    private void MaskedKey(ReadOnlySpan<byte> address, out ulong hi, out ulong lo)
    {
        Span<byte> a = stackalloc byte[16];
        a.Clear();
        int prefix;
        if (address.Length == 4)
        {
            a[10] = 0xFF; a[11] = 0xFF; address.CopyTo(a[12..]);   // IPv4-mapped, so one key space
            prefix = 96 + Math.Clamp(_options.Ipv4PrefixLength, 0, 32);
        }
        else if (address.Length == 16 && IsV4Mapped(address))
        {
            // An IPv4 client seen on a dual-stack socket: mask it as IPv4 (/24), not as IPv6 (/56 would put every
            // IPv4 client in one bucket).
            address.CopyTo(a);
            prefix = 96 + Math.Clamp(_options.Ipv4PrefixLength, 0, 32);
        }
        else
        {
            address[..Math.Min(16, address.Length)].CopyTo(a);
            prefix = Math.Clamp(_options.Ipv6PrefixLength, 0, 128);
        }
        for (int bit = prefix; bit < 128; bit++) a[bit >> 3] &= (byte)~(0x80 >> (bit & 7));
        hi = BinaryPrimitives.ReadUInt64BigEndian(a);
        lo = BinaryPrimitives.ReadUInt64BigEndian(a[8..]);
    }

    private static bool IsLoopback(ReadOnlySpan<byte> address) => address.Length switch
    {
        4 => address[0] == 127,
        16 => IsV6Loopback(address) || (IsV4Mapped(address) && address[12] == 127),
        _ => false,
    };

    private static bool IsV6Loopback(ReadOnlySpan<byte> a)
    {
        for (int i = 0; i < 15; i++) if (a[i] != 0) return false;
        return a[15] == 1;
    }

    private static bool IsV4Mapped(ReadOnlySpan<byte> a)
    {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == 0xFF && a[11] == 0xFF;
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33; x *= 0xff51afd7ed558ccdUL; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53UL; x ^= x >> 33;
        return x;
    }

    /// <summary>
    /// Turns a response into its "slip" form in place: header with TC=1 and the question only, so a real client
    /// retries over TCP while a spoofed victim gets no amplification. Returns the new length (or -1 if the
    /// response's question cannot be walked, in which case the caller drops it).
    /// </summary>
    public static int MakeSlip(Span<byte> response, int length)
    {
        if (length < 12) return -1;
        int qd = (response[4] << 8) | response[5];
        int pos = 12;
        for (int q = 0; q < qd; q++)
        {
            while (true)
            {
                if (pos >= length) return -1;
                int len = response[pos];
                if (len == 0) { pos++; break; }
                if ((len & 0xC0) == 0xC0) { pos += 2; break; }
                if (len > 63) return -1;
                pos += 1 + len;
            }
            pos += 4;
            if (pos > length) return -1;
        }
        response[2] |= 0x02;                       // TC
        response[6] = response[7] = response[8] = response[9] = response[10] = response[11] = 0;
        return pos;
    }

    /// <summary>Address bytes of a socket address family, for callers holding an IPAddress.</summary>
    public static bool IsSupportedFamily(AddressFamily family) => family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
}
