namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>The outcome of comparing one query's answers: the differences found and the allowances used.</summary>
public sealed record Comparison(IReadOnlyList<string> Differences, IReadOnlyList<KnownDifference> Allowed)
{
    public bool Same => Differences.Count == 0;
}

/// <summary>
/// Compares knotd's and AkkaDns's answers to the same query bytes: RCODE, opcode, flags (AA TC RD RA AD CD), the
/// question echo, the three sections as normalized sorted lists, and the OPT record separately. Deviations are
/// accepted only through <see cref="KnownDifferences"/>.
/// </summary>
public static class ResponseComparer
{
    public const int FormErr = 1;
    public const int NotImp = 4;
    public const int UpdateOpcode = 5;
    public const ushort UnassignedType = 65281;

    /// <param name="askKnot">Sends another packet to knotd (to check an allowed difference against knotd's own answer).</param>
    public static async Task<Comparison> CompareAsync(
        DiffQuery query, byte[] sent, byte[]? knotWire, byte[]? akkaWire,
        Func<byte[], Task<DecodedResponse?>> askKnot)
    {
        var diffs = new List<string>();
        var allowed = new List<KnownDifference>();
        if (knotWire is null && akkaWire is null) return new(diffs, allowed);

        DecodedResponse? knot = TryDecode(knotWire, "knot", diffs), akka = TryDecode(akkaWire, "akkadns", diffs);
        if (diffs.Count > 0) return new(diffs, allowed);

        if (knot is null || akka is null)
        {
            var answered = knot ?? akka!;
            if (query.Category == "malformed" && answered.Rcode == FormErr)
            {
                allowed.Add(KnownDifferences.MalformedDropOrFormErr);
                CheckId(answered, sent, knot is null ? "akkadns" : "knot", diffs);
            }
            else
            {
                diffs.Add(knot is null
                    ? $"knot dropped the query; akkadns answered:\n{akka}"
                    : $"akkadns dropped the query (no answer in time); knot answered:\n{knot}");
            }
            return new(diffs, allowed);
        }

        if (query.WithoutTrailingBytes is { } trimmed && knot.Rcode == FormErr && akka.Rcode != FormErr)
        {
            // Judge AkkaDns against knotd's answer to the same query without the extra bytes.
            var reference = await askKnot(trimmed(DnsWire.Id(sent)));
            if (reference is null) { diffs.Add("knot did not answer the query without its trailing bytes"); return new(diffs, allowed); }
            allowed.Add(KnownDifferences.TrailingBytesIgnored);
            knot = reference;
        }
        if (query.Raw is null && query.Type == 0 && knot.Rcode == NotImp && akka.Rcode == 0)
        {
            // Judge AkkaDns's NODATA against knotd's NODATA for a type nobody has at that name.
            var reference = await askKnot(DnsWire.BuildQuery(DnsWire.Id(sent), query.Name, UnassignedType, query.Options));
            if (reference is null) { diffs.Add("knot did not answer the unassigned-type query"); return new(diffs, allowed); }
            allowed.Add(KnownDifferences.Type0NoData);
            knot = reference with { Question = DnsWire.RawQuestion(sent) }; // the question must still echo what was sent
        }
        CheckId(knot, sent, "knot", diffs);
        CheckId(akka, sent, "akkadns", diffs);
        if (query.Raw is null && query.Options.Opcode == UpdateOpcode && knot.Rcode != 0 && akka.Rcode == NotImp)
        {
            // The UPDATE allowance covers RCODE only: the rest of the header must still match.
            allowed.Add(KnownDifferences.UpdateNotImplemented);
            knot = knot with { Rcode = NotImp };
        }
        Same("RCODE", knot.Rcode, akka.Rcode, diffs);
        Same("opcode", knot.Opcode, akka.Opcode, diffs);
        Same("QR", knot.Qr, akka.Qr, diffs);
        Same("AA", knot.Aa, akka.Aa, diffs);
        Same("TC", knot.Tc, akka.Tc, diffs);
        Same("RD", knot.Rd, akka.Rd, diffs);
        Same("RA", knot.Ra, akka.Ra, diffs);
        Same("AD", knot.Ad, akka.Ad, diffs);
        if (query.Options.Cd && !knot.Cd && akka.Cd) allowed.Add(KnownDifferences.CdCopied);
        else Same("CD", knot.Cd, akka.Cd, diffs);

        if (!Equal(knot.Question, akka.Question))
            diffs.Add($"question echo: knot {Hex(knot.Question)} vs akkadns {Hex(akka.Question)}");

        if (query.Type == QuerySet.ANY && query.Raw is null && knot.Rcode == 0 && knot.Aa && !knot.Answer.SequenceEqual(akka.Answer))
        {
            if (await AnyAnswerIsOneRRset(query, sent, akka, askKnot, diffs)) allowed.Add(KnownDifferences.AnySubset);
        }
        else
        {
            SameSection("answer", knot.Answer, akka.Answer, diffs);
        }
        SameSection("authority", knot.Authority, akka.Authority, diffs);
        if (query.Raw is null && query.Type == QuerySet.NAPTR && knot.Rcode == 0 && knot.Additional.Count == 0 && akka.Additional.Count > 0)
        {
            if (await NaptrAdditionalIsZoneData(query, sent, akka, askKnot, diffs)) allowed.Add(KnownDifferences.NaptrAdditional);
        }
        else
        {
            SameSection("additional", knot.Additional, akka.Additional, diffs);
        }
        if (knot.Rcode == FormErr && akka.Rcode == FormErr && knot.Opt is null && akka.Opt is { Version: 0 }
            && sent.Length >= DnsWire.HeaderSize && (sent[10] | sent[11]) != 0 && ContainsOptType(sent))
            allowed.Add(KnownDifferences.OptInFormErr);
        else
            CompareOpt(knot.Opt, akka.Opt, diffs);

        if (diffs.Count > 0) diffs.Add($"knot answered:\n{knot}\nakkadns answered:\n{akka}");
        return new(diffs, allowed);
    }

    /// <summary>Whether the packet holds an OPT record as this harness writes them (root owner, TYPE 41).</summary>
    private static bool ContainsOptType(byte[] packet)
    {
        for (var i = DnsWire.HeaderSize; i + 2 < packet.Length; i++)
            if (packet[i] == 0 && packet[i + 1] == 0 && packet[i + 2] == 41) return true;
        return false;
    }

    private static DecodedResponse? TryDecode(byte[]? wire, string who, List<string> diffs)
    {
        if (wire is null) return null;
        try { return DecodedResponse.Decode(wire); }
        catch (Exception e)
        {
            diffs.Add($"{who}'s response does not parse ({e.GetType().Name}: {e.Message}): {Convert.ToHexString(wire)}");
            return null;
        }
    }

    private static void CheckId(DecodedResponse r, byte[] sent, string who, List<string> diffs)
    {
        if (sent.Length >= 2 && r.Id != DnsWire.Id(sent)) diffs.Add($"{who} answered with ID {r.Id}, the query had {DnsWire.Id(sent)}");
    }

    /// <summary>RFC 8482 check of AkkaDns's ANY answer: non-empty, one owner (the QNAME), one type, and either the
    /// synthesized HINFO or the whole RRset knotd gives for a query of that type.</summary>
    private static async Task<bool> AnyAnswerIsOneRRset(DiffQuery query, byte[] sent, DecodedResponse akka,
        Func<byte[], Task<DecodedResponse?>> askKnot, List<string> diffs)
    {
        if (akka.Answer.Count == 0) { diffs.Add("ANY: akkadns answered with an empty answer section"); return false; }
        var parsed = akka.Answer.Select(a => a.Split(' ', 5)).ToList();
        var owners = parsed.Select(p => p[0]).Distinct().ToList();
        var types = parsed.Select(p => p[3]).Distinct().ToList();
        if (owners.Count != 1 || !string.Equals(owners[0], query.Name, StringComparison.OrdinalIgnoreCase) || types.Count != 1)
        {
            diffs.Add($"ANY: akkadns's answer is not one RRset at {query.Name}: {string.Join(" | ", akka.Answer)}");
            return false;
        }
        if (types[0] == "HINFO" && parsed.Count == 1 && parsed[0][4].Contains("RFC8482", StringComparison.Ordinal)) return true;
        if (!TryTypeCode(types[0], out var type)) { diffs.Add($"ANY: cannot map type {types[0]}"); return false; }
        var reference = await askKnot(DnsWire.BuildQuery((ushort)(DnsWire.Id(sent) ^ 0x5a5a), query.Name, type, query.Options));
        if (reference is null) { diffs.Add($"ANY: knot gave no answer to {query.Name} {types[0]}"); return false; }
        if (!reference.Answer.SequenceEqual(akka.Answer))
        {
            diffs.Add($"ANY: akkadns's {types[0]} RRset differs from knot's answer for that type:\n  akkadns {string.Join(" | ", akka.Answer)}\n  knot    {string.Join(" | ", reference.Answer)}");
            return false;
        }
        return true;
    }

    /// <summary>The "naptr-additional" check: each RRset AkkaDns added is A, AAAA or SRV, and is exactly knotd's answer to
    /// a query for that name and type.</summary>
    private static async Task<bool> NaptrAdditionalIsZoneData(DiffQuery query, byte[] sent, DecodedResponse akka,
        Func<byte[], Task<DecodedResponse?>> askKnot, List<string> diffs)
    {
        bool ok = true;
        foreach (var set in akka.Additional.GroupBy(a => (Owner: a.Split(' ', 5)[0], Type: a.Split(' ', 5)[3])))
        {
            ushort type = set.Key.Type switch { "A" => QuerySet.A, "AAAA" => QuerySet.AAAA, "SRV" => QuerySet.SRV, _ => 0 };
            if (type == 0) { diffs.Add($"naptr-additional: akkadns added {set.Key.Type} at {set.Key.Owner}: only A, AAAA and SRV are allowed"); ok = false; continue; }
            var reference = await askKnot(DnsWire.BuildQuery((ushort)(DnsWire.Id(sent) ^ 0x3c3c), set.Key.Owner, type, query.Options));
            if (reference is null || !reference.Answer.SequenceEqual(set))
            {
                diffs.Add($"naptr-additional: akkadns's {set.Key.Owner} {set.Key.Type} differs from knot's answer for it:\n  akkadns {string.Join(" | ", set)}\n  knot    {(reference is null ? "(no answer)" : string.Join(" | ", reference.Answer))}");
                ok = false;
            }
        }
        return ok;
    }

    private static bool TryTypeCode(string name, out ushort type)
    {
        if (name.StartsWith("TYPE", StringComparison.Ordinal) && ushort.TryParse(name[4..], out type)) return true;
        foreach (ushort t in new ushort[] { 1, 2, 5, 6, 12, 13, 15, 16, 28, 33, 39, 43, 44, 52, 257 })
            if (QuerySet.TypeName(t) == name) { type = t; return true; }
        type = 0;
        return false;
    }

    private static void CompareOpt(OptView? knot, OptView? akka, List<string> diffs)
    {
        if (knot is null || akka is null)
        {
            if (knot is not null || akka is not null)
                diffs.Add($"OPT: knot {knot?.ToString() ?? "none"} vs akkadns {akka?.ToString() ?? "none"}");
            return;
        }
        Same("OPT UDP payload size", knot.PayloadSize, akka.PayloadSize, diffs);
        Same("OPT version", knot.Version, akka.Version, diffs);
        Same("OPT DO", knot.DnssecOk, akka.DnssecOk, diffs);
        if (!knot.OptionCodes.SequenceEqual(akka.OptionCodes))
            diffs.Add($"OPT options: knot [{string.Join(',', knot.OptionCodes)}] vs akkadns [{string.Join(',', akka.OptionCodes)}]");
    }

    private static void Same<T>(string what, T knot, T akka, List<string> diffs)
    {
        if (!EqualityComparer<T>.Default.Equals(knot, akka)) diffs.Add($"{what}: knot {knot} vs akkadns {akka}");
    }

    private static void SameSection(string name, IReadOnlyList<string> knot, IReadOnlyList<string> akka, List<string> diffs)
    {
        if (knot.SequenceEqual(akka)) return;
        var missing = knot.Except(akka).ToList();
        var extra = akka.Except(knot).ToList();
        var text = $"{name} section differs";
        if (missing.Count > 0) text += $"\n  only knot:    {string.Join("\n                ", missing)}";
        if (extra.Count > 0) text += $"\n  only akkadns: {string.Join("\n                ", extra)}";
        if (missing.Count == 0 && extra.Count == 0) text += " (duplicates)";
        diffs.Add(text);
    }

    private static bool Equal(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string Hex(byte[]? b) => b is null ? "(none)" : Convert.ToHexString(b);
}
