using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Answering;

/// <summary>Copies pre-encoded RRsets into a response, compressing the owner and the compressible RDATA names.
/// Each call writes a whole RRset or nothing (RFC 2181 §9: never part of an RRset).</summary>
internal static class RRsetWriter
{
    private const ushort ClassIn = 1;

    public static bool TryWrite(ref ResponseWriter w, scoped ReadOnlySpan<byte> owner, CompiledRRset set)
    {
        var mark = w.Mark();
        for (int i = 0; i < set.Records.Length; i++)
            if (!TryWriteRecord(ref w, owner, set, i)) { w.Rollback(mark); return false; }
        return true;
    }

    /// <summary>Record <paramref name="i"/> of <paramref name="set"/> alone, or nothing: zone transfers may split an RRset
    /// across messages (RFC 5936 §2.2), never a record. Kept apart from <see cref="TryWrite"/> so the answer path's
    /// loop stays as it was.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool TryWriteRecord(ref ResponseWriter w, scoped ReadOnlySpan<byte> owner, CompiledRRset set, int i)
    {
        var mark = w.Mark();
        if (!w.TryWriteName(owner)) { w.Rollback(mark); return false; }
        return TryWriteRecordAfterOwner(ref w, mark, set, i, set.Records[i].Ttl);
    }

    /// <summary>As <see cref="TryWriteRecord(ref ResponseWriter, ReadOnlySpan{byte}, CompiledRRset, int)"/> with the TTL
    /// given: an RRSIG takes the TTL of the RRset it covers as served (RFC 4034 §3), not one shared by the RRSIGs of a name.</summary>
    public static bool TryWriteRecord(ref ResponseWriter w, scoped ReadOnlySpan<byte> owner, CompiledRRset set, int i, uint ttl)
    {
        var mark = w.Mark();
        if (!w.TryWriteName(owner)) { w.Rollback(mark); return false; }
        return TryWriteRecordAfterOwner(ref w, mark, set, i, ttl);
    }

    /// <summary>As <see cref="TryWriteRecord(ref ResponseWriter, ReadOnlySpan{byte}, CompiledRRset, int)"/> with the
    /// owner a pointer to the same name already written at <paramref name="ownerAt"/> (the previous record's owner in a
    /// transfer: no lookup at all).</summary>
    public static bool TryWriteRecord(ref ResponseWriter w, int ownerAt, CompiledRRset set, int i)
    {
        var mark = w.Mark();
        if (!w.TryWritePointer(ownerAt)) return false;
        return TryWriteRecordAfterOwner(ref w, mark, set, i, set.Records[i].Ttl);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool TryWriteRecordAfterOwner(ref ResponseWriter w, (int, int) mark, CompiledRRset set, int i, uint ttl)
    {
        var r = set.Records[i];
        var rdata = set.Data.AsSpan(r.DataStart, r.DataLength);
        if (r.NamesCount == 0) // A, AAAA, TXT…: the fixed fields and the RDATA in one write
        {
            if (w.TryWriteRecordData((ushort)set.Type, ClassIn, ttl, rdata)) return true;
            w.Rollback(mark); return false;
        }
        if (!w.TryWriteU16((ushort)set.Type) || !w.TryWriteU16(ClassIn) || !w.TryWriteU32(ttl) || !w.TryWriteU16(0))
        { w.Rollback(mark); return false; }
        int rdlenAt = w.Position - 2, start = w.Position;
        int done = 0;
        var offsets = set.NameOffsets.Slice(r.NamesStart, r.NamesCount);
        var lengths = set.NameLengths.Slice(r.NamesStart, r.NamesCount);
        for (int k = 0; k < offsets.Length; k++)
        {
            int off = offsets[k], len = lengths[k];
            if (!w.TryWriteBytes(rdata[done..off]) || !w.TryWriteName(rdata.Slice(off, len))) { w.Rollback(mark); return false; }
            done = off + len;
        }
        if (!w.TryWriteBytes(rdata[done..])) { w.Rollback(mark); return false; }
        w.PatchU16(rdlenAt, (ushort)(w.Position - start));
        return true;
    }

    /// <summary>A record not compiled into a zone (an IXFR difference), its RDATA names compressed as in a compiled set.</summary>
    public static bool TryWriteRecord(ref ResponseWriter w, Records.ResourceRecord rr)
    {
        var mark = w.Mark();
        if (!w.TryWriteName(rr.Owner.Wire) || !w.TryWriteU16((ushort)rr.Type) || !w.TryWriteU16(ClassIn)
            || !w.TryWriteU32(rr.Ttl) || !w.TryWriteU16(0))
        { w.Rollback(mark); return false; }
        int rdlenAt = w.Position - 2, start = w.Position;
        var rdata = rr.RData.AsSpan();
        int done = 0;
        foreach (var (off, len) in Records.RData.CompressibleNames(rr.Type, rdata))
        {
            if (!w.TryWriteBytes(rdata[done..off]) || !w.TryWriteName(rdata.Slice(off, len))) { w.Rollback(mark); return false; }
            done = off + len;
        }
        if (!w.TryWriteBytes(rdata[done..])) { w.Rollback(mark); return false; }
        w.PatchU16(rdlenAt, (ushort)(w.Position - start));
        return true;
    }

    /// <summary>A CNAME synthesized from a DNAME (RFC 6672 §3.1): owner the query name, TTL the DNAME's.</summary>
    public static bool TryWriteCname(ref ResponseWriter w, scoped ReadOnlySpan<byte> owner, uint ttl, scoped ReadOnlySpan<byte> target)
    {
        var mark = w.Mark();
        if (!w.TryWriteName(owner) || !w.TryWriteU16((ushort)RecordType.CNAME) || !w.TryWriteU16(ClassIn)
            || !w.TryWriteU32(ttl) || !w.TryWriteU16(0))
        { w.Rollback(mark); return false; }
        int rdlenAt = w.Position - 2, start = w.Position;
        if (!w.TryWriteName(target)) { w.Rollback(mark); return false; }
        w.PatchU16(rdlenAt, (ushort)(w.Position - start));
        return true;
    }
}
