namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>One query of the differential set. <see cref="Raw"/> builds a hand-made (possibly malformed) packet instead;
/// <see cref="WithoutTrailingBytes"/>, for a packet with extra bytes after its sections, builds the same query without them.</summary>
public sealed record DiffQuery(string Category, string Name, ushort Type, QueryOptions Options, string? Label = null,
    Func<ushort, byte[]>? Raw = null, Func<ushort, byte[]>? WithoutTrailingBytes = null)
{
    public string Id => Label is not null
        ? $"{Category}: {Label}"
        : $"{Category}: {Name} {QuerySet.TypeName(Type)}{Describe(Options)}";

    public byte[] Build(ushort id) => Raw?.Invoke(id) ?? DnsWire.BuildQuery(id, Name, Type, Options);

    private static string Describe(QueryOptions o)
    {
        var parts = new List<string>();
        if (o.Rd) parts.Add("+rd");
        if (o.Cd) parts.Add("+cd");
        if (o.EdnsSize is { } s) parts.Add($"+edns={s}");
        if (o.Do) parts.Add("+do");
        if (o.EdnsVersion != 0) parts.Add($"+ednsversion={o.EdnsVersion}");
        if (o.Opcode != 0) parts.Add($"+opcode={o.Opcode}");
        if (o.QClass != 1) parts.Add($"+class={o.QClass}");
        if (o.EdnsOptions is { } opts) parts.Add($"+ednsopt={Convert.ToHexString(opts)}");
        return parts.Count == 0 ? "" : " " + string.Join(' ', parts);
    }
}

/// <summary>
/// The categorized queries sent to knotd and to akkadns, over the zone TestData/rich.example.zone.
/// Every category the DNS-core issue names is here; each query is its own test case.
/// </summary>
public static class QuerySet
{
    public const string Origin = "rich.example.";

    public const ushort A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, HINFO = 13, MX = 15, TXT = 16, AAAA = 28,
        SRV = 33, NAPTR = 35, SVCB = 64, HTTPS = 65, DNAME = 39, DS = 43, SSHFP = 44, TLSA = 52, CAA = 257, ANY = 255, Private65280 = 65280, Private65281 = 65281;

    private static readonly Dictionary<ushort, string> Names = new()
    {
        [A] = "A", [NS] = "NS", [CNAME] = "CNAME", [SOA] = "SOA", [PTR] = "PTR", [HINFO] = "HINFO", [MX] = "MX",
        [TXT] = "TXT", [AAAA] = "AAAA", [SRV] = "SRV", [DNAME] = "DNAME", [DS] = "DS", [SSHFP] = "SSHFP",
        [TLSA] = "TLSA", [CAA] = "CAA", [ANY] = "ANY", [NAPTR] = "NAPTR", [SVCB] = "SVCB", [HTTPS] = "HTTPS",
    };

    public static string TypeName(ushort type) => Names.TryGetValue(type, out var n) ? n : $"TYPE{type}";

    private static string N(string relative) => relative == "@" ? Origin : $"{relative}.{Origin}";

    private static DiffQuery Q(string category, string relative, ushort type, QueryOptions? o = null) =>
        new(category, N(relative), type, o ?? QueryOptions.Plain);

    private static DiffQuery Abs(string category, string name, ushort type, QueryOptions? o = null) =>
        new(category, name, type, o ?? QueryOptions.Plain);

    public static readonly IReadOnlyList<DiffQuery> All = Build();

    /// <summary>For the two-zone profile: the server holds rich.example. and its child sub.rich.example.</summary>
    public static readonly IReadOnlyList<DiffQuery> TwoZones =
    [
        Q("two-zones", "host.sub", A), Q("two-zones", "sub", NS), Q("two-zones", "sub", SOA), Q("two-zones", "sub", DS),
        Q("two-zones", "sub", MX), Q("two-zones", "sub", A), Q("two-zones", "ns.sub", AAAA), Q("two-zones", "nothere.sub", A),
        Q("two-zones", "x.host.sub", A), Q("two-zones", "sub", ANY), Q("two-zones", "www", A), Q("two-zones", "nods", DS),
        Q("two-zones", "host.nods", A), Abs("two-zones", "HOST.Sub.RICH.example.", A),
    ];

    public static DiffQuery Find(string id) =>
        All.Concat(TwoZones).FirstOrDefault(q => q.Id == id) ?? throw new ArgumentException($"no query '{id}' in the set");

    private static List<DiffQuery> Build()
    {
        var q = new List<DiffQuery>
        {
            // positive: every record type in the zone, additional-section addresses for NS/MX/SRV targets
            Q("positive", "@", SOA), Q("positive", "@", NS), Q("positive", "@", MX), Q("positive", "@", A),
            Q("positive", "@", AAAA), Q("positive", "@", TXT), Q("positive", "@", CAA),
            Q("positive", "www", A), Q("positive", "www", AAAA), Q("positive", "mail", A), Q("positive", "ns1", AAAA),
            Q("positive", "txt", TXT), Q("positive", "_sip._tcp", SRV), Q("positive", "hinfo", HINFO),
            Q("positive", "ptr", PTR), Q("positive", "sshfp", SSHFP), Q("positive", "_443._tcp.www", TLSA),
            Q("positive", "mixedcase", A), Q("positive", "ttl", A), Q("positive", "c1", CNAME),
            // additional section for SVCB/HTTPS targets (as knotd) and NAPTR (allow-list "naptr-additional")
            Q("positive", "_dns", SVCB), Q("positive", "svcalias", SVCB), Q("positive", "https", HTTPS),
            Q("positive", "dns", SVCB), Q("positive", "_dns", ANY), Q("positive", "naptr", NAPTR), Q("positive", "naptru", NAPTR),
            // later types parsed from the same text by both servers
            Q("positive", "ilnp", 104 /* NID */), Q("positive", "ilnp", 105 /* L32 */), Q("positive", "ilnp", 106 /* L64 */),
            Q("positive", "ilnp", 107 /* LP */), Q("positive", "rt", 21 /* RT */), Q("positive", "wallet", 262 /* WALLET */),
            Q("positive", "svckeys", SVCB),

            // NODATA: the name exists, the type does not (SOA in authority, TTL = min(SOA TTL, MINIMUM))
            Q("nodata", "nodata", AAAA), Q("nodata", "nodata", MX), Q("nodata", "www", MX), Q("nodata", "@", PTR),
            Q("nodata", "hinfo", A), Q("nodata", "mail", TXT), Q("nodata", "@", CNAME),

            // NXDOMAIN
            Q("nxdomain", "nothere", A), Q("nxdomain", "a.b.nothere", AAAA), Q("nxdomain", "x.www", A),
            Q("nxdomain", "x.nodata", TXT), Q("nxdomain", "zzz", SOA),

            // wildcards (RFC 4592), including wildcard CNAME and wildcard NODATA
            Q("wildcard", "foo.wild", A), Q("wildcard", "foo.wild", TXT), Q("wildcard", "foo.wild", MX),
            Q("wildcard", "a.b.wild", A), Q("wildcard", "foo.wild", AAAA), Q("wildcard", "*.wild", A),
            Q("wildcard", "x.wcname", A), Q("wildcard", "x.wcname", CNAME), Q("wildcard", "x.y.wcname", AAAA),
            Q("wildcard", "other.ent", A), Q("wildcard", "towild", A),

            // empty non-terminals: NODATA at the ENT, and an ENT blocking the wildcard above it
            Q("ent", "wild", A), Q("ent", "deep.ent", A), Q("ent", "x.deep.ent", A), Q("ent", "ent", A),
            Q("ent", "_tcp", SRV), Q("ent", "_tcp.www", A), Q("ent", "dtarget", A),

            // CNAME chains inside the zone, loops, dangling and out-of-zone targets
            Q("cname", "c1", A), Q("cname", "c2", AAAA), Q("cname", "c3", TXT), Q("cname", "c1", MX),
            Q("cname", "loop1", A), Q("cname", "self", A), Q("cname", "dangling", A), Q("cname", "ext", A),
            Q("cname", "ext", CNAME), Q("cname", "todname", A),

            // DNAME (RFC 6672): synthesis, the owner itself, NXDOMAIN behind it, a target outside the zone
            Q("dname", "dn", DNAME), Q("dname", "dn", A), Q("dname", "www.dn", A), Q("dname", "mail.dn", MX),
            Q("dname", "nothere.dn", A), Q("dname", "a.b.dn", A), Q("dname", "www.dnx", A), Q("dname", "www.dn", DNAME),

            // delegations: referral with AA=0, NS in authority, glue (A and AAAA) in additional
            Q("referral", "host.sub", A), Q("referral", "sub", NS), Q("referral", "sub", A), Q("referral", "ns.sub", A),
            Q("referral", "ns.sub", AAAA), Q("referral", "deep.host.sub", MX), Q("referral", "nods", A),
            Q("referral", "x.nods", TXT), Q("referral", "sub", SOA),

            // DS is answered by the parent side of the cut
            Q("ds", "sub", DS), Q("ds", "nods", DS), Q("ds", "host.sub", DS), Q("ds", "@", DS), Q("ds", "www", DS),

            // 0x20 mixed case: lookup ignores case, the question is echoed exactly as sent
            Abs("case", "WwW.RiCh.ExAmPlE.", A), Abs("case", "MIXEDCASE.rich.example.", A),
            Abs("case", "FoO.WiLd.RiCh.ExAmPlE.", A), Abs("case", "C1.Rich.Example.", A),
            Abs("case", "WWW.DN.rich.example.", A), Abs("case", "Host.SUB.rich.example.", A),
            Abs("case", "NoThErE.rich.example.", A), Abs("case", "RICH.EXAMPLE.", MX),

            // no EDNS: UDP answers fit 512 bytes, else TC=1
            Q("tc-noedns", "mid", TXT), Q("tc-noedns", "big", TXT), Q("tc-noedns", "www", A),
        };

        foreach (ushort size in new ushort[] { 512, 1232, 4096 })
        {
            var o = new QueryOptions(EdnsSize: size);
            q.Add(Q($"edns{size}", "mid", TXT, o));
            q.Add(Q($"edns{size}", "big", TXT, o));
            q.Add(Q($"edns{size}", "www", A, o));
            q.Add(Q($"edns{size}", "nothere", A, o));
        }
        q.AddRange(new[]
        {
            Q("edns", "www", A, new QueryOptions(EdnsSize: 1232, Do: true)),
            Q("edns", "www", A, new QueryOptions(EdnsSize: 1232, EdnsVersion: 1)),   // BADVERS (RFC 6891 §6.1.3)
            Q("edns", "www", A, new QueryOptions(EdnsSize: 100)),                    // below 512: treated as 512

            // names in no zone we serve → REFUSED
            Abs("out-of-zone", "www.outside.example.", A), Abs("out-of-zone", "example.", NS),
            Abs("out-of-zone", ".", SOA), Abs("out-of-zone", "rich.example.com.", A), Abs("out-of-zone", "xrich.example.", A),

            // unknown types (RFC 3597)
            Q("unknown", "unknown", Private65280), Q("unknown", "unknown", A), Q("unknown", "www", Private65280),
            Q("unknown", "unknown", Private65281),

            // ANY (RFC 8482)
            Q("any", "@", ANY), Q("any", "www", ANY), Q("any", "nothere", ANY), Q("any", "foo.wild", ANY),
            Q("any", "host.sub", ANY),

            // header bits and opcodes: RD and CD copied, RA=0, NOTIMP for other opcodes
            Q("header", "www", A, new QueryOptions(Rd: true)), Q("header", "www", A, new QueryOptions(Cd: true)),
            Q("header", "www", A, new QueryOptions(Rd: true, Cd: true, EdnsSize: 1232, Do: true)),
            Q("header", "www", A, new QueryOptions(Opcode: 1)), Q("header", "www", A, new QueryOptions(Opcode: 2)),
            Q("header", "www", A, new QueryOptions(Opcode: 5)),
        });
        var edns = new QueryOptions(EdnsSize: 1232);
        q.AddRange(new[]
        {
            // classes other than IN, zone transfers over UDP/TCP, meta and DNSSEC types in an unsigned zone, EDNS options
            Abs("misc", "version.bind.", TXT, new QueryOptions(QClass: 3)), Abs("misc", "id.server.", TXT, new QueryOptions(QClass: 3)),
            Q("misc", "www", A, new QueryOptions(QClass: 3)), Q("misc", "www", A, new QueryOptions(QClass: 255)),
            Q("misc", "www", A, new QueryOptions(QClass: 4)),
            Q("misc", "@", 252), Q("misc", "@", 251), Q("misc", "www", 0), Q("misc", "www", 41), Q("misc", "www", 253),
            Q("misc", "www", 46 /* RRSIG */), Q("misc", "@", 48 /* DNSKEY */), Q("misc", "@", 51 /* NSEC3PARAM */),
            Q("misc", "nothere", A, new QueryOptions(EdnsSize: 1232, Do: true)),
            Q("misc", "nodata", AAAA, new QueryOptions(EdnsSize: 1232, Do: true)),
            Q("misc", "www", A, edns with { EdnsOptions = [0, 3, 0, 0] }),                                  // NSID request
            Q("misc", "www", A, edns with { EdnsOptions = [0xfd, 0xe9, 0, 2, 0xab, 0xcd] }),                // unknown option 65001
            Q("misc", "www", A, edns with { EdnsOptions = [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8] }),          // client cookie
            Q("misc", "www", A, edns with { EdnsOptions = [0, 12, 0, 4, 0, 0, 0, 0] }),                     // padding
        });
        q.AddRange(MalformedQueries.All);
        return q;
    }
}
