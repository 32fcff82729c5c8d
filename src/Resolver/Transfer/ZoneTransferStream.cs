using System.Buffers.Binary;
using AkkaDns.Resolver.Answering;
using AkkaDns.Resolver.FrontEnd;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Transfer;

public sealed record TransferStreamOptions
{
    /// <summary>Target size of one message. Knot fills about 16 KiB per message (its default), BIND up to 64 KiB; a
    /// record larger than the target gets a message of its own, up to 65535 bytes.</summary>
    public int MessageSize { get; init; } = 16384;
    /// <summary>Compression targets per message (one per label written; later names are written uncompressed).</summary>
    public int CompressionTableSize { get; init; } = 512;
}

/// <summary>
/// The response messages of one zone transfer, written one at a time into the caller's buffer: the caller sends a
/// message before it asks for the next, so a slow reader slows the walk and memory stays one message.
/// </summary>
/// <remarks>
/// Choices where the RFCs leave room (RFC 5936 §2.2, RFC 1995 §4), as Knot DNS unless said otherwise:
/// <list type="bullet">
/// <item>The question is echoed in the first message only (§2.2.1 allows either; knotd does this).</item>
/// <item>Header: the query's id, opcode and RD; QR=1, AA=1, RCODE 0; TC, RA, AD, CD clear.</item>
/// <item>Records fill a message up to <see cref="TransferStreamOptions.MessageSize"/>; an RRset may be split across
/// messages, a record never (§2.2). Each message is compressed on its own.</item>
/// <item>AXFR order: SOA, the apex's other RRsets, the other nodes in the snapshot's index order, SOA. Glue and
/// data below cuts go out too: they are part of the zone (§2.2 and §3.4 of RFC 5936 for occluded data).</item>
/// <item>IXFR of an unknown serial: the AXFR sequence with the IXFR question (RFC 1995 §4).</item>
/// <item>With a signer, <see cref="IMessageSigner.MaxOverhead"/> bytes are kept free and every message is signed
/// (RFC 8945 §5.3.1 allows every 100th; signing all is simpler and what knotd does).</item>
/// </list>
/// </remarks>
public sealed class ZoneTransferStream : IResponseStream
{
    private const int MaxMessage = 65535;
    private readonly TransferRequest _request;
    private readonly IEnumerator<TransferItem> _items;
    private readonly TransferStreamOptions _options;
    private readonly IMessageSigner? _signer;
    private bool _pending, _first = true;
    private byte[]? _lastOwner;
    private int _lastOwnerAt;

    private ZoneTransferStream(TransferRequest request, IEnumerable<TransferItem> items, TransferStreamOptions? options, IMessageSigner? signer)
    {
        _request = request; _items = items.GetEnumerator(); _options = options ?? new TransferStreamOptions(); _signer = signer;
        if (_options.MessageSize < 512) throw new ArgumentOutOfRangeException(nameof(options), _options.MessageSize, "MessageSize below 512");
    }

    /// <summary>AXFR (RFC 5936) from one compiled snapshot; newer versions may be published meanwhile.</summary>
    public static ZoneTransferStream Axfr(TransferRequest request, CompiledZone zone, TransferStreamOptions? options = null, IMessageSigner? signer = null)
        => new(request, TransferItems.Axfr(zone), options, signer);

    /// <summary>IXFR over TCP (RFC 1995 §4) as planned: the single SOA, the condensed difference, or the whole zone.</summary>
    public static ZoneTransferStream Ixfr(TransferRequest request, CompiledZone zone, IxfrPlan plan, TransferStreamOptions? options = null, IMessageSigner? signer = null)
        => new(request, plan.Kind switch
        {
            IxfrPlanKind.Current => TransferItems.SoaOnly(zone),
            IxfrPlanKind.Incremental => TransferItems.Incremental(plan.Diff ?? throw new ArgumentException("incremental plan without a diff", nameof(plan))),
            _ => TransferItems.Axfr(zone),
        }, options, signer);

    /// <summary>
    /// IXFR over UDP (RFC 1995 §2): one message in <paramref name="buffer"/> (sized by the caller: 512 or the EDNS
    /// size). The incremental answer when it fits whole, else the single current SOA (also for a full transfer).
    /// </summary>
    public static int WriteUdpIxfr(TransferRequest request, CompiledZone zone, IxfrPlan plan, Span<byte> buffer, IMessageSigner? signer = null)
    {
        var single = new TransferStreamOptions { MessageSize = Math.Clamp(buffer.Length, 512, MaxMessage) };
        if (plan.Kind == IxfrPlanKind.Incremental)
        {
            // A dry run keeps the signer's room but does not sign: a signer (TSIG) signs only the message that is sent.
            using var trial = Ixfr(request, zone, plan, single, signer is null ? null : new RoomOnly(signer.MaxOverhead));
            if (trial.TryNextWithin(buffer) > 0 && trial.IsDone)
            {
                using var whole = Ixfr(request, zone, plan, single, signer);
                return whole.Next(buffer);
            }
        }
        using var soa = Ixfr(request, zone, IxfrPlan.Current, single, signer);
        return soa.Next(buffer);
    }

    /// <summary>True once the last message has been written.</summary>
    public bool IsDone { get; private set; }
    public int MessagesWritten { get; private set; }
    public long RecordsWritten { get; private set; }

    public int Next(Span<byte> buffer) => Write(buffer, allowOversize: true);

    /// <summary>As <see cref="Next"/>, but never past the target size: 0 when the next record alone does not fit.</summary>
    private int TryNextWithin(Span<byte> buffer) => Write(buffer, allowOversize: false);

    private int Write(Span<byte> buffer, bool allowOversize)
    {
        if (IsDone) return 0;
        int reserve = _signer?.MaxOverhead ?? 0;
        int hard = Math.Min(buffer.Length, MaxMessage) - reserve;
        int target = Math.Min(_options.MessageSize - reserve, hard);
        int questionLength = _first ? _request.Question.Length : 0;
        if (target < ParsedQuery.HeaderLength + questionLength)
            throw new ArgumentException($"a buffer of {buffer.Length} bytes cannot hold a transfer message", nameof(buffer));

        // Hashed compression: hundreds of names per message, each found in one probe per label (ResponseWriter.Hashed).
        int targets = Math.Clamp(_options.CompressionTableSize, 16, 4096);
        Span<ushort> table = stackalloc ushort[targets];
        Span<uint> slots = stackalloc uint[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)targets * 2)];
        var w = new ResponseWriter(buffer[..hard], table, slots);
        w.SetLimit(target);
        w.TryWriteBytes(stackalloc byte[ParsedQuery.HeaderLength]); // header, written below once the counts are known
        if (_first)
        {
            w.TryWriteBytes(_request.Question);
            w.RegisterName(ParsedQuery.QNameOffset);
        }

        int count = 0;
        _lastOwner = null; // pointers never reach into another message
        while (true)
        {
            if (!_pending)
            {
                if (!_items.MoveNext()) { IsDone = true; break; }
                _pending = true;
            }
            if (TryWrite(ref w, _items.Current, ref _lastOwner, ref _lastOwnerAt))
            {
                count++;
                _pending = false;
                w.SetLimit(target); // after an oversized record: nothing more goes into its message
                continue;
            }
            if (count > 0) break;
            // The next record alone is larger than the target: it gets a message of its own, up to 65535 bytes.
            if (!allowOversize) return 0;
            if (w.Limit < hard) { w.SetLimit(hard); continue; }
            throw new InvalidOperationException($"a record of the zone {_request.Zone} does not fit in one message");
        }

        var header = buffer[..ParsedQuery.HeaderLength];
        ushort flags = (ushort)(0x8000 | (_request.Flags & 0x7800) | 0x0400 | (_request.Flags & 0x0100));
        BinaryPrimitives.WriteUInt16BigEndian(header, _request.Id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)(_first ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)count);
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], 0); // NSCOUNT, ARCOUNT
        int length = w.Position;
        if (_signer is not null)
        {
            length = _signer.Sign(buffer, length);
            if (length < 0) throw new InvalidOperationException("the signer could not sign a transfer message");
        }
        _first = false;
        MessagesWritten++;
        RecordsWritten += count;
        return length;
    }

    /// <summary>One record. The records of a node come one after the other with the same owner array: from the second
    /// on, the owner is a pointer to the first's, without looking it up.</summary>
    private static bool TryWrite(ref ResponseWriter w, in TransferItem item, ref byte[]? lastOwner, ref int lastOwnerAt)
    {
        if (item.Record is { } rr) { lastOwner = null; return RRsetWriter.TryWriteRecord(ref w, rr); }
        var owner = item.Owner!;
        if (ReferenceEquals(owner, lastOwner) && lastOwnerAt >= 0) return RRsetWriter.TryWriteRecord(ref w, lastOwnerAt, item.Set!, item.Index);
        int at = w.Position;
        if (!RRsetWriter.TryWriteRecord(ref w, owner, item.Set!, item.Index)) return false;
        lastOwner = owner;
        lastOwnerAt = w.PointerTargetOf(at);
        return true;
    }

    public void Dispose() => _items.Dispose();

    private sealed class RoomOnly(int overhead) : IMessageSigner
    {
        public int MaxOverhead => overhead;
        public int Sign(Span<byte> buffer, int length) => length;
    }
}
