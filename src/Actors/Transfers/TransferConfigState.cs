using System.Collections.Immutable;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;
using static AkkaDns.Actors.Transfers.TransferConfigEvents;

namespace AkkaDns.Actors.Transfers;

/// <summary>What <see cref="TransferConfigState.Process"/> decided: a refusal, or the events to persist (none: nothing changes).</summary>
public sealed record TransferDecision(TransferConfigReplies.Rejected? Rejection, IReadOnlyList<ITransferConfigEvent> Events)
{
    public static TransferDecision Refuse(TransferRejection reason, string message) => new(new TransferConfigReplies.Rejected(reason, message), []);
    public static TransferDecision Emit(params ITransferConfigEvent[] events) => new(null, events);
}

/// <summary>
/// TSIG keys and per-zone metadata: pure and immutable. <see cref="Process"/> validates a command and returns the
/// events; <see cref="Apply"/> folds an event in (recovery and after each persist). Keys are by normalized name
/// ("name.", lower case); zones by <see cref="ZoneId.Value"/>; kinds upper case. Also the actor's snapshot.
/// </summary>
public sealed record TransferConfigState : AkkaDns.Actors.Serialization.IAkkaDnsMessage
{
    public static readonly TransferConfigState Empty = new();

    public ImmutableSortedDictionary<string, TsigKeyData> Keys { get; init; } = ImmutableSortedDictionary.Create<string, TsigKeyData>(StringComparer.Ordinal);

    /// <summary>Zone → kind → values. A zone without kinds is absent.</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, ImmutableList<string>>> Metadata { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, ImmutableList<string>>>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ImmutableList<string>> MetadataOf(string zone) =>
        Metadata.TryGetValue(zone, out var kinds) ? kinds : ImmutableSortedDictionary<string, ImmutableList<string>>.Empty;

    /// <param name="generateSecret">Makes a secret for an algorithm when a new key has none (tests pass a fixed one).</param>
    public TransferDecision Process(ITransferConfigCommand command, DateTimeOffset now, Func<string, string>? generateSecret = null)
    {
        switch (command)
        {
            case AddTsigKey add:
            {
                if (!TsigKeyNames.TryNormalize(add.Name, out var name, out var error)) return TransferDecision.Refuse(TransferRejection.Invalid, error);
                if (Keys.ContainsKey(name)) return TransferDecision.Refuse(TransferRejection.Conflict, $"TSIG key '{name}' already exists");
                var algorithm = string.IsNullOrWhiteSpace(add.Algorithm) ? TsigAlgorithms.Default : add.Algorithm;
                if (!TsigAlgorithms.TryNormalize(algorithm, out var alg)) return BadAlgorithm(algorithm);
                string secret;
                if (add.Secret is null) secret = (generateSecret ?? TsigAlgorithms.GenerateSecret)(alg);
                else if (!TsigAlgorithms.TryNormalizeSecret(add.Secret, out secret)) return BadSecret(name);
                return TransferDecision.Emit(new TsigKeyStored(new TsigKeyData(name, alg, secret), now));
            }
            case ChangeTsigKey change:
            {
                if (!TsigKeyNames.TryNormalize(change.Name, out var name, out var error)) return TransferDecision.Refuse(TransferRejection.Invalid, error);
                if (!Keys.TryGetValue(name, out var key)) return NoKey(name);
                var newName = name;
                if (change.NewName is not null && !TsigKeyNames.TryNormalize(change.NewName, out newName, out error)) return TransferDecision.Refuse(TransferRejection.Invalid, error);
                if (newName != name && Keys.ContainsKey(newName)) return TransferDecision.Refuse(TransferRejection.Conflict, $"TSIG key '{newName}' already exists");
                var alg = key.Algorithm;
                if (change.Algorithm is not null && !TsigAlgorithms.TryNormalize(change.Algorithm, out alg)) return BadAlgorithm(change.Algorithm);
                var secret = key.Secret;
                if (change.Secret is not null && !TsigAlgorithms.TryNormalizeSecret(change.Secret, out secret)) return BadSecret(newName);
                var changed = new TsigKeyData(newName, alg, secret);
                if (changed == key) return TransferDecision.Emit();
                return newName == name
                    ? TransferDecision.Emit(new TsigKeyStored(changed, now))
                    : TransferDecision.Emit(new TsigKeyDeleted(name, now), new TsigKeyStored(changed, now));
            }
            case DeleteTsigKey delete:
            {
                if (!TsigKeyNames.TryNormalize(delete.Name, out var name, out var error)) return TransferDecision.Refuse(TransferRejection.Invalid, error);
                return Keys.ContainsKey(name) ? TransferDecision.Emit(new TsigKeyDeleted(name, now)) : NoKey(name);
            }
            case AddZoneMetadata add:
                return ChangeMetadata(add.Zone, add.Kind, add.Values, now, replace: false);
            case SetZoneMetadata set:
                return ChangeMetadata(set.Zone, set.Kind, set.Values, now, replace: true);
            default:
                return TransferDecision.Refuse(TransferRejection.Invalid, $"unknown command {command.GetType().Name}");
        }
    }

    private TransferDecision ChangeMetadata(string zoneText, string kindText, IReadOnlyList<string> values, DateTimeOffset now, bool replace)
    {
        if (!ZoneId.TryParse(zoneText, out var zone)) return TransferDecision.Refuse(TransferRejection.Invalid, $"bad zone name '{zoneText}'");
        if (!TransferMetadata.TryNormalizeKind(kindText, out var kind, out var error)) return TransferDecision.Refuse(TransferRejection.Invalid, error);
        var had = MetadataOf(zone!.Value).GetValueOrDefault(kind) ?? [];
        var all = replace ? values : [.. had, .. values];
        if (!TransferMetadata.TryNormalizeValues(kind, all, out var normalized, out error)) return TransferDecision.Refuse(TransferRejection.Invalid, error);
        if (!replace && values.Count == 0) return TransferDecision.Refuse(TransferRejection.Invalid, $"{kind}: no values to add");
        return normalized.SequenceEqual(had) ? TransferDecision.Emit() : TransferDecision.Emit(new ZoneMetadataSet(zone.Value, kind, normalized, now));
    }

    private static TransferDecision NoKey(string name) => TransferDecision.Refuse(TransferRejection.NotFound, $"TSIG key '{name}' not found");
    private static TransferDecision BadAlgorithm(string given) => TransferDecision.Refuse(TransferRejection.Invalid,
        $"unknown TSIG algorithm '{given}': one of {string.Join(", ", TsigAlgorithms.All)}");
    private static TransferDecision BadSecret(string name) => TransferDecision.Refuse(TransferRejection.Invalid, $"the secret of TSIG key '{name}' is not valid base64");

    public TransferConfigState Apply(ITransferConfigEvent e) => e switch
    {
        TsigKeyStored s => this with { Keys = Keys.SetItem(s.Key.Name, s.Key) },
        TsigKeyDeleted d => this with { Keys = Keys.Remove(d.Name) },
        ZoneMetadataSet m => this with { Metadata = SetKind(m.Zone, m.Kind, m.Values) },
        _ => this,
    };

    private ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, ImmutableList<string>>> SetKind(string zone, string kind, IReadOnlyList<string> values)
    {
        var kinds = Metadata.GetValueOrDefault(zone) ?? ImmutableSortedDictionary.Create<string, ImmutableList<string>>(StringComparer.Ordinal);
        kinds = values.Count == 0 ? kinds.Remove(kind) : kinds.SetItem(kind, [.. values]);
        return kinds.Count == 0 ? Metadata.Remove(zone) : Metadata.SetItem(zone, kinds);
    }

    /// <summary>Keys by name, never their secrets (a state printed in a log).</summary>
    public override string ToString() => $"TransferConfigState {{ Keys = [{string.Join(", ", Keys.Keys)}], Zones = [{string.Join(", ", Metadata.Keys)}] }}";
}
