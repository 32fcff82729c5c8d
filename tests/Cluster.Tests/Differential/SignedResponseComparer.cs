using ARSoft.Tools.Net.Dns;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>
/// Compares knotd's and AkkaDns's answers to the same DO=1 (or DO=0) query of the signed zone: header (RCODE, opcode,
/// QR AA TC RD RA AD CD), question echo, the three sections normalized by <see cref="SignedResponse"/>, the OPT; plus
/// the RFC rules each answer must keep whatever the other does (<see cref="Rules"/>). Deviations are accepted only
/// through <see cref="KnownDifferences"/>.
/// </summary>
public static class SignedResponseComparer
{
    public const uint NegativeTtl = 300; // min(SOA MINIMUM 300, SOA TTL 3600) of TestData/signed.example.zone

    /// <param name="askKnot">Sends another query to knotd (to check an allowed difference against knotd's own answers).</param>
    /// <param name="askAkkaTcp">Sends a query to AkkaDns over TCP (a QTYPE=RRSIG answer truncated over UDP).</param>
    public static async Task<Comparison> CompareAsync(DiffQuery query, byte[] sent, byte[]? knotWire, byte[]? akkaWire,
        IReadOnlyDictionary<string, string> unhash, Func<byte[], Task<SignedResponse?>> askKnot, Func<byte[], Task<SignedResponse?>> askAkkaTcp)
    {
        var diffs = new List<string>();
        var allowed = new List<KnownDifference>();
        if (knotWire is null || akkaWire is null)
        {
            if (knotWire is not null || akkaWire is not null)
                diffs.Add(knotWire is null ? "knot did not answer; akkadns did" : "akkadns did not answer in time; knot did");
            return new(diffs, allowed);
        }
        SignedResponse knot, akka;
        try { knot = SignedResponse.Decode(knotWire, unhash); }
        catch (Exception e) { diffs.Add($"knot's response does not parse: {e.Message}"); return new(diffs, allowed); }
        try { akka = SignedResponse.Decode(akkaWire, unhash); }
        catch (Exception e) { diffs.Add($"akkadns's response does not parse: {e.Message}: {Convert.ToHexString(akkaWire)}"); return new(diffs, allowed); }

        if (query.Type == SignedQuerySet.RRSIG && !knot.Header.Tc && akka.Header.Tc && akka.Answer.Count == 0 && knot.Header.Rcode == 0)
        {
            // Every RRSIG of a name need not fit a UDP answer where knotd's one does: judge AkkaDns's answer over TCP.
            var whole = await askAkkaTcp(sent);
            if (whole is null) { diffs.Add("rrsig-query-all: akkadns truncated over UDP and gave no answer over TCP"); return new(diffs, allowed); }
            allowed.Add(KnownDifferences.RrsigQueryAll);
            akka = whole;
        }
        var (k, a) = (knot.Header, akka.Header);
        if (k.Id != DnsWire.Id(sent) || a.Id != DnsWire.Id(sent)) diffs.Add($"ID: sent {DnsWire.Id(sent)}, knot {k.Id}, akkadns {a.Id}");
        Same("RCODE", k.Rcode, a.Rcode, diffs);
        Same("opcode", k.Opcode, a.Opcode, diffs);
        Same("QR", k.Qr, a.Qr, diffs);
        Same("AA", k.Aa, a.Aa, diffs);
        Same("TC", k.Tc, a.Tc, diffs);
        Same("RD", k.Rd, a.Rd, diffs);
        Same("RA", k.Ra, a.Ra, diffs);
        Same("AD", k.Ad, a.Ad, diffs);
        Same("CD", k.Cd, a.Cd, diffs);
        if (!(k.Question ?? []).AsSpan().SequenceEqual(a.Question ?? []))
            diffs.Add("question echo differs");

        var knotAnswer = knot.Answer;
        var knotAuthority = knot.Authority;
        var knotAdditional = knot.Additional;
        if (k.Tc && a.Tc && k.Rcode == a.Rcode && akka.Answer.Count + akka.Authority.Count + akka.Additional.Count == 0
            && knotAnswer.Count + knotAuthority.Count + knotAdditional.Count > 0)
        {
            // "tc-partial": knotd keeps what fitted of a truncated DO=1 answer, AkkaDns sends none of it; both set TC.
            allowed.Add(KnownDifferences.TruncatedPartial);
            knotAnswer = knotAuthority = knotAdditional = [];
        }
        if (CdsTtlDiffers(knotAnswer, akka.Answer, out var adjusted))
        {
            allowed.Add(KnownDifferences.CdsTtl);
            knotAnswer = adjusted;
        }
        if (query.Type == SignedQuerySet.RRSIG && k.Rcode == 0 && a.Rcode == 0 && !knotAnswer.SequenceEqual(akka.Answer)
            && knotAnswer.All(akka.Answer.Contains))
        {
            if (await EveryRrsigIsKnots(query, sent, akka, askKnot, diffs, allowed)) allowed.Add(KnownDifferences.RrsigQueryAll);
        }
        else Section("answer", knotAnswer, akka.Answer, diffs);
        Section("authority", knotAuthority, akka.Authority, diffs);
        Section("additional", knotAdditional, akka.Additional, diffs);

        if (k.Opt is null || a.Opt is null)
        {
            if (k.Opt is not null || a.Opt is not null) diffs.Add($"OPT: knot {k.Opt?.ToString() ?? "none"} vs akkadns {a.Opt?.ToString() ?? "none"}");
        }
        else
        {
            Same("OPT UDP payload size", k.Opt.PayloadSize, a.Opt.PayloadSize, diffs);
            Same("OPT version", k.Opt.Version, a.Opt.Version, diffs);
            Same("OPT DO", k.Opt.DnssecOk, a.Opt.DnssecOk, diffs);
            if (!k.Opt.OptionCodes.SequenceEqual(a.Opt.OptionCodes)) diffs.Add($"OPT options: knot {k.Opt} vs akkadns {a.Opt}");
        }

        foreach (var broken in Rules(query, akka)) diffs.Add("akkadns breaks an RFC rule: " + broken);
        if (diffs.Count > 0)
        {
            foreach (var broken in Rules(query, knot)) diffs.Add("(knot breaks it too: " + broken + ")");
            diffs.Add($"knot answered:\n{knot}\nakkadns answered:\n{akka}");
        }
        return new(diffs, allowed);
    }

    /// <summary>
    /// What every answer of an authoritative server for a signed zone must do, checked on the records themselves:
    /// AD clear (RFC 4035 §3.1.6: an authoritative server only sets it for data it has validated, and Knot never does);
    /// with DO=0 no RRSIG, NSEC or NSEC3 unless asked for by type (RFC 4035 §3.1); with DO=1 each RRSIG's TTL equal to the TTL
    /// of the RRset it covers in the same section (RFC 4034 §3; a negative answer's SOA and its RRSIG carry the negative
    /// TTL), else to its original TTL, and never above the original TTL, each RRset of the answer
    /// and authority sections signed except the NS of a cut and a CNAME synthesized from a DNAME (RFC 4035 §2.2, §3.1.4), and NSEC3 TTL = min(SOA MINIMUM,
    /// SOA TTL) (RFC 9077 §3.2, RFC 5155 §3).
    /// </summary>
    public static IEnumerable<string> Rules(DiffQuery query, SignedResponse r)
    {
        var m = r.Message;
        if (r.Header.Ad) yield return "AD set on an authoritative answer";
        var sections = new[] { ("answer", m.AnswerRecords), ("authority", m.AuthorityRecords), ("additional", m.AdditionalRecords.Where(x => x is not OptRecord).ToList()) };
        if (!query.Options.Do)
        {
            foreach (var (name, records) in sections)
                foreach (var rec in records)
                    if (rec.RecordType is RecordType.RrSig or RecordType.NSec or RecordType.NSec3 && !(name == "answer" && (ushort)rec.RecordType == query.Type))
                        yield return $"DO=0, yet {rec.RecordType} at {rec.Name} in the {name} section";
            yield break;
        }
        foreach (var (name, records) in sections)
        {
            foreach (var sig in records.OfType<RrSigRecord>())
            {
                var covered = records.Where(x => x.RecordType == sig.TypeCovered && x.Name.Equals(sig.Name)).ToList();
                if (covered.Count > 0 && covered.Any(c => c.TimeToLive != sig.TimeToLive))
                    yield return $"{name}: RRSIG {sig.TypeCovered} at {sig.Name}: TTL {sig.TimeToLive} ≠ the RRset's {covered[0].TimeToLive} (RFC 4034 §3)";
                else if (covered.Count == 0 && sig.TimeToLive != sig.OriginalTimeToLive)
                    yield return $"{name}: RRSIG {sig.TypeCovered} at {sig.Name} alone: TTL {sig.TimeToLive} ≠ its original TTL {sig.OriginalTimeToLive}";
                if (sig.TimeToLive > sig.OriginalTimeToLive)
                    yield return $"{name}: RRSIG {sig.TypeCovered} at {sig.Name}: TTL {sig.TimeToLive} above its original TTL {sig.OriginalTimeToLive} (RFC 4035 §5.3.3)";
            }
            foreach (var n in records.Where(x => x.RecordType is RecordType.NSec3 or RecordType.NSec))
                if (n.TimeToLive != NegativeTtl) yield return $"{name}: {n.RecordType} at {n.Name} has TTL {n.TimeToLive}, not min(SOA MINIMUM, SOA TTL) = {NegativeTtl}";
            if (name == "additional" || r.Header.Tc) continue;
            foreach (var set in records.Where(x => x.RecordType != RecordType.RrSig).GroupBy(x => (Name: x.Name.ToString().ToLowerInvariant(), x.RecordType)))
            {
                // NS below the apex is a cut: the parent does not sign it (RFC 4035 §2.2), whether AA is set (a CNAME
                // into the delegation) or not (a referral).
                if (set.Key.RecordType == RecordType.Ns && !set.Key.Name.Equals(SignedTestZone.Origin, StringComparison.Ordinal)) continue;
                // A CNAME synthesized from a DNAME is not signed: the DNAME's RRSIG covers it (RFC 6672 §5.3).
                if (set.Key.RecordType == RecordType.CName && records.Any(d => d.RecordType == RecordType.DName
                        && set.Key.Name.EndsWith("." + d.Name.ToString().ToLowerInvariant(), StringComparison.Ordinal))) continue;
                if (!records.OfType<RrSigRecord>().Any(s => s.TypeCovered == set.Key.RecordType && s.Name.ToString().Equals(set.Key.Name, StringComparison.OrdinalIgnoreCase)))
                    yield return $"{name}: {set.Key.RecordType} at {set.Key.Name} without its RRSIG";
            }
        }
    }

    /// <summary>The "rrsig-query-all" check: knotd's one RRSIG is among AkkaDns's, and each RRSIG AkkaDns answers is, normalized,
    /// the RRSIG knotd gives with the RRset it covers when asked for that type (DO=1).</summary>
    private static async Task<bool> EveryRrsigIsKnots(DiffQuery query, byte[] sent, SignedResponse akka,
        Func<byte[], Task<SignedResponse?>> askKnot, List<string> diffs, List<KnownDifference> allowed)
    {
        var ok = true;
        foreach (var sig in akka.Message.AnswerRecords)
        {
            if (sig is not RrSigRecord s) { diffs.Add($"rrsig-query-all: akkadns answered a {sig.RecordType} to a QTYPE=RRSIG query"); ok = false; continue; }
            var line = akka.Answer.First(l => l.Split(' ')[4] == SignedResponse.Mnemonic(s.TypeCovered));
            var reference = await askKnot(DnsWire.BuildQuery((ushort)(DnsWire.Id(sent) ^ 0x4646), query.Name, (ushort)s.TypeCovered, query.Options with { Do = true }));
            // CDS/CDNSKEY: knotd's TTL 0 against AkkaDns's DNSKEY TTL is the "cds-ttl" difference; the rest must match.
            var cds = s.TypeCovered is RecordType.CDs or RecordType.CDnsKey;
            if (cds) allowed.Add(KnownDifferences.CdsTtl);
            if (reference is null || !reference.Answer.Any(l => cds ? WithoutTtls(l) == WithoutTtls(line) : l == line))
            {
                diffs.Add($"rrsig-query-all: akkadns's {line} is not what knot serves with the {SignedResponse.Mnemonic(s.TypeCovered)} RRset:\n  knot {(reference is null ? "(no answer)" : string.Join(" | ", reference.Answer))}");
                ok = false;
            }
        }
        return ok;
    }

    /// <summary>An RRSIG line without its TTL and original TTL fields.</summary>
    private static string WithoutTtls(string rrsigLine)
    {
        var p = rrsigLine.Split(' ');
        p[1] = "*";
        if (p.Length > 7) p[7] = "*";
        return string.Join(' ', p);
    }

    /// <summary>The "cds-ttl" allowance: knotd publishes CDS and CDNSKEY with TTL 0, AkkaDns with the DNSKEY TTL. When that
    /// is the only difference, <paramref name="adjusted"/> is knotd's answer with AkkaDns's TTL on those records.</summary>
    private static bool CdsTtlDiffers(IReadOnlyList<string> knot, IReadOnlyList<string> akka, out IReadOnlyList<string> adjusted)
    {
        adjusted = knot;
        if (knot.SequenceEqual(akka)) return false;
        var akkaTtl = akka.Select(l => l.Split(' ')).Where(p => p[3] is "CDS" or "CDNSKEY" || (p[3] == "RRSIG" && p[4] is "CDS" or "CDNSKEY")).Select(p => p[1]).Distinct().ToList();
        if (akkaTtl.Count != 1) return false;
        var changed = knot.Select(l =>
        {
            var p = l.Split(' ');
            if (!(p[3] is "CDS" or "CDNSKEY" || (p[3] == "RRSIG" && p[4] is "CDS" or "CDNSKEY")) || p[1] != "0") return l;
            p[1] = akkaTtl[0];
            if (p[3] == "RRSIG") p[7] = akkaTtl[0]; // original TTL
            return string.Join(' ', p);
        }).Order(StringComparer.Ordinal).ToList();
        if (!changed.SequenceEqual(akka)) return false;
        adjusted = changed;
        return true;
    }

    private static void Same<T>(string what, T knot, T akka, List<string> diffs)
    {
        if (!EqualityComparer<T>.Default.Equals(knot, akka)) diffs.Add($"{what}: knot {knot} vs akkadns {akka}");
    }

    private static void Section(string name, IReadOnlyList<string> knot, IReadOnlyList<string> akka, List<string> diffs)
    {
        if (knot.SequenceEqual(akka)) return;
        var onlyKnot = MultisetMinus(knot, akka);
        var onlyAkka = MultisetMinus(akka, knot);
        var text = $"{name} section differs";
        if (onlyKnot.Count > 0) text += $"\n  only knot:    {string.Join("\n                ", onlyKnot)}";
        if (onlyAkka.Count > 0) text += $"\n  only akkadns: {string.Join("\n                ", onlyAkka)}";
        diffs.Add(text);
    }

    private static List<string> MultisetMinus(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var rest = b.ToList();
        var result = new List<string>();
        foreach (var x in a) if (!rest.Remove(x)) result.Add(x);
        return result;
    }
}
