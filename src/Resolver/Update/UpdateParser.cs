using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Update;

/// <summary>
/// Reads an UPDATE message (RFC 2136 §2, §3.1.1, §3.2 syntax, §3.4.1.3 prescan) into an <see cref="UpdateRequest"/>.
/// Only class IN zones are served: any other zone class is NOTAUTH. Names outside the zone are NOTZONE; every
/// malformed record (bad class, TTL or data length for its form, a meta type added) is FORMERR. The additional
/// section is ignored (§3.7), except that a TSIG is verified by the caller.
/// </summary>
public static class UpdateParser
{
    public static bool TryParse(ReadOnlySpan<byte> wire, out UpdateRequest? request, out UpdateFailure? failure)
    {
        request = null;
        if (!DnsMessage.TryParse(wire, out var message, out var error))
        { failure = new(Rcode.FormErr, "malformed UPDATE message: " + error); return false; }
        return TryParse(message!, out request, out failure);
    }

    public static bool TryParse(DnsMessage message, out UpdateRequest? request, out UpdateFailure? failure)
    {
        request = null;
        if (message.Opcode != Opcode.Update) { failure = new(Rcode.FormErr, "not an UPDATE message"); return false; }
        if (message.Questions.Count != 1 || message.Questions[0].Type != RecordType.SOA)
        { failure = new(Rcode.FormErr, "the zone section must hold exactly one SOA question (RFC 2136 §3.1.1)"); return false; }
        var zone = message.Questions[0].Name.ToLowerCase();
        if (message.Questions[0].Class != RecordClass.IN)
        { failure = new(Rcode.NotAuth, $"zone {zone} of class {(ushort)message.Questions[0].Class}: only class IN is served"); return false; }

        var prerequisites = new List<UpdatePrerequisite>(message.Answers.Count);
        foreach (var rr in message.Answers)
        {
            if (!TryPrerequisite(zone, rr, out var p, out failure)) return false;
            prerequisites.Add(p!);
        }
        var updates = new List<UpdateOperation>(message.Authority.Count);
        foreach (var rr in message.Authority)
        {
            if (!TryUpdate(zone, rr, out var u, out failure)) return false;
            updates.Add(u!);
        }
        request = new UpdateRequest(zone, prerequisites, updates);
        failure = null;
        return true;
    }

    /// <summary>RFC 2136 §3.2.1 and the table of §3.2.4.</summary>
    private static bool TryPrerequisite(DnsName zone, DnsRecord rr, out UpdatePrerequisite? p, out UpdateFailure? failure)
    {
        p = null;
        if (rr.Ttl != 0) { failure = new(Rcode.FormErr, $"prerequisite {rr.Owner} has TTL {rr.Ttl}, not 0"); return false; }
        if (!rr.Owner.IsSubdomainOf(zone)) { failure = new(Rcode.NotZone, $"prerequisite {rr.Owner} is outside zone {zone}"); return false; }
        var type = rr.Type;
        switch (rr.Class)
        {
            case RecordClass.ANY or RecordClass.NONE:
                if (rr.RData.Length != 0) { failure = new(Rcode.FormErr, $"prerequisite {rr.Owner} of class {rr.Class} carries data"); return false; }
                bool any = rr.Class == RecordClass.ANY;
                if (type == RecordType.ANY)
                    p = new(any ? PrerequisiteKind.NameInUse : PrerequisiteKind.NameNotInUse, rr.Owner, type);
                else if (RecordTypes.IsMetaOrQuestionOnly(type)) { failure = new(Rcode.FormErr, $"prerequisite {rr.Owner} names meta type {RecordTypes.ToText(type)}"); return false; }
                else p = new(any ? PrerequisiteKind.RRsetExists : PrerequisiteKind.RRsetDoesNotExist, rr.Owner, type);
                break;
            case RecordClass.IN:
                if (RecordTypes.IsMetaOrQuestionOnly(type)) { failure = new(Rcode.FormErr, $"prerequisite {rr.Owner} names meta type {RecordTypes.ToText(type)}"); return false; }
                p = new(PrerequisiteKind.RRsetExistsValue, rr.Owner, type, new ResourceRecord(rr.Owner, type, 0, rr.RData));
                break;
            default:
                failure = new(Rcode.FormErr, $"prerequisite {rr.Owner} has class {(ushort)rr.Class}");
                return false;
        }
        failure = null;
        return true;
    }

    /// <summary>RFC 2136 §3.4.1.2 and §3.4.1.3 (prescan).</summary>
    private static bool TryUpdate(DnsName zone, DnsRecord rr, out UpdateOperation? u, out UpdateFailure? failure)
    {
        u = null;
        if (!rr.Owner.IsSubdomainOf(zone)) { failure = new(Rcode.NotZone, $"update {rr.Owner} is outside zone {zone}"); return false; }
        var type = rr.Type;
        switch (rr.Class)
        {
            case RecordClass.IN:
                if (RecordTypes.IsMetaOrQuestionOnly(type)) { failure = new(Rcode.FormErr, $"cannot add {rr.Owner} of meta type {RecordTypes.ToText(type)}"); return false; }
                u = new(UpdateOperationKind.Add, rr.Owner, type, new ResourceRecord(rr.Owner, type, rr.Ttl, rr.RData));
                break;
            case RecordClass.ANY:
                if (rr.Ttl != 0 || rr.RData.Length != 0) { failure = new(Rcode.FormErr, $"delete of {rr.Owner} (class ANY) must have TTL 0 and no data"); return false; }
                if (type == RecordType.ANY) u = new(UpdateOperationKind.DeleteName, rr.Owner, type);
                else if (RecordTypes.IsMetaOrQuestionOnly(type)) { failure = new(Rcode.FormErr, $"cannot delete {rr.Owner} of meta type {RecordTypes.ToText(type)}"); return false; }
                else u = new(UpdateOperationKind.DeleteRRset, rr.Owner, type);
                break;
            case RecordClass.NONE:
                if (rr.Ttl != 0) { failure = new(Rcode.FormErr, $"delete of a record of {rr.Owner} (class NONE) must have TTL 0"); return false; }
                if (RecordTypes.IsMetaOrQuestionOnly(type)) { failure = new(Rcode.FormErr, $"cannot delete {rr.Owner} of meta type {RecordTypes.ToText(type)}"); return false; }
                u = new(UpdateOperationKind.DeleteRecord, rr.Owner, type, new ResourceRecord(rr.Owner, type, 0, rr.RData));
                break;
            default:
                failure = new(Rcode.FormErr, $"update {rr.Owner} has class {(ushort)rr.Class}");
                return false;
        }
        failure = null;
        return true;
    }
}
