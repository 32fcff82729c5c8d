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
    /// <summary>Where the name whose data goes to the additional section starts in a record's RDATA: NS 0, MX 2, SRV 6,
    /// SVCB and HTTPS 2 (the TargetName, followed by the SvcParams); -1 for other types (NAPTR's replacement follows
    /// three character-strings, see <see cref="TargetName"/>).</summary>
    public int TargetOffset => Type switch
    {
        RecordType.NS => 0,
        RecordType.MX or RecordType.SVCB or RecordType.HTTPS => 2,
        RecordType.SRV => 6,
        _ => -1,
    };

    /// <summary>Record <paramref name="i"/>'s additional-section target name (uncompressed wire), or empty: the NS, MX,
    /// SRV or SVCB/HTTPS target, or the NAPTR replacement when its flags hold 'A' or 'S' (<see cref="NaptrFlag"/>).
    /// The node is looked up when answering, so a change to the target's data needs no change to this set.
    /// Allocation-free (it runs on the answer path).</summary>
    public ReadOnlySpan<byte> TargetName(int i)
    {
        var rdata = RData(i);
        int offset = Type == RecordType.NAPTR ? NaptrReplacementOffset(rdata) : TargetOffset;
        if (offset < 0 || rdata.Length <= offset) return default;
        if (Type is RecordType.NS or RecordType.MX or RecordType.SRV) return rdata[offset..]; // the name runs to the end
        if (Type == RecordType.NAPTR && NaptrFlag(i) == 0) return default;
        int end = offset;
        while (end < rdata.Length && rdata[end] != 0) end += 1 + rdata[end];
        return end < rdata.Length ? rdata[offset..(end + 1)] : default;
    }

    /// <summary>NAPTR record <paramref name="i"/>'s terminal flag for additional-section processing, as PowerDNS reads it:
    /// 'a' when the flags hold A (the replacement's addresses follow), else 's' when they hold S (the replacement's SRV
    /// RRset and its targets' addresses follow), else 0 (RFC 3403 §4.1: no terminal lookup). 0 for other types.</summary>
    public byte NaptrFlag(int i)
    {
        if (Type != RecordType.NAPTR) return 0;
        var rdata = RData(i);
        if (rdata.Length < 5 || 5 + rdata[4] > rdata.Length) return 0;
        byte found = 0;
        foreach (var b in rdata.Slice(5, rdata[4]))
        {
            if (b is (byte)'a' or (byte)'A') return (byte)'a';
            if (b is (byte)'s' or (byte)'S') found = (byte)'s';
        }
        return found;
    }

    /// <summary>NAPTR: order, preference, then flags, services and regexp (character-strings), then the replacement.</summary>
    private static int NaptrReplacementOffset(ReadOnlySpan<byte> rdata)
    {
        int pos = 4;
        for (int k = 0; k < 3; k++)
        {
            if (pos >= rdata.Length) return -1;
            pos += 1 + rdata[pos];
        }
        return pos;
    }

    /// <summary>CNAME/DNAME: the target name's wire form (first record).</summary>
    public byte[]? TargetWire { get; internal set; }
    /// <summary>NS, MX, SRV, SVCB, HTTPS or NAPTR ('A'/'S' flags) with at least one target inside the zone: answering
    /// looks for the target's data.</summary>
    public bool HasTargets { get; internal set; }

    public uint FirstTtl => Records[0].Ttl;
    public ReadOnlySpan<byte> RData(int i) => Data.AsSpan(Records[i].DataStart, Records[i].DataLength);
}
