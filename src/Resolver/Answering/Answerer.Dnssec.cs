using System.Runtime.CompilerServices;
using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using Nsec3Hash = AkkaDns.Resolver.Dnssec.Nsec3Hash;

namespace AkkaDns.Resolver.Answering;

/// <summary>
/// DO=1 answers from a signed zone (RFC 4035 §3.1, RFC 5155 §7.2): each RRset with the RRSIGs that cover it, and the
/// denial proofs, all from records the zones node made: the edge holds no key and signs nothing. It hashes the query
/// name to find NSEC3 records (SHA-1, on the stack) and binary-searches the chains; no allocation.
/// Proofs go to the authority section after the answer; each NSEC/NSEC3 is written once with its RRSIGs.
/// </summary>
/// <remarks>
/// Choices, checked against knotd 3.2 signing the same zone (tests/Cluster.Tests/Differential/SignedKnotDifferentialTests):
/// <list type="bullet">
/// <item>Each RRSIG is written with the TTL of the RRset it covers as served, never above its original TTL (RFC 4034 §3):
///   the negative SOA and its RRSIG carry min(SOA TTL, MINIMUM); the RRSIGs of one name keep their own TTLs however
///   the compiled RRSIG RRset stores them. Knot: the same.</item>
/// <item>Additional-section RRsets (NS/MX/SRV targets' addresses) come with their RRSIGs (RFC 4035 §3.1.1); one that fits
///   without its RRSIGs stays without them and without TC. Knot: the same.</item>
/// <item>QTYPE=RRSIG: every RRSIG of the name, each with its own TTL (RFC 1034 §4.3.2), with DO=1 or not. Knot answers
///   one (the RRSIG over the name's first type): a listed difference of the differential.</item>
/// <item>A DO=1 answer that does not fit: TC=1 and the sections empty, as for DO=0. Knot keeps what fitted (a listed
///   difference); a resolver discards either and retries over TCP (RFC 2181 §9).</item>
/// </list>
/// </remarks>
public sealed partial class Answerer
{
    /// <summary>The RRSIGs at <paramref name="node"/> that cover <paramref name="covered"/>, owner <paramref name="owner"/>
    /// (the query name for a wildcard expansion), counted in <paramref name="count"/>. False when they do not fit.
    /// Each takes the TTL <paramref name="ttl"/> of the RRset it covers as written (RFC 4034 §3: "The TTL value of an
    /// RRSIG RR MUST match the TTL value of the RRset it covers"), never above its original TTL: the RRSIGs of one name
    /// cover RRsets of different TTLs, and the SOA of a negative answer is served with the negative TTL.</summary>
    private static bool TryWriteSigs(ZoneNode node, scoped ReadOnlySpan<byte> owner, RecordType covered, uint ttl, ref ResponseState r, ref int count)
    {
        var sigs = node.Find(RecordType.RRSIG);
        if (sigs is null) return true;
        var mark = r.W.Mark();
        int written = 0;
        for (int i = 0; i < sigs.Records.Length; i++)
        {
            var d = sigs.RData(i);
            if (d.Length < 8 || (RecordType)(d[0] << 8 | d[1]) != covered) continue;
            if (!RRsetWriter.TryWriteRecord(ref r.W, owner, sigs, i, Math.Min(ttl, OriginalTtl(d)))) { r.W.Rollback(mark); return false; }
            written++;
        }
        count += written;
        return true;
    }

    /// <summary>A QTYPE=RRSIG answer: every RRSIG of the name (RFC 1034 §4.3.2 "copy the RRs of the type"), each with the
    /// TTL of the RRset it covers, its original TTL (RFC 4034 §3), not one TTL for all of them.</summary>
    private static bool TryWriteRrsigAnswer(scoped ReadOnlySpan<byte> owner, CompiledRRset sigs, ref ResponseState r)
    {
        var mark = r.W.Mark();
        for (int i = 0; i < sigs.Records.Length; i++)
        {
            var d = sigs.RData(i);
            uint ttl = d.Length >= 8 ? OriginalTtl(d) : sigs.Records[i].Ttl;
            if (!RRsetWriter.TryWriteRecord(ref r.W, owner, sigs, i, ttl)) { r.W.Rollback(mark); return false; }
        }
        r.An += sigs.Records.Length;
        return true;
    }

    /// <summary>The Original TTL field of an RRSIG's RDATA (RFC 4034 §3.1.4).</summary>
    private static uint OriginalTtl(ReadOnlySpan<byte> rrsig) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rrsig[4..]);

    /// <summary>An NSEC or NSEC3 (the node's own) for the authority section, once.</summary>
    private static void AddProof(ZoneNode? node, ref ResponseState r)
    {
        if (node is null) return;
        for (int i = 0; i < r.ProofCount; i++)
            if (ReferenceEquals(r.Proofs[i], node)) return;
        if (r.ProofCount < NodeList.Capacity) r.Proofs[r.ProofCount++] = node;
    }

    private static void WriteProofs(ref ResponseState r)
    {
        for (int i = 0; i < r.ProofCount; i++)
        {
            var node = r.Proofs[i]!;
            var type = node.Find(RecordType.NSEC3) is not null ? RecordType.NSEC3 : RecordType.NSEC;
            var set = node.Find(type);
            if (set is null) continue;
            if (!RRsetWriter.TryWrite(ref r.W, node.Name, set)) { r.Truncate(); return; }
            r.Ns += set.Records.Length;
            if (!TryWriteSigs(node, node.Name, type, set.FirstTtl, ref r, ref r.Ns)) { r.Truncate(); return; }
        }
    }

    // ---------------------------------------------------------------- the proofs (RFC 4035 §3.1.3, RFC 5155 §7.2)

    /// <summary>Name error: no <paramref name="qname"/>, no wildcard at its closest encloser <paramref name="ce"/>.</summary>
    [SkipLocalsInit]
    private static void ProveNameError(CompiledZone zone, ZoneNode ce, scoped ReadOnlySpan<byte> qname, ref ResponseState r)
    {
        Span<byte> wildcard = stackalloc byte[DnsName.MaxWireLength + 1];
        int wl = WildcardOf(ce.Name, wildcard);
        if (zone.Nsec3.Count > 0)
        {
            ProveClosestEncloser(zone, ce, qname, ref r);
            if (wl > 0) AddProof(Nsec3Covering(zone, wildcard[..wl]), ref r);
            return;
        }
        AddProof(NsecCovering(zone, qname), ref r);
        if (wl > 0) AddProof(NsecCovering(zone, wildcard[..wl]), ref r);
    }

    /// <summary>No data: <paramref name="node"/> exists (or is an empty non-terminal) without the type asked.</summary>
    private static void ProveNoData(CompiledZone zone, ZoneNode node, scoped ReadOnlySpan<byte> qname, ref ResponseState r)
    {
        if (zone.Nsec3.Count > 0)
        {
            var match = Nsec3Matching(zone, node.Name);
            if (match is not null) { AddProof(match, ref r); return; }
            // No NSEC3 for the name: an insecure delegation under opt-out (RFC 5155 §7.2.4): prove the closest
            // provable encloser and cover the next closer name (its opt-out flag says the delegation may exist).
            ProveClosestEncloser(zone, ParentOf(zone, node.Name), node.Name, ref r);
            return;
        }
        if (node.Find(RecordType.NSEC) is not null) AddProof(node, ref r);
        else AddProof(NsecCovering(zone, qname), ref r); // an empty non-terminal has no NSEC: the one covering it
    }

    /// <summary>A wildcard answered <paramref name="qname"/> (RFC 4035 §3.1.3.3, RFC 5155 §7.2.6): the name itself does not
    /// exist. With <paramref name="wildcardNode"/> (no data at the wildcard either, §7.2.5), its matching record too.</summary>
    private static void ProveWildcard(CompiledZone zone, ZoneNode ce, ZoneNode? wildcardNode, scoped ReadOnlySpan<byte> qname, ref ResponseState r)
    {
        if (zone.Nsec3.Count > 0)
        {
            if (wildcardNode is not null) AddProof(Nsec3Matching(zone, ce.Name), ref r);
            AddProof(Nsec3Covering(zone, NextCloser(qname, ce.LabelCount)), ref r);
            if (wildcardNode is not null) AddProof(Nsec3Matching(zone, wildcardNode.Name), ref r);
            return;
        }
        AddProof(NsecCovering(zone, qname), ref r);
        if (wildcardNode is not null && wildcardNode.Find(RecordType.NSEC) is not null) AddProof(wildcardNode, ref r);
    }

    /// <summary>A referral to an unsigned child: the cut's NSEC/NSEC3 shows NS without DS; or, under opt-out, the
    /// covering NSEC3 with the opt-out flag.</summary>
    private static void ProveNoDs(CompiledZone zone, ZoneNode cut, ref ResponseState r) => ProveNoData(zone, cut, cut.Name, ref r);

    /// <summary>The closest encloser's matching NSEC3 and the NSEC3 covering the next closer name (RFC 5155 §7.2.1).
    /// When <paramref name="ce"/> has no NSEC3 (below an opt-out span), the proof moves up to the closest name with one.</summary>
    private static void ProveClosestEncloser(CompiledZone zone, ZoneNode ce, scoped ReadOnlySpan<byte> qname, ref ResponseState r)
    {
        var node = ce;
        var match = Nsec3Matching(zone, node.Name);
        while (match is null && !node.IsApex)
        {
            node = ParentOf(zone, node.Name);
            match = Nsec3Matching(zone, node.Name);
        }
        AddProof(match, ref r);
        AddProof(Nsec3Covering(zone, NextCloser(qname, node.LabelCount)), ref r);
    }

    [SkipLocalsInit]
    private static ZoneNode? Nsec3Matching(CompiledZone zone, scoped ReadOnlySpan<byte> name)
    {
        Span<byte> hash = stackalloc byte[Nsec3Hash.Length];
        return Nsec3Hash.TryHash(name, zone.Nsec3.Salt, zone.Nsec3.Iterations, hash) ? zone.Nsec3.Matching(hash) : null;
    }

    [SkipLocalsInit]
    private static ZoneNode? Nsec3Covering(CompiledZone zone, scoped ReadOnlySpan<byte> name)
    {
        Span<byte> hash = stackalloc byte[Nsec3Hash.Length];
        return Nsec3Hash.TryHash(name, zone.Nsec3.Salt, zone.Nsec3.Iterations, hash) ? zone.Nsec3.Covering(hash) : null;
    }

    private static ZoneNode? NsecCovering(CompiledZone zone, scoped ReadOnlySpan<byte> name)
    {
        var owner = zone.Nsec.Covering(name);
        return owner.IsEmpty ? null : zone.FindNode(owner);
    }

    /// <summary>The name one label longer than the closest encloser (<paramref name="ceLabels"/> labels) on the way to
    /// <paramref name="qname"/>: a suffix of it.</summary>
    private static ReadOnlySpan<byte> NextCloser(ReadOnlySpan<byte> qname, int ceLabels)
    {
        int labels = 0;
        for (int p = 0; qname[p] != 0; p += 1 + qname[p]) labels++;
        int skip = labels - ceLabels - 1, pos = 0;
        for (int i = 0; i < skip; i++) pos += 1 + qname[pos];
        return qname[pos..];
    }

    /// <summary>"*." + <paramref name="name"/> into <paramref name="dest"/>; its length, or 0 when too long.</summary>
    private static int WildcardOf(ReadOnlySpan<byte> name, Span<byte> dest)
    {
        if (name.Length + 2 > DnsName.MaxWireLength) return 0;
        dest[0] = 1; dest[1] = (byte)'*';
        name.CopyTo(dest[2..]);
        return name.Length + 2;
    }

    /// <summary>The node of the parent name (it exists: every name between an owner and the apex is a node).</summary>
    private static ZoneNode ParentOf(CompiledZone zone, ReadOnlySpan<byte> name) =>
        name[0] == 0 ? zone.Apex : zone.FindNode(name[(1 + name[0])..]) ?? zone.Apex;
}
