using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AkkaDns.Resolver.Wire;

/// <summary>
/// The hashed compression mode, for zone transfers: a message of 16 KiB holds hundreds of names, and the answer path's
/// linear search of the compression table (right for a handful of names) cost a comparison per name already written
/// for every name written. Here every compression target is also in an open-addressing table keyed by a
/// case-insensitive hash of the name suffix it starts, so finding the longest suffix already in the message is one
/// probe per label. Same rules as the linear mode (longest suffix first, targets below 0x4000, at most
/// <c>log.Length</c> targets), so both modes compress the same names to the same lengths; only which of two equal
/// earlier copies a pointer names may differ.
/// </summary>
public ref partial struct ResponseWriter
{
    private const uint HashSeed = 2166136261;
    private const uint TagMask = ~(uint)MaxPointerTarget; // a slot: the hash's high bits | the target's offset (never 0)

    /// <summary>Hashed compression: <paramref name="log"/> holds the targets in order (so <see cref="Rollback"/> can take
    /// them out again) and bounds their number; <paramref name="slots"/> (a power of two, at least twice
    /// <paramref name="log"/>) is the hash table. Both are the caller's; the slots are cleared here.</summary>
    public ResponseWriter(Span<byte> buffer, Span<ushort> log, Span<uint> slots) : this(buffer, log)
    {
        if (slots.Length < 2 * log.Length || (slots.Length & (slots.Length - 1)) != 0)
            throw new ArgumentException("slots must be a power of two, at least twice the log", nameof(slots));
        slots.Clear();
        _slots = slots;
    }

    [SkipLocalsInit]
    private bool TryWriteNameHashed(scoped ReadOnlySpan<byte> name)
    {
        // Label starts left to right, then the hash of every suffix right to left (each suffix's hash continues its
        // parent's), then the longest suffix already in the message.
        Span<byte> starts = stackalloc byte[128];
        Span<uint> hashes = stackalloc uint[128];
        int labels = 0, end = 0;
        while (end < name.Length && name[end] != 0)
        {
            if (labels == starts.Length) return WriteUncompressed(name); // not a valid name; no compression
            starts[labels++] = (byte)end;
            end += 1 + name[end];
        }
        uint h = HashSeed;
        for (int k = labels - 1; k >= 0; k--) hashes[k] = h = HashLabel(h, name.Slice(starts[k], 1 + name[starts[k]]));

        for (int k = 0; k < labels; k++)
        {
            int target = FindHashed(hashes[k], name[starts[k]..]);
            if (target < 0) continue;
            int prefix = starts[k];
            if (Remaining < prefix + 2) return false;
            IndexLabels(starts[..k], hashes);
            name[..prefix].CopyTo(_buf[Position..]);
            Position += prefix;
            BinaryPrimitives.WriteUInt16BigEndian(_buf[Position..], (ushort)(0xC000 | target));
            Position += 2;
            return true;
        }
        if (Remaining < end + 1) return false;
        IndexLabels(starts[..labels], hashes);
        name[..end].CopyTo(_buf[Position..]);
        Position += end;
        _buf[Position++] = 0;
        return true;
    }

    private bool WriteUncompressed(scoped ReadOnlySpan<byte> name)
    {
        int end = 0;
        while (end < name.Length && name[end] != 0) end += 1 + name[end];
        if (end >= name.Length || Remaining < end + 1) return false;
        name[..(end + 1)].CopyTo(_buf[Position..]);
        Position += end + 1;
        return true;
    }

    /// <summary>The labels at <paramref name="starts"/> (relative to <see cref="Position"/>) become targets.</summary>
    private void IndexLabels(scoped ReadOnlySpan<byte> starts, scoped ReadOnlySpan<uint> hashes)
    {
        for (int k = 0; k < starts.Length; k++) Index(Position + starts[k], hashes[k]);
    }

    private void Index(int offset, uint hash)
    {
        if (offset > MaxPointerTarget || _nameCount >= _names.Length) return;
        int mask = _slots.Length - 1, i = (int)hash & mask;
        while (_slots[i] != 0) i = (i + 1) & mask;
        _slots[i] = (hash & TagMask) | (uint)offset;
        _names[_nameCount++] = (ushort)i; // the log holds slot numbers: Rollback empties them, last first
    }

    /// <summary>Takes out the targets added since the mark, last first: linear probing then is as before they came.</summary>
    private void UnindexSince(int count)
    {
        for (int n = _nameCount - 1; n >= count; n--) _slots[_names[n]] = 0;
    }

    private readonly int FindHashed(uint hash, scoped ReadOnlySpan<byte> suffix)
    {
        int mask = _slots.Length - 1, i = (int)hash & mask;
        uint tag = hash & TagMask;
        for (uint slot; (slot = _slots[i]) != 0; i = (i + 1) & mask)
        {
            int at = (int)(slot & MaxPointerTarget);
            if ((slot & TagMask) == tag && NameAtEquals(at, suffix)) return at;
        }
        return -1;
    }

    /// <summary><see cref="RegisterName"/> in the hashed mode: the uncompressed name at <paramref name="offset"/>.</summary>
    [SkipLocalsInit]
    private void RegisterNameHashed(int offset)
    {
        int end = offset;
        while (end < Position && _buf[end] != 0 && (_buf[end] & 0xC0) == 0) end += 1 + _buf[end];
        if (end >= Position || _buf[end] != 0) return; // only whole uncompressed names
        var name = _buf[offset..(end + 1)];
        Span<byte> starts = stackalloc byte[128];
        Span<uint> hashes = stackalloc uint[128];
        int labels = 0;
        for (int p = 0; p < name.Length - 1 && labels < starts.Length; p += 1 + name[p]) starts[labels++] = (byte)p;
        uint h = HashSeed;
        for (int k = labels - 1; k >= 0; k--) hashes[k] = h = HashLabel(h, name.Slice(starts[k], 1 + name[starts[k]]));
        for (int k = 0; k < labels; k++) Index(offset + starts[k], hashes[k]);
    }

    /// <summary>FNV-1a over the label's length byte and its lower-cased octets, continuing the parent suffix's hash.</summary>
    private static uint HashLabel(uint h, scoped ReadOnlySpan<byte> label)
    {
        foreach (var b in label) h = (h ^ DnsName.ToLower(b)) * 16777619;
        return h;
    }
}
