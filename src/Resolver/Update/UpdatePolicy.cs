using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Update;

/// <summary>
/// Least privilege for one TSIG key in one zone, as Knot's ACL <c>update-owner</c>/<c>update-type</c>: each line
/// <c>KEYNAME OWNER-PATTERN TYPE[,TYPE…]</c> (zone metadata X-AKKADNS-UPDATE-POLICY) lets the key change the owners
/// matching the pattern (<c>*</c> stands for any characters, dots included; matched against the absolute owner
/// without its final dot, case-insensitively; <c>@</c> is the apex) and only those types (<c>*</c> or <c>ANY</c>: all).
/// A key with no line is limited only by TSIG-ALLOW-DNSUPDATE. Deleting a whole name needs a line allowing every type.
/// </summary>
public sealed record UpdatePolicyLine(string KeyName, string OwnerPattern, IReadOnlyList<RecordType>? Types)
{
    public override string ToString() =>
        $"{KeyName} {OwnerPattern} {(Types is null ? "*" : string.Join(',', Types.Select(RecordTypes.ToText)))}";

    public static bool TryParse(string text, out UpdatePolicyLine? line, out string? error)
    {
        line = null;
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3) { error = $"'{text}': expected KEYNAME OWNER-PATTERN TYPE[,TYPE]"; return false; }
        if (!DnsName.TryParse(parts[0], DnsName.Root, out var key, out var keyError)) { error = $"'{parts[0]}': {keyError}"; return false; }
        var pattern = parts[1].TrimEnd('.').ToLowerInvariant();
        if (pattern.Length == 0) { error = $"'{text}': empty owner pattern"; return false; }
        List<RecordType>? types = null;
        if (parts[2] is not ("*" or "ANY" or "any"))
        {
            types = [];
            foreach (var t in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!RecordTypes.TryParse(t, out var type) || RecordTypes.IsMetaOrQuestionOnly(type)) { error = $"'{t}': not a record type"; return false; }
                types.Add(type);
            }
            if (types.Count == 0) { error = $"'{text}': no type"; return false; }
        }
        line = new UpdatePolicyLine(key!.ToString().TrimEnd('.').ToLowerInvariant(), pattern, types);
        error = null;
        return true;
    }

    public bool Allows(DnsName zone, DnsName owner, RecordType type) =>
        (Types is null || (type != RecordType.ANY && Types.Contains(type))) && OwnerMatches(zone, owner);

    private bool OwnerMatches(DnsName zone, DnsName owner)
    {
        var name = owner.ToString().TrimEnd('.').ToLowerInvariant();
        if (OwnerPattern == "@") return owner.Equals(zone);
        return Glob(OwnerPattern, name);
    }

    private static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == text[t]) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}

/// <summary>Decides whether a key may make the updates (<see cref="UpdatePolicyLine"/>).</summary>
public static class UpdatePolicy
{
    /// <summary>Null when allowed, else which update falls outside the key's lines.</summary>
    public static string? Check(DnsName zone, string keyName, IReadOnlyList<UpdatePolicyLine> lines, IReadOnlyList<UpdateOperation> updates)
    {
        var key = keyName.TrimEnd('.').ToLowerInvariant();
        var mine = lines.Where(l => l.KeyName == key).ToList();
        if (mine.Count == 0) return null;
        foreach (var u in updates)
            if (!mine.Any(l => l.Allows(zone, u.Name, u.Kind == UpdateOperationKind.DeleteName ? RecordType.ANY : u.Type)))
                return $"key {key} may not {u} (its X-AKKADNS-UPDATE-POLICY: {string.Join("; ", mine)})";
        return null;
    }
}
