using System.Runtime.CompilerServices;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Answering;

public sealed partial class Answerer
{
    /// <summary>CNAME/DNAME steps followed before giving up (loops are also stopped by the visited-node check).</summary>
    private const int MaxChainLength = 16;

    private enum Located : byte { Found, NotFound, Delegation, Dname }

    /// <summary>
    /// RFC 1034 §4.3.2 step 3 onwards, with RFC 2308 (negative answers), RFC 4592 (wildcards) and RFC 6672 (DNAME).
    /// <paramref name="qname"/> points into the query packet; synthesized names live in two stack buffers.
    /// </summary>
    [SkipLocalsInit]
    private static void Resolve(CompiledZone zone, ReadOnlySpan<byte> qname, RecordType qtype, ref ResponseState r)
    {
        Span<byte> synthA = stackalloc byte[DnsName.MaxWireLength + 1];
        Span<byte> synthB = stackalloc byte[DnsName.MaxWireLength + 1];
        bool nextIsA = true;
        scoped ReadOnlySpan<byte> name = qname;
        r.Aa = true;
        r.Dnssec = r.Query.DnssecOk && zone.IsSigned;

        for (int step = 0; step < MaxChainLength; step++)
        {
            if (!IsAtOrBelow(name, zone.Origin.Wire)) break; // chain left the zone: the resolver continues from here

            var kind = Locate(zone, name, qtype, out var node, out int dnameCut);
            ZoneNode? wildcardCe = null; // the closest encloser when a wildcard answers (its proof goes with it)
            if (kind == Located.NotFound)
            {
                if (node.Wildcard is null)
                {
                    r.Rcode = (ushort)Rcode.NXDomain;
                    WriteNegative(zone, ref r);
                    if (r.Dnssec) ProveNameError(zone, node, name, ref r);
                    break;
                }
                wildcardCe = node;
                node = node.Wildcard; // RFC 4592 §3.3.1: answer from the source of synthesis, owner = the name asked
                kind = Located.Found;
            }

            if (kind == Located.Delegation)
            {
                // Referral (RFC 1034 §4.3.2 step 3b): not authoritative unless we already answered (a CNAME into a cut).
                r.Aa = r.An > 0;
                if (!RRsetWriter.TryWrite(ref r.W, node.Name, node.Ns!)) { r.Truncate(); return; }
                r.Ns += node.Ns!.Records.Length;
                AddAdditionalSource(node.Ns!, ref r);
                r.Cut = node;
                if (r.Dnssec)
                {
                    // RFC 4035 §3.1.4: a signed delegation carries its DS and RRSIG; an unsigned one, the proof of no DS.
                    if (node.Find(RecordType.DS) is { } ds)
                    {
                        if (!RRsetWriter.TryWrite(ref r.W, node.Name, ds)) { r.Truncate(); return; }
                        r.Ns += ds.Records.Length;
                        if (!TryWriteSigs(node, node.Name, RecordType.DS, ds.FirstTtl, ref r, ref r.Ns)) { r.Truncate(); return; }
                    }
                    else ProveNoDs(zone, node, ref r);
                }
                break;
            }

            if (kind == Located.Dname)
            {
                var dname = node.Dname!;
                if (!RRsetWriter.TryWrite(ref r.W, node.Name, dname)) { r.Truncate(); return; }
                r.An += dname.Records.Length;
                if (r.Dnssec && !TryWriteSigs(node, node.Name, RecordType.DNAME, dname.FirstTtl, ref r, ref r.An)) { r.Truncate(); return; }
                var target = dname.TargetWire;
                if (target.IsEmpty) break; // cannot happen for validated RDATA; never throw on the hot path
                if (dnameCut + target.Length > DnsName.MaxWireLength)
                {
                    r.Rcode = YxDomain; // RFC 6672 §2.2: the synthesized name would be too long
                    break;
                }
                var dest = nextIsA ? synthA : synthB;
                nextIsA = !nextIsA;
                name[..dnameCut].CopyTo(dest);
                target.CopyTo(dest[dnameCut..]);
                var synthesized = dest[..(dnameCut + target.Length)];
                if (!RRsetWriter.TryWriteCname(ref r.W, name, dname.FirstTtl, synthesized)) { r.Truncate(); return; }
                r.An++;
                name = synthesized;
                continue;
            }

            // Found (exactly or through a wildcard).
            if (Visited(node, ref r)) break; // CNAME loop: what is written so far is the answer
            if (qtype == RecordType.ANY)
            {
                if (node.RRsets.Length == 0) { WriteNegative(zone, ref r); if (r.Dnssec) ProveNoData(zone, node, name, ref r); break; }
                if (!WriteAnswer(name, node, node.RRsets[0], ref r)) return; // RFC 8482 §4.1: one RRset
                if (wildcardCe is not null && r.Dnssec) ProveWildcard(zone, wildcardCe, null, name, ref r);
                break;
            }
            var set = node.Find(qtype);
            if (set is not null)
            {
                if (!WriteAnswer(name, node, set, ref r)) return;
                if (wildcardCe is not null && r.Dnssec) ProveWildcard(zone, wildcardCe, null, name, ref r);
                break;
            }
            if (node.Cname is { } cname)
            {
                if (!WriteAnswer(name, node, cname, ref r)) return;
                if (wildcardCe is not null && r.Dnssec) ProveWildcard(zone, wildcardCe, null, name, ref r);
                if (cname.TargetWire.IsEmpty) break;
                name = cname.TargetWire;
                continue;
            }
            WriteNegative(zone, ref r); // NODATA (RFC 2308 §2.2), including empty non-terminals
            if (r.Dnssec)
            {
                if (wildcardCe is not null) ProveWildcard(zone, wildcardCe, node, name, ref r);
                else ProveNoData(zone, node, name, ref r);
            }
            break;
        }
        if (!r.Tc && r.Dnssec) WriteProofs(ref r);
        if (!r.Tc) WriteAdditional(zone, ref r);
    }

    /// <summary>
    /// Walks from the apex down to <paramref name="name"/>, label by label, stopping at the first zone cut
    /// (unless it is the name itself and the question is DS, answered by the parent side: RFC 4035 §3.1.4.1)
    /// or DNAME above the name. For NotFound, <paramref name="node"/> is the closest encloser.
    /// </summary>
    [SkipLocalsInit]
    private static Located Locate(CompiledZone zone, ReadOnlySpan<byte> name, RecordType qtype, out ZoneNode node, out int dnameCut)
    {
        Span<byte> labelStarts = stackalloc byte[DnsName.MaxWireLength / 2 + 1];
        int n = 0, pos = 0;
        while (name[pos] != 0) { labelStarts[n++] = (byte)pos; pos += 1 + name[pos]; }

        int zoneLabels = zone.Origin.LabelCount;
        node = zone.Apex;
        dnameCut = 0;
        for (int k = zoneLabels; ; k++)
        {
            if (k > zoneLabels)
            {
                var child = zone.FindNode(name[labelStarts[n - k]..]);
                if (child is null) return Located.NotFound;
                node = child;
            }
            if (k == n)
                return node.IsDelegation && qtype != RecordType.DS ? Located.Delegation : Located.Found;
            if (node.IsDelegation) return Located.Delegation;
            if (node.Dname is not null) { dnameCut = labelStarts[n - k]; return Located.Dname; }
        }
    }

    private static bool WriteAnswer(scoped ReadOnlySpan<byte> owner, ZoneNode node, CompiledRRset set, ref ResponseState r)
    {
        if (set.Type == RecordType.RRSIG)
        {
            if (!TryWriteRrsigAnswer(owner, set, ref r)) { r.Truncate(); return false; }
            return true;
        }
        if (!RRsetWriter.TryWrite(ref r.W, owner, set)) { r.Truncate(); return false; }
        r.An += set.Records.Length;
        if (r.Dnssec && !TryWriteSigs(node, owner, set.Type, set.FirstTtl, ref r, ref r.An)) { r.Truncate(); return false; }
        AddAdditionalSource(set, ref r);
        return true;
    }

    /// <summary>NXDOMAIN/NODATA authority: the SOA with the negative TTL (RFC 2308 §3).</summary>
    private static void WriteNegative(CompiledZone zone, ref ResponseState r)
    {
        if (!RRsetWriter.TryWrite(ref r.W, zone.Apex.Name, zone.NegativeSoa)) { r.Truncate(); return; }
        r.Ns++;
        if (r.Dnssec && !TryWriteSigs(zone.Apex, zone.Apex.Name, RecordType.SOA, zone.NegativeSoa.FirstTtl, ref r, ref r.Ns)) r.Truncate();
    }

    private static void AddAdditionalSource(CompiledRRset set, ref ResponseState r)
    {
        if (set.HasTargets && r.AdditionalCount < RRsetList.Capacity) r.AdditionalSources[r.AdditionalCount++] = set;
    }

    private static bool Visited(ZoneNode node, ref ResponseState r)
    {
        for (int i = 0; i < r.VisitedCount; i++)
            if (ReferenceEquals(r.Visited[i], node)) return true;
        if (r.VisitedCount < NodeList.Capacity) r.Visited[r.VisitedCount++] = node;
        return false;
    }

    /// <summary>
    /// RFC 1034 §4.3.2 step 6: additional-section data for the in-zone targets of the RRsets answered, once per name.
    /// NS, MX, SRV: the target's A and AAAA. SVCB and HTTPS (RFC 9460 §4.1; AliasMode and ServiceMode alike): the
    /// TargetName's A, AAAA and RRset of the same type, one level deep and nothing for "." — what knotd 3.2 adds.
    /// NAPTR (RFC 3403 §4.1; knotd adds nothing, BIND and PowerDNS do; we follow PowerDNS): flags with 'A', the
    /// replacement's A and AAAA; with 'S', the replacement's SRV RRset and its targets' A and AAAA. An RRset already
    /// in the answer is not repeated. What does not fit is left out without TC (RFC 2181 §9), except the glue of a
    /// referral's in-domain name servers: TC=1 when it does not all fit (RFC 9471 §3.1, as knotd).
    /// </summary>
    private static void WriteAdditional(CompiledZone zone, ref ResponseState r)
    {
        NodeList added = default;
        int addedCount = 0;
        for (int s = 0; s < r.AdditionalCount; s++)
        {
            var set = r.AdditionalSources[s]!;
            for (int i = 0; i < set.Records.Length; i++)
            {
                var name = set.TargetName(i);
                var t = name.Length <= 1 ? null : zone.FindNode(name);
                if (t is null || Contains(ref added, addedCount, t)) continue;
                if (addedCount < NodeList.Capacity) added[addedCount++] = t;
                if (set.NaptrFlag(i) == (byte)'s')
                {
                    if (!TryWriteServices(zone, t, ref added, ref addedCount, ref r)) return;
                    continue;
                }
                if (!TryWriteAddresses(t, RecordType.A, ref r) || !TryWriteAddresses(t, RecordType.AAAA, ref r))
                {
                    // RFC 9471 §3.1: every glue address of an in-domain name server (at or below the cut) goes with a
                    // referral, or TC=1; sibling glue and other additional data are left out quietly (§3.2, RFC 2181 §9).
                    if (r.Cut is { } cut && ReferenceEquals(set, cut.Ns) && IsAtOrBelow(name, cut.Name)) r.Truncate();
                    return;
                }
                if (set.Type is RecordType.SVCB or RecordType.HTTPS && !TryWriteAdditionalSet(t, set.Type, set, ref r)) return;
            }
        }
    }

    /// <summary>NAPTR with flag S: the SRV RRset at <paramref name="node"/>, then the A and AAAA of its in-zone targets.</summary>
    private static bool TryWriteServices(CompiledZone zone, ZoneNode node, ref NodeList added, ref int addedCount, ref ResponseState r)
    {
        var srv = node.Find(RecordType.SRV);
        if (srv is null) return true;
        if (!TryWriteAdditionalSet(node, RecordType.SRV, null, ref r)) return false;
        for (int i = 0; i < srv.Records.Length; i++)
        {
            var name = srv.TargetName(i);
            var t = name.Length <= 1 ? null : zone.FindNode(name);
            if (t is null || Contains(ref added, addedCount, t)) continue;
            if (addedCount < NodeList.Capacity) added[addedCount++] = t;
            if (!TryWriteAddresses(t, RecordType.A, ref r) || !TryWriteAddresses(t, RecordType.AAAA, ref r)) return false;
        }
        return true;
    }

    private static bool TryWriteAddresses(ZoneNode node, RecordType type, ref ResponseState r)
        => TryWriteAdditionalSet(node, type, null, ref r);

    /// <summary>The node's RRset of <paramref name="type"/> into the additional section, unless it is missing or is
    /// <paramref name="answered"/> (already in the answer). With DO=1 its RRSIGs come with it (RFC 4035 §3.1.1: "When
    /// placing a signed RRset in the Additional section, the name server MUST also place its RRSIG RRs in the Additional
    /// section"; glue below a cut has none). When the RRset fits and its RRSIGs do not, the RRset stays without them and
    /// without TC (§3.1.1: it "MAY retain the RRset while dropping the RRSIG RRs" and "MUST NOT set the TC bit solely
    /// because these RRSIG RRs didn't fit"), as knotd does; the additional section ends there.</summary>
    private static bool TryWriteAdditionalSet(ZoneNode node, RecordType type, CompiledRRset? answered, ref ResponseState r)
    {
        var set = node.Find(type);
        if (set is null || ReferenceEquals(set, answered)) return true;
        if (!RRsetWriter.TryWrite(ref r.W, node.Name, set)) return false;
        r.Ar += set.Records.Length;
        return !r.Dnssec || TryWriteSigs(node, node.Name, type, set.FirstTtl, ref r, ref r.Ar);
    }

    private static bool Contains(ref NodeList list, int count, ZoneNode node)
    {
        for (int i = 0; i < count; i++) if (ReferenceEquals(list[i], node)) return true;
        return false;
    }

    /// <summary>True when the wire name equals <paramref name="origin"/> or lies below it (case-insensitive).</summary>
    private static bool IsAtOrBelow(ReadOnlySpan<byte> name, ReadOnlySpan<byte> origin)
    {
        if (name.Length < origin.Length) return false;
        int pos = 0;
        while (name.Length - pos > origin.Length) pos += 1 + name[pos];
        return name.Length - pos == origin.Length && DnsName.EqualsIgnoreCase(name[pos..], origin);
    }
}
