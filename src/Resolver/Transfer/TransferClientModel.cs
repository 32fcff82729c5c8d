using System.Net;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Tsig;

namespace AkkaDns.Resolver.Transfer;

/// <summary>A master to transfer from: its address and, optionally, the TSIG key every query is signed with.</summary>
public sealed record TransferSource(IPEndPoint Address, TsigKey? Key);

/// <summary>What a successful <see cref="TransferClient.FetchAsync"/> brought.</summary>
public enum IncomingTransferKind
{
    /// <summary>The master has nothing newer than the copy we hold (IXFR answered with its single SOA).</summary>
    UpToDate,
    /// <summary>IXFR differences, applied to the copy we hold.</summary>
    Incremental,
    /// <summary>The whole zone (AXFR, or IXFR answered in AXFR form).</summary>
    Full,
}

/// <summary>Why a query or transfer failed; <see cref="None"/> on success.</summary>
public enum TransferFailure
{
    None,
    /// <summary>No answer within the SOA timeout, or no next message within the idle timeout.</summary>
    Timeout,
    /// <summary>Connection refused or reset, or closed before the first message.</summary>
    Network,
    Refused,
    /// <summary>RCODE NOTAUTH (the message names the TSIG error, BADKEY/BADSIG/BADTIME, when the master sent one).</summary>
    NotAuth,
    NotImplemented,
    ServFail,
    OtherRcode,
    /// <summary>A response to a signed query that is unsigned, signed with another key, carries a wrong MAC or time,
    /// or ends with unsigned messages (RFC 8945 §5.3.1).</summary>
    TsigFailed,
    /// <summary>Not a well-formed answer: unparsable message, wrong id or question, a stream that ends early or whose
    /// SOAs do not match, an IXFR difference that does not apply to our copy, a record outside the zone.</summary>
    Malformed,
    /// <summary>The transfer held nothing but the SOA.</summary>
    Empty,
    /// <summary>More than <see cref="TransferClientOptions.MaxRecords"/> records or <see cref="TransferClientOptions.MaxBytes"/> bytes.</summary>
    TooLarge,
}

/// <summary>The master's SOA serial for the zone; <see cref="Serial"/> is null when <see cref="Failure"/> is not None.</summary>
public sealed record SoaProbe(uint? Serial, TransferFailure Failure, string Message);

/// <summary>The copy of the zone we hold now: its serial and every record (the SOA among them).</summary>
public sealed record ZoneCopy(uint Serial, IReadOnlyList<ResourceRecord> Records);

/// <summary>
/// The outcome of one <see cref="TransferClient.FetchAsync"/>. <see cref="Records"/> is the WHOLE zone after the
/// transfer, its SOA first, duplicates removed, no TSIG or OPT; null on failure or when up to date.
/// <see cref="Messages"/> and <see cref="Bytes"/> count every DNS message received (the IXFR attempt and the AXFR
/// fallback together); <see cref="FellBackToAxfr"/> says the IXFR failed and an AXFR was made instead.
/// </summary>
public sealed record IncomingTransfer(IncomingTransferKind Kind, uint Serial, IReadOnlyList<ResourceRecord>? Records,
    TransferFailure Failure, string Message, int Messages, long Bytes, bool FellBackToAxfr);

/// <summary>Limits of <see cref="TransferClient"/>. Timeouts run on the client's <see cref="TimeProvider"/>.</summary>
public sealed record TransferClientOptions
{
    /// <summary>Wait for one SOA answer (per UDP try; the whole TCP exchange after TC).</summary>
    public TimeSpan SoaTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Maximum wait for the TCP connection and for each next message of a transfer.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Most records a transfer may carry (counted as they arrive, SOAs included).</summary>
    public int MaxRecords { get; init; } = 5_000_000;
    /// <summary>Most bytes of DNS messages a transfer may carry.</summary>
    public long MaxBytes { get; init; } = 1L << 31;
    /// <summary>Bind the client socket to this address (a master's ACL names it); null: the system's choice.</summary>
    public IPAddress? LocalAddress { get; init; }
}
