namespace AkkaDns.Resolver.Dnssec;

/// <summary>DNSSEC signing algorithms (IANA "DNS Security Algorithm Numbers") that the signer supports.</summary>
public enum DnssecAlgorithm : byte
{
    /// <summary>RSA/SHA-256, RFC 5702; public key in the RFC 3110 format.</summary>
    RsaSha256 = 8,
    /// <summary>ECDSA P-256 with SHA-256, RFC 6605: 64-octet public key Qx||Qy, 64-octet signature r||s.</summary>
    EcdsaP256Sha256 = 13,
    /// <summary>ECDSA P-384 with SHA-384, RFC 6605: 96-octet public key, 96-octet signature.</summary>
    EcdsaP384Sha384 = 14,
    /// <summary>Ed25519, RFC 8080: 32-octet public key, 64-octet signature (through NSec/libsodium).</summary>
    Ed25519 = 15,
}
