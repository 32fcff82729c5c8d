using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Serialization;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Zones;

/// <summary>A command that may change a zone. Every command names who asked, for the history.</summary>
public interface IZoneCommand : IWithZoneId, IAkkaDnsMessage
{
    string Who { get; }
}

public enum RRsetChangeKind : byte { Replace = 1, Delete = 2 }

/// <summary>
/// Replace the RRset (<see cref="Owner"/>, <see cref="Type"/>) with <see cref="Records"/> (which carry the TTL),
/// or delete it (<see cref="Records"/> empty). Shaped like one entry of a PowerDNS PATCH.
/// </summary>
public sealed record RRsetChange(DnsName Owner, RecordType Type, RRsetChangeKind Kind, IReadOnlyList<ResourceRecord> Records)
{
    public static RRsetChange Replace(DnsName owner, RecordType type, IReadOnlyList<ResourceRecord> records) => new(owner, type, RRsetChangeKind.Replace, records);
    public static RRsetChange Delete(DnsName owner, RecordType type) => new(owner, type, RRsetChangeKind.Delete, []);

    public override string ToString() => Kind == RRsetChangeKind.Delete
        ? $"DELETE {Owner} {RecordTypes.ToText(Type)}"
        : $"REPLACE {Owner} {RecordTypes.ToText(Type)} ({Records.Count} record{(Records.Count == 1 ? "" : "s")})";
}

/// <summary>
/// SOA fields for a new zone. Null fields take the defaults: MNAME = the first name server,
/// RNAME = hostmaster.&lt;apex&gt;, and the timers RIPE-203 recommends for a small zone.
/// </summary>
public sealed record SoaSettings
{
    public DnsName? MName { get; init; }
    public DnsName? RName { get; init; }
    public uint Refresh { get; init; } = 86400;
    public uint Retry { get; init; } = 7200;
    public uint Expire { get; init; } = 3600000;
    /// <summary>Negative-caching TTL (RFC 2308).</summary>
    public uint Minimum { get; init; } = 3600;
    /// <summary>TTL of the SOA and of the apex NS records created with the zone.</summary>
    public uint Ttl { get; init; } = 3600;

    public static readonly SoaSettings Default = new();
}

public static class ZoneCommands
{
    /// <summary>
    /// Creates a zone. Either from <see cref="MasterFile"/> text (which must hold the SOA and NS records),
    /// or from <see cref="Nameservers"/> (apex NS set), <see cref="Soa"/> (defaults filled in) and optional
    /// extra <see cref="Records"/>.
    /// </summary>
    public sealed record CreateZone(
        ZoneId ZoneId,
        IReadOnlyList<DnsName> Nameservers,
        IReadOnlyList<ResourceRecord> Records,
        string Who,
        SoaSettings? Soa = null,
        string? MasterFile = null) : IZoneCommand;

    /// <summary>Replaces the whole content of an existing zone with master-file text: one event, one version.</summary>
    public sealed record ReplaceZone(ZoneId ZoneId, string MasterFile, string Who) : IZoneCommand;

    /// <summary>Applies all <see cref="Changes"/> together as ONE event: all or nothing.</summary>
    public sealed record ChangeRRsets(ZoneId ZoneId, IReadOnlyList<RRsetChange> Changes, string Who) : IZoneCommand;

    /// <summary>A DNS UPDATE (RFC 2136): the prerequisites are checked against the zone's current state and the updates
    /// applied all or nothing as ONE change (one <see cref="ZoneEvents.RRsetsChanged"/>, one version, one serial step).
    /// Refused prerequisites reply <see cref="ZoneCommandResult.UpdateRefused"/> with the RFC's RCODE.</summary>
    public sealed record ApplyUpdate(ZoneId ZoneId, IReadOnlyList<Resolver.Update.UpdatePrerequisite> Prerequisites,
        IReadOnlyList<Resolver.Update.UpdateOperation> Updates, string Who) : IZoneCommand;

    /// <summary>Deletes the zone. Its journal stays (history, restore); its version keeps counting if re-created.</summary>
    public sealed record DeleteZone(ZoneId ZoneId, string Who) : IZoneCommand;
}

/// <summary>
/// One piece of a zone command too large for one cross-node message (a 100k-record master file is megabytes;
/// Akka.Remote silently drops anything over its 128000-byte frame). Routed to the zone like the command itself; the
/// zone actor rebuilds the command once every piece is there, then handles it whole (all or nothing) and replies
/// to the sender of the pieces. Sent by <see cref="ChunkedTransport.Ask"/>; serialized by the propagation serializer.
/// </summary>
public sealed record ZoneCommandChunk(ZoneId ZoneId, TransferChunk Chunk) : IWithZoneId, IChunkMessage
{
    public override string ToString() => $"ZoneCommandChunk({ZoneId}, {Chunk})";
}

public enum ZoneRejection : byte
{
    /// <summary>The zone does not exist (never created, or deleted).</summary>
    NotFound = 1,
    AlreadyExists = 2,
    /// <summary>The content breaks a rule (validation, master-file syntax, bad change request).</summary>
    Invalid = 3,
    /// <summary>Nothing was written: a safeguard needed to decide did not answer (the fleet guard), or the journal did not
    /// store the change (database unreachable, tables gone). Try again later.</summary>
    Unavailable = 4,
}

/// <summary>The reply to every <see cref="IZoneCommand"/>.</summary>
public abstract record ZoneCommandResult(ZoneId ZoneId) : IAkkaDnsMessage
{
    /// <summary>The change is stored (journaled) as <see cref="Version"/>.</summary>
    public sealed record Accepted(ZoneId ZoneId, long Version, uint Serial) : ZoneCommandResult(ZoneId);

    /// <summary>Nothing was written. <see cref="Message"/> says why; for <see cref="ZoneRejection.Invalid"/>,
    /// <see cref="Problems"/> names each offending record and the rule it breaks.</summary>
    public sealed record Rejected(ZoneId ZoneId, ZoneRejection Reason, string Message, IReadOnlyList<Resolver.ZoneFiles.ZoneProblem> Problems)
        : ZoneCommandResult(ZoneId)
    {
        public override string ToString() => $"{ZoneId}: {Reason}: {Message}";
    }

    /// <summary>A DNS UPDATE whose prerequisites failed (RFC 2136 §3.2): nothing was written; <see cref="Rcode"/> is the
    /// RCODE to answer (YXDOMAIN, YXRRSET, NXDOMAIN, NXRRSET…).</summary>
    public sealed record UpdateRefused(ZoneId ZoneId, ushort Rcode, string Message) : ZoneCommandResult(ZoneId);

    /// <summary>Most problems a reply lists, and most characters of its message and of its problems together: the
    /// reply crosses nodes in one frame, and a master file with 100k bad lines would otherwise make a reply of
    /// megabytes (dropped unseen by Akka.Remote, the caller left waiting).</summary>
    public const int MaxProblems = 100;
    public const int MaxMessageChars = 4000;
    public const int MaxProblemChars = 32000;

    /// <summary>The reply as sent: a rejection listing many problems keeps the first ones and says how many there were.</summary>
    public static ZoneCommandResult Bounded(ZoneCommandResult result)
    {
        if (result is not Rejected r) return result;
        var kept = new List<Resolver.ZoneFiles.ZoneProblem>();
        long chars = 0;
        foreach (var p in r.Problems)
        {
            chars += p.Rule.Length + p.Message.Length + (p.Record?.Length ?? 0) + (p.Location is { } at ? at.File.Length + 12 : 0);
            if (kept.Count == MaxProblems || (chars > MaxProblemChars && kept.Count > 0)) break;
            kept.Add(p);
        }
        if (kept.Count == r.Problems.Count && r.Message.Length <= MaxMessageChars) return result;
        var message = r.Message.Length <= MaxMessageChars ? r.Message : r.Message[..MaxMessageChars] + " …";
        if (kept.Count < r.Problems.Count) message += $" ({r.Problems.Count} problems; the first {kept.Count} are listed)";
        return r with { Message = message, Problems = kept };
    }
}
