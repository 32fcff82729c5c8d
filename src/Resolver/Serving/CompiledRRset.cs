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
    }

    public RecordType Type { get; }
    /// <summary>All RDATA, uncompressed, record after record.</summary>
    public byte[] Data { get; }
    public CompiledRecord[] Records { get; }
    /// <summary>Offsets of compressible names, relative to their record's RDATA start.</summary>
    public int[] NameOffsets { get; }
    public int[] NameLengths { get; }
    /// <summary>Where the name whose A/AAAA go to the additional section starts in a record's RDATA: NS 0, MX 2, SRV 6
    /// (the name runs to the RDATA's end); -1 for other types.</summary>
    public int TargetOffset => Type switch { RecordType.NS => 0, RecordType.MX => 2, RecordType.SRV => 6, _ => -1 };

    /// <summary>Record <paramref name="i"/>'s additional-section target name (uncompressed wire), or empty. The node is
    /// looked up when answering, so a change to the target's addresses needs no change to this set.</summary>
    public ReadOnlySpan<byte> TargetName(int i)
    {
        int offset = TargetOffset;
        var rdata = RData(i);
        return offset < 0 || rdata.Length <= offset ? default : rdata[offset..];
    }
    /// <summary>CNAME/DNAME: the target name's wire form (first record).</summary>
    public byte[]? TargetWire { get; internal set; }
    /// <summary>NS, MX or SRV with at least one target inside the zone: answering looks for its addresses.</summary>
    public bool HasTargets { get; internal set; }

    public uint FirstTtl => Records[0].Ttl;
    public ReadOnlySpan<byte> RData(int i) => Data.AsSpan(Records[i].DataStart, Records[i].DataLength);
}
