using System.Buffers.Binary;

namespace AkkaDns.Resolver.Wire;

/// <summary>
/// A forward cursor over a whole DNS message (Knot's wire_ctx style): the first read that would overrun
/// sets <see cref="Failed"/>, and from then on every read returns zero/empty and the position stops moving,
/// so a parser can read a whole structure and check once at the end. Names are read with safe
/// decompression (<see cref="TryReadName"/>) against the whole message.
/// </summary>
public ref struct WireReader
{
    /// <summary>A well-formed name has at most 127 labels, so more pointers than that can only be a trick.</summary>
    public const int MaxPointers = 127;
    private const int HeaderSize = 12;

    private readonly ReadOnlySpan<byte> _message;
    private int _pos;

    public WireReader(ReadOnlySpan<byte> message, int position = 0)
    {
        _message = message;
        _pos = position;
        Failed = position < 0 || position > message.Length;
        Error = Failed ? "start position outside the message" : null;
    }

    public readonly ReadOnlySpan<byte> Message => _message;
    public readonly int Position => _pos;
    public readonly int Remaining => Failed ? 0 : _message.Length - _pos;
    public bool Failed { get; private set; }
    /// <summary>What went wrong first (with the offset), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Marks the reader failed (only the first reason is kept).</summary>
    public void Fail(string error)
    {
        if (Failed) return;
        Failed = true;
        Error = error;
    }

    private bool Ensure(int count, string what)
    {
        if (Failed) return false;
        if (count < 0 || _message.Length - _pos < count)
        {
            Fail($"{what}: needs {count} byte(s) at offset {_pos}, only {_message.Length - _pos} left");
            return false;
        }
        return true;
    }

    public byte ReadByte(string what = "byte")
    {
        if (!Ensure(1, what)) return 0;
        return _message[_pos++];
    }

    public ushort ReadUInt16(string what = "16-bit field")
    {
        if (!Ensure(2, what)) return 0;
        var v = BinaryPrimitives.ReadUInt16BigEndian(_message[_pos..]);
        _pos += 2;
        return v;
    }

    public uint ReadUInt32(string what = "32-bit field")
    {
        if (!Ensure(4, what)) return 0;
        var v = BinaryPrimitives.ReadUInt32BigEndian(_message[_pos..]);
        _pos += 4;
        return v;
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string what = "data")
    {
        if (!Ensure(count, what)) return default;
        var s = _message.Slice(_pos, count);
        _pos += count;
        return s;
    }

    public void Skip(int count, string what = "data") => ReadBytes(count, what);

    /// <summary>
    /// Reads a possibly compressed name at the cursor into <paramref name="destination"/> (at least 255 bytes)
    /// in uncompressed wire form, and moves the cursor past the name's in-place bytes.
    /// Rules: a pointer must point strictly before the start of the label run that contains it (so every jump
    /// goes further back and loops, self-pointers and forward pointers are impossible), never into the header;
    /// at most <see cref="MaxPointers"/> pointers; total length at most 255; label types 01 and 10 are refused.
    /// </summary>
    public bool TryReadName(scoped Span<byte> destination, out int length, string what = "name")
    {
        length = 0;
        if (Failed) return false;
        int pos = _pos;          // where we read now
        int runStart = _pos;     // start of the current run of labels (a pointer must go before it)
        int resumeAt = -1;       // cursor position after the in-place part, set at the first pointer
        int pointers = 0, outLen = 0;
        while (true)
        {
            if (pos >= _message.Length) { Fail($"{what}: runs past the end of the message at offset {pos}"); return false; }
            int len = _message[pos];
            switch (len & 0xC0)
            {
                case 0x00:
                    if (outLen + 1 + len > DnsName.MaxWireLength)
                    { Fail($"{what}: longer than 255 octets at offset {pos}"); return false; }
                    if (pos + 1 + len > _message.Length)
                    { Fail($"{what}: label of {len} byte(s) at offset {pos} overruns the message"); return false; }
                    if (destination.Length < outLen + 1 + len)
                    { Fail($"{what}: destination buffer too small"); return false; }
                    _message.Slice(pos, 1 + len).CopyTo(destination[outLen..]);
                    outLen += 1 + len;
                    pos += 1 + len;
                    if (len == 0)
                    {
                        _pos = resumeAt >= 0 ? resumeAt : pos;
                        length = outLen;
                        return true;
                    }
                    break;
                case 0xC0:
                    if (pos + 2 > _message.Length) { Fail($"{what}: truncated compression pointer at offset {pos}"); return false; }
                    int target = BinaryPrimitives.ReadUInt16BigEndian(_message[pos..]) & 0x3FFF;
                    if (target >= runStart)
                    { Fail($"{what}: compression pointer at offset {pos} to {target} does not point backwards"); return false; }
                    if (target < HeaderSize)
                    { Fail($"{what}: compression pointer at offset {pos} points into the header"); return false; }
                    if (++pointers > MaxPointers)
                    { Fail($"{what}: more than {MaxPointers} compression pointers"); return false; }
                    if (resumeAt < 0) resumeAt = pos + 2;
                    pos = runStart = target;
                    break;
                default:
                    Fail($"{what}: unsupported label type 0x{len & 0xC0:X2} at offset {pos}");
                    return false;
            }
        }
    }
}
