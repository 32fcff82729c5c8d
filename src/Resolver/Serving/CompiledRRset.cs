using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// <remarks>
/// One byte array holds all of it (a 1M-record zone has a million sets, and the separate arrays of records and name
/// positions were two more objects each, a third of the memory per record): the name count (an int), the
/// <see cref="CompiledRecord"/>s, the name offsets, then the name lengths (ints, native byte order: the array never
/// leaves the process), then the RDATA. <see cref="CompiledRecord.DataStart"/> is an offset into that same array, so
/// the first record's tells where the records end and how many there are (no count stored: with one, an AAAA set's
/// array would be 72 bytes instead of 64).
/// </remarks>
public sealed class CompiledRRset
{
    private const int CountsLength = 4;
    private const int RecordSize = 20; // Unsafe.SizeOf<CompiledRecord>(), checked by the static constructor

    static CompiledRRset()
    {
        if (Unsafe.SizeOf<CompiledRecord>() != RecordSize) throw new InvalidOperationException("CompiledRecord layout changed");
    }

    private CompiledRRset(RecordType type, byte[] data) { Type = type; Data = data; }

    /// <summary>Lays out <paramref name="records"/> (DataStart relative to <paramref name="rdata"/>) and their
    /// names (offsets relative to their record's RDATA start) in one array.</summary>
    internal static CompiledRRset Create(RecordType type, ReadOnlySpan<byte> rdata, ReadOnlySpan<CompiledRecord> records,
        ReadOnlySpan<int> nameOffsets, ReadOnlySpan<int> nameLengths)
    {
        int recordBytes = records.Length * RecordSize;
        int head = CountsLength + recordBytes + 8 * nameOffsets.Length;
        var data = new byte[head + rdata.Length];
        var span = data.AsSpan();
        MemoryMarshal.Write(span, nameOffsets.Length);
        var recs = MemoryMarshal.Cast<byte, CompiledRecord>(span.Slice(CountsLength, recordBytes));
        for (int i = 0; i < records.Length; i++) recs[i] = records[i] with { DataStart = records[i].DataStart + head };
        nameOffsets.CopyTo(MemoryMarshal.Cast<byte, int>(span.Slice(CountsLength + recordBytes, 4 * nameOffsets.Length)));
        nameLengths.CopyTo(MemoryMarshal.Cast<byte, int>(span.Slice(CountsLength + recordBytes + 4 * nameOffsets.Length, 4 * nameOffsets.Length)));
        rdata.CopyTo(span[head..]);
        return new CompiledRRset(type, data);
    }

    /// <summary>The same set with every TTL replaced (the negative-answer SOA, RFC 2308 §3).</summary>
    internal CompiledRRset WithTtl(uint ttl)
    {
        var copy = new CompiledRRset(Type, (byte[])Data.Clone());
        foreach (ref var r in MemoryMarshal.Cast<byte, CompiledRecord>(copy.Data.AsSpan(CountsLength, RecordCount * RecordSize)))
            r = r with { Ttl = ttl };
        return copy;
    }

    public RecordType Type { get; }
    /// <summary>The set's one array: counts, records, name positions, then all RDATA, uncompressed, record after
    /// record (<see cref="CompiledRecord.DataStart"/> points into it).</summary>
    public byte[] Data { get; }
    private int NameCount => MemoryMarshal.Read<int>(Data);
    /// <summary>From the first record's DataStart (the end of the head: counts, records, name positions).</summary>
    private int RecordCount => Data.Length <= CountsLength ? 0 : (MemoryMarshal.Read<int>(Data.AsSpan(CountsLength)) - CountsLength - 8 * NameCount) / RecordSize;
    public ReadOnlySpan<CompiledRecord> Records =>
        MemoryMarshal.Cast<byte, CompiledRecord>(Data.AsSpan(CountsLength, RecordCount * RecordSize));
    /// <summary>Offsets of compressible names, relative to their record's RDATA start.</summary>
    public ReadOnlySpan<int> NameOffsets =>
        MemoryMarshal.Cast<byte, int>(Data.AsSpan(CountsLength + RecordCount * RecordSize, 4 * NameCount));
    public ReadOnlySpan<int> NameLengths =>
        MemoryMarshal.Cast<byte, int>(Data.AsSpan(CountsLength + RecordCount * RecordSize + 4 * NameCount, 4 * NameCount));
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

    /// <summary>CNAME/DNAME: the target name's wire form (first record).
    /// Empty when there is none. The first record's RDATA itself (a CNAME's or DNAME's RDATA is exactly the target's
    /// uncompressed wire form), so no copy of it is kept: 8 bytes less per RRset for a field nearly every set lacks.</summary>
    public ReadOnlySpan<byte> TargetWire => HasTargetWire ? RData(0) : default;
    /// <summary>CNAME/DNAME whose first RDATA is one whole, valid name (always, for validated data).</summary>
    internal bool HasTargetWire { get; set; }
    /// <summary>NS, MX, SRV, SVCB, HTTPS or NAPTR ('A'/'S' flags) with at least one target inside the zone: answering
    /// looks for the target's data.</summary>
    public bool HasTargets { get; internal set; }

    public uint FirstTtl => Records[0].Ttl;
    public ReadOnlySpan<byte> RData(int i)
    {
        var r = Records[i];
        return Data.AsSpan(r.DataStart, r.DataLength);
    }
}
