using System.Collections.Immutable;
using AkkaDns.Actors.Serialization;
using AkkaDns.Resolver.Dnssec;

namespace AkkaDns.Actors.Zones;

/// <summary>CSK signs everything; a KSK signs the DNSKEY RRset (and CDS/CDNSKEY); a ZSK the rest.</summary>
public enum KeyRole : byte { Csk = 1, Ksk = 2, Zsk = 3 }

/// <summary>A key's place in its life (RFC 6781 §4.1): published in the DNSKEY RRset without signing (pre-publish),
/// active (published and signing), retired (still published, no longer signing, removed once caches forgot its
/// signatures), or inactive (published, not signing, kept until an operator acts: PowerDNS's "active: false").</summary>
public enum KeyPhase : byte { Published = 1, Active = 2, Retired = 3, Inactive = 4 }

/// <summary>
/// One signing key of a zone. The private key is only ever held sealed (<see cref="KeyProtector"/>): this record is
/// journaled and snapshotted on the zones side, and never sent to an edge (edges get the signed records only).
/// </summary>
public sealed record ZoneKey(int Id, KeyRole Role, DnssecAlgorithm Algorithm, ushort Flags, ushort KeyTag, int Bits,
    byte[] Dnskey, byte[] SealedPrivateKey, DateTimeOffset Created, KeyPhase Phase, DateTimeOffset PhaseSince, bool DsSeen)
{
    public bool SignsZone => Phase == KeyPhase.Active && Role is KeyRole.Csk or KeyRole.Zsk;
    public bool SignsKeys => Phase == KeyPhase.Active && Role is KeyRole.Csk or KeyRole.Ksk;
    /// <summary>CSK and KSK are the keys a parent's DS points to (the SEP flag).</summary>
    public bool IsSep => Role is KeyRole.Csk or KeyRole.Ksk;

    /// <summary>The associated data a sealed key is bound to.</summary>
    public static string SealContext(ZoneId zone, int id) => $"dnssec key {id} of zone {zone}";

    // Never print the sealed bytes either (they are not the key, but keep logs free of key material of any form).
    public override string ToString() => $"key {Id} {Role} alg {(byte)Algorithm} tag {KeyTag} {Phase}{(DsSeen ? " ds-seen" : "")}";
}

/// <summary>A zone's DNSSEC settings and keys (part of <see cref="ZoneState"/>).</summary>
public sealed record DnssecState
{
    public static readonly DnssecState Off = new();

    public bool Enabled { get; init; }
    public bool Nsec3 { get; init; } = true;
    public ushort Nsec3Iterations { get; init; }
    public byte[] Nsec3Salt { get; init; } = [];
    public bool OptOut { get; init; }
    /// <summary>Publishing the RFC 8078 delete CDS/CDNSKEY: the first step of turning DNSSEC off.</summary>
    public bool CdsDelete { get; init; }
    public ImmutableList<ZoneKey> Keys { get; init; } = [];
    public int NextKeyId { get; init; } = 1;

    public DnssecState WithKey(ZoneKey key) => this with { Keys = Keys.RemoveAll(k => k.Id == key.Id).Add(key).Sort((a, b) => a.Id.CompareTo(b.Id)) };

    public SigningPolicy Policy(DnssecSettings settings) => new()
    {
        UseNsec3 = Nsec3, Nsec3Iterations = Nsec3Iterations, Nsec3Salt = Nsec3Salt, OptOut = OptOut,
        SignatureLifetime = settings.SignatureLifetime, RefreshBefore = settings.RefreshBefore,
        PublishCds = true, PublishCdsDelete = CdsDelete,
    };

    public override string ToString() => Enabled
        ? $"signed ({(Nsec3 ? $"NSEC3 {Nsec3Iterations} iterations" : "NSEC")}), {Keys.Count} keys"
        : "unsigned";
}

public enum DnssecAction : byte { Enable = 1, Disable = 2, AddKey = 3, SetKey = 4, RemoveKey = 5, DsSeen = 6, Rollover = 7, Refresh = 8, SetDenial = 9 }

/// <summary>What a <see cref="DnssecCommand"/> may carry; unset fields keep the zone's current value or the defaults.</summary>
public sealed record DnssecOptions
{
    public static readonly DnssecOptions None = new();
    public KeyRole? Role { get; init; }
    public DnssecAlgorithm? Algorithm { get; init; }
    public int? Bits { get; init; }
    public int? KeyId { get; init; }
    public bool? Active { get; init; }
    public bool? Published { get; init; }
    public bool? Nsec3 { get; init; }
    public ushort? Iterations { get; init; }
    public byte[]? Salt { get; init; }
    public bool? OptOut { get; init; }
    /// <summary>Disable: the parent no longer has a DS for the zone, so the signatures may go (the held step).</summary>
    public bool DsRemoved { get; init; }
    /// <summary>Enable: a KSK and a ZSK instead of one CSK.</summary>
    public bool SplitKeys { get; init; }
}

/// <summary>Every DNSSEC operation on a zone: a zone command like any other (same actor, same journal, same guard).</summary>
public sealed record DnssecCommand(ZoneId ZoneId, DnssecAction Action, string Who, DnssecOptions Options) : IZoneCommand;

/// <summary>
/// The zone's DNSSEC settings or keys changed, or its signatures were refreshed, as one version: the new
/// <see cref="Dnssec"/> state (keys sealed) and the record changes (DNSKEY, RRSIG, NSEC3…, the SOA serial).
/// Edges never see this event: they are sent <see cref="ForEdges"/> (the record changes only).
/// </summary>
internal sealed record DnssecChanged(ZoneId ZoneId, long Version, DateTimeOffset At, string Who, uint Serial,
    string What, DnssecState Dnssec, IReadOnlyList<RRsetChange> Changes) : IZoneEvent
{
    public ZoneEvents.RRsetsChanged ForEdges() => new(ZoneId, Version, At, Who, Serial, Changes);
}

/// <summary>Asks a zone for its DNSSEC view; with <see cref="PrivateKeyOf"/>, that key's private key too (the
/// explicit single-key GET of the API).</summary>
public sealed record GetDnssec(ZoneId ZoneId, int? PrivateKeyOf = null) : IWithZoneId, IAkkaDnsMessage;

public sealed record KeyView(int Id, KeyRole Role, DnssecAlgorithm Algorithm, ushort Flags, ushort KeyTag, int Bits, byte[] Dnskey,
    KeyPhase Phase, DateTimeOffset Created, DateTimeOffset PhaseSince, bool DsSeen, byte[]? PrivateKeyPkcs8);

public sealed record DnssecView(ZoneId ZoneId, bool Exists, bool Enabled, bool Nsec3, ushort Nsec3Iterations, byte[] Nsec3Salt, bool OptOut,
    bool CdsDelete, IReadOnlyList<KeyView> Keys, DateTimeOffset? EarliestExpiry, DateTimeOffset? NextAction, string? Problem) : IAkkaDnsMessage;
