using System.Security.Cryptography;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tsig;

/// <summary>
/// TSIG (RFC 8945): verifying a signed request and signing its response (server), signing a request (client).
/// The checks run in §5.2's order: format (FORMERR), key (BADKEY), MAC length (FORMERR, §5.2.2.1), MAC (BADSIG),
/// time (BADTIME). The signed path allocates (MAC input, results); an unsigned message costs one section walk.
/// </summary>
public static class Tsig
{
    public const ushort DefaultFudge = 300;
    /// <summary>Bytes of our time in the Other Data of a BADTIME response (§5.2.3).</summary>
    private const int OtherTimeLength = 6;

    public static TsigRequest VerifyRequest(ReadOnlySpan<byte> message, ITsigKeyring keys, DateTimeOffset now)
    {
        var loc = TsigWire.Locate(message);
        if (loc.Malformed) return TsigRequest.FormErr;
        if (!loc.Present) return TsigRequest.Unsigned;
        if (loc.Misplaced || !loc.IsLast) return TsigRequest.FormErr;
        Span<byte> owner = stackalloc byte[DnsName.MaxWireLength + 1];
        if (!TsigWire.TryRead(message, loc.Offset, owner, out int ownerLength, out var f)
            || !DnsName.TryFromWire(f.AlgorithmName, out var algName, out _))
            return TsigRequest.FormErr;
        var keyName = DnsName.FromWire(owner[..ownerLength]);
        algName = algName!.ToLowerCase();
        var key = keys.Find(owner[..ownerLength]);
        bool algOk = key is not null && TsigAlgorithms.WireName(key.Algorithm).Equals(algName);
        byte[] requestMac = f.Mac.ToArray();
        ulong timeSigned = f.TimeSigned;
        ushort fudge = f.Fudge, originalId = f.OriginalId;
        int offset = loc.Offset;
        TsigRequest Result(TsigStatus s, TsigKey? k) => new()
        {
            Status = s, Key = k, KeyName = keyName, AlgorithmName = algName, Mac = requestMac,
            TimeSigned = timeSigned, Fudge = fudge, OriginalId = originalId, TsigOffset = offset,
        };
        if (!algOk) return Result(TsigStatus.BadKey, null);
        if (!MacLengthAllowed(key!.Algorithm, f.Mac.Length)) return TsigRequest.FormErr;

        var input = TsigWire.MacInput([], false, message[..loc.Offset], f.OriginalId, true, owner[..ownerLength],
            f.AlgorithmName, f.TimeSigned, f.Fudge, f.Error, f.Other, timersOnly: false);
        if (!MacMatches(key, input, f.Mac)) return Result(TsigStatus.BadSig, key);
        if (!TimeWithinFudge(f.TimeSigned, f.Fudge, now)) return Result(TsigStatus.BadTime, key);
        return Result(TsigStatus.Ok, key);
    }

    /// <summary>
    /// Appends the response's TSIG record: signed with the request MAC when the request verified (and for BADTIME,
    /// with the request's time signed and ours in Other Data); unsigned, MAC empty, for BADKEY and BADSIG (§5.3.2).
    /// The caller sets RCODE (NOTAUTH for the errors). Returns the length unchanged when the request had no usable TSIG.
    /// </summary>
    public static int SignResponse(Span<byte> buffer, int length, TsigRequest request, DateTimeOffset now)
        => SignResponse(buffer, length, request, now, out _);

    internal static int SignResponse(Span<byte> buffer, int length, TsigRequest request, DateTimeOffset now, out byte[] mac)
    {
        mac = [];
        if (!request.ResponseCarriesTsig) return length;
        ulong time = TsigWire.UnixTime(now);
        var owner = request.KeyName!.Wire;
        var alg = request.AlgorithmName!.Wire;
        ushort error = (ushort)request.Error;
        if (request.Key is null || request.Status == TsigStatus.BadSig)
            return TsigWire.Append(buffer, length, owner, alg, time, request.Fudge, [], request.OriginalId, error, []);

        Span<byte> other = stackalloc byte[OtherTimeLength];
        if (request.Status == TsigStatus.BadTime) { TsigWire.WriteTime(other, time); time = request.TimeSigned; }
        else other = [];
        if (length < 12 || length > buffer.Length) return -1;
        var input = TsigWire.MacInput(request.Mac, true, buffer[..length], request.OriginalId, false, owner, alg, time,
            request.Fudge, error, other, timersOnly: false);
        mac = TsigAlgorithms.ComputeMac(request.Key.Algorithm, request.Key.Secret, input);
        return TsigWire.Append(buffer, length, owner, alg, time, request.Fudge, mac, request.OriginalId, error, other);
    }

    /// <summary>Client side: signs the request in <c>buffer[..length]</c>; <paramref name="mac"/> is what the
    /// response verifier needs.</summary>
    public static int SignRequest(Span<byte> buffer, int length, TsigKey key, DateTimeOffset now, out byte[] mac, ushort fudge = DefaultFudge)
    {
        mac = [];
        if (length < 12 || length > buffer.Length) return -1;
        ulong time = TsigWire.UnixTime(now);
        ushort id = (ushort)(buffer[0] << 8 | buffer[1]);
        var owner = key.Name.ToLowerCase().Wire;
        var alg = TsigAlgorithms.WireName(key.Algorithm).Wire;
        var input = TsigWire.MacInput([], false, buffer[..length], id, false, owner, alg, time, fudge, 0, [], timersOnly: false);
        var full = TsigAlgorithms.ComputeMac(key.Algorithm, key.Secret, input);
        int n = TsigWire.Append(buffer, length, owner, alg, time, fudge, full, id, 0, []);
        if (n >= 0) mac = full;
        return n;
    }

    /// <summary>The largest TSIG record a response signed with this key can need (BADTIME's Other Data included).</summary>
    public static int MaxRecordLength(TsigKey key) => TsigWire.RecordLength(key.Name.WireLength,
        TsigAlgorithms.WireName(key.Algorithm).WireLength, TsigAlgorithms.MacLength(key.Algorithm), OtherTimeLength);

    /// <summary>§5.2.2.1: the full length, or truncated to at least half of it and at least 10 bytes.</summary>
    internal static bool MacLengthAllowed(TsigAlgorithm alg, int length)
    {
        int full = TsigAlgorithms.MacLength(alg);
        return length <= full && length >= Math.Max(10, full / 2);
    }

    internal static bool MacMatches(TsigKey key, ReadOnlySpan<byte> input, ReadOnlySpan<byte> mac)
    {
        var expected = TsigAlgorithms.ComputeMac(key.Algorithm, key.Secret, input);
        return mac.Length <= expected.Length && CryptographicOperations.FixedTimeEquals(expected.AsSpan(0, mac.Length), mac);
    }

    internal static bool TimeWithinFudge(ulong timeSigned, ushort fudge, DateTimeOffset now)
    {
        ulong t = TsigWire.UnixTime(now);
        ulong diff = t > timeSigned ? t - timeSigned : timeSigned - t;
        return diff <= fudge;
    }
}
