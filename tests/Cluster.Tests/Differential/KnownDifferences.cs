namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>A deliberate difference between AkkaDns and Knot DNS, and the RFC text that allows it.</summary>
public sealed record KnownDifference(string Id, string What, string Rfc);

/// <summary>
/// The allow-list: the ONLY ways AkkaDns may answer differently from knotd in the differential test.
/// Each is applied narrowly by <see cref="ResponseComparer"/> (it still checks that AkkaDns's side is
/// what the RFC asks for), and docs/testing.md's "Differences from Knot" section repeats this list.
/// </summary>
public static class KnownDifferences
{
    public static readonly KnownDifference CdCopied = new(
        "cd-copied",
        "AkkaDns copies the CD bit from the query into the response; knotd 3.2 leaves it clear.",
        "RFC 4035 §3.1.6: \"The CD bit is controlled by the security-aware resolver. A security-aware name server "
        + "MUST copy the CD bit from the query into the corresponding response.\" (RFC 1035 §4.1.1 leaves bits it "
        + "does not define for the server to clear, which is what Knot does.)");

    public static readonly KnownDifference AnySubset = new(
        "any-subset",
        "QTYPE=ANY: knotd answers with one RRset of the name; AkkaDns may pick another single RRset (or the "
        + "synthesized HINFO). The comparer checks that AkkaDns's answer is one whole RRset of the name, exactly "
        + "as knotd answers a query for that type.",
        "RFC 8482 §4.1: \"A DNS responder that receives an ANY query MAY decline to provide a conventional ANY "
        + "response or MAY instead send a response with a single RRset (or a larger subset of available RRsets) "
        + "in the answer section.\"");

    public static readonly KnownDifference MalformedDropOrFormErr = new(
        "malformed-drop-or-formerr",
        "For a packet whose question cannot be parsed, one server drops it and the other answers FORMERR.",
        "RFC 1035 §4.1.1: RCODE 1 \"Format error - The name server was unable to interpret the query.\" "
        + "RFC 8906 §3 asks servers to answer rather than drop, but Knot (like several servers) drops packets it "
        + "cannot parse a header/question from; the DNS-core issue allows \"FORMERR or dropped\".");

    public static readonly KnownDifference UpdateNotImplemented = new(
        "update-notimp",
        "OPCODE 5 (UPDATE): knotd implements dynamic update and rejects this one (FORMERR or REFUSED); AkkaDns "
        + "does not implement UPDATE (zones change through its API) and answers NOTIMP, as for every opcode but QUERY.",
        "RFC 1035 §4.1.1: RCODE 4 \"Not Implemented - The name server does not support the requested kind of query.\" "
        + "RFC 2136 §1 makes UPDATE an optional extension of DNS.");

    public static readonly KnownDifference OptInFormErr = new(
        "opt-in-formerr",
        "FORMERR to a query that carried OPT records (e.g. two of them): AkkaDns's FORMERR carries one OPT "
        + "(version 0, its payload size); knotd's carries none.",
        "RFC 6891 §7: \"The presence of an OPT pseudo-RR in a request should be taken as an indication that the "
        + "requestor fully implements the given version of EDNS\"; only a request without OPT forbids one in the "
        + "response (\"Lack of presence of an OPT record in a request MUST be taken as an indication that the requestor "
        + "does not implement any part of this specification and that the responder MUST NOT include an OPT record\").");

    public static readonly KnownDifference TrailingBytesIgnored = new(
        "trailing-bytes-ignored",
        "A query with bytes after its last section (beyond what its counts announce): knotd answers FORMERR; "
        + "AkkaDns, like NSD, ignores the extra bytes. The comparer checks that AkkaDns's answer is exactly knotd's "
        + "answer to the same query without the extra bytes.",
        "RFC 1035 §4.1: a message is a header and four sections whose sizes the header's counts give; it does not "
        + "say that data after them makes a query uninterpretable (RCODE 1, §4.1.1), so answering it is allowed. "
        + "CONVENTIONS rule 13 has AkkaDns screen packets in NSD's order, and NSD 4 answers such queries normally.");

    public static readonly KnownDifference Type0NoData = new(
        "type0-nodata",
        "QTYPE 0: knotd answers NOTIMP; AkkaDns (like NSD) answers NODATA, which the comparer checks against knotd's "
        + "NODATA answer for an unassigned type at the same name.",
        "RFC 6895 §3.1: \"0x0000 - RRTYPE zero is used as a special indicator for the SIG(0) RR [RFC2931] and in "
        + "other circumstances and must never be allocated for ordinary use.\" No RFC says how to answer a query for "
        + "it; there are no such records, and NODATA says exactly that.");

    public static readonly KnownDifference NaptrAdditional = new(
        "naptr-additional",
        "NAPTR answers: knotd adds nothing to the additional section; AkkaDns adds, as PowerDNS and BIND do, the "
        + "replacement's A and AAAA for flag A, and the replacement's SRV RRset with its targets' A and AAAA for flag S. "
        + "The comparer checks that knotd's additional section is empty and that every extra RRset is A, AAAA or SRV and "
        + "exactly what knotd answers for that name and type.",
        "RFC 3403 §4.1: flag \"S\" means \"the next lookup should be for SRV records\" and \"A\" \"for either an A, "
        + "AAAA, or A6 record\"; RFC 1034 §4.3.2 step 6 lets a server add \"other RRs which may be useful\" to the "
        + "additional section, and RFC 2181 §9 makes that section optional.");

    public static readonly KnownDifference CdsTtl = new(
        "cds-ttl",
        "Signed zones: knotd publishes CDS and CDNSKEY with TTL 0; AkkaDns with the DNSKEY RRset's TTL (the SOA TTL, Knot's "
        + "dnskey-ttl default). The comparer accepts it only when setting knotd's CDS/CDNSKEY TTLs (and their RRSIGs' TTL and "
        + "original TTL) to AkkaDns's makes the answers equal.",
        "RFC 7344 §4 and RFC 8078 define the CDS/CDNSKEY records without a TTL rule; RFC 7344 §6 only asks that the parent "
        + "not act on stale data. Any TTL is allowed; TTL 0 is Knot's own choice.");

    public static readonly KnownDifference RrsigQueryAll = new(
        "rrsig-query-all",
        "QTYPE=RRSIG: knotd answers with one RRSIG of the name (the one covering its first type); AkkaDns with every RRSIG "
        + "of the name, each with the TTL of the RRset it covers. The comparer checks that knotd's RRSIG is among AkkaDns's "
        + "and that each RRSIG AkkaDns answers is, but for the signature, the one knotd serves with the RRset it covers. "
        + "All the RRSIGs of a name may not fit a UDP answer that knotd's one does: AkkaDns's TC=1 answer is then judged by "
        + "its answer over TCP.",
        "RFC 1034 §4.3.2 step 3a copies the RRs of the type asked; RFC 4035 gives QTYPE=RRSIG no rule of its own (§3.1.5 "
        + "is about AXFR/IXFR), and RFC 4034 §3 says RRSIGs of one name keep their own TTLs. Answering only a subset, as "
        + "Knot does, is the RFC 8482 §4.1 minimization it applies to ANY; a validator never asks for RRSIGs this way.");

    public static readonly KnownDifference TruncatedPartial = new(
        "tc-partial",
        "A DO=1 answer too large for the UDP buffer: both set TC=1 with the same RCODE; knotd keeps the records that fitted "
        + "(e.g. the SOA and NSEC3 records of an NXDOMAIN without their RRSIGs), AkkaDns sends all three sections empty (as "
        + "both servers do for a truncated DO=0 answer). The comparer accepts it only when AkkaDns's sections are all empty.",
        "RFC 2181 §9: a resolver that gets TC=1 \"should ignore that response, and query again, using a mechanism, such as a "
        + "TCP connection\"; where only complete RRsets are kept the message is still one to be discarded. RFC 4035 §3.1.1 "
        + "asks for TC when an answer or authority RRset's RRSIGs do not fit, and says nothing of what else to keep.");

    public static IReadOnlyList<KnownDifference> All { get; } =
        [CdCopied, AnySubset, MalformedDropOrFormErr, UpdateNotImplemented, OptInFormErr, TrailingBytesIgnored, Type0NoData, NaptrAdditional, CdsTtl, RrsigQueryAll, TruncatedPartial];
}
