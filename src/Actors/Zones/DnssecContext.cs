using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// What signing needs beyond the pure zone state: the node's key-encryption key, the opened private keys and the
/// zone's <see cref="ZoneSigner"/> (which keeps unchanged RRSIGs between changes). One per zone actor; never leaves
/// the zones node. Key material is never logged.
/// </summary>
internal sealed class DnssecContext : IDisposable
{
    private readonly Dictionary<int, (byte[] Sealed, DnssecKey Key)> _open = new();
    private ZoneSigner? _signer;

    public DnssecContext(ZoneId zone, DnssecSettings settings, KeyProtector? protector)
    {
        Zone = zone; Settings = settings; Protector = protector;
    }

    public ZoneId Zone { get; }
    public DnssecSettings Settings { get; }
    /// <summary>Null on a node without a key-encryption key: DNSSEC commands are refused there.</summary>
    public KeyProtector? Protector { get; }

    /// <summary>The zone's signer, seeded on first use with the records already signed (so they are reused).</summary>
    public ZoneSigner Signer(IReadOnlyList<ResourceRecord> current)
    {
        if (_signer is null)
        {
            _signer = new ZoneSigner(Zone.Name);
            _signer.Seed(current);
        }
        return _signer;
    }

    /// <summary>The last event signed here: while it is the zone's last applied event, the signer's NSEC3 index matches
    /// the zone's records (see <see cref="ZoneDnssec"/>); any other event in between (a change not stored, a recovery)
    /// makes the next incremental change rebuild the index.</summary>
    public IZoneEvent? SignedLast { get; set; }

    /// <summary>Forgets the signer's memory (after a rollback or a failed persist, whose output was never stored).</summary>
    public void ResetSigner() { _signer = null; SignedLast = null; }

    public DnssecKey Open(ZoneKey key)
    {
        if (_open.TryGetValue(key.Id, out var open) && ReferenceEquals(open.Sealed, key.SealedPrivateKey)) return open.Key;
        var protector = Protector ?? throw new InvalidOperationException(NoKekMessage);
        var pkcs8 = protector.Unseal(key.SealedPrivateKey, ZoneKey.SealContext(Zone, key.Id));
        try
        {
            var k = DnssecKey.Import(key.Algorithm, key.Flags, pkcs8);
            if (_open.Remove(key.Id, out var old)) old.Key.Dispose();
            _open[key.Id] = (key.SealedPrivateKey, k);
            return k;
        }
        finally { Array.Clear(pkcs8); }
    }

    /// <summary>A new key, its private half sealed at once.</summary>
    public ZoneKey NewKey(int id, KeyRole role, DnssecAlgorithm algorithm, int? bits, KeyPhase phase, DateTimeOffset now)
    {
        var protector = Protector ?? throw new InvalidOperationException(NoKekMessage);
        var key = DnssecKey.Generate(algorithm, role is KeyRole.Csk or KeyRole.Ksk, bits ?? 2048);
        var pkcs8 = key.ExportPkcs8();
        try
        {
            var sealedKey = protector.Seal(pkcs8, ZoneKey.SealContext(Zone, id));
            _open[id] = (sealedKey, key);
            return new ZoneKey(id, role, algorithm, key.Flags, key.KeyTag, key.Bits, key.DnskeyRData, sealedKey, now, phase, now, DsSeen: false);
        }
        finally { Array.Clear(pkcs8); }
    }

    /// <summary>The private key of <paramref name="key"/> (PKCS#8), for the explicit single-key API GET only.</summary>
    public byte[] ExportPrivate(ZoneKey key) => Open(key).ExportPkcs8();

    public string NoKekMessage => $"zone {Zone}: this node has no DNSSEC key-encryption key (akkadns.dnssec.kek or DATA/{KeyProtector.FileName}), so it cannot sign";

    public void Dispose()
    {
        foreach (var (_, k) in _open.Values) k.Dispose();
        _open.Clear();
    }
}
