using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>
/// The RFC rules a zone must keep before it is served. Each rule has its own id (see <see cref="Rules"/>) and message.
/// </summary>
/// <remarks>
/// Two things are repaired rather than reported, by <see cref="Normalize"/> (which <see cref="ZoneLoader"/> runs first):
/// duplicate records in an RRset are dropped (RFC 2181 §5: an RRset holds no duplicates), and an RRset whose records
/// carry different TTLs gets the lowest of them for all (RFC 2181 §5.2 calls mixed TTLs an error and suggests the
/// lowest; real zone files often have them, so refusing the whole zone would be harsher than the RFC asks). RRSIG
/// records keep their own TTLs (RFC 4034 §3: each has the TTL of the RRset it covers).
/// <see cref="Validate"/> itself counts distinct RDATA, so duplicates never trip a rule.
/// </remarks>
public static class ZoneValidator
{
    /// <summary>Rule ids, stable: tests and operators match on them.</summary>
    public static class Rules
    {
        public const string SoaMissing = "soa-missing";
        public const string SoaMultiple = "soa-multiple";
        public const string SoaNotAtApex = "soa-not-at-apex";
        public const string ApexNsMissing = "apex-ns-missing";
        public const string CnameAndOtherData = "cname-and-other-data";
        public const string CnameMultiple = "cname-multiple";
        public const string CnameAtApex = "cname-at-apex";
        public const string DnameMultiple = "dname-multiple";
        public const string BelowDname = "below-dname";
        public const string OutOfZone = "out-of-zone";
        public const string NonGlueBelowDelegation = "non-glue-below-delegation";
        public const string DataAtDelegation = "data-at-delegation";
        public const string DsNotAtDelegation = "ds-not-at-delegation";
        public const string MetaType = "meta-type";
        public const string RDataInvalid = "rdata-invalid";
    }

    public static void EnsureValid(Zone zone)
    {
        var problems = Validate(zone);
        if (problems.Count > 0) throw new ZoneValidationException(problems);
    }

    public static IReadOnlyList<ZoneProblem> Validate(Zone zone)
    {
        var v = new Run(zone);
        v.Check();
        return v.Problems;
    }

    /// <summary>Drops duplicate records (first kept) and gives every RRset the lowest TTL among its records
    /// (RFC 2181 §5 and §5.2). Locations follow their records.</summary>
    public static Zone Normalize(Zone zone)
    {
        var minTtl = new Dictionary<(DnsName, RecordType), uint>();
        foreach (var r in zone.Records)
            minTtl[(r.Owner, r.Type)] = minTtl.TryGetValue((r.Owner, r.Type), out var t) ? Math.Min(t, r.Ttl) : r.Ttl;
        var seen = new HashSet<RecordIdentity>();
        var records = new List<ResourceRecord>(zone.Records.Count);
        var locations = zone.Locations is null ? null : new List<SourceLocation>(zone.Records.Count);
        for (int i = 0; i < zone.Records.Count; i++)
        {
            var r = zone.Records[i];
            if (!seen.Add(new RecordIdentity(r.Owner, r.Type, r.RData))) continue;
            // RFC 4034 §3: RRSIGs are the exception: each keeps the TTL of the RRset it covers, so the RRSIGs of one
            // name differ when the RRsets they cover do ("individual RRSIG RRs with the same owner name will have
            // different TTL values if the RRsets they cover have different TTL values").
            uint ttl = r.Type == RecordType.RRSIG ? r.Ttl : minTtl[(r.Owner, r.Type)];
            records.Add(ttl == r.Ttl ? r : r.WithTtl(ttl));
            if (locations is not null && i < zone.Locations!.Count) locations.Add(zone.Locations[i]);
        }
        return new Zone(zone.Origin, records, locations);
    }

    private sealed class Run(Zone zone)
    {
        public List<ZoneProblem> Problems { get; } = new();
        private readonly DnsName _origin = zone.Origin;
        private readonly Dictionary<DnsName, List<int>> _byOwner = new();
        private readonly HashSet<DnsName> _cuts = new();
        private readonly HashSet<DnsName> _dnames = new();

        private void Add(string rule, string message, int index = -1)
        {
            string? record = index >= 0 ? zone.Records[index].ToString() : null;
            SourceLocation? loc = index >= 0 && zone.Locations is { } l && index < l.Count ? l[index] : null;
            Problems.Add(new ZoneProblem(rule, message, record, loc));
        }

        public void Check()
        {
            var recs = zone.Records;
            for (int i = 0; i < recs.Count; i++)
            {
                var r = recs[i];
                if (!_byOwner.TryGetValue(r.Owner, out var list)) _byOwner[r.Owner] = list = new();
                list.Add(i);
                if (r.Type == RecordType.NS && !r.Owner.Equals(_origin) && r.Owner.IsSubdomainOf(_origin)) _cuts.Add(r.Owner);
                if (r.Type == RecordType.DNAME) _dnames.Add(r.Owner);
            }
            CheckApex();
            for (int i = 0; i < recs.Count; i++) CheckRecord(i);
            foreach (var (owner, list) in _byOwner) CheckName(owner, list);
        }

        private void CheckApex()
        {
            var apex = _byOwner.GetValueOrDefault(_origin) ?? [];
            var soas = Distinct(apex.Where(i => zone.Records[i].Type == RecordType.SOA));
            if (soas.Count == 0) Add(Rules.SoaMissing, $"the zone has no SOA record at its apex {_origin}");
            foreach (var extra in soas.Skip(1))
                Add(Rules.SoaMultiple, $"the apex {_origin} has more than one SOA record (exactly one is allowed)", extra);
            if (!apex.Any(i => zone.Records[i].Type == RecordType.NS))
                Add(Rules.ApexNsMissing, $"the apex {_origin} has no NS records");
        }

        private void CheckRecord(int i)
        {
            var r = zone.Records[i];
            string type = RecordTypes.ToText(r.Type);
            if (RecordTypes.IsMetaOrQuestionOnly(r.Type))
            { Add(Rules.MetaType, $"type {type} is a meta or question-only type and cannot be zone data", i); return; }
            if (!RData.IsValid(r.Type, r.RData, out var why))
                Add(Rules.RDataInvalid, $"the RDATA is malformed: {why}", i);
            if (!r.Owner.IsSubdomainOf(_origin))
            { Add(Rules.OutOfZone, $"{r.Owner} is outside the zone {_origin}", i); return; }
            if (r.Type == RecordType.SOA && !r.Owner.Equals(_origin))
                Add(Rules.SoaNotAtApex, $"SOA at {r.Owner}, but an SOA belongs only at the apex {_origin}", i);
            if (r.Type == RecordType.CNAME && r.Owner.Equals(_origin))
                Add(Rules.CnameAtApex, $"CNAME at the apex {_origin} (the apex needs SOA and NS, which a CNAME excludes)", i);
            if (r.Type == RecordType.DS && !_cuts.Contains(r.Owner))
                Add(Rules.DsNotAtDelegation, $"DS at {r.Owner}, which is not a delegation point (DS belongs at a zone cut, RFC 4035 §2.4)", i);

            // Walk the ancestors between the owner and the apex: a DNAME or a cut above occludes this name.
            // (skipped when the zone has neither: most zones, and CompiledZone validates on every change)
            for (var n = r.Owner; (_cuts.Count > 0 || _dnames.Count > 0) && n.LabelCount > _origin.LabelCount;)
            {
                n = n.Parent();
                if (_dnames.Contains(n))
                { Add(Rules.BelowDname, $"{r.Owner} lies below the DNAME at {n}, so it can never be answered (RFC 6672 §2.3)", i); break; }
                if (_cuts.Contains(n) && r.Type is not (RecordType.A or RecordType.AAAA))
                { Add(Rules.NonGlueBelowDelegation, $"{type} at {r.Owner} lies below the delegation {n}; only A/AAAA glue may be there", i); break; }
            }
            if (_cuts.Contains(r.Owner) && r.Type is not (RecordType.NS or RecordType.DS or RecordType.A or RecordType.AAAA or RecordType.RRSIG or RecordType.NSEC))
                Add(Rules.DataAtDelegation, $"{type} at the delegation point {r.Owner} is hidden by the delegation (only NS, DS and glue belong there)", i);
        }

        private void CheckName(DnsName owner, List<int> indices)
        {
            var cnames = Distinct(indices.Where(i => zone.Records[i].Type == RecordType.CNAME));
            if (cnames.Count > 0)
            {
                foreach (var extra in cnames.Skip(1))
                    Add(Rules.CnameMultiple, $"{owner} has more than one CNAME record (RFC 2181 §10.1: at most one)", extra);
                var others = indices.Select(i => zone.Records[i].Type)
                    .Where(t => t is not (RecordType.CNAME or RecordType.RRSIG or RecordType.NSEC)).Distinct().ToList();
                if (others.Count > 0)
                    Add(Rules.CnameAndOtherData, $"{owner} has a CNAME and other data ({string.Join(", ", others.Select(RecordTypes.ToText))}); RFC 2181 §10.1 forbids that", cnames[0]);
            }
            var dnames = Distinct(indices.Where(i => zone.Records[i].Type == RecordType.DNAME));
            foreach (var extra in dnames.Skip(1))
                Add(Rules.DnameMultiple, $"{owner} has more than one DNAME record (RFC 6672 §2.4: at most one)", extra);
        }

        /// <summary>Indices of records with distinct RDATA (a duplicate is not a second record).</summary>
        private List<int> Distinct(IEnumerable<int> indices)
        {
            var seen = new HashSet<RecordIdentity>();
            return indices.Where(i => seen.Add(new RecordIdentity(zone.Records[i].Owner, zone.Records[i].Type, zone.Records[i].RData))).ToList();
        }
    }
}
