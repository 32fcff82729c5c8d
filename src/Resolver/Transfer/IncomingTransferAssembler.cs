using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Transfer;

/// <summary>
/// Builds the zone from the answer sections of an AXFR or IXFR response stream, one message at a time (pure: no
/// sockets, no clock), so memory follows the zone's size and not the stream's. Choices the RFCs leave open:
/// <list type="bullet">
/// <item>AXFR (RFC 5936 §2.2): the stream ends at the second apex SOA, which must be the last record of its message and
/// carry the first one's serial; records after it, an SOA elsewhere, a record outside the zone or of another class are
/// Malformed. Duplicates are dropped (the first TTL kept), as Knot does.</item>
/// <item>IXFR (RFC 1995 §4): a first message of exactly one SOA whose serial is not newer than ours is "up to date";
/// one with a newer serial and nothing after it is Malformed (the caller then falls back to AXFR). A second record that is
/// an SOA of another serial starts the incremental form; anything else is the AXFR form.</item>
/// <item>Incremental: each difference must start at the serial reached so far and end at a newer one; a deleted record
/// must be in our copy (owner case-insensitive, type and RDATA; the TTL is not compared) or the whole response is
/// Malformed; an added record replaces an equal one (its TTL wins). The result's SOA is the stream's last one.</item>
/// </list>
/// </summary>
internal sealed class IncomingTransferAssembler
{
    public enum Step { More, Done, Failed }

    private enum State { Start, AfterFirstSoa, Axfr, Deleting, Adding, Finished }

    private readonly DnsName _zone;
    private readonly ZoneCopy? _current;
    private readonly int _maxRecords;
    private readonly Dictionary<ResourceRecord, ResourceRecord> _records = new(RecordIdentity.Instance);
    private State _state = State.Start;
    private ResourceRecord? _firstSoa, _lastSoa;
    private uint _firstSerial, _reached, _sequenceFrom;
    private long _received;

    /// <param name="current">Our copy for an IXFR, null for an AXFR.</param>
    public IncomingTransferAssembler(DnsName zone, ZoneCopy? current, int maxRecords)
    {
        _zone = zone; _current = current; _maxRecords = maxRecords;
    }

    public IncomingTransferKind Kind { get; private set; } = IncomingTransferKind.Full;
    public uint Serial => _lastSoa is null ? 0 : SerialNumber.Of(_lastSoa);
    public TransferFailure Failure { get; private set; }
    public string Problem { get; private set; } = "";
    public long RecordsReceived => _received;

    /// <summary>Feeds the answer section of the next message. After Done or Failed, stop reading.</summary>
    public Step Add(IReadOnlyList<DnsRecord> answers)
    {
        if (_state == State.Finished) return Fail(TransferFailure.Malformed, "a message after the end of the transfer");
        if (answers.Count == 0) return Fail(TransferFailure.Malformed, "a message with an empty answer section");
        for (int i = 0; i < answers.Count; i++)
        {
            if (++_received > _maxRecords) return Fail(TransferFailure.TooLarge, $"more than {_maxRecords} records");
            var step = Next(answers[i], i, answers.Count);
            if (step == Step.Failed) return step;
            if (_state == State.Finished)
            {
                if (i != answers.Count - 1) return Fail(TransferFailure.Malformed, $"{answers.Count - 1 - i} record(s) after the closing SOA");
                return Step.Done;
            }
        }
        return Step.More;
    }

    /// <summary>The stream ended (EOF) before <see cref="Step.Done"/>: always a failure.</summary>
    public Step EndOfStream()
    {
        if (_state == State.AfterFirstSoa && _current is not null)
            return Fail(TransferFailure.Malformed, $"the IXFR answer is a single SOA of serial {_firstSerial}, newer than our {_current.Serial}, and nothing else");
        return Fail(TransferFailure.Malformed, _state == State.Start ? "the connection closed before the first record"
            : $"the stream ended after {_received} record(s), before the closing SOA");
    }

    /// <summary>The whole zone, SOA first, once <see cref="Step.Done"/> came (null when up to date).</summary>
    public IReadOnlyList<ResourceRecord>? Result()
    {
        if (_state != State.Finished || Kind == IncomingTransferKind.UpToDate) return null;
        var list = new List<ResourceRecord>(_records.Count + 1) { _lastSoa! };
        list.AddRange(_records.Values);
        return list;
    }

    private Step Next(DnsRecord rr, int index, int count)
    {
        if (rr.Class != RecordClass.IN) return Fail(TransferFailure.Malformed, $"record {rr} is not of class IN");
        if (!rr.Owner.IsSubdomainOf(_zone)) return Fail(TransferFailure.Malformed, $"record {rr} is outside the zone");
        if (RecordTypes.IsMetaOrQuestionOnly(rr.Type)) return Fail(TransferFailure.Malformed, $"record {rr} has a meta type");
        bool isSoa = rr.Type == RecordType.SOA;
        if (isSoa && !rr.Owner.Equals(_zone)) return Fail(TransferFailure.Malformed, $"an SOA at {rr.Owner}, not at the apex");
        if (isSoa && rr.RData.Length < 22) return Fail(TransferFailure.Malformed, $"an SOA of {rr.RData.Length} byte(s)");
        var record = rr.ToResourceRecord();
        switch (_state)
        {
            case State.Start:
                if (!isSoa) return Fail(TransferFailure.Malformed, $"the first record is {rr}, not the zone's SOA");
                _firstSoa = _lastSoa = record;
                _firstSerial = SerialNumber.Of(record);
                _state = State.AfterFirstSoa;
                if (_current is not null && count == 1 && !SerialNumber.IsNewer(_firstSerial, _current.Serial))
                {
                    Kind = IncomingTransferKind.UpToDate;
                    _state = State.Finished;
                }
                return Step.More;

            case State.AfterFirstSoa:
                if (isSoa && _current is not null && SerialNumber.Of(record) != _firstSerial)
                {
                    Kind = IncomingTransferKind.Incremental;
                    foreach (var r in _current.Records)
                        if (!(r.Type == RecordType.SOA && r.Owner.Equals(_zone))) _records.TryAdd(r, r);
                    _reached = _current.Serial;
                    return StartDeletions(record);
                }
                _state = State.Axfr;
                return Axfr(record, isSoa);

            case State.Axfr:
                return Axfr(record, isSoa);

            case State.Deleting:
                if (isSoa)
                {
                    uint to = SerialNumber.Of(record);
                    if (!SerialNumber.IsNewer(to, _sequenceFrom))
                        return Fail(TransferFailure.Malformed, $"a difference from serial {_sequenceFrom} to {to}, which is not newer");
                    _reached = to;
                    _lastSoa = record;
                    _state = State.Adding;
                    return Step.More;
                }
                if (!_records.Remove(record))
                    return Fail(TransferFailure.Malformed, $"the difference from serial {_sequenceFrom} deletes {rr}, which our copy does not hold");
                return Step.More;

            case State.Adding:
                if (isSoa)
                {
                    uint serial = SerialNumber.Of(record);
                    if (serial == _firstSerial && _reached == _firstSerial) { _lastSoa = record; _state = State.Finished; return Step.More; }
                    return StartDeletions(record);
                }
                _records[record] = record;
                return Step.More;

            default:
                return Fail(TransferFailure.Malformed, "a record after the end of the transfer");
        }
    }

    private Step StartDeletions(ResourceRecord soa)
    {
        uint from = SerialNumber.Of(soa);
        if (from != _reached)
            return Fail(TransferFailure.Malformed, $"a difference starts at serial {from}, but the differences so far reached {_reached}");
        _sequenceFrom = from;
        _state = State.Deleting;
        return Step.More;
    }

    private Step Axfr(ResourceRecord record, bool isSoa)
    {
        if (!isSoa) { _records.TryAdd(record, record); return Step.More; }
        uint serial = SerialNumber.Of(record);
        if (serial != _firstSerial)
            return Fail(TransferFailure.Malformed, $"the closing SOA has serial {serial}, the opening one {_firstSerial}");
        _lastSoa = record;
        Kind = IncomingTransferKind.Full;
        _state = State.Finished;
        return Step.More;
    }

    private Step Fail(TransferFailure failure, string problem)
    {
        Failure = failure; Problem = problem;
        _state = State.Finished;
        return Step.Failed;
    }

    /// <summary>Owner (case-insensitive), type and RDATA: the identity of a record inside a zone (RFC 2181 §5).</summary>
    private sealed class RecordIdentity : IEqualityComparer<ResourceRecord>
    {
        public static readonly RecordIdentity Instance = new();
        public bool Equals(ResourceRecord? x, ResourceRecord? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.SameData(y));
        public int GetHashCode(ResourceRecord r)
        {
            var h = new HashCode();
            h.Add(r.Owner.GetHashCode());
            h.Add((ushort)r.Type);
            h.AddBytes(r.RData);
            return h.ToHashCode();
        }
    }
}
