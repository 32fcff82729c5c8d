using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Records;

/// <summary>
/// One resource record of class IN: owner, type, TTL and RDATA in uncompressed wire form
/// (names inside RDATA absolute and uncompressed). Value equality compares the owner
/// case-insensitively and the RDATA bytes exactly (TTL is not part of identity within an RRset,
/// see <see cref="SameData"/>).
/// </summary>
public sealed class ResourceRecord : IEquatable<ResourceRecord>
{
    public ResourceRecord(DnsName owner, RecordType type, uint ttl, byte[] rdata)
    {
        Owner = owner; Type = type; Ttl = ttl; RData = rdata;
    }

    public DnsName Owner { get; }
    public RecordType Type { get; }
    public uint Ttl { get; }
    /// <summary>Uncompressed wire RDATA. Do not mutate.</summary>
    public byte[] RData { get; }

    public ResourceRecord WithTtl(uint ttl) => new(Owner, Type, ttl, RData);

    /// <summary>Same owner, type and RDATA (TTL ignored): the RRset membership test.</summary>
    public bool SameData(ResourceRecord other) => Type == other.Type && Owner.Equals(other.Owner) && RData.AsSpan().SequenceEqual(other.RData);

    public bool Equals(ResourceRecord? other) => other is not null && Ttl == other.Ttl && SameData(other);
    public override bool Equals(object? obj) => obj is ResourceRecord r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Owner, Type, Ttl, RData.Length);

    /// <summary>Presentation form: <c>owner TTL IN TYPE rdata</c>.</summary>
    public override string ToString() => $"{Owner} {Ttl} IN {RecordTypes.ToText(Type)} {Records.RData.Format(Type, RData)}";
}
