namespace AkkaDns.Resolver.Wire;

/// <summary>
/// Where domain names sit inside the RDATA of the types whose names may arrive compressed, so the reader can
/// expand them (RFC 3597 §4: MUST for the RFC 1035 types, SHOULD for RP, AFSDB, RT, PX, NAPTR, SRV; DNAME as
/// Knot and BIND do) and the writer knows which ones it may compress (only the RFC 1035 types).
/// Each layout is a list of fields: a positive value is a fixed run of that many bytes, the negative codes below
/// are a name or a character-string.
/// </summary>
internal static class DnsMessageRDataLayout
{
    /// <summary>A name the writer may compress (RFC 1035 well-known types).</summary>
    public const sbyte CompressibleName = -1;
    /// <summary>A name that is expanded when read but always written uncompressed.</summary>
    public const sbyte Name = -2;
    /// <summary>A length-prefixed character-string.</summary>
    public const sbyte CharString = -3;

    private static readonly sbyte[] OneCName = [CompressibleName];
    private static readonly sbyte[] OneName = [Name];
    private static readonly sbyte[] Soa = [CompressibleName, CompressibleName, 20];
    private static readonly sbyte[] Mx = [2, CompressibleName];
    private static readonly sbyte[] TwoCNames = [CompressibleName, CompressibleName];
    private static readonly sbyte[] TwoNames = [Name, Name];
    private static readonly sbyte[] PreferenceName = [2, Name];
    private static readonly sbyte[] Srv = [6, Name];
    private static readonly sbyte[] Px = [2, Name, Name];
    private static readonly sbyte[] Naptr = [4, CharString, CharString, CharString, Name];

    /// <summary>The layout of <paramref name="type"/>, or empty for types carried as opaque bytes.</summary>
    public static ReadOnlySpan<sbyte> For(RecordType type) => (ushort)type switch
    {
        2 or 3 or 4 or 5 or 7 or 8 or 9 or 12 => OneCName,   // NS MD MF CNAME MB MG MR PTR
        6 => Soa,
        14 => TwoCNames,                                      // MINFO
        15 => Mx,
        17 => TwoNames,                                       // RP
        18 or 21 or 36 => PreferenceName,                     // AFSDB RT KX
        26 => Px,
        33 => Srv,
        35 => Naptr,
        39 => OneName,                                        // DNAME
        _ => default,
    };
}
