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
        var records = set.Records;
        for (int i = 0; i < records.Length; i++)
        {
            var r = records[i];
            if (!w.TryWriteName(owner) || !w.TryWriteU16((ushort)set.Type) || !w.TryWriteU16(ClassIn)
                || !w.TryWriteU32(r.Ttl) || !w.TryWriteU16(0))
            { w.Rollback(mark); return false; }
            int rdlenAt = w.Position - 2, start = w.Position;
            var rdata = set.Data.AsSpan(r.DataStart, r.DataLength);
            int done = 0;
            for (int k = 0; k < r.NamesCount; k++)
            {
                int off = set.NameOffsets[r.NamesStart + k], len = set.NameLengths[r.NamesStart + k];
                if (!w.TryWriteBytes(rdata[done..off]) || !w.TryWriteName(rdata.Slice(off, len))) { w.Rollback(mark); return false; }
                done = off + len;
            }
            if (!w.TryWriteBytes(rdata[done..])) { w.Rollback(mark); return false; }
            w.PatchU16(rdlenAt, (ushort)(w.Position - start));
        }
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
