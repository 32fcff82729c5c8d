namespace AkkaDns.Resolver.Wire;

/// <summary>RR TYPE values: the IANA "Resource Record (RR) TYPEs" registry as of 2026 (RFC 6895), every assigned data,
/// meta and question type. NSAP-PTR (23) has no C# name; <see cref="RecordTypes"/> reads and writes its mnemonic.
/// Any other value is carried as opaque RDATA (RFC 3597).</summary>
public enum RecordType : ushort
{
    A = 1, NS = 2, MD = 3, MF = 4, CNAME = 5, SOA = 6, MB = 7, MG = 8, MR = 9, NULL = 10, WKS = 11,
    PTR = 12, HINFO = 13, MINFO = 14, MX = 15, TXT = 16, RP = 17, AFSDB = 18, X25 = 19, ISDN = 20, RT = 21,
    NSAP = 22, SIG = 24, KEY = 25, PX = 26, GPOS = 27, AAAA = 28, LOC = 29, NXT = 30, EID = 31, NIMLOC = 32,
    SRV = 33, ATMA = 34, NAPTR = 35, KX = 36, CERT = 37, A6 = 38, DNAME = 39, SINK = 40, OPT = 41, APL = 42, DS = 43,
    SSHFP = 44, IPSECKEY = 45, RRSIG = 46, NSEC = 47, DNSKEY = 48, DHCID = 49, NSEC3 = 50, NSEC3PARAM = 51, TLSA = 52,
    SMIMEA = 53, HIP = 55, NINFO = 56, RKEY = 57, TALINK = 58, CDS = 59, CDNSKEY = 60, OPENPGPKEY = 61, CSYNC = 62,
    ZONEMD = 63, SVCB = 64, HTTPS = 65, DSYNC = 66, HHIT = 67, BRID = 68, SPF = 99, UINFO = 100, UID = 101, GID = 102,
    UNSPEC = 103, NID = 104, L32 = 105, L64 = 106, LP = 107, EUI48 = 108, EUI64 = 109, NXNAME = 128,
    TKEY = 249, TSIG = 250, IXFR = 251, AXFR = 252, MAILB = 253, MAILA = 254, ANY = 255, URI = 256, CAA = 257,
    AVC = 258, DOA = 259, AMTRELAY = 260, RESINFO = 261, WALLET = 262, CLA = 263, IPN = 264, TA = 32768, DLV = 32769,
}

public static class RecordTypes
{
    /// <summary>"A", "MX", … or "TYPE65280" for types without a mnemonic (RFC 3597 §5).</summary>
    public static string ToText(RecordType t) => Enum.IsDefined(t) ? t.ToString() : t == NsapPtr ? "NSAP-PTR" : "TYPE" + (ushort)t;

    /// <summary>NSAP-PTR (RFC 1348), whose mnemonic is no C# identifier.</summary>
    private const RecordType NsapPtr = (RecordType)23;

    public static bool TryParse(string text, out RecordType type)
    {
        type = default;
        if (text.Length > 4 && text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase))
        {
            if (ushort.TryParse(text.AsSpan(4), System.Globalization.NumberStyles.None, null, out var v)) { type = (RecordType)v; return true; }
            return false;
        }
        if (text.Length == 0 || char.IsAsciiDigit(text[0])) return false;
        if (text.Equals("NSAP-PTR", StringComparison.OrdinalIgnoreCase)) { type = NsapPtr; return true; }
        return Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type);
    }

    /// <summary>Meta and question-only types that never appear as zone data.</summary>
    public static bool IsMetaOrQuestionOnly(RecordType t) => t is RecordType.OPT or RecordType.TKEY or RecordType.TSIG
        or RecordType.IXFR or RecordType.AXFR or RecordType.MAILB or RecordType.MAILA or RecordType.ANY
        || ((ushort)t >= 128 && (ushort)t <= 255);
}

public enum RecordClass : ushort { IN = 1, CH = 3, HS = 4, NONE = 254, ANY = 255 }

public enum Opcode : byte { Query = 0, IQuery = 1, Status = 2, Notify = 4, Update = 5 }

/// <summary>Response codes; values above 15 need the EDNS extended RCODE bits (BADVERS = 16).</summary>
public enum Rcode : ushort
{
    NoError = 0, FormErr = 1, ServFail = 2, NXDomain = 3, NotImp = 4, Refused = 5,
    /// <summary>RFC 2136 §2.2: a name exists that should not, an RRset exists that should not, one that should does not,
    /// the server is not authoritative for the zone, a name is outside the zone.</summary>
    YXDomain = 6, YXRRset = 7, NXRRset = 8, NotAuth = 9, NotZone = 10,
    BadVers = 16,
}
