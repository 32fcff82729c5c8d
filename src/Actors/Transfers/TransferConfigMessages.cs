using AkkaDns.Actors.Serialization;

namespace AkkaDns.Actors.Transfers;

/// <summary>What an operator asks of the <see cref="TransferConfigActor"/>. Names arrive as typed and are
/// normalized by <see cref="TransferConfigState.Process"/>.</summary>
public static class TransferConfigCommands
{
    public interface ITransferConfigCommand : IAkkaDnsMessage;

    /// <summary>A new key; <see cref="Secret"/> null: one is generated.</summary>
    public sealed record AddTsigKey(string Name, string Algorithm, string? Secret) : ITransferConfigCommand
    {
        public override string ToString() => $"AddTsigKey {{ Name = {Name}, Algorithm = {Algorithm}, Secret = {(Secret is null ? "(generate)" : "(hidden)")} }}";
    }

    /// <summary>Changes the key <see cref="Name"/>: any of a new name, algorithm, secret (null: unchanged).</summary>
    public sealed record ChangeTsigKey(string Name, string? NewName, string? Algorithm, string? Secret) : ITransferConfigCommand
    {
        public override string ToString() => $"ChangeTsigKey {{ Name = {Name}, NewName = {NewName}, Algorithm = {Algorithm}, Secret = {(Secret is null ? "(unchanged)" : "(hidden)")} }}";
    }

    public sealed record DeleteTsigKey(string Name) : ITransferConfigCommand;

    /// <summary>Adds values to a kind (PowerDNS POST …/metadata): values already there are kept once.</summary>
    public sealed record AddZoneMetadata(string Zone, string Kind, IReadOnlyList<string> Values) : ITransferConfigCommand;

    /// <summary>Replaces a kind's values (PowerDNS PUT …/metadata/KIND); an empty list removes the kind.</summary>
    public sealed record SetZoneMetadata(string Zone, string Kind, IReadOnlyList<string> Values) : ITransferConfigCommand;

    /// <summary>Replies the current <see cref="TransferConfigState"/> (inside <see cref="TransferConfigReplies.Accepted"/>).</summary>
    public sealed record GetTransferConfig : IAkkaDnsMessage
    {
        public static readonly GetTransferConfig Instance = new();
    }
}

/// <summary>The actor's persisted events. Every event carries the full new value of what it changed.</summary>
public static class TransferConfigEvents
{
    public interface ITransferConfigEvent : IAkkaDnsMessage
    {
        DateTimeOffset At { get; }
    }

    /// <summary>A key added or changed (a rename is <see cref="TsigKeyDeleted"/> then this).</summary>
    public sealed record TsigKeyStored(TsigKeyData Key, DateTimeOffset At) : ITransferConfigEvent;

    public sealed record TsigKeyDeleted(string Name, DateTimeOffset At) : ITransferConfigEvent;

    /// <summary>A zone's kind now holds <see cref="Values"/>; empty: the kind is gone.</summary>
    public sealed record ZoneMetadataSet(string Zone, string Kind, IReadOnlyList<string> Values, DateTimeOffset At) : ITransferConfigEvent;
}

public enum TransferRejection : byte { Invalid = 1, NotFound = 2, Conflict = 3 }

public static class TransferConfigReplies
{
    /// <summary>Done (or the query's answer): the state after it.</summary>
    public sealed record Accepted(TransferConfigState State) : IAkkaDnsMessage;

    public sealed record Rejected(TransferRejection Reason, string Message) : IAkkaDnsMessage;
}
