using System.Text.Json;
using Akka.Hosting;
using AkkaDns.Actors.Transfers;
using AkkaDns.Cluster.Node;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// The zone settings of PowerDNS's API that are not zone data (account, soa_edit, soa_edit_api, api_rectify, a
/// primary's Native/Master kind) and the RRset comments. They live as zone metadata: the replicated, persisted
/// per-zone store the transfer settings already use, so they survive restarts, reach every node, and leave the
/// zone's versions, serial and journal of record changes untouched (a comment is not a DNS change and must not
/// bump the serial or be held by the blast-radius guard). PowerDNS itself keeps SOA-EDIT, SOA-EDIT-API and
/// API-RECTIFY as domain metadata of those names.
/// </summary>
internal static class ZoneApiMetadata
{
    public const string Account = "X-AKKADNS-ACCOUNT";
    public const string SoaEdit = "SOA-EDIT";
    public const string SoaEditApi = "SOA-EDIT-API";
    public const string ApiRectify = "API-RECTIFY";
    /// <summary>"Master" when a primary was created or set as Master; absent means Native (both are replicated by the
    /// cluster alike: the kind only changes what clients see, e.g. lego sends PUT …/notify for a Master zone).</summary>
    public const string PrimaryKind = "X-AKKADNS-KIND";

    /// <summary>Every kind this class owns, cleared when the zone is deleted.</summary>
    public static readonly string[] Kinds = [Account, SoaEdit, SoaEditApi, ApiRectify, PrimaryKind, ZoneComments.Kind];

    private static readonly string[] SoaEditModes = ["INCREMENT-WEEKS", "INCEPTION-EPOCH", "INCEPTION-INCREMENT", "EPOCH", "NONE"];
    private static readonly string[] SoaEditApiModes = ["DEFAULT", "INCREASE", "EPOCH", "SOA-EDIT", "SOA-EDIT-INCREASE", "OFF"];

    /// <summary>The zone's metadata as the zones side holds it now (read-your-writes after a PUT); this node's
    /// replica when the configuration actor does not answer.</summary>
    public static async Task<Func<string, IReadOnlyList<string>>> ReadAsync(DnsName zone, IRequiredActor<TransferConfigActor> config,
        TransferConfigView view, NodeSettings node, CancellationToken ct)
    {
        var all = await ReadAllAsync(config, view, node, ct);
        return kind => all(zone.ToString(), kind);
    }

    /// <summary>Every zone's metadata, (zone, kind) → values, read as <see cref="ReadAsync"/> does.</summary>
    public static async Task<Func<string, string, IReadOnlyList<string>>> ReadAllAsync(IRequiredActor<TransferConfigActor> config,
        TransferConfigView view, NodeSettings node, CancellationToken ct)
    {
        var (state, error) = await TransferConfigCall.Ask(config, GetTransferConfig.Instance, node, ct);
        if (error is null && state is not null)
            return (zone, kind) => state.MetadataOf(zone).GetValueOrDefault(kind) is { } v ? v : [];
        var snapshot = view.Current;
        return snapshot.Values;
    }

    /// <summary>The JSON with the stored settings filled in.</summary>
    public static ZoneJson With(ZoneJson json, Func<string, IReadOnlyList<string>> meta) => json with
    {
        Kind = json.Kind == "Native" && meta(PrimaryKind) is [var k, ..] ? k : json.Kind,
        Account = meta(Account) is [var a, ..] ? a : "",
        SoaEdit = meta(SoaEdit) is [var se, ..] ? se : "",
        SoaEditApi = meta(SoaEditApi) is [var sea, ..] ? sea : "DEFAULT",
        ApiRectify = meta(ApiRectify) is [var r, ..] && r == "1",
        MasterTsigKeyIds = [.. meta(TransferMetadata.AxfrMasterTsig)],
    };

    /// <summary>
    /// Checks a PUT …/zones/{zone} (or the settings of a POST) and returns the metadata to write, kind by kind; or
    /// the reason it cannot be done (422). What AkkaDns cannot do (DNSSEC, NSEC3, catalogs, turning a primary into a
    /// secondary or back) is refused with a message saying so, never silently ignored.
    /// </summary>
    public static bool TryPlan(DnsName zone, ZoneSettingsJson body, bool isSecondary, out List<(string Kind, List<string> Values)> plan, out string error)
    {
        plan = []; error = "";
        if (body.Kind is { } kindText)
        {
            var kind = kindText.Trim().ToUpperInvariant();
            bool primary = kind is "NATIVE" or "MASTER" or "PRIMARY", secondary = kind is "SLAVE" or "SECONDARY";
            if (!primary && !secondary)
            { error = $"zone '{zone}': kind '{kindText}' is not supported (Native, Master or Slave; catalog Producer/Consumer zones are not)"; return false; }
            if (isSecondary && primary)
            { error = $"zone '{zone}' is a secondary: it cannot become kind '{kindText}' in place; delete it and create it again as Native"; return false; }
            if (!isSecondary && secondary)
            { error = $"zone '{zone}' is a primary: it cannot become a secondary in place; delete it and create it again with \"kind\": \"Slave\" and \"masters\""; return false; }
            if (primary) plan.Add((PrimaryKind, kind == "NATIVE" ? [] : ["Master"]));
        }
        if (body.Masters is { } masters)
        {
            if (!isSecondary && masters.Count > 0) { error = $"zone '{zone}' is a primary: 'masters' is only for a Slave zone"; return false; }
            if (isSecondary)
            {
                if (masters.Count == 0) { error = $"zone '{zone}' is a secondary: 'masters' cannot be empty"; return false; }
                if (!TransferMetadata.TryNormalizeValues(TransferMetadata.Masters, masters, out var normalized, out var why)) { error = "'masters': " + why; return false; }
                plan.Add((TransferMetadata.Masters, normalized));
            }
        }
        if (body.Account is { } account)
        {
            if (account.Any(char.IsControl)) { error = "'account' holds a control character"; return false; }
            if (account.Length > 255) { error = $"'account' is {account.Length} characters: at most 255"; return false; }
            plan.Add((Account, account.Trim().Length == 0 ? [] : [account.Trim()]));
        }
        if (body.SoaEdit is { } soaEdit)
        {
            var mode = soaEdit.Trim().ToUpperInvariant();
            if (mode.Length > 0 && !SoaEditModes.Contains(mode)) { error = $"'soa_edit' '{soaEdit}' is not one of {string.Join(", ", SoaEditModes)} or empty"; return false; }
            plan.Add((SoaEdit, mode.Length == 0 ? [] : [mode]));
        }
        if (body.SoaEditApi is { } soaEditApi)
        {
            var mode = soaEditApi.Trim().ToUpperInvariant();
            if (mode.Length > 0 && !SoaEditApiModes.Contains(mode)) { error = $"'soa_edit_api' '{soaEditApi}' is not one of {string.Join(", ", SoaEditApiModes)} or empty"; return false; }
            plan.Add((SoaEditApi, mode is "" or "DEFAULT" ? [] : [mode]));
        }
        if (body.ApiRectify is { } rectify) plan.Add((ApiRectify, rectify ? ["1"] : []));
        // 'dnssec' and 'nsec3param' are not metadata: the zone actor signs (DnssecEndpoints.ApplyZoneFlags); checked here.
        if (body.Dnssec is true && isSecondary) { error = $"zone '{zone}' is a secondary: it serves its primary's signatures and does not sign itself"; return false; }
        if (!string.IsNullOrWhiteSpace(body.Nsec3param) && !DnssecJson.TryParseNsec3Param(body.Nsec3param, out _, out var nsec3Error)) { error = $"zone '{zone}': {nsec3Error}"; return false; }
        if (body.Nsec3narrow is true) { error = $"zone '{zone}': 'nsec3narrow' is not supported (white lies need online signing at the edges, which hold no keys)"; return false; }
        if (!string.IsNullOrWhiteSpace(body.Catalog)) { error = $"zone '{zone}': catalog zones are not supported ('catalog': '{body.Catalog}')"; return false; }
        if (body.MasterTsigKeyIds is { } ids)
        {
            if (!isSecondary && ids.Count > 0) { error = $"zone '{zone}' is a primary: 'master_tsig_key_ids' is only for a Slave zone"; return false; }
            if (isSecondary)
            {
                var keys = ids.Select(i => i.Replace("=2F", "/", StringComparison.OrdinalIgnoreCase)).ToList();
                if (!TransferMetadata.TryNormalizeValues(TransferMetadata.AxfrMasterTsig, keys, out var normalized, out var why)) { error = "'master_tsig_key_ids': " + why; return false; }
                plan.Add((TransferMetadata.AxfrMasterTsig, normalized));
            }
        }
        return true;
    }

    /// <summary>Writes the planned kinds one by one; the first failure is returned (earlier kinds stay written).</summary>
    public static async Task<Microsoft.AspNetCore.Http.IResult?> WriteAsync(DnsName zone, IEnumerable<(string Kind, List<string> Values)> plan,
        IRequiredActor<TransferConfigActor> config, NodeSettings node, CancellationToken ct)
    {
        foreach (var (kind, values) in plan)
            if ((await TransferConfigCall.Ask(config, new SetZoneMetadata(zone.ToString(), kind, values), node, ct)).Error is { } e) return e;
        return null;
    }
}

/// <summary>
/// RRset comments as zone metadata: one value per RRset that has comments, the JSON
/// <c>{"name": owner, "type": type, "comments": [{content, account, modified_at}]}</c> on one line (values cannot hold
/// control characters; JSON escapes them). Bounded so that the replicated metadata stays well under a message's size.
/// </summary>
internal static class ZoneComments
{
    public const string Kind = "X-AKKADNS-COMMENTS";
    /// <summary>The most comment text one zone keeps (all RRsets together), in characters of the stored JSON.</summary>
    public const int MaxZoneChars = 64 * 1024;

    private sealed record Stored(string Name, string Type, List<CommentJson> Comments);

    public static IEnumerable<(string Owner, string Type, List<CommentJson> Comments)> Read(IReadOnlyList<string> values)
    {
        foreach (var v in values)
        {
            Stored? s;
            try { s = JsonSerializer.Deserialize<Stored>(v, ApiJson.Options); }
            catch (JsonException) { continue; }
            if (s is { Name: not null, Type: not null, Comments: not null }) yield return (s.Name, s.Type, s.Comments);
        }
    }

    public static Dictionary<(string Owner, string Type), List<CommentJson>> ToMap(IReadOnlyList<string> values) =>
        Read(values).GroupBy(c => (c.Owner, c.Type)).ToDictionary(g => g.Key, g => g.Last().Comments);

    /// <summary>The comments of a PATCH or POST body, per RRset: a list replaces the RRset's comments (empty: none),
    /// null deletes them (a DELETE); RRsets that do not mention comments are left out (their comments are kept).</summary>
    public static bool TryCollect(DnsName zone, IReadOnlyList<RRsetJson> rrsets, long now, out Dictionary<(string Owner, string Type), List<CommentJson>?> updates, out string error)
    {
        updates = []; error = "";
        foreach (var set in rrsets)
        {
            if (set?.Name is null || set.Type is null) continue; // ToChanges reports these
            if (!DnsName.TryParse(set.Name.Trim(), zone, out var owner, out _) || !RecordTypes.TryParse(set.Type.Trim(), out var type)) continue;
            var key = (owner!.ToLowerCase().ToString(), RecordTypes.ToText(type));
            bool delete = string.Equals(set.Changetype?.Trim(), "DELETE", StringComparison.OrdinalIgnoreCase);
            if (delete) { updates[key] = null; continue; }
            if (set.Comments is null) continue;
            var list = new List<CommentJson>();
            for (int i = 0; i < set.Comments.Count; i++)
            {
                var c = set.Comments[i];
                if (c?.Content is null) { error = $"rrset {key.Item1} {key.Item2} comments[{i}]: 'content' missing"; return false; }
                list.Add(new CommentJson { Content = c.Content, Account = c.Account ?? "", ModifiedAt = c.ModifiedAt > 0 ? c.ModifiedAt : now });
            }
            updates[key] = list;
        }
        return true;
    }

    /// <summary>The stored values after the updates, or null with <paramref name="error"/> when over the bound.</summary>
    public static List<string>? Merge(IReadOnlyList<string> values, Dictionary<(string Owner, string Type), List<CommentJson>?> updates, out string error)
    {
        error = "";
        var map = ToMap(values);
        foreach (var (key, list) in updates)
            if (list is { Count: > 0 }) map[key] = list; else map.Remove(key);
        var result = map.OrderBy(kv => kv.Key.Owner, StringComparer.Ordinal).ThenBy(kv => kv.Key.Type, StringComparer.Ordinal)
            .Select(kv => JsonSerializer.Serialize(new Stored(kv.Key.Owner, kv.Key.Type, kv.Value), ApiJson.Options)).ToList();
        int size = result.Sum(v => v.Length);
        if (size > MaxZoneChars) { error = $"comments: the zone's comments would take {size} characters, above the limit of {MaxZoneChars}"; return null; }
        return result;
    }
}
