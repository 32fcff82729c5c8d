using System.Buffers.Binary;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>The zone as an incremental signing sees it (<see cref="ZoneSigner.SignChange"/>).</summary>
public sealed partial class ZoneSigner
{
    /// <summary>The zone before and after the change, read through the sorted records and the change (no copy).</summary>
    private sealed class ChangeView
    {
        private readonly IReadOnlyList<ResourceRecord> _current;
        private readonly Dictionary<(DnsName, RecordType), RRsetEdit> _changes = new();
        private readonly Dictionary<DnsName, List<RRsetEdit>> _changesByOwner = new();
        private readonly Dictionary<DnsName, (int Start, int End)> _ranges = new();

        public ChangeView(DnsName origin, IReadOnlyList<ResourceRecord> current, IReadOnlyList<RRsetEdit> changes, uint serial)
        {
            Origin = origin;
            _current = current;
            foreach (var c in changes)
            {
                _changes[(c.Owner, c.Type)] = c;
                if (!_changesByOwner.TryGetValue(c.Owner, out var list)) _changesByOwner[c.Owner] = list = new List<RRsetEdit>(1);
                list.Add(c);
            }
            var (s, e) = Range(origin);
            for (int i = s; i < e; i++)
                if (current[i].Type == RecordType.SOA && current[i].RData.Length >= 22)
                {
                    // RFC 1035 §3.3.13: the serial is the first of the five numbers after the two names.
                    var rdata = current[i].RData.ToArray();
                    BinaryPrimitives.WriteUInt32BigEndian(rdata.AsSpan(rdata.Length - 20), serial);
                    SoaAfter = new ResourceRecord(current[i].Owner, RecordType.SOA, current[i].Ttl, rdata);
                }
        }

        public DnsName Origin { get; }
        public ResourceRecord? SoaAfter { get; }
        public IReadOnlyList<ResourceRecord> Current => _current;
        public IEnumerable<DnsName> ChangedOwners => _changesByOwner.Keys;
        public bool IsChanged(DnsName owner, RecordType type) => _changes.ContainsKey((owner, type));

        /// <summary>Indexes [Start, End) of the records owned by <paramref name="name"/>.</summary>
        public (int Start, int End) Range(DnsName name)
        {
            if (_ranges.TryGetValue(name, out var range)) return range;
            int start = Bound(name, strict: false), end = start;
            while (end < _current.Count && _current[end].Owner.Equals(name)) end++;
            return _ranges[name] = (start, end);
        }

        /// <summary>The first index whose owner is ≥ (or, strict, &gt;) <paramref name="name"/>.</summary>
        public int Bound(DnsName name, bool strict)
        {
            int lo = 0, hi = _current.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                int c = _current[mid].Owner.CompareTo(name);
                if (c < 0 || (strict && c == 0)) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        /// <summary>The operator's records at <paramref name="name"/> (no generated type), before or after the change.</summary>
        public List<ResourceRecord> Records(DnsName name, bool after)
        {
            var (s, e) = Range(name);
            var result = new List<ResourceRecord>(e - s);
            for (int i = s; i < e; i++)
            {
                var r = _current[i];
                if (IsGenerated(r.Type)) continue;
                if (after && _changes.ContainsKey((r.Owner, r.Type))) continue;
                if (after && r.Type == RecordType.SOA && name.Equals(Origin)) { result.Add(SoaAfter!); continue; }
                result.Add(r);
            }
            if (after && _changesByOwner.TryGetValue(name, out var changed))
                foreach (var c in changed) result.AddRange(c.Records);
            return result;
        }

        public bool Has(DnsName name, RecordType type, bool after)
        {
            if (after && _changes.TryGetValue((name, type), out var c)) return !c.IsDelete;
            var (s, e) = Range(name);
            for (int i = s; i < e; i++) if (_current[i].Type == type) return true;
            return false;
        }

        /// <summary>Whether a name strictly below <paramref name="name"/> holds an operator record.</summary>
        public bool HasDescendants(DnsName name, bool after)
        {
            if (after)
                foreach (var (owner, list) in _changesByOwner)
                    if (owner.LabelCount > name.LabelCount && owner.IsSubdomainOf(name) && list.Any(c => !c.IsDelete)) return true;
            // In canonical order a name's descendants directly follow it.
            for (int i = Range(name).End; i < _current.Count && _current[i].Owner.IsSubdomainOf(name); i++)
            {
                var r = _current[i];
                if (IsGenerated(r.Type) || (after && _changes.ContainsKey((r.Owner, r.Type)))) continue;
                return true;
            }
            return false;
        }

        /// <summary>Every owner of an operator record strictly below <paramref name="name"/> before the change.</summary>
        public IEnumerable<DnsName> Below(DnsName name)
        {
            DnsName? last = null;
            for (int i = Range(name).End; i < _current.Count && _current[i].Owner.IsSubdomainOf(name); i++)
            {
                var r = _current[i];
                if (IsGenerated(r.Type) || (last is not null && last.Equals(r.Owner))) continue;
                last = r.Owner;
                yield return r.Owner;
            }
        }

        /// <summary>The generated records of one type at <paramref name="name"/> as they are now.</summary>
        public List<ResourceRecord> Generated(DnsName name, RecordType type)
        {
            var (s, e) = Range(name);
            var result = new List<ResourceRecord>(2);
            for (int i = s; i < e; i++) if (_current[i].Type == type) result.Add(_current[i]);
            return result;
        }
    }
}
