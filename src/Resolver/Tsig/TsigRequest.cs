using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tsig;

/// <summary>
/// What verifying a request found, and what signing its response needs. For <see cref="TsigStatus.BadKey"/>
/// the key is null but the key and algorithm names are kept: the unsigned error response echoes them.
/// </summary>
public sealed class TsigRequest
{
    internal static readonly TsigRequest Unsigned = new() { Status = TsigStatus.Unsigned };
    internal static readonly TsigRequest FormErr = new() { Status = TsigStatus.FormErr };

    public TsigStatus Status { get; internal init; }
    /// <summary>The key that verified (also set for BadSig/BadTime), null for BadKey and FormErr.</summary>
    public TsigKey? Key { get; internal init; }
    /// <summary>The key name as sent, lowercased.</summary>
    public DnsName? KeyName { get; internal init; }
    /// <summary>The algorithm name as sent, lowercased.</summary>
    public DnsName? AlgorithmName { get; internal init; }
    /// <summary>The request's MAC as sent (possibly truncated); empty when none.</summary>
    public byte[] Mac { get; internal init; } = [];
    public ulong TimeSigned { get; internal init; }
    public ushort Fudge { get; internal init; }
    public ushort OriginalId { get; internal init; }
    /// <summary>Where the TSIG RR starts in the query (0 when there is none).</summary>
    public int TsigOffset { get; internal init; }

    /// <summary>The TSIG error the response carries.</summary>
    public TsigError Error => Status switch
    {
        TsigStatus.BadKey => TsigError.BadKey,
        TsigStatus.BadSig => TsigError.BadSig,
        TsigStatus.BadTime => TsigError.BadTime,
        TsigStatus.BadTrunc => TsigError.BadTrunc,
        _ => TsigError.NoError,
    };

    /// <summary>True when the response gets a TSIG record (signed, or unsigned with an error).</summary>
    public bool ResponseCarriesTsig => Status is TsigStatus.Ok or TsigStatus.BadKey or TsigStatus.BadSig
        or TsigStatus.BadTime or TsigStatus.BadTrunc;

    /// <summary>Bytes to keep free in the response for its TSIG record (0 when it gets none).</summary>
    public int ResponseRecordLength => !ResponseCarriesTsig ? 0 : Key is not null ? Tsig.MaxRecordLength(Key)
        : TsigWire.RecordLength(KeyName!.WireLength, AlgorithmName!.WireLength, 0, 6);

    public override string ToString() => $"TsigRequest {{ Status = {Status}, KeyName = {KeyName}, TimeSigned = {TimeSigned} }}";
}
