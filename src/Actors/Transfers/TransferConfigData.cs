using System.Collections.Immutable;
using Akka.DistributedData;

namespace AkkaDns.Actors.Transfers;

/// <summary>
/// The transfer configuration as replicated cluster state, written by the <see cref="TransferConfigActor"/> only
/// and read on every node by <see cref="TransferConfigReader"/>. Entries: <c>key:NAME</c> → <c>ALG:BASE64</c>, and
/// <c>meta:ZONE</c> → one line per kind, <c>KIND\tVALUE\tVALUE…</c> (values never hold control characters).
/// </summary>
internal static class TransferConfigData
{
    public static readonly LWWDictionaryKey<string, string> Key = new("akkadns-transfer-config");

    private const string KeyPrefix = "key:";
    private const string MetaPrefix = "meta:";

    /// <summary>The entries that stand for <paramref name="state"/>.</summary>
    public static ImmutableDictionary<string, string> Encode(TransferConfigState state)
    {
        var b = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var k in state.Keys.Values) b[KeyPrefix + k.Name] = k.Algorithm + ":" + k.Secret;
        foreach (var (zone, kinds) in state.Metadata)
            b[MetaPrefix + zone] = string.Join('\n', kinds.Select(kv => string.Join('\t', [kv.Key, .. kv.Value])));
        return b.ToImmutable();
    }

    /// <summary>The snapshot an edge reads; an entry it cannot read is skipped (a newer writer's format), never thrown on.</summary>
    public static TransferConfigSnapshot Decode(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var keys = new Dictionary<string, TsigKeyData>(StringComparer.Ordinal);
        var meta = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var (entry, value) in entries)
        {
            if (entry.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                var cut = value.IndexOf(':');
                if (cut <= 0) continue;
                var name = entry[KeyPrefix.Length..];
                keys[name] = new TsigKeyData(name, value[..cut], value[(cut + 1)..]);
            }
            else if (entry.StartsWith(MetaPrefix, StringComparison.Ordinal))
            {
                var kinds = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Split('\t');
                    if (parts.Length > 1) kinds[parts[0]] = parts[1..];
                }
                if (kinds.Count > 0) meta[entry[MetaPrefix.Length..]] = kinds;
            }
        }
        return new TransferConfigSnapshot(keys, meta);
    }
}
