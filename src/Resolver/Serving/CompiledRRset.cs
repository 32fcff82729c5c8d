using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Serving;

/// <summary>One record of a <see cref="CompiledRRset"/>: where its RDATA lies in <see cref="CompiledRRset.Data"/>
/// and which of the set's compressible-name offsets belong to it.</summary>
public readonly record struct CompiledRecord(int DataStart, int DataLength, uint Ttl, int NamesStart, int NamesCount);

/// <summary>
/// An RRset in pre-encoded wire form: the RDATA of every record back to back, the TTLs, and the positions
/// of the names inside the RDATA that may be compressed on output (RFC 3597 §4), all computed at compile
/// time so the answer path only copies bytes.
/// </summary>
public sealed class CompiledRRset
{
    internal CompiledRRset(RecordType type, byte[] data, CompiledRecord[] records, int[] nameOffsets, int[] nameLengths)
    {
        Type = type; Data = data; Records = records; NameOffsets = nameOffsets; NameLengths = nameLengths;
        // Only NS, MX and SRV records have additional-section targets; other sets share one empty array
        // (saves an array per RRset, about 32 bytes a record in a big zone of A/AAAA).
        Targets = type is RecordType.NS or RecordType.MX or RecordType.SRV ? new ZoneNode?[records.Length] : [];
    }

    public RecordType Type { get; }
    /// <summary>All RDATA, uncompressed, record after record.</summary>
    public byte[] Data { get; }
    public CompiledRecord[] Records { get; }
    /// <summary>Offsets of compressible names, relative to their record's RDATA start.</summary>
    public int[] NameOffsets { get; }
    public int[] NameLengths { get; }
    /// <summary>Per record, the in-zone node whose A/AAAA go to the additional section (NS, MX, SRV targets), or null.</summary>
    public ZoneNode?[] Targets { get; }
    /// <summary>CNAME/DNAME: the target name's wire form (first record).</summary>
    public byte[]? TargetWire { get; internal set; }
    public bool HasTargets { get; internal set; }

    public uint FirstTtl => Records[0].Ttl;
    public ReadOnlySpan<byte> RData(int i) => Data.AsSpan(Records[i].DataStart, Records[i].DataLength);
}
