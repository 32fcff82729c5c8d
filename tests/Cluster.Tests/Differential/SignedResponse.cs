using ARSoft.Tools.Net.Dns;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// A DO=1 answer of a signed zone, normalized so two signers compare (their keys, signatures and hashes differ by
/// nature): each section is a sorted list of one line per record, where
/// <list type="bullet">
/// <item>an RRSIG keeps owner, TTL, type covered, algorithm, labels, original TTL and signer name (not the signature,
/// key tag, inception or expiration);</item>
/// <item>an NSEC3 record (and the RRSIG over it) gets, for its hashed owner and its next hashed owner, the name each is
/// the hash of ("hash(www.signed.example.)"), and keeps algorithm, flags, iterations, salt and type bit map;</item>
/// <item>DNSKEY and CDNSKEY keep flags, protocol and algorithm (not the key); CDS keeps algorithm and digest type (not
/// the key tag or digest);</item>
/// <item>every other record is <see cref="DecodedResponse.Key"/>'s "owner ttl class type rdata".</item>
/// </list>
/// The header, question and OPT are <see cref="DecodedResponse"/>'s.
/// </summary>
public sealed record SignedResponse(DecodedResponse Header, IReadOnlyList<string> Answer, IReadOnlyList<string> Authority,
    IReadOnlyList<string> Additional, DnsMessage Message)
{
    public static SignedResponse Decode(byte[] wire, IReadOnlyDictionary<string, string> unhash)
    {
        var header = DecodedResponse.Decode(wire);
        var m = DnsMessage.Parse(new ArraySegment<byte>(wire));
        return new SignedResponse(header, Normalize(m.AnswerRecords, unhash), Normalize(m.AuthorityRecords, unhash),
            Normalize(m.AdditionalRecords.Where(r => r is not OptRecord), unhash), m);
    }

    public static IReadOnlyList<string> Normalize(IEnumerable<DnsRecordBase> records, IReadOnlyDictionary<string, string> unhash) =>
        records.Select(r => Key(r, unhash)).Order(StringComparer.Ordinal).ToList();

    public static string Key(DnsRecordBase r, IReadOnlyDictionary<string, string> unhash)
    {
        var owner = Owner(r.Name.ToString(), unhash);
        var head = $"{owner} {r.TimeToLive} IN";
        return r switch
        {
            RrSigRecord s => $"{head} RRSIG {Mnemonic(s.TypeCovered)} {(int)s.Algorithm} {s.Labels} {s.OriginalTimeToLive} {s.SignersName.ToString().ToLowerInvariant()}",
            NSec3Record n => $"{head} NSEC3 {(int)n.HashAlgorithm} {n.Flags} {n.Iterations} {Hex(n.Salt)} next={Next(n.NextHashedOwner, unhash)} "
                             + string.Join(' ', n.Types.Select(Mnemonic).Order(StringComparer.Ordinal)),
            CDnsKeyRecord k => $"{head} CDNSKEY {k.Flags:D} {k.Protocol} {(int)k.Algorithm}",
            DnsKeyRecord k => $"{head} DNSKEY {k.Flags:D} {k.Protocol} {(int)k.Algorithm}",
            CDsRecord d => $"{head} CDS {(int)d.Algorithm} {(int)d.DigestType}",
            _ => DecodedResponse.Key(r),
        };
    }

    /// <summary>The owner lower-cased; a hashed NSEC3 owner as "hash(name)" when it is the hash of a zone name.</summary>
    private static string Owner(string owner, IReadOnlyDictionary<string, string> unhash)
    {
        var lower = owner.ToLowerInvariant();
        var dot = lower.IndexOf('.');
        return dot == 32 && unhash.TryGetValue(lower[..dot], out var name) ? $"hash({name})" : lower;
    }

    private static string Next(byte[] hash, IReadOnlyDictionary<string, string> unhash)
    {
        var label = Nsec3Names.Label(hash);
        return unhash.TryGetValue(label, out var name) ? $"hash({name})" : $"unmapped:{label}";
    }

    /// <summary>The RFC mnemonic of a type (ARSoft's enum names are its own: "Aaaa", "RrSig").</summary>
    public static string Mnemonic(RecordType type) => (ushort)type switch
    {
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        50 => "NSEC3",
        51 => "NSEC3PARAM",
        59 => "CDS",
        60 => "CDNSKEY",
        var t => QuerySet.TypeName(t),
    };

    private static string Hex(byte[]? b) => b is null || b.Length == 0 ? "-" : Convert.ToHexString(b);

    public override string ToString()
    {
        var lines = new List<string> { $"id={Header.Id} opcode={Header.Opcode} rcode={Header.Rcode} flags=[{Header.Flags}] {Header.Opt?.ToString() ?? "no OPT"}" };
        lines.AddRange(Answer.Select(a => "  AN " + a));
        lines.AddRange(Authority.Select(a => "  NS " + a));
        lines.AddRange(Additional.Select(a => "  AR " + a));
        return string.Join('\n', lines);
    }
}
