using System.Buffers.Binary;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tsig;

/// <summary>
/// Signs every message of a multi-message response (AXFR/IXFR, RFC 8945 §5.3.1): the first like a single
/// response (request MAC + message + all variables), each later one over the previous MAC, the message and
/// the timers only. Not thread-safe: one per response stream.
/// </summary>
public sealed class TsigStreamSigner(TsigRequest request)
{
    private byte[]? _priorMac;

    public int MaxRecordLength => request.ResponseRecordLength;

    /// <summary>Appends a TSIG record to <c>buffer[..length]</c>; the new length, or -1 when it does not fit.</summary>
    public int SignNext(Span<byte> buffer, int length, DateTimeOffset now)
    {
        if (_priorMac is null || request.Key is null || request.Status != TsigStatus.Ok)
        {
            int n = Tsig.SignResponse(buffer, length, request, now, out var mac);
            if (n >= 0 && request.Status == TsigStatus.Ok) _priorMac = mac;
            return n;
        }
        if (length < 12 || length > buffer.Length) return -1;
        ulong time = TsigWire.UnixTime(now);
        var key = request.Key;
        var input = TsigWire.MacInput(_priorMac, true, buffer[..length], request.OriginalId, false, [], [], time,
            request.Fudge, 0, [], timersOnly: true);
        var next = TsigAlgorithms.ComputeMac(key.Algorithm, key.Secret, input);
        int written = TsigWire.Append(buffer, length, request.KeyName!.Wire, request.AlgorithmName!.Wire, time,
            request.Fudge, next, request.OriginalId, 0, []);
        if (written >= 0) _priorMac = next;
        return written;
    }
}

/// <summary>
/// Client side (RFC 8945 §5.4): verifies the response, or each message of a response stream, to a request we
/// signed. Unsigned messages inside a stream are kept and covered by the next signed one (§5.3.1 allows up to
/// 99 of them in a row; the 100th is FormErr, so at most 99 messages are held); call <see cref="Verify"/> once per
/// message, in order. A stream may only end where <see cref="UnsignedInARow"/> is 0 (its last message signed).
/// </summary>
public sealed class TsigResponseVerifier(TsigKey key, byte[] requestMac)
{
    /// <summary>RFC 8945 §5.3.1: "no more than 99" unsigned messages between two signed ones.</summary>
    public const int MaxUnsignedInARow = 99;

    private byte[] _priorMac = requestMac;
    private bool _first = true;
    private readonly List<byte> _unsigned = [];

    /// <summary>Messages since the last signed one (0 after a message that verified).</summary>
    public int UnsignedInARow { get; private set; }

    /// <summary><see cref="TsigStatus.Unsigned"/> for a message without TSIG (a failure for the first message);
    /// BadKey/BadSig also when the server reported that error in an unsigned TSIG.</summary>
    public TsigStatus Verify(ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        var loc = TsigWire.Locate(message);
        if (loc.Malformed) return TsigStatus.FormErr;
        if (!loc.Present)
        {
            if (_first) return TsigStatus.Unsigned;
            if (++UnsignedInARow > MaxUnsignedInARow) return TsigStatus.FormErr;
            _unsigned.AddRange(message);
            return TsigStatus.Unsigned;
        }
        if (loc.Misplaced || !loc.IsLast) return TsigStatus.FormErr;
        Span<byte> owner = stackalloc byte[DnsName.MaxWireLength + 1];
        if (!TsigWire.TryRead(message, loc.Offset, owner, out int ownerLength, out var f)) return TsigStatus.FormErr;
        if (!DnsName.EqualsIgnoreCase(owner[..ownerLength], key.Name.Wire)
            || !DnsName.EqualsIgnoreCase(f.AlgorithmName, TsigAlgorithms.WireName(key.Algorithm).Wire))
            return TsigStatus.BadKey;
        if (f.Error == (ushort)TsigError.BadKey) return TsigStatus.BadKey;
        if (f.Error == (ushort)TsigError.BadSig) return TsigStatus.BadSig;
        if (!Tsig.MacLengthAllowed(key.Algorithm, f.Mac.Length)) return TsigStatus.FormErr;

        byte[] input;
        if (_first)
            input = TsigWire.MacInput(_priorMac, true, message[..loc.Offset], f.OriginalId, true, owner[..ownerLength],
                f.AlgorithmName, f.TimeSigned, f.Fudge, f.Error, f.Other, timersOnly: false);
        else
        {
            // Unsigned messages since the last TSIG, then this one with its id restored and the TSIG uncounted.
            var covered = new byte[_unsigned.Count + loc.Offset];
            _unsigned.CopyTo(covered);
            var own = covered.AsSpan(_unsigned.Count);
            message[..loc.Offset].CopyTo(own);
            BinaryPrimitives.WriteUInt16BigEndian(own, f.OriginalId);
            BinaryPrimitives.WriteUInt16BigEndian(own[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(own[10..]) - 1));
            input = TsigWire.MacInput(_priorMac, true, covered, BinaryPrimitives.ReadUInt16BigEndian(covered), false, [], [],
                f.TimeSigned, f.Fudge, 0, [], timersOnly: true);
        }
        if (!Tsig.MacMatches(key, input, f.Mac)) return TsigStatus.BadSig;
        _first = false;
        _unsigned.Clear();
        UnsignedInARow = 0;
        _priorMac = f.Mac.ToArray();
        if (f.Error == (ushort)TsigError.BadTime) return TsigStatus.BadTime;
        return Tsig.TimeWithinFudge(f.TimeSigned, f.Fudge, now) ? TsigStatus.Ok : TsigStatus.BadTime;
    }
}
