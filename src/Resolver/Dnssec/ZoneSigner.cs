using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>
/// Signs one zone, and re-signs it after each change doing only the work the change needs. One per zone, kept by the
/// caller (the zone actor) between changes; not thread-safe (one caller), though one run signs on every core.
/// </summary>
/// <remarks>
/// Choices the RFCs leave open, and what Knot does:
/// <list type="bullet">
/// <item>Every authoritative RRset is signed; at a cut only DS (and NSEC); nothing below a cut (RFC 4035 §2.2).
///   Knot: the same.</item>
/// <item>DNSKEY, CDS and CDNSKEY are signed by the keys with <see cref="SigningKey.SignsKeys"/>, everything else by
///   those with <see cref="SigningKey.SignsZone"/>; each such key makes one RRSIG (Knot: the same, with a CSK one
///   RRSIG per RRset).</item>
/// <item>DNSKEY/CDS/CDNSKEY TTL: <see cref="SigningPolicy.DnskeyTtl"/> or the SOA TTL (Knot's dnskey-ttl default; Knot
///   3.2 gives CDS/CDNSKEY TTL 0, which no RFC asks for: a listed difference of the DO=1 differential);
///   NSEC/NSEC3/NSEC3PARAM TTL: min(SOA MINIMUM, SOA TTL) (RFC 9077).</item>
/// <item>Inception = now − backdate; expiration = inception + lifetime − a per-RRset offset in [0, spread × lifetime)
///   derived from the owner and type, so re-signing is spread out. Knot spreads by jitter on the refresh instead.</item>
/// <item>Reuse: an RRSIG is kept when the canonical RRset it covers is byte-identical (same TTL), its key still signs
///   that role, and it expires after now + <see cref="SigningPolicy.RefreshBefore"/>.</item>
/// <item>Each run rebuilds the name order and the denial chain (cheap: no signing) and signs only the RRsets whose
///   bytes changed, so a one-record change makes a handful of signatures; NSEC3 hashes are cached per name.</item>
/// </list>
/// </remarks>
public sealed partial class ZoneSigner
{
    private readonly DnsName _origin;
    private readonly DnsName _signerName;
    private Dictionary<(DnsName, RecordType), SignedRRset> _previous = new();
    private Dictionary<DnsName, byte[]> _hashes = new();
    private (byte[] Salt, ushort Iterations) _hashParameters = ([], 0);

    public ZoneSigner(DnsName origin)
    {
        _origin = origin;
        _signerName = origin.ToLowerCase();
    }

    /// <summary>The types the signer makes itself; in the operator's records they are ignored and regenerated.</summary>
    public static bool IsGenerated(RecordType type) => type is RecordType.RRSIG or RecordType.NSEC or RecordType.NSEC3
        or RecordType.NSEC3PARAM or RecordType.DNSKEY or RecordType.CDS or RecordType.CDNSKEY;

    /// <summary>The records without the generated types: the operator's zone behind a signed one.</summary>
    public static IReadOnlyList<ResourceRecord> StripGenerated(IReadOnlyList<ResourceRecord> records) =>
        records.Where(r => !IsGenerated(r.Type)).ToList();

    /// <summary>Seeds what was signed before (e.g. records recovered from the journal), so unchanged RRsets keep their
    /// RRSIGs. Replaces whatever the signer remembered.</summary>
    public void Seed(IReadOnlyList<ResourceRecord> signedRecords)
    {
        var sets = new Dictionary<(DnsName, RecordType), RRset>();
        var sigs = new Dictionary<(DnsName, RecordType), List<ResourceRecord>>();
        foreach (var r in signedRecords)
        {
            if (!r.Owner.IsSubdomainOf(_origin)) continue;
            if (r.Type == RecordType.RRSIG)
            {
                if (!RrsetSigner.IsWellFormed(r.RData)) continue;
                var key = (r.Owner, RrsetSigner.TypeCovered(r.RData));
                if (!sigs.TryGetValue(key, out var list)) sigs[key] = list = new List<ResourceRecord>(1);
                list.Add(r);
            }
            else
            {
                var key = (r.Owner, r.Type);
                if (!sets.TryGetValue(key, out var set)) sets[key] = set = new RRset(r.Owner, r.Type, r.Ttl);
                set.Add(r);
            }
        }
        var previous = new Dictionary<(DnsName, RecordType), SignedRRset>(sigs.Count);
        foreach (var (key, list) in sigs)
        {
            if (!sets.TryGetValue(key, out var set)) continue;
            var canonical = RrsetSigner.CanonicalRRset(set.Owner, set.Type, set.Ttl, set.Records);
            previous[key] = new SignedRRset(RrsetSigner.Digest(canonical), list.ToArray());
        }
        _previous = previous;
    }

    /// <summary>Signs <paramref name="unsigned"/> (the operator's records; generated types in it are ignored) with
    /// <paramref name="keys"/> at time <paramref name="now"/>, keeping every previous RRSIG still good.</summary>
    public SignedZone Sign(IReadOnlyList<ResourceRecord> unsigned, IReadOnlyList<SigningKey> keys, SigningPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(unsigned);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(policy);
        if (!keys.Any(k => k.Signs(keyRole: false))) throw new ArgumentException("no published key signs the zone (SignsZone)", nameof(keys));
        if (!keys.Any(k => k.Signs(keyRole: true))) throw new ArgumentException("no published key signs the DNSKEY RRset (SignsKeys)", nameof(keys));
        if (policy.Nsec3Salt.Length > 255) throw new ArgumentException("the NSEC3 salt is longer than 255 octets", nameof(policy));
        if (policy.SignatureLifetime <= TimeSpan.Zero || policy.ExpirySpread is < 0 or >= 1)
            throw new ArgumentException("the signature lifetime must be positive and the spread in [0, 1)", nameof(policy));

        _chain = null; // the incremental path's NSEC3 index is rebuilt from the records next time
        var tree = ZoneTree.Build(_origin, unsigned);
        var apex = tree.Apex;
        var soa = apex.Find(RecordType.SOA)!;
        uint keyTtl = policy.DnskeyTtl ?? soa.Ttl;
        uint denialTtl = DenialChain.Ttl(soa);
        AddApexRecords(apex, keys, policy, keyTtl, denialTtl);

        List<RRset> denial;
        if (policy.UseNsec3)
        {
            var cache = UseHashCache(policy);
            var next = new Dictionary<DnsName, byte[]>(tree.Nodes.Length);
            denial = DenialChain.Nsec3(tree, policy, denialTtl, n =>
            {
                if (!cache.TryGetValue(n.Name, out var h))
                {
                    h = new byte[Nsec3Hash.Length];
                    Nsec3Hash.TryHash(n.Name.Wire, policy.Nsec3Salt, policy.Nsec3Iterations, h);
                }
                next[n.Name] = h;
                return h;
            });
            _hashes = next;
        }
        else denial = DenialChain.Nsec(tree, denialTtl);

        // Everything to sign, in output order.
        var tasks = new List<RRset>(tree.Nodes.Length * 2);
        foreach (var n in tree.Nodes)
        {
            if (n.Kind is NodeKind.Apex or NodeKind.Authoritative) tasks.AddRange(n.Sets);
            else if (n.Kind == NodeKind.Delegation && n.Find(RecordType.DS) is { } ds) tasks.Add(ds);
        }
        tasks.AddRange(denial);

        var timing = new Timing(policy, now);
        var zoneKeys = keys.Where(k => k.Signs(keyRole: false)).Select(k => k.Key).ToArray();
        var keyKeys = keys.Where(k => k.Signs(keyRole: true)).Select(k => k.Key).ToArray();
        var results = new SignedRRset[tasks.Count];
        int made = 0, kept = 0;
        Parallel.For(0, tasks.Count, () => (Made: 0, Kept: 0), (i, _, counts) =>
        {
            var set = tasks[i];
            var signers = set.Type is RecordType.DNSKEY or RecordType.CDS or RecordType.CDNSKEY ? keyKeys : zoneKeys;
            results[i] = SignOne(set, signers, timing, ref counts.Made, ref counts.Kept);
            return counts;
        }, counts => { Interlocked.Add(ref made, counts.Made); Interlocked.Add(ref kept, counts.Kept); });

        // Output and the memory for the next run.
        var remembered = new Dictionary<(DnsName, RecordType), SignedRRset>(tasks.Count);
        uint earliest = uint.MaxValue;
        for (int i = 0; i < tasks.Count; i++)
        {
            tasks[i].Signed = results[i];
            remembered[(tasks[i].Owner, tasks[i].Type)] = results[i];
            foreach (var s in results[i].Signatures) earliest = Math.Min(earliest, RrsetSigner.Expiration(s.RData));
        }
        _previous = remembered;

        var records = new List<ResourceRecord>(unsigned.Count + tasks.Count * (1 + zoneKeys.Length));
        var nsecByOwner = policy.UseNsec3 ? null : denial.ToDictionary(d => d.Owner);
        foreach (var n in tree.Nodes)
        {
            foreach (var set in n.Sets) Append(records, set);
            if (nsecByOwner is not null && nsecByOwner.TryGetValue(n.Name, out var nsec)) Append(records, nsec);
        }
        if (policy.UseNsec3) foreach (var set in denial) Append(records, set);

        var earliestExpiry = earliest == uint.MaxValue ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(earliest);
        return new SignedZone(records, earliestExpiry, made, kept);
    }

    private static void Append(List<ResourceRecord> records, RRset set)
    {
        foreach (var r in set.Records) records.Add(r.Ttl == set.Ttl ? r : r.WithTtl(set.Ttl));
        if (set.Signed is { } signed) records.AddRange(signed.Signatures);
    }

    private Dictionary<DnsName, byte[]> UseHashCache(SigningPolicy policy)
    {
        if (_hashParameters.Iterations != policy.Nsec3Iterations || !_hashParameters.Salt.AsSpan().SequenceEqual(policy.Nsec3Salt))
        {
            _hashes = new Dictionary<DnsName, byte[]>();
            _hashParameters = (policy.Nsec3Salt.ToArray(), policy.Nsec3Iterations);
        }
        return _hashes;
    }

    private void AddApexRecords(ZoneNode apex, IReadOnlyList<SigningKey> keys, SigningPolicy policy, uint keyTtl, uint denialTtl)
    {
        var dnskey = apex.GetOrAdd(RecordType.DNSKEY, keyTtl);
        foreach (var k in keys.Where(k => k.Published)) dnskey.Add(k.Key.ToDnskey(_origin, keyTtl));
        if (policy.PublishCdsDelete)
        {
            apex.GetOrAdd(RecordType.CDS, keyTtl).Add(new ResourceRecord(_origin, RecordType.CDS, keyTtl, [0, 0, 0, 0, 0]));
            apex.GetOrAdd(RecordType.CDNSKEY, keyTtl).Add(new ResourceRecord(_origin, RecordType.CDNSKEY, keyTtl, [0, 0, 3, 0, 0]));
        }
        else if (policy.PublishCds)
        {
            foreach (var k in keys.Where(k => k.Signs(keyRole: true)))
            {
                apex.GetOrAdd(RecordType.CDS, keyTtl).Add(k.Key.ToDs(_origin, keyTtl, 2, RecordType.CDS));
                apex.GetOrAdd(RecordType.CDNSKEY, keyTtl).Add(k.Key.ToDnskey(_origin, keyTtl, RecordType.CDNSKEY));
            }
        }
        if (policy.UseNsec3)
            apex.GetOrAdd(RecordType.NSEC3PARAM, denialTtl).Add(new ResourceRecord(_origin, RecordType.NSEC3PARAM, denialTtl, DenialChain.Nsec3ParamRData(policy)));
        apex.Sets.Sort((a, b) => ((ushort)a.Type).CompareTo((ushort)b.Type));
    }

    private SignedRRset SignOne(RRset set, DnssecKey[] signers, Timing timing, ref int made, ref int kept)
    {
        var canonical = RrsetSigner.CanonicalRRset(set.Owner, set.Type, set.Ttl, set.Records);
        var digest = RrsetSigner.Digest(canonical);
        _previous.TryGetValue((set.Owner, set.Type), out var before);
        bool same = before is not null && before.Digest.AsSpan().SequenceEqual(digest);
        byte labels = RrsetSigner.Labels(set.Owner);
        var signatures = new ResourceRecord[signers.Length];
        for (int k = 0; k < signers.Length; k++)
        {
            var key = signers[k];
            ResourceRecord? reuse = null;
            if (same)
                foreach (var old in before!.Signatures)
                    if (RrsetSigner.KeyTag(old.RData) == key.KeyTag && RrsetSigner.Algorithm(old.RData) == (byte)key.Algorithm
                        && RrsetSigner.LabelsField(old.RData) == labels && RrsetSigner.OriginalTtl(old.RData) == set.Ttl
                        && old.Ttl == set.Ttl && timing.StillGood(old.RData))
                    { reuse = old; break; }
            if (reuse is not null) { signatures[k] = reuse; kept++; continue; }
            var (inception, expiration) = timing.For(set.Owner, set.Type);
            signatures[k] = RrsetSigner.Sign(set.Owner, set.Type, set.Ttl, canonical, key, _signerName, inception, expiration);
            made++;
        }
        return new SignedRRset(digest, signatures);
    }

    /// <summary>Signature times of one run.</summary>
    private sealed class Timing
    {
        private readonly long _now, _refreshUntil, _inception, _fullExpiration, _spread;

        public Timing(SigningPolicy policy, DateTimeOffset now)
        {
            _now = now.ToUnixTimeSeconds();
            _refreshUntil = (now + policy.RefreshBefore).ToUnixTimeSeconds();
            _inception = (now - policy.InceptionBackdate).ToUnixTimeSeconds();
            _fullExpiration = _inception + (long)policy.SignatureLifetime.TotalSeconds;
            _spread = (long)(policy.SignatureLifetime.TotalSeconds * policy.ExpirySpread);
        }

        public (uint Inception, uint Expiration) For(DnsName owner, RecordType type)
        {
            long offset = _spread <= 0 ? 0 : (long)(Mix((uint)owner.GetHashCode() ^ ((uint)type * 0x9E3779B1u)) % (ulong)_spread);
            return ((uint)_inception, (uint)(_fullExpiration - offset));
        }

        /// <summary>Already valid and valid past the refresh horizon (times as unsigned seconds: fine until 2106).</summary>
        public bool StillGood(ReadOnlySpan<byte> rrsig) =>
            RrsetSigner.Inception(rrsig) <= _now && RrsetSigner.Expiration(rrsig) > _refreshUntil;

        private static ulong Mix(uint h)
        {
            // murmur3's finalizer: the owner hash's low bits alone would cluster.
            h ^= h >> 16; h *= 0x85EBCA6B; h ^= h >> 13; h *= 0xC2B2AE35; h ^= h >> 16;
            return h;
        }
    }
}
