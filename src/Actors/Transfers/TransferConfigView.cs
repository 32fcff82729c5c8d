using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Transfers;

/// <summary>
/// The transfer configuration as this node knows it now: immutable, swapped whole. Key names and zones are looked
/// up normalized ("name.", lower case), so callers may pass a name as it came off the wire.
/// </summary>
public sealed class TransferConfigSnapshot
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoMetadata = new Dictionary<string, IReadOnlyList<string>>();

    public static readonly TransferConfigSnapshot Empty = new(new Dictionary<string, TsigKeyData>(), new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>());

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> _metadata;

    public TransferConfigSnapshot(IReadOnlyDictionary<string, TsigKeyData> keys, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> metadata)
    {
        Keys = keys;
        _metadata = metadata;
    }

    /// <summary>Every TSIG key by normalized name.</summary>
    public IReadOnlyDictionary<string, TsigKeyData> Keys { get; }

    /// <summary>Zones that have metadata (<see cref="ZoneId.Value"/> form).</summary>
    public IEnumerable<string> Zones => _metadata.Keys;

    /// <summary>A key by name in any case, with or without the final dot; null if unknown.</summary>
    public TsigKeyData? Key(string name) =>
        TsigKeyNames.TryNormalize(name, out var n, out _) && Keys.TryGetValue(n, out var key) ? key : null;

    /// <summary>The zone's kinds (upper case) and their values; empty when none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Metadata(string zone) =>
        ZoneId.TryParse(zone, out var id) && _metadata.TryGetValue(id!.Value, out var kinds) ? kinds : NoMetadata;

    /// <summary>One kind's values of a zone (e.g. <see cref="TransferMetadata.AllowAxfrFrom"/>); empty when unset.</summary>
    public IReadOnlyList<string> Values(string zone, string kind) =>
        Metadata(zone).TryGetValue(kind.ToUpperInvariant(), out var v) ? v : [];

    public override string ToString() => $"TransferConfigSnapshot {{ Keys = [{string.Join(", ", Keys.Keys)}], Zones = [{string.Join(", ", _metadata.Keys)}] }}";
}

/// <summary>
/// On every node (a DI singleton): the latest <see cref="TransferConfigSnapshot"/> replicated by the cluster, fed by
/// <see cref="TransferConfigReader"/>. Read <see cref="Current"/> per request (a volatile read, no lock); subscribe
/// to <see cref="Changed"/> to rebuild what depends on it (called on the reader's thread: keep handlers short).
/// Until the first replicated state arrives, <see cref="Current"/> is <see cref="TransferConfigSnapshot.Empty"/>
/// and <see cref="Loaded"/> is false.
/// </summary>
public sealed class TransferConfigView
{
    private volatile TransferConfigSnapshot _current = TransferConfigSnapshot.Empty;
    private volatile bool _loaded;

    public TransferConfigSnapshot Current => _current;

    /// <summary>True once a replicated state was read (an empty configuration counts).</summary>
    public bool Loaded => _loaded;

    public event Action<TransferConfigSnapshot>? Changed;

    /// <summary>Called by the reader only.</summary>
    public void Publish(TransferConfigSnapshot snapshot)
    {
        _current = snapshot;
        _loaded = true;
        Changed?.Invoke(snapshot);
    }
}
