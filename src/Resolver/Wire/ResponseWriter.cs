using System.Buffers.Binary;

namespace AkkaDns.Resolver.Wire;

/// <summary>
/// Writes a response into the caller's buffer, never past <c>limit</c>, with RFC 1035 §4.1.4 name
/// compression. The compression table is a caller-provided, fixed-size span of message offsets (one per
/// label written), so writing allocates nothing. Every write is all-or-nothing: a failed write leaves
/// the position where it was; <see cref="Mark"/>/<see cref="Rollback"/> undo whole records.
/// </summary>
public ref partial struct ResponseWriter
{
    /// <summary>Names reachable by a pointer must start below 0x4000.</summary>
    private const int MaxPointerTarget = 0x3FFF;
    /// <summary>Pointer hops followed while comparing names we wrote ourselves (they never loop; belt and braces).</summary>
    private const int MaxHops = 64;

    private readonly Span<byte> _buf;
    private readonly Span<ushort> _names;
    /// <summary>Empty but in the hashed mode (<see cref="ResponseWriter(Span{byte}, Span{ushort}, Span{uint})"/>).</summary>
    private readonly Span<uint> _slots;
    private int _nameCount;
    private int _limit;

    public ResponseWriter(Span<byte> buffer, Span<ushort> compressionTable)
    {
        _buf = buffer;
        _names = compressionTable;
        _limit = buffer.Length;
        Position = 0;
        _nameCount = 0;
    }

    public int Position { get; private set; }
    public readonly int Limit => _limit;
    public readonly Span<byte> Buffer => _buf;

    /// <summary>Lowers the writable end, e.g. to keep room for the OPT record.</summary>
    public void SetLimit(int limit) => _limit = Math.Min(limit, _buf.Length);

    public readonly (int Position, int Names) Mark() => (Position, _nameCount);

    public void Rollback((int Position, int Names) mark)
    {
        if (!_slots.IsEmpty) UnindexSince(mark.Names);
        Position = mark.Position; _nameCount = mark.Names;
    }

    public readonly int Remaining => _limit - Position;

    public bool TryWriteU16(ushort v)
    {
        if (Remaining < 2) return false;
        BinaryPrimitives.WriteUInt16BigEndian(_buf[Position..], v);
        Position += 2;
        return true;
    }

    public bool TryWriteU32(uint v)
    {
        if (Remaining < 4) return false;
        BinaryPrimitives.WriteUInt32BigEndian(_buf[Position..], v);
        Position += 4;
        return true;
    }

    public bool TryWriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (Remaining < bytes.Length) return false;
        bytes.CopyTo(_buf[Position..]);
        Position += bytes.Length;
        return true;
    }

    /// <summary>A compression pointer to a name written earlier at <paramref name="target"/> (at most 0x3FFF).</summary>
    public bool TryWritePointer(int target)
    {
        if (Remaining < 2 || (uint)target > MaxPointerTarget) return false;
        BinaryPrimitives.WriteUInt16BigEndian(_buf[Position..], (ushort)(0xC000 | target));
        Position += 2;
        return true;
    }

    /// <summary>Where the name at <paramref name="at"/> can be pointed at: the target of a name written as a pointer
    /// alone, else <paramref name="at"/> itself; -1 past 0x3FFF.</summary>
    public readonly int PointerTargetOf(int at)
    {
        if (at + 1 < Position && (_buf[at] & 0xC0) == 0xC0) return (_buf[at] & 0x3F) << 8 | _buf[at + 1];
        return at <= MaxPointerTarget ? at : -1;
    }

    /// <summary>TYPE, CLASS, TTL, RDLENGTH and RDATA of a record whose RDATA has no name to compress: one bounds check
    /// and one span for the lot (the fixed fields, each written on its own, cost as much as the RDATA copy).</summary>
    public bool TryWriteRecordData(ushort type, ushort @class, uint ttl, scoped ReadOnlySpan<byte> rdata)
    {
        int length = 10 + rdata.Length;
        if (Remaining < length || rdata.Length > ushort.MaxValue) return false;
        var dst = _buf.Slice(Position, length);
        BinaryPrimitives.WriteUInt16BigEndian(dst, type);
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], @class);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(dst[8..], (ushort)rdata.Length);
        rdata.CopyTo(dst[10..]);
        Position += length;
        return true;
    }

    /// <summary>Writes a 16-bit value at an earlier position (counts, RDLENGTH).</summary>
    public readonly void PatchU16(int at, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(_buf[at..], v);

    /// <summary>
    /// Makes the labels of an uncompressed name already in the buffer at <paramref name="offset"/>
    /// (e.g. the echoed question at 12) available as compression targets.
    /// </summary>
    public void RegisterName(int offset)
    {
        if (!_slots.IsEmpty) { RegisterNameHashed(offset); return; }
        int pos = offset;
        while (pos < Position && _buf[pos] != 0 && (_buf[pos] & 0xC0) == 0)
        {
            AddTarget(pos);
            pos += 1 + _buf[pos];
        }
    }

    /// <summary>Writes an uncompressed wire name, replacing its longest suffix already in the message by a pointer.</summary>
    public bool TryWriteName(scoped ReadOnlySpan<byte> name, bool compress = true)
    {
        if (!_slots.IsEmpty && compress) return TryWriteNameHashed(name);
        int start = Position;
        int suffix = 0;
        while (suffix < name.Length && name[suffix] != 0)
        {
            if (compress)
            {
                int target = FindTarget(name[suffix..]);
                if (target >= 0)
                {
                    if (Remaining < suffix + 2) { Position = start; return false; }
                    WriteLabels(name[..suffix]);
                    BinaryPrimitives.WriteUInt16BigEndian(_buf[Position..], (ushort)(0xC000 | target));
                    Position += 2;
                    return true;
                }
            }
            suffix += 1 + name[suffix];
        }
        if (Remaining < suffix + 1) { Position = start; return false; }
        WriteLabels(name[..suffix]);
        _buf[Position++] = 0;
        return true;
    }

    private void WriteLabels(scoped ReadOnlySpan<byte> labels)
    {
        int pos = 0;
        while (pos < labels.Length)
        {
            AddTarget(Position + pos);
            pos += 1 + labels[pos];
        }
        labels.CopyTo(_buf[Position..]);
        Position += labels.Length;
    }

    private void AddTarget(int offset)
    {
        if (offset <= MaxPointerTarget && _nameCount < _names.Length) _names[_nameCount++] = (ushort)offset;
    }

    private readonly int FindTarget(scoped ReadOnlySpan<byte> suffix)
    {
        for (int i = 0; i < _nameCount; i++)
            if (NameAtEquals(_names[i], suffix)) return _names[i];
        return -1;
    }

    /// <summary>Case-insensitive comparison of the (possibly compressed) name at <paramref name="at"/> with an uncompressed name.</summary>
    private readonly bool NameAtEquals(int at, scoped ReadOnlySpan<byte> name)
    {
        int pos = at, i = 0, hops = 0;
        while (true)
        {
            if (pos >= Position || i >= name.Length) return false;
            int len = _buf[pos];
            if ((len & 0xC0) == 0xC0)
            {
                if (++hops > MaxHops || pos + 1 >= Position) return false;
                pos = ((len & 0x3F) << 8) | _buf[pos + 1];
                continue;
            }
            if (len != name[i]) return false;
            if (len == 0) return true;
            if (pos + 1 + len > Position) return false;
            for (int k = 1; k <= len; k++)
                if (DnsName.ToLower(_buf[pos + k]) != DnsName.ToLower(name[i + k])) return false;
            pos += 1 + len;
            i += 1 + len;
        }
    }
}
