using ARSoft.Tools.Net.Dns;

namespace AkkaDns.Cluster.Tests.Differential;

/// <summary>The OPT pseudo-RR of a response, compared on its own (RFC 6891 §6.1.2).</summary>
public sealed record OptView(ushort PayloadSize, byte Version, bool DnssecOk, IReadOnlyList<int> OptionCodes)
{
    public override string ToString() =>
        $"OPT(udp={PayloadSize} version={Version} do={(DnssecOk ? 1 : 0)} options=[{string.Join(',', OptionCodes)}])";
}

/// <summary>
/// A response decoded by ARSoft.Tools.Net (an independent parser: not our codec, not Knot's), normalized
/// for comparison: sections are sorted lists of "owner ttl class type rdata" with the owner lower-cased
/// (0x20 case and compression choices differ legitimately); the question is kept as the exact bytes sent.
/// </summary>
public sealed record DecodedResponse(
    ushort Id,
    int Rcode,
    int Opcode,
    bool Qr, bool Aa, bool Tc, bool Rd, bool Ra, bool Ad, bool Cd,
    byte[]? Question,
    IReadOnlyList<string> Answer,
    IReadOnlyList<string> Authority,
    IReadOnlyList<string> Additional,
    OptView? Opt)
{
    public static DecodedResponse Decode(byte[] wire)
    {
        var m = DnsMessage.Parse(new ArraySegment<byte>(wire));
        OptView? opt = null;
        var opts = m.AdditionalRecords.OfType<OptRecord>().ToList();
        if (opts.Count > 1) throw new FormatException($"response carries {opts.Count} OPT records (RFC 6891 §6.1.1 allows one)");
        if (opts.Count == 1 || m.IsEDnsEnabled)
        {
            var o = opts.Count == 1 ? opts[0] : m.EDnsOptions!;
            opt = new OptView(o.UdpPayloadSize, o.Version, o.IsDnsSecOk,
                o.Options.Select(x => (int)x.Type).Order().ToList());
        }
        return new DecodedResponse(
            m.TransactionID,
            (int)m.ReturnCode,
            (int)m.OperationCode,
            !m.IsQuery, m.IsAuthoritiveAnswer, m.IsTruncated, m.IsRecursionDesired, m.IsRecursionAllowed,
            m.IsAuthenticData, m.IsCheckingDisabled,
            DnsWire.RawQuestion(wire),
            Normalize(m.AnswerRecords),
            Normalize(m.AuthorityRecords),
            Normalize(m.AdditionalRecords.Where(r => r is not OptRecord)),
            opt);
    }

    public static IReadOnlyList<string> Normalize(IEnumerable<DnsRecordBase> records) =>
        records.Select(Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>"owner ttl class type rdata" with the owner lower-cased; the rdata text is ARSoft's. For types whose
    /// RDATA is only names and numbers the whole text is lower-cased too: a server may write a target name with the
    /// query's case through compression (Knot does), and names compare case-insensitively (RFC 4343 §3).
    /// TXT, CAA, HINFO and the like keep their case: there it is data.</summary>
    public static string Key(DnsRecordBase r)
    {
        var text = r.ToString();
        var owner = r.Name.ToString();
        var rest = text.StartsWith(owner, StringComparison.Ordinal) ? text[owner.Length..] : " " + text;
        if (r is CNameRecord or DNameRecord or NsRecord or MxRecord or PtrRecord or SrvRecord or SoaRecord)
        {
            // rest is " ttl class type rdata": lower-case the rdata only, so messages keep "IN SOA".
            var parts = rest.Split(' ', 5);
            if (parts.Length == 5) parts[4] = parts[4].ToLowerInvariant();
            rest = string.Join(' ', parts);
        }
        return owner.ToLowerInvariant() + rest;
    }

    public string Flags =>
        string.Join(' ', new[] { (Qr, "qr"), (Aa, "aa"), (Tc, "tc"), (Rd, "rd"), (Ra, "ra"), (Ad, "ad"), (Cd, "cd") }
            .Where(f => f.Item1).Select(f => f.Item2));

    public override string ToString()
    {
        var lines = new List<string> { $"id={Id} opcode={Opcode} rcode={Rcode} flags=[{Flags}] {Opt?.ToString() ?? "no OPT"}" };
        lines.AddRange(Answer.Select(a => "  AN " + a));
        lines.AddRange(Authority.Select(a => "  NS " + a));
        lines.AddRange(Additional.Select(a => "  AR " + a));
        return string.Join('\n', lines);
    }
}
