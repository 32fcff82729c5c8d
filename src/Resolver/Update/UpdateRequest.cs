using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Update;

/// <summary>The five prerequisite forms of RFC 2136 §2.4.</summary>
public enum PrerequisiteKind : byte
{
    /// <summary>§2.4.1: an RRset of this name and type exists (class ANY, type T, no data).</summary>
    RRsetExists = 1,
    /// <summary>§2.4.2: the RRset of this name and type exists with exactly these records (class IN, all records of one set).</summary>
    RRsetExistsValue = 2,
    /// <summary>§2.4.3: no RRset of this name and type exists (class NONE, type T).</summary>
    RRsetDoesNotExist = 3,
    /// <summary>§2.4.4: the name owns at least one record (class ANY, type ANY).</summary>
    NameInUse = 4,
    /// <summary>§2.4.5: the name owns no record (class NONE, type ANY).</summary>
    NameNotInUse = 5,
}

/// <summary>One prerequisite; <see cref="Record"/> only for <see cref="PrerequisiteKind.RRsetExistsValue"/> (TTL 0).</summary>
public sealed record UpdatePrerequisite(PrerequisiteKind Kind, DnsName Name, RecordType Type, ResourceRecord? Record = null)
{
    public override string ToString() => Kind switch
    {
        PrerequisiteKind.RRsetExists => $"{Name} {RecordTypes.ToText(Type)} exists",
        PrerequisiteKind.RRsetExistsValue => $"{Record} exists",
        PrerequisiteKind.RRsetDoesNotExist => $"{Name} {RecordTypes.ToText(Type)} does not exist",
        PrerequisiteKind.NameInUse => $"{Name} is in use",
        _ => $"{Name} is not in use",
    };
}

/// <summary>The four update forms of RFC 2136 §2.5.</summary>
public enum UpdateOperationKind : byte
{
    /// <summary>§2.5.1: add the record to its RRset (class IN).</summary>
    Add = 1,
    /// <summary>§2.5.2: delete the RRset (class ANY, type T, TTL 0, no data).</summary>
    DeleteRRset = 2,
    /// <summary>§2.5.3: delete every RRset of the name (class ANY, type ANY).</summary>
    DeleteName = 3,
    /// <summary>§2.5.4: delete one record (class NONE, TTL 0, its data).</summary>
    DeleteRecord = 4,
}

/// <summary>One update; <see cref="Record"/> for <see cref="UpdateOperationKind.Add"/> and <see cref="UpdateOperationKind.DeleteRecord"/>.</summary>
public sealed record UpdateOperation(UpdateOperationKind Kind, DnsName Name, RecordType Type, ResourceRecord? Record = null)
{
    public override string ToString() => Kind switch
    {
        UpdateOperationKind.Add => $"add {Record}",
        UpdateOperationKind.DeleteRRset => $"delete {Name} {RecordTypes.ToText(Type)}",
        UpdateOperationKind.DeleteName => $"delete {Name}",
        _ => $"delete {Record}",
    };
}

/// <summary>An UPDATE message (opcode 5) as parsed: its zone, prerequisites and updates, in message order.</summary>
public sealed record UpdateRequest(DnsName Zone, IReadOnlyList<UpdatePrerequisite> Prerequisites, IReadOnlyList<UpdateOperation> Updates);

/// <summary>A refusal with the RCODE the RFC prescribes and a text saying why (for logs and the EDE text).</summary>
public sealed record UpdateFailure(Rcode Rcode, string Message)
{
    public override string ToString() => $"{Rcode}: {Message}";
}
