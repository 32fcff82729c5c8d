using System.Buffers.Binary;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Dnssec;

/// <summary>The NSEC side of an incremental signing: the chain repaired around the names that appear or disappear.</summary>
public sealed partial class ZoneSigner
{
    private sealed partial class IncrementalRun
    {
        // ------------------------------------------------------------ NSEC

        private void RepairNsec(Dictionary<DnsName, ZoneNode?> nodes)
        {
            var removed = new HashSet<DnsName>();
            var present = new SortedSet<DnsName>(); // affected names that have an NSEC after the change
            foreach (var (name, node) in nodes)
            {
                bool had = _view.Generated(name, RecordType.NSEC).Count > 0;
                bool has = node is not null && node.Kind is NodeKind.Apex or NodeKind.Authoritative or NodeKind.Delegation;
                if (has) present.Add(node!.Name);
                else if (had) removed.Add(name);
            }
            var write = new HashSet<DnsName>(present);
            foreach (var (name, node) in nodes)
            {
                bool had = _view.Generated(name, RecordType.NSEC).Count > 0;
                bool has = present.Contains(name);
                if (had != has) write.Add(NsecNeighbour(name, present, removed, forward: false));
            }
            foreach (var owner in write)
            {
                var next = NsecNeighbour(owner, present, removed, forward: true);
                var existing = _view.Generated(owner, RecordType.NSEC);
                byte[] bitmap;
                if (nodes.TryGetValue(owner, out var node) && node is not null)
                {
                    var types = DenialChain.BitmapTypes(node, signed: true);
                    types.Add((ushort)RecordType.NSEC);
                    if (!types.Contains((ushort)RecordType.RRSIG)) types.Add((ushort)RecordType.RRSIG);
                    bitmap = DenialChain.Bitmap(types);
                }
                else bitmap = existing[0].RData[NameLength(existing[0].RData)..];
                var rdata = new byte[next.WireLength + bitmap.Length];
                next.Wire.CopyTo(rdata);
                bitmap.CopyTo(rdata, next.WireLength);
                if (existing.Count == 1 && existing[0].Ttl == _denialTtl && existing[0].RData.AsSpan().SequenceEqual(rdata)) continue;
                var set = new RRset(owner, RecordType.NSEC, _denialTtl);
                set.Add(new ResourceRecord(owner, RecordType.NSEC, _denialTtl, rdata));
                _edits.Add(new RRsetEdit(owner, RecordType.NSEC, set.Records));
                Slot(owner)[RecordType.NSEC] = SignSet(set);
            }
            foreach (var owner in removed)
            {
                _edits.Add(new RRsetEdit(owner, RecordType.NSEC, []));
                Slot(owner)[RecordType.NSEC] = [];
                _signer._previous.Remove((owner, RecordType.NSEC));
            }
        }

        /// <summary>The previous (or next) name of the NSEC chain after the change, cyclic. The chain after = the names
        /// with an NSEC now, less <paramref name="removed"/>, plus <paramref name="present"/> (affected names with one after).</summary>
        private DnsName NsecNeighbour(DnsName name, SortedSet<DnsName> present, HashSet<DnsName> removed, bool forward)
        {
            var records = _view.Current;
            DnsName? kept = null, affected = null;
            if (forward)
            {
                for (int i = _view.Bound(name, strict: true); i < records.Count && kept is null; i++)
                    if (records[i].Type == RecordType.NSEC && !removed.Contains(records[i].Owner)) kept = records[i].Owner;
                foreach (var n in present) if (n.CompareTo(name) > 0) { affected = n; break; }
                var next = Pick(kept, affected, smaller: true);
                return next ?? _view.Origin; // past the last name: back to the apex, the first
            }
            for (int i = _view.Bound(name, strict: false) - 1; i >= 0 && kept is null; i--)
                if (records[i].Type == RecordType.NSEC && !removed.Contains(records[i].Owner)) kept = records[i].Owner;
            foreach (var n in present) if (n.CompareTo(name) < 0) affected = n; else break;
            var previous = Pick(kept, affected, smaller: false);
            if (previous is not null) return previous;
            // Before the apex: the chain's last name.
            for (int i = records.Count - 1; i >= 0 && kept is null; i--)
                if (records[i].Type == RecordType.NSEC && !removed.Contains(records[i].Owner)) kept = records[i].Owner;
            return Pick(kept, present.Max, smaller: false) ?? _view.Origin;
        }

        private static DnsName? Pick(DnsName? a, DnsName? b, bool smaller)
        {
            if (a is null) return b;
            if (b is null) return a;
            return (a.CompareTo(b) < 0) == smaller ? a : b;
        }

        private static int NameLength(ReadOnlySpan<byte> wire)
        {
            int p = 0;
            while (wire[p] != 0) p += wire[p] + 1;
            return p + 1;
        }

        // ------------------------------------------------------------ signatures
    }
}
