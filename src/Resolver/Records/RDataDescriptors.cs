using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Records;

/// <summary>What one RDATA field is, on the wire and in presentation form (after Knot's rdata descriptors).</summary>
internal enum FieldKind
{
    /// <summary>Uncompressed domain name that must never be compressed on output (RFC 3597 §4).</summary>
    Name,
    /// <summary>Domain name of an RFC 1035 type: a writer may compress it.</summary>
    CompressibleName,
    U8, U16, U32,
    /// <summary>32-bit value whose text may use TTL units (SOA timers).</summary>
    Ttl,
    IPv4, IPv6,
    /// <summary>One length-prefixed character-string.</summary>
    CharString,
    /// <summary>One or more character-strings up to the end (TXT, SPF).</summary>
    CharStrings,
    /// <summary>The rest of the RDATA, base64 in text (may be split by spaces); at least one octet.</summary>
    Base64,
    /// <summary>The rest of the RDATA, hex in text (may be split by spaces); at least one octet.</summary>
    Hex,
    /// <summary>Length octet then that many octets; hex in text, "-" when empty (NSEC3PARAM salt).</summary>
    HexWithLength,
    /// <summary>The rest of the RDATA as raw octets, shown as one quoted string (CAA value, URI target).</summary>
    StringRemainder,
    /// <summary>CAA tag: length octet then 1-255 ASCII letters/digits, unquoted in text.</summary>
    CaaTag,
    /// <summary>An RR type as 16 bits; a mnemonic or TYPEnnn in text (RRSIG type covered).</summary>
    TypeCode,
    /// <summary>RFC 4034 §3.2 signature time: 32-bit seconds; YYYYMMDDHHmmSS (UTC) or plain seconds in text.</summary>
    Time,
    /// <summary>RFC 4034 §4.1.2 type bit maps up to the end; type mnemonics in text, possibly none.</summary>
    TypeBitmap,
    /// <summary>Length octet then octets; base32hex without padding in text (NSEC3 next hashed owner, RFC 5155).</summary>
    Base32WithLength,
    /// <summary>48-bit (RFC 7043) EUI, "xx-xx-xx-xx-xx-xx" in text.</summary>
    Eui48,
    /// <summary>64-bit EUI, eight hex pairs joined by '-'.</summary>
    Eui64,
    /// <summary>CERT type (RFC 4398 §2.1): 16 bits; a number or a mnemonic such as PKIX in text, a number out.</summary>
    CertType,
    /// <summary>SVCB/HTTPS SvcParams up to the end (RFC 9460), key=value words in text, possibly none.</summary>
    SvcParams,
    /// <summary>The whole LOC RDATA (RFC 1876), 16 octets.</summary>
    Loc,
    /// <summary>64 bits as four groups of hex digits joined by ':' (NID and L64 of RFC 6742 §2.1.2, §2.3.2).</summary>
    Locator64,
    /// <summary>DSYNC scheme (RFC 9859 §2.1): 8 bits; the mnemonic NOTIFY for 1, or the number, in text.</summary>
    DsyncScheme,
}

internal readonly record struct Field(FieldKind Kind, string Label);

/// <summary>One descriptor per RR type with a presentation format; anything else is RFC 3597 opaque data.</summary>
internal static class RDataDescriptors
{
    private static readonly Dictionary<RecordType, Field[]> Table = Build();

    public static bool TryGet(RecordType type, out Field[] fields) => Table.TryGetValue(type, out fields!);

    private static Field F(FieldKind k, string label) => new(k, label);

    private static Dictionary<RecordType, Field[]> Build()
    {
        var t = new Dictionary<RecordType, Field[]>
        {
            [RecordType.A] = [F(FieldKind.IPv4, "address")],
            [RecordType.AAAA] = [F(FieldKind.IPv6, "address")],
            [RecordType.NS] = [F(FieldKind.CompressibleName, "name server")],
            [RecordType.MD] = [F(FieldKind.CompressibleName, "mail destination")],
            [RecordType.MF] = [F(FieldKind.CompressibleName, "mail forwarder")],
            [RecordType.CNAME] = [F(FieldKind.CompressibleName, "target")],
            [RecordType.SOA] =
            [
                F(FieldKind.CompressibleName, "primary name server"), F(FieldKind.CompressibleName, "responsible mailbox"),
                F(FieldKind.U32, "serial"), F(FieldKind.Ttl, "refresh"), F(FieldKind.Ttl, "retry"),
                F(FieldKind.Ttl, "expire"), F(FieldKind.Ttl, "minimum"),
            ],
            [RecordType.MB] = [F(FieldKind.CompressibleName, "mailbox host")],
            [RecordType.MG] = [F(FieldKind.CompressibleName, "mail group member")],
            [RecordType.MR] = [F(FieldKind.CompressibleName, "new mailbox")],
            [RecordType.PTR] = [F(FieldKind.CompressibleName, "target")],
            [RecordType.HINFO] = [F(FieldKind.CharString, "cpu"), F(FieldKind.CharString, "os")],
            [RecordType.MINFO] = [F(FieldKind.CompressibleName, "responsible mailbox"), F(FieldKind.CompressibleName, "error mailbox")],
            [RecordType.MX] = [F(FieldKind.U16, "preference"), F(FieldKind.CompressibleName, "exchange")],
            [RecordType.TXT] = [F(FieldKind.CharStrings, "text")],
            [RecordType.SPF] = [F(FieldKind.CharStrings, "text")],
            [RecordType.RP] = [F(FieldKind.Name, "mailbox"), F(FieldKind.Name, "text name")],
            [RecordType.AFSDB] = [F(FieldKind.U16, "subtype"), F(FieldKind.Name, "hostname")],
            [RecordType.SRV] = [F(FieldKind.U16, "priority"), F(FieldKind.U16, "weight"), F(FieldKind.U16, "port"), F(FieldKind.Name, "target")],
            [RecordType.NAPTR] =
            [
                F(FieldKind.U16, "order"), F(FieldKind.U16, "preference"), F(FieldKind.CharString, "flags"),
                F(FieldKind.CharString, "services"), F(FieldKind.CharString, "regexp"), F(FieldKind.Name, "replacement"),
            ],
            [RecordType.KX] = [F(FieldKind.U16, "preference"), F(FieldKind.Name, "exchanger")],
            [RecordType.DNAME] = [F(FieldKind.Name, "target")],
            [RecordType.SSHFP] = [F(FieldKind.U8, "algorithm"), F(FieldKind.U8, "fingerprint type"), F(FieldKind.Hex, "fingerprint")],
            [RecordType.TLSA] = [F(FieldKind.U8, "usage"), F(FieldKind.U8, "selector"), F(FieldKind.U8, "matching type"), F(FieldKind.Hex, "certificate data")],
            [RecordType.SMIMEA] = [F(FieldKind.U8, "usage"), F(FieldKind.U8, "selector"), F(FieldKind.U8, "matching type"), F(FieldKind.Hex, "certificate data")],
            [RecordType.DS] = [F(FieldKind.U16, "key tag"), F(FieldKind.U8, "algorithm"), F(FieldKind.U8, "digest type"), F(FieldKind.Hex, "digest")],
            [RecordType.CDS] = [F(FieldKind.U16, "key tag"), F(FieldKind.U8, "algorithm"), F(FieldKind.U8, "digest type"), F(FieldKind.Hex, "digest")],
            [RecordType.DNSKEY] = [F(FieldKind.U16, "flags"), F(FieldKind.U8, "protocol"), F(FieldKind.U8, "algorithm"), F(FieldKind.Base64, "public key")],
            [RecordType.CDNSKEY] = [F(FieldKind.U16, "flags"), F(FieldKind.U8, "protocol"), F(FieldKind.U8, "algorithm"), F(FieldKind.Base64, "public key")],
            [RecordType.NSEC3PARAM] = [F(FieldKind.U8, "hash algorithm"), F(FieldKind.U8, "flags"), F(FieldKind.U16, "iterations"), F(FieldKind.HexWithLength, "salt")],
            [RecordType.OPENPGPKEY] = [F(FieldKind.Base64, "public key")],
            [RecordType.DHCID] = [F(FieldKind.Base64, "digest")],
            [RecordType.URI] = [F(FieldKind.U16, "priority"), F(FieldKind.U16, "weight"), F(FieldKind.StringRemainder, "target")],
            [RecordType.RRSIG] =
            [
                F(FieldKind.TypeCode, "type covered"), F(FieldKind.U8, "algorithm"), F(FieldKind.U8, "labels"),
                F(FieldKind.U32, "original TTL"), F(FieldKind.Time, "signature expiration"), F(FieldKind.Time, "signature inception"),
                F(FieldKind.U16, "key tag"), F(FieldKind.Name, "signer's name"), F(FieldKind.Base64, "signature"),
            ],
            [RecordType.NSEC] = [F(FieldKind.Name, "next domain name"), F(FieldKind.TypeBitmap, "type bit maps")],
            [RecordType.NSEC3] =
            [
                F(FieldKind.U8, "hash algorithm"), F(FieldKind.U8, "flags"), F(FieldKind.U16, "iterations"),
                F(FieldKind.HexWithLength, "salt"), F(FieldKind.Base32WithLength, "next hashed owner name"), F(FieldKind.TypeBitmap, "type bit maps"),
            ],
            [RecordType.CSYNC] = [F(FieldKind.U32, "SOA serial"), F(FieldKind.U16, "flags"), F(FieldKind.TypeBitmap, "type bit maps")],
            [RecordType.ZONEMD] = [F(FieldKind.U32, "serial"), F(FieldKind.U8, "scheme"), F(FieldKind.U8, "hash algorithm"), F(FieldKind.Hex, "digest")],
            [RecordType.CERT] = [F(FieldKind.CertType, "certificate type"), F(FieldKind.U16, "key tag"), F(FieldKind.U8, "algorithm"), F(FieldKind.Base64, "certificate")],
            [RecordType.EUI48] = [F(FieldKind.Eui48, "address")],
            [RecordType.EUI64] = [F(FieldKind.Eui64, "address")],
            [RecordType.SVCB] = [F(FieldKind.U16, "priority"), F(FieldKind.Name, "target"), F(FieldKind.SvcParams, "parameters")],
            [RecordType.HTTPS] = [F(FieldKind.U16, "priority"), F(FieldKind.Name, "target"), F(FieldKind.SvcParams, "parameters")],
            [RecordType.LOC] = [F(FieldKind.Loc, "location")],
            [RecordType.CAA] = [F(FieldKind.U8, "flags"), F(FieldKind.CaaTag, "tag"), F(FieldKind.StringRemainder, "value")],

            // Types whose RDATA is "the same as TXT" in their IANA templates or RFCs: NINFO, AVC, WALLET, and
            // RESINFO (RFC 9606 §3: key=value pairs in TXT's format).
            [RecordType.NINFO] = [F(FieldKind.CharStrings, "text")],
            [RecordType.AVC] = [F(FieldKind.CharStrings, "text")],
            [RecordType.RESINFO] = [F(FieldKind.CharStrings, "text")],
            [RecordType.WALLET] = [F(FieldKind.CharStrings, "text")],
            // RFC 1183 §3.3; RFC 2535 §4.1 and §3.1 (SIG and KEY, read as RRSIG and DNSKEY, RFC 3755 §3);
            // TA and DLV as DS (their IANA templates, RFC 4431 §2)
            [RecordType.RT] = [F(FieldKind.U16, "preference"), F(FieldKind.Name, "intermediate host")],
            [RecordType.KEY] = [F(FieldKind.U16, "flags"), F(FieldKind.U8, "protocol"), F(FieldKind.U8, "algorithm"), F(FieldKind.Base64, "public key")],
            [RecordType.SIG] =
            [
                F(FieldKind.TypeCode, "type covered"), F(FieldKind.U8, "algorithm"), F(FieldKind.U8, "labels"),
                F(FieldKind.U32, "original TTL"), F(FieldKind.Time, "signature expiration"), F(FieldKind.Time, "signature inception"),
                F(FieldKind.U16, "key tag"), F(FieldKind.Name, "signer's name"), F(FieldKind.Base64, "signature"),
            ],
            [RecordType.TA] = [F(FieldKind.U16, "key tag"), F(FieldKind.U8, "algorithm"), F(FieldKind.U8, "digest type"), F(FieldKind.Hex, "digest")],
            [RecordType.DLV] = [F(FieldKind.U16, "key tag"), F(FieldKind.U8, "algorithm"), F(FieldKind.U8, "digest type"), F(FieldKind.Hex, "digest")],
            // ILNP (RFC 6742 §2)
            [RecordType.NID] = [F(FieldKind.U16, "preference"), F(FieldKind.Locator64, "node ID")],
            [RecordType.L32] = [F(FieldKind.U16, "preference"), F(FieldKind.IPv4, "locator")],
            [RecordType.L64] = [F(FieldKind.U16, "preference"), F(FieldKind.Locator64, "locator")],
            [RecordType.LP] = [F(FieldKind.U16, "preference"), F(FieldKind.Name, "FQDN")],
            // RFC 9859 §2: where a parent takes generalized NOTIFY (or other schemes) for the child's delegation
            [RecordType.DSYNC] = [F(FieldKind.TypeCode, "RRtype"), F(FieldKind.DsyncScheme, "scheme"), F(FieldKind.U16, "port"), F(FieldKind.Name, "target")],
        };
        return t;
    }
}
