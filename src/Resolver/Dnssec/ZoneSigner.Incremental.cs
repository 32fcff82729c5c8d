using System.Buffers.Binary;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>One RRset of a change: its new records, or none for a deletion.</summary>
public sealed record RRsetEdit(DnsName Owner, RecordType Type, IReadOnlyList<ResourceRecord> Records)
{
    public bool IsDelete => Records.Count == 0;
}

/// <summary>
/// Incremental signing (Knot's model): an ordinary change signs only the RRsets it touches and repairs the denial chain
/// around the names it touches, so its cost follows the change, not the zone. The result is what <see cref="Sign"/> would
/// make of the same unsigned records, signature bytes aside, for every name the change touches; RRSIGs of untouched
/// RRsets are not refreshed here (the zone's refresh does that through <see cref="Sign"/>).
/// </summary>
/// <remarks>
/// Names that may change what they are (and so their RRSIGs, NSEC/NSEC3): the changed owners, their ancestors (empty
/// non-terminals appear and disappear), and when a name gains or loses its NS, every name below it (occluded or not).
/// The NSEC3 chain is kept between changes as the sorted NSEC3 owner names (base32hex keeps the hash order, so the
/// canonical order of the owners is the chain order); it is rebuilt from the records when the caller says it may not
/// match them (first change after a start, after a whole-zone signing, after a change that was not stored).
/// </remarks>
public sealed partial class ZoneSigner
{
    /// <summary>The NSEC3 owners of the zone as last signed incrementally, in chain order; null = unknown.</summary>
    private List<DnsName>? _chain;

    /// <summary>How many changes <see cref="SignChange"/> signed (the others went to <see cref="Sign"/>), and how many of them
    /// had to rebuild the NSEC3 index from the records first.</summary>
    public int ChangesSigned { get; private set; }
    public int ChainRebuilds { get; private set; }

    /// <summary>Forgets the NSEC3 chain index (it is rebuilt from the records on the next incremental change).</summary>
    public void ForgetChain() => _chain = null;

    /// <summary>
    /// Signs a change of a signed zone. <paramref name="current"/> is the zone as signed now (unsigned and generated
    /// records), sorted by owner in canonical order (the SOA may come first: it is the apex's); <paramref name="changes"/>
    /// the operator's RRset changes (no generated types, the SOA not among them) and <paramref name="serial"/> the SOA
    /// serial after the change. Returns the generated RRsets (RRSIG, NSEC3, NSEC) to replace or delete on top of the
    /// change, or null when the change needs <see cref="Sign"/> instead. <paramref name="chainCurrent"/>: the signer's
    /// NSEC3 index was left by the change that made <paramref name="current"/>.
    /// </summary>
    public IReadOnlyList<RRsetEdit>? SignChange(IReadOnlyList<ResourceRecord> current, IReadOnlyList<RRsetEdit> changes, uint serial,
        IReadOnlyList<SigningKey> keys, SigningPolicy policy, DateTimeOffset now, bool chainCurrent)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(policy);
        if (!keys.Any(k => k.Signs(keyRole: false)) || !keys.Any(k => k.Signs(keyRole: true))) return null;
        if (policy.SignatureLifetime <= TimeSpan.Zero || policy.ExpirySpread is < 0 or >= 1 || policy.Nsec3Salt.Length > 255) return null;
        foreach (var c in changes)
        {
            if (IsGenerated(c.Type) || !c.Owner.IsSubdomainOf(_origin)) return null;
            if (c.Type == RecordType.SOA && c.Owner.Equals(_origin)) return null; // TTLs of keys and denial may move: whole zone
            foreach (var r in c.Records) if (!r.Owner.Equals(c.Owner) || r.Type != c.Type) return null;
        }
        var view = new ChangeView(_origin, current, changes, serial);
        if (view.SoaAfter is null) return null;
        if (policy.UseNsec3 && !UseChain(current, chainCurrent)) return null;
        try
        {
            var edits = new IncrementalRun(this, view, keys, policy, now).Run();
            ChangesSigned++;
            return edits;
        }
        catch (Exception e) when (e is not (InvalidOperationException or System.Security.Cryptography.CryptographicException))
        {
            // The records did not hold what the index said (a bug, not a state to live with): the whole-zone path is right.
            _chain = null;
            return null;
        }
        catch { _chain = null; throw; } // half-updated: rebuilt from the records next time
    }

    /// <summary>Makes sure <see cref="_chain"/> matches <paramref name="current"/>, rebuilding it in one pass if needed.</summary>
    private bool UseChain(IReadOnlyList<ResourceRecord> current, bool chainCurrent)
    {
        if (chainCurrent && _chain is not null) return true;
        ChainRebuilds++;
        var chain = new List<DnsName>();
        foreach (var r in current)
            if (r.Type == RecordType.NSEC3) chain.Add(r.Owner);
        for (int i = 1; i < chain.Count; i++)
            if (chain[i - 1].CompareTo(chain[i]) >= 0) { _chain = null; return false; } // not sorted as promised: full path
        _chain = chain;
        return true;
    }

    /// <summary>One incremental signing: which names change, their new signatures and denial records.</summary>
    private sealed partial class IncrementalRun
    {
        private readonly ZoneSigner _signer;
        private readonly ChangeView _view;
        private readonly SigningPolicy _policy;
        private readonly IReadOnlyList<SigningKey> _keys;
        private readonly Timing _timing;
        private readonly DnssecKey[] _zoneKeys, _keyKeys;
        private readonly uint _keyTtl, _denialTtl;
        /// <summary>Per owner: the RRSIGs to set, by type covered; <see cref="_allTypes"/> owners lose every other RRSIG
        /// except those over NSEC/NSEC3.</summary>
        private readonly Dictionary<DnsName, Dictionary<RecordType, ResourceRecord[]>> _signatures = new();
        private readonly HashSet<DnsName> _allTypes = new();
        private readonly List<RRsetEdit> _edits = new();
        private int _made, _kept;

        public IncrementalRun(ZoneSigner signer, ChangeView view, IReadOnlyList<SigningKey> keys, SigningPolicy policy, DateTimeOffset now)
        {
            _signer = signer; _view = view; _policy = policy; _keys = keys;
            _timing = new Timing(policy, now);
            _zoneKeys = keys.Where(k => k.Signs(keyRole: false)).Select(k => k.Key).ToArray();
            _keyKeys = keys.Where(k => k.Signs(keyRole: true)).Select(k => k.Key).ToArray();
            var soa = new RRset(view.Origin, RecordType.SOA, view.SoaAfter!.Ttl);
            soa.Add(view.SoaAfter);
            _keyTtl = policy.DnskeyTtl ?? soa.Ttl;
            _denialTtl = DenialChain.Ttl(soa);
        }

        public IReadOnlyList<RRsetEdit> Run()
        {
            var names = AffectedNames();
            var nodes = new Dictionary<DnsName, ZoneNode?>(names.Count);
            foreach (var n in names) nodes[n] = Node(n);

            foreach (var (name, node) in nodes)
            {
                _allTypes.Add(name);
                var sigs = Slot(name);
                if (node is null) continue;
                foreach (var set in node.Sets)
                {
                    bool signs = node.Kind is NodeKind.Apex or NodeKind.Authoritative
                                 || (node.Kind == NodeKind.Delegation && set.Type == RecordType.DS);
                    if (signs) sigs[set.Type] = SignSet(set);
                    else _signer._previous.Remove((set.Owner, set.Type));
                }
            }
            if (_policy.UseNsec3) RepairNsec3(nodes); else RepairNsec(nodes);
            EditSignatures();
            return _edits;
        }

        // ------------------------------------------------------------ which names

        private HashSet<DnsName> AffectedNames()
        {
            var names = new HashSet<DnsName> { _view.Origin };
            void AddWithAncestors(DnsName n, DnsName stop)
            {
                for (var p = n; names.Add(p) && p.LabelCount > stop.LabelCount; p = p.Parent()) { }
            }
            foreach (var owner in _view.ChangedOwners.ToList())
            {
                AddWithAncestors(owner, _view.Origin);
                // A name that becomes or stops being a cut changes what every name below it is.
                if (!owner.Equals(_view.Origin) && _view.Has(owner, RecordType.NS, after: false) != _view.Has(owner, RecordType.NS, after: true))
                    foreach (var below in _view.Below(owner)) AddWithAncestors(below, owner);
            }
            return names;
        }

        /// <summary>The name after the change as the full signer's tree would have it, or null when it no longer exists.</summary>
        private ZoneNode? Node(DnsName name)
        {
            var records = _view.Records(name, after: true);
            bool apex = name.Equals(_view.Origin);
            if (records.Count == 0 && !apex && !_view.HasDescendants(name, after: true)) return null;
            var node = new ZoneNode(records.Count > 0 ? records[0].Owner : name);
            foreach (var r in records) node.GetOrAdd(r.Type, r.Ttl).Add(r);
            node.Sets.Sort((a, b) => ((ushort)a.Type).CompareTo((ushort)b.Type));
            if (apex)
            {
                node.Kind = NodeKind.Apex;
                _signer.AddApexRecords(node, _keys, _policy, _keyTtl, _denialTtl);
                return node;
            }
            for (var p = name.Parent(); p.LabelCount > _view.Origin.LabelCount; p = p.Parent())
                if (_view.Has(p, RecordType.NS, after: true)) { node.Kind = NodeKind.Occluded; return node; }
            node.Kind = records.Count == 0 ? NodeKind.EmptyNonTerminal
                : node.Find(RecordType.NS) is not null ? NodeKind.Delegation : NodeKind.Authoritative;
            return node;
        }

        // ------------------------------------------------------------ NSEC3

        private void RepairNsec3(Dictionary<DnsName, ZoneNode?> nodes)
        {
            var chain = _signer._chain!;
            var cache = _signer.UseHashCache(_policy);
            var bitmaps = new Dictionary<DnsName, byte[]>();
            var removed = new List<DnsName>();
            var inserted = new List<DnsName>();
            foreach (var (name, node) in nodes)
            {
                var owner = Nsec3Owner(name, cache);
                bool had = chain.BinarySearch(owner) >= 0;
                bool has = node is not null && DenialChain.HasNsec3(node, _policy.OptOut);
                if (has) bitmaps[owner] = DenialChain.Bitmap(DenialChain.BitmapTypes(node!, signed: true));
                else cache.Remove(name);
                if (had && !has) removed.Add(owner);
                else if (!had && has) inserted.Add(owner);
            }
            foreach (var o in removed) chain.RemoveAt(chain.BinarySearch(o));
            foreach (var o in inserted)
            {
                int i = chain.BinarySearch(o);
                if (i >= 0) throw new InvalidOperationException($"NSEC3 hash collision at {o}: change the salt");
                chain.Insert(~i, o);
            }

            // The NSEC3 to write: every one whose bit map may have changed, and the predecessors whose next hash moved.
            var write = new HashSet<DnsName>(bitmaps.Keys);
            foreach (var o in removed.Concat(inserted)) write.Add(Predecessor(chain, o));
            foreach (var owner in write)
            {
                int i = chain.BinarySearch(owner);
                var next = chain[(i + 1) % chain.Count];
                var existing = _view.Generated(owner, RecordType.NSEC3);
                if (!bitmaps.TryGetValue(owner, out var bitmap)) bitmap = Nsec3Bitmap(existing[0].RData);
                var rdata = Nsec3RData(next, bitmap);
                if (existing.Count == 1 && existing[0].Ttl == _denialTtl && existing[0].RData.AsSpan().SequenceEqual(rdata)) continue;
                var set = new RRset(owner, RecordType.NSEC3, _denialTtl);
                set.Add(new ResourceRecord(owner, RecordType.NSEC3, _denialTtl, rdata));
                _edits.Add(new RRsetEdit(owner, RecordType.NSEC3, set.Records));
                Slot(owner)[RecordType.NSEC3] = SignSet(set);
            }
            foreach (var owner in removed)
            {
                _edits.Add(new RRsetEdit(owner, RecordType.NSEC3, []));
                Slot(owner)[RecordType.NSEC3] = [];
                _signer._previous.Remove((owner, RecordType.NSEC3));
            }
        }

        private static DnsName Predecessor(List<DnsName> chain, DnsName owner)
        {
            int i = chain.BinarySearch(owner);
            int below = i >= 0 ? i - 1 : ~i - 1;
            return chain[(below + chain.Count) % chain.Count];
        }

        private DnsName Nsec3Owner(DnsName name, Dictionary<DnsName, byte[]> cache)
        {
            if (!cache.TryGetValue(name, out var hash))
            {
                hash = new byte[Nsec3Hash.Length];
                Nsec3Hash.TryHash(name.Wire, _policy.Nsec3Salt, _policy.Nsec3Iterations, hash);
                cache[name] = hash;
            }
            return OwnerOf(hash);
        }

        private DnsName OwnerOf(ReadOnlySpan<byte> hash)
        {
            Span<char> label = stackalloc char[Nsec3Hash.LabelLength];
            Span<byte> bytes = stackalloc byte[Nsec3Hash.LabelLength];
            Nsec3Hash.WriteLabel(hash, label);
            for (int k = 0; k < label.Length; k++) bytes[k] = (byte)label[k];
            return _view.Origin.Prepend(bytes);
        }

        private byte[] Nsec3RData(DnsName nextOwner, byte[] bitmap)
        {
            Span<byte> next = stackalloc byte[Nsec3Hash.Length];
            if (!Nsec3Hash.TryReadLabel(nextOwner.Wire.Slice(1, nextOwner.Wire[0]), next))
                throw new InvalidOperationException($"{nextOwner} is not an NSEC3 owner name");
            return DenialChain.Nsec3RData(_policy, next, bitmap);
        }

        private static byte[] Nsec3Bitmap(byte[] rdata)
        {
            int p = 5 + rdata[4];
            p += 1 + rdata[p];
            return rdata[p..];
        }

        private Dictionary<RecordType, ResourceRecord[]> Slot(DnsName owner)
        {
            if (!_signatures.TryGetValue(owner, out var slot)) _signatures[owner] = slot = new Dictionary<RecordType, ResourceRecord[]>();
            return slot;
        }

        private ResourceRecord[] SignSet(RRset set)
        {
            var signers = set.Type is RecordType.DNSKEY or RecordType.CDS or RecordType.CDNSKEY ? _keyKeys : _zoneKeys;
            var signed = _signer.SignOne(set, signers, _timing, ref _made, ref _kept);
            _signer._previous[(set.Owner, set.Type)] = signed;
            return signed.Signatures;
        }

        /// <summary>One RRSIG RRset change per owner whose signatures moved.</summary>
        private void EditSignatures()
        {
            foreach (var (owner, slot) in _signatures)
            {
                var existing = _view.Generated(owner, RecordType.RRSIG);
                bool all = _allTypes.Contains(owner);
                var next = new List<ResourceRecord>(existing.Count + 2);
                foreach (var sig in existing)
                {
                    var covered = RrsetSigner.IsWellFormed(sig.RData) ? RrsetSigner.TypeCovered(sig.RData) : RecordType.RRSIG;
                    if (slot.ContainsKey(covered)) continue;
                    if (all && covered is not (RecordType.NSEC or RecordType.NSEC3)) { _signer._previous.Remove((owner, covered)); continue; }
                    next.Add(sig);
                }
                foreach (var sigs in slot.Values) next.AddRange(sigs);
                if (next.Count == existing.Count && new HashSet<ResourceRecord>(existing).SetEquals(next)) continue;
                _edits.Add(new RRsetEdit(owner, RecordType.RRSIG, next));
            }
        }
    }
}
