using AkkaDns.Actors.Zones;
using AkkaDns.Cluster.ZoneService;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Cluster.Api;

/// <summary>Converts between PowerDNS JSON and the zone edge's types. Input problems come back as
/// <see cref="RequestProblem"/>s that name the RRset or record and what is wrong with it.</summary>
internal static class ZoneJsonMapper
{
    public const string ZonesPath = "/api/v1/servers/localhost/zones";

    public static ZoneJson ToJson(ZoneSummary zone) => new()
    {
        Id = ToId(zone.Name), Name = zone.Name.ToString(), Url = UrlOf(zone.Name),
        Serial = zone.Serial, NotifiedSerial = zone.Serial, EditedSerial = zone.Serial, Version = zone.Version,
    };

    public static ZoneJson ToJson(ZoneView zone, bool withRRsets = true) => ToJson(zone, _ => [], withRRsets);

    /// <summary>The zone with its RRsets' comments from the zone's metadata (an RRset with comments and no records is
    /// listed with no records, as PowerDNS does).</summary>
    public static ZoneJson ToJson(ZoneView zone, Func<string, IReadOnlyList<string>> meta, bool withRRsets = true) => new()
    {
        Id = ToId(zone.Name), Name = zone.Name.ToString(), Url = UrlOf(zone.Name),
        Serial = zone.Serial, NotifiedSerial = zone.Serial, EditedSerial = zone.Serial, Version = zone.Version,
        Rrsets = withRRsets ? WithComments(GroupRRsets(zone.Records), ZoneComments.ToMap(meta(ZoneComments.Kind))) : null,
    };

    private static List<RRsetJson> WithComments(List<RRsetJson> sets, Dictionary<(string Owner, string Type), List<CommentJson>> comments)
    {
        if (comments.Count == 0) return sets;
        var result = sets.Select(s => comments.TryGetValue((s.Name!, s.Type!), out var c) ? s with { Comments = c } : s).ToList();
        var present = sets.Select(s => (s.Name!, s.Type!)).ToHashSet();
        foreach (var ((owner, type), c) in comments.Where(kv => !present.Contains(kv.Key)).OrderBy(kv => kv.Key.Owner, StringComparer.Ordinal))
            result.Add(new RRsetJson { Name = owner, Type = type, Ttl = 0, Records = [], Comments = c });
        return result;
    }

    /// <summary>Groups records into RRsets in order of first appearance (SOA first when the zone lists it first).</summary>
    public static List<RRsetJson> GroupRRsets(IReadOnlyList<ResourceRecord> records)
    {
        var sets = new List<RRsetJson>();
        var index = new Dictionary<(DnsName, RecordType), int>();
        foreach (var r in records)
        {
            var key = (r.Owner, r.Type);
            if (!index.TryGetValue(key, out var i))
            {
                index[key] = i = sets.Count;
                sets.Add(new RRsetJson { Name = r.Owner.ToString(), Type = RecordTypes.ToText(r.Type), Ttl = r.Ttl, Records = [], Comments = [] });
            }
            sets[i].Records!.Add(new RecordJson { Content = RData.Format(r.Type, r.RData) });
        }
        return sets;
    }

    /// <summary>PowerDNS's zone id: the name with every character but letters, digits, '.', '-' and '_' as =XX
    /// (so "0/24.2.0.192.in-addr.arpa." is "0=2F24.2.0.192.in-addr.arpa."), safe in a URL path.</summary>
    public static string ToId(DnsName zone)
    {
        var text = zone.ToString();
        if (text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return text;
        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_') sb.Append((char)b);
            else sb.Append('=').Append(b.ToString("X2"));
        return sb.ToString();
    }

    public static string UrlOf(DnsName zone) => $"{ZonesPath}/{ToId(zone)}";

    /// <summary>A zone name from a URL or a body: absolute or not, =XX escapes ("=2F" for "/") as PowerDNS encodes
    /// ids; lower-cased.</summary>
    public static bool TryParseZoneName(string? text, out DnsName name, out string error)
    {
        name = DnsName.Root; error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "zone name missing"; return false; }
        text = System.Text.RegularExpressions.Regex.Replace(text.Trim(), "=([0-9A-Fa-f]{2})",
            m => ((char)Convert.ToByte(m.Groups[1].Value, 16)).ToString());
        if (!DnsName.TryParse(text, DnsName.Root, out var parsed, out var e)) { error = $"bad zone name '{text}': {e}"; return false; }
        name = parsed!.ToLowerCase();
        return true;
    }

    /// <summary>Turns PATCH rrsets into changes. Structural and record-data errors are 400, rule errors 422.</summary>
    public static List<RRsetChange> ToChanges(DnsName zone, IReadOnlyList<RRsetJson> rrsets, bool requireChangetype, List<RequestProblem> problems)
    {
        var changes = new List<RRsetChange>();
        for (int i = 0; i < rrsets.Count; i++)
        {
            var set = rrsets[i];
            if (set is null) { problems.Add(RequestProblem.Malformed($"rrsets[{i}] is null")); continue; }
            string where = $"rrsets[{i}] ({set.Name ?? "?"} {set.Type ?? "?"})";
            if (string.IsNullOrWhiteSpace(set.Name)) { problems.Add(RequestProblem.Malformed($"{where}: 'name' missing")); continue; }
            if (string.IsNullOrWhiteSpace(set.Type)) { problems.Add(RequestProblem.Malformed($"{where}: 'type' missing")); continue; }
            if (!DnsName.TryParse(set.Name.Trim(), zone, out var owner, out var nameError))
            { problems.Add(RequestProblem.Malformed($"{where}: bad owner name: {nameError}")); continue; }
            owner = owner!.ToLowerCase();
            if (!RecordTypes.TryParse(set.Type.Trim(), out var type) || RecordTypes.IsMetaOrQuestionOnly(type))
            { problems.Add(RequestProblem.Malformed($"{where}: unknown or meta record type '{set.Type}'")); continue; }
            if (!owner.IsSubdomainOf(zone))
            { problems.Add(RequestProblem.Rule($"{where}: name '{owner}' is out of zone '{zone}'")); continue; }

            var kind = (set.Changetype ?? (requireChangetype ? null : "REPLACE"))?.Trim().ToUpperInvariant();
            if (kind is not ("REPLACE" or "DELETE"))
            { problems.Add(RequestProblem.Malformed($"{where}: changetype must be REPLACE or DELETE, got '{set.Changetype}'")); continue; }

            // PowerDNS: a REPLACE without "records" but with "comments" changes only the comments (not zone data).
            if (kind == "REPLACE" && set.Records is null && set.Comments is not null) continue;
            var records = set.Records ?? [];
            if (kind == "DELETE" || records.Count == 0)
            {
                changes.Add(new RRsetChange(owner, type, RRsetChangeKind.Delete, []));
                continue;
            }
            if (set.Ttl is not { } ttl) { problems.Add(RequestProblem.Rule($"{where}: 'ttl' missing for REPLACE")); continue; }
            if (ttl > int.MaxValue) { problems.Add(RequestProblem.Rule($"{where}: ttl {ttl} above 2147483647 (RFC 2181 §8)")); continue; }

            var parsed = new List<ResourceRecord>(records.Count);
            bool ok = true;
            for (int j = 0; j < records.Count; j++)
            {
                var rec = records[j];
                if (rec?.Content is null) { problems.Add(RequestProblem.Malformed($"{where} records[{j}]: 'content' missing")); ok = false; continue; }
                if (rec.Disabled) { problems.Add(RequestProblem.Rule($"{where} records[{j}] '{rec.Content}': disabled records are not supported")); ok = false; continue; }
                try
                {
                    parsed.Add(new ResourceRecord(owner, type, ttl, RData.Parse(type, rec.Content, zone)));
                }
                catch (FormatException e)
                {
                    problems.Add(RequestProblem.Malformed($"bad record data in {where} records[{j}] '{owner} {RecordTypes.ToText(type)} {rec.Content}': {e.Message}"));
                    ok = false;
                }
            }
            if (ok) changes.Add(new RRsetChange(owner, type, RRsetChangeKind.Replace, parsed));
        }
        return changes;
    }
}

/// <summary>One thing wrong with a request; <see cref="IsMalformed"/> problems are 400, rule problems 422.</summary>
internal sealed record RequestProblem(string Message, bool IsMalformed)
{
    public static RequestProblem Malformed(string message) => new(message, true);
    public static RequestProblem Rule(string message) => new(message, false);
}
