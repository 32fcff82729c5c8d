namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// The queries of the DO=1 differential over TestData/signed.example.zone: every answer kind with DO=1 (EDNS 1232),
/// a few with a 512-byte EDNS buffer (truncation over UDP; TCP gets the whole answer), and some with DO=0 (nothing
/// signed may leak into them).
/// </summary>
public static class SignedQuerySet
{
    public const string Origin = SignedTestZone.Origin;
    public const ushort RRSIG = 46, DNSKEY = 48, NSEC3 = 50, NSEC3PARAM = 51, CDS = 59, CDNSKEY = 60, PTR = 12;

    private static readonly QueryOptions Do = new(EdnsSize: 1232, Do: true);
    private static readonly QueryOptions DoSmall = new(EdnsSize: 512, Do: true);
    private static readonly QueryOptions NoDo = new(EdnsSize: 1232);

    private static DiffQuery Q(string category, string relative, ushort type, QueryOptions? o = null) =>
        new(category, relative == "@" ? Origin : $"{relative}.{Origin}", type, o ?? Do);

    public static readonly IReadOnlyList<DiffQuery> All =
    [
        // positive answers with their RRSIGs; NS, MX and SRV targets' addresses in the additional section
        Q("positive", "@", QuerySet.SOA), Q("positive", "@", QuerySet.NS), Q("positive", "@", QuerySet.MX),
        Q("positive", "@", QuerySet.A), Q("positive", "@", QuerySet.AAAA), Q("positive", "@", QuerySet.TXT),
        Q("positive", "www", QuerySet.A), Q("positive", "www", QuerySet.AAAA), Q("positive", "www", QuerySet.TXT),
        Q("positive", "mail", QuerySet.A), Q("positive", "mail", QuerySet.AAAA), Q("positive", "ns1", QuerySet.AAAA),
        Q("positive", "ns2", QuerySet.A), Q("positive", "_sip._tcp", QuerySet.SRV), Q("positive", "deep.ent", QuerySet.A),

        // the DNSSEC types themselves
        Q("dnssec-types", "@", DNSKEY), Q("dnssec-types", "@", NSEC3PARAM), Q("dnssec-types", "@", CDS), Q("dnssec-types", "@", CDNSKEY),
        Q("dnssec-types", "@", RRSIG), Q("dnssec-types", "www", RRSIG), Q("dnssec-types", "foo.wild", RRSIG),
        Q("dnssec-types", "nothere", RRSIG), Q("dnssec-types", "ent", RRSIG), Q("dnssec-types", "www", NSEC3),
        Q("dnssec-types", "secure", RRSIG), Q("dnssec-types", "insecure", RRSIG),

        // ANY (RFC 8482)
        Q("any", "@", QuerySet.ANY), Q("any", "www", QuerySet.ANY), Q("any", "foo.wild", QuerySet.ANY), Q("any", "nothere", QuerySet.ANY),

        // NXDOMAIN: closest encloser, next closer and wildcard proofs (RFC 5155 §7.2.2)
        Q("nxdomain", "nothere", QuerySet.A), Q("nxdomain", "a.b.nothere", QuerySet.AAAA), Q("nxdomain", "x.www", QuerySet.A),
        Q("nxdomain", "x.deep.ent", QuerySet.A), Q("nxdomain", "zzz.ent", QuerySet.TXT),

        // NODATA: the matching NSEC3 (RFC 5155 §7.2.3)
        Q("nodata", "nodata", QuerySet.A), Q("nodata", "www", QuerySet.MX), Q("nodata", "@", PTR), Q("nodata", "mail", QuerySet.TXT),
        Q("nodata", "ns1", QuerySet.MX), Q("nodata", "@", QuerySet.DS),

        // wildcards: expansion (labels field, next closer proof, RFC 5155 §7.2.6) and wildcard NODATA (§7.2.5)
        Q("wildcard", "foo.wild", QuerySet.A), Q("wildcard", "foo.wild", QuerySet.TXT), Q("wildcard", "a.b.wild", QuerySet.A),
        Q("wildcard", "*.wild", QuerySet.A), Q("wildcard", "foo.wild", QuerySet.AAAA), Q("wildcard", "foo.wild", QuerySet.MX),
        Q("wildcard", "*.wild", QuerySet.MX),

        // empty non-terminals (RFC 5155 §7.2.3: an ENT has an NSEC3 of its own)
        Q("ent", "ent", QuerySet.A), Q("ent", "ent", QuerySet.TXT), Q("ent", "wild", QuerySet.A), Q("ent", "_tcp", QuerySet.SRV),

        // CNAME chains: in zone, ending in NODATA, out of zone
        Q("cname", "c1", QuerySet.A), Q("cname", "c2", QuerySet.A), Q("cname", "c1", QuerySet.AAAA), Q("cname", "c1", QuerySet.MX),
        Q("cname", "c1", QuerySet.CNAME), Q("cname", "ext", QuerySet.A), Q("cname", "ext", QuerySet.CNAME),
        Q("cname", "towild", QuerySet.A), Q("cname", "towild", QuerySet.AAAA), Q("cname", "tosecure", QuerySet.A),
        Q("cname", "tonx", QuerySet.A),

        // a wildcard CNAME, DNAME out of the zone and into the wildcard (RFC 6672 §5.3: the synthesized CNAME is unsigned)
        Q("wildcard-cname", "x.wcname", QuerySet.A), Q("wildcard-cname", "x.wcname", QuerySet.CNAME), Q("wildcard-cname", "x.wcname", QuerySet.MX),
        Q("dname", "dn", QuerySet.DNAME), Q("dname", "www.dn", QuerySet.A), Q("dname", "a.indn", QuerySet.A), Q("dname", "a.indn", QuerySet.AAAA),
        Q("dname", "indn", QuerySet.A),

        // the NSEC3 owner names themselves: answered as if the NSEC3 did not exist (RFC 5155 §7.2.8)
        new("nsec3-owner", HashedOwner("www"), QuerySet.A, Do), new("nsec3-owner", HashedOwner("www"), NSEC3, Do),
        new("nsec3-owner", HashedOwner("@"), NSEC3, Do),

        // what the change after signing added: a new name, a new type at a name, an apex RRset (the chain re-linked)
        Q("changed", "late", QuerySet.A), Q("changed", "late", QuerySet.TXT), Q("changed", "nodata", QuerySet.AAAA),
        Q("changed", "@", 99 /* SPF */), Q("changed", "lat", QuerySet.A), Q("changed", "nodata", QuerySet.MX),

        // 0x20 mixed case: owners and RRSIG signer names compare case-insensitively, the question is echoed as sent
        new("case", "WwW.SiGnEd.ExAmPlE.", QuerySet.A, Do), new("case", "FoO.WiLd.SiGnEd.ExAmPlE.", QuerySet.A, Do),
        new("case", "NoThErE.SiGnEd.ExAmPlE.", QuerySet.A, Do), new("case", "HoSt.InSeCuRe.SiGnEd.ExAmPlE.", QuerySet.A, Do),

        // referrals: secure (DS + RRSIG) and insecure (NSEC3 proving no DS, RFC 5155 §7.2.7); glue in additional
        Q("referral", "host.secure", QuerySet.A), Q("referral", "secure", QuerySet.NS), Q("referral", "secure", QuerySet.A),
        Q("referral", "ns.secure", QuerySet.A), Q("referral", "host.insecure", QuerySet.A), Q("referral", "insecure", QuerySet.NS),
        Q("referral", "ns.insecure", QuerySet.AAAA), Q("referral", "insecure", QuerySet.MX), Q("referral", "a.b.insecure", QuerySet.TXT),

        // DS at the cuts, answered by the parent (RFC 4035 §3.1.4.1); the insecure one with its no-DS proof
        Q("ds", "secure", QuerySet.DS), Q("ds", "insecure", QuerySet.DS), Q("ds", "www", QuerySet.DS), Q("ds", "nothere", QuerySet.DS),
        Q("ds", "host.insecure", QuerySet.DS), Q("ds", "ent", QuerySet.DS),

        // a 512-byte buffer: what does not fit is truncated (over TCP the whole answer)
        Q("edns512", "@", DNSKEY, DoSmall), Q("edns512", "@", QuerySet.MX, DoSmall), Q("edns512", "nothere", QuerySet.A, DoSmall),
        Q("edns512", "foo.wild", QuerySet.AAAA, DoSmall), Q("edns512", "host.insecure", QuerySet.A, DoSmall),
        Q("edns512", "@", QuerySet.NS, DoSmall), Q("edns512", "www", QuerySet.A, DoSmall), Q("edns512", "@", QuerySet.ANY, DoSmall),
        Q("edns512", "host.secure", QuerySet.A, DoSmall), Q("edns512", "c1", QuerySet.AAAA, DoSmall), Q("edns512", "@", RRSIG, DoSmall),
        Q("edns512", "_sip._tcp", QuerySet.SRV, DoSmall), Q("edns512", "x.wcname", QuerySet.A, DoSmall),
        Q("edns512", "bigtxt", QuerySet.TXT, DoSmall), Q("edns512", "bigtxt", QuerySet.TXT, new QueryOptions(EdnsSize: 512)),
        Q("positive", "bigtxt", QuerySet.TXT), Q("any", "secure", QuerySet.ANY), Q("any", "insecure", QuerySet.ANY),

        // DO=0 (with and without EDNS): nothing signed leaks in
        Q("do0", "www", QuerySet.A, NoDo), Q("do0", "nothere", QuerySet.A, NoDo), Q("do0", "foo.wild", QuerySet.A, NoDo),
        Q("do0", "foo.wild", QuerySet.AAAA, NoDo), Q("do0", "host.secure", QuerySet.A, NoDo), Q("do0", "host.insecure", QuerySet.A, NoDo),
        Q("do0", "@", DNSKEY, NoDo), Q("do0", "@", NSEC3PARAM, NoDo), Q("do0", "www", RRSIG, NoDo), Q("do0", "secure", QuerySet.DS, NoDo),
        Q("do0", "insecure", QuerySet.DS, NoDo), Q("do0", "@", QuerySet.MX, NoDo), Q("do0", "www", QuerySet.A, QueryOptions.Plain),
        Q("do0", "nothere", QuerySet.A, QueryOptions.Plain), Q("do0", "@", QuerySet.ANY, NoDo),
    ];

    /// <summary>The NSEC3 owner name (no salt, 0 iterations) of a name of the zone.</summary>
    private static string HashedOwner(string relative) =>
        $"{Nsec3Names.Label(Nsec3Names.Hash(relative == "@" ? Origin : $"{relative}.{Origin}"))}.{Origin}";

    public static DiffQuery Find(string id) => All.FirstOrDefault(q => q.Id == id) ?? throw new ArgumentException($"no query '{id}' in the signed set");
}
