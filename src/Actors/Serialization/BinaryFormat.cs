using System.Collections.Immutable;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Actors.Serialization;

/// <summary>
/// The compact binary building blocks of <see cref="AkkaDnsSerializer"/>: names and RDATA as their DNS wire bytes,
/// integers as 7-bit varints, strings as UTF-8 with a length. Readers validate what they read (a corrupt journal
/// row fails with a message instead of producing a wrong zone).
/// </summary>
internal static class BinaryFormat
{
    public static void WriteName(this BinaryWriter w, DnsName name)
    {
        w.Write((byte)name.WireLength);
        w.Write(name.Wire);
    }

    public static DnsName ReadName(this BinaryReader r)
    {
        int len = r.ReadByte();
        return DnsName.FromWire(r.ReadBytes(len));
    }

    public static void WriteZoneId(this BinaryWriter w, ZoneId id) => w.WriteName(id.Name);
    public static ZoneId ReadZoneId(this BinaryReader r) => ZoneId.From(r.ReadName());

    public static void WriteBytes(this BinaryWriter w, byte[] bytes)
    {
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    public static byte[] ReadBytes(this BinaryReader r)
    {
        int len = r.Read7BitEncodedInt();
        var bytes = r.ReadBytes(len);
        if (bytes.Length != len) throw new EndOfStreamException("truncated byte array");
        return bytes;
    }

    public static void WriteRecord(this BinaryWriter w, ResourceRecord rr)
    {
        w.WriteName(rr.Owner);
        w.Write((ushort)rr.Type);
        w.Write(rr.Ttl);
        w.WriteBytes(rr.RData);
    }

    public static ResourceRecord ReadRecord(this BinaryReader r)
    {
        var owner = r.ReadName();
        var type = (RecordType)r.ReadUInt16();
        var ttl = r.ReadUInt32();
        return new ResourceRecord(owner, type, ttl, r.ReadBytes());
    }

    public static void WriteList<T>(this BinaryWriter w, IReadOnlyCollection<T> items, Action<BinaryWriter, T> write)
    {
        w.Write7BitEncodedInt(items.Count);
        foreach (var item in items) write(w, item);
    }

    public static ImmutableList<T> ReadList<T>(this BinaryReader r, Func<BinaryReader, T> read)
    {
        int count = r.Read7BitEncodedInt();
        if (count < 0) throw new InvalidDataException("negative list length");
        var builder = ImmutableList.CreateBuilder<T>();
        for (int i = 0; i < count; i++) builder.Add(read(r));
        return builder.ToImmutable();
    }

    public static void WriteRecords(this BinaryWriter w, IReadOnlyCollection<ResourceRecord> records) => w.WriteList(records, (x, rr) => x.WriteRecord(rr));
    public static ImmutableList<ResourceRecord> ReadRecords(this BinaryReader r) => r.ReadList(x => x.ReadRecord());

    public static void WriteTime(this BinaryWriter w, DateTimeOffset at) => w.Write(at.UtcTicks);
    public static DateTimeOffset ReadTime(this BinaryReader r) => new(r.ReadInt64(), TimeSpan.Zero);

    public static void WriteNullableString(this BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    public static string? ReadNullableString(this BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    public static void WriteNullableName(this BinaryWriter w, DnsName? n)
    {
        w.Write(n is not null);
        if (n is not null) w.WriteName(n);
    }

    public static DnsName? ReadNullableName(this BinaryReader r) => r.ReadBoolean() ? r.ReadName() : null;

    public static void WriteChange(this BinaryWriter w, RRsetChange c)
    {
        w.WriteName(c.Owner);
        w.Write((ushort)c.Type);
        w.Write((byte)c.Kind);
        w.WriteRecords(c.Records);
    }

    public static RRsetChange ReadChange(this BinaryReader r)
    {
        var owner = r.ReadName();
        var type = (RecordType)r.ReadUInt16();
        var kind = (RRsetChangeKind)r.ReadByte();
        if (kind is not (RRsetChangeKind.Replace or RRsetChangeKind.Delete)) throw new InvalidDataException($"unknown RRset change kind {(byte)kind}");
        return new RRsetChange(owner, type, kind, r.ReadRecords());
    }

    public static void WriteProblem(this BinaryWriter w, ZoneProblem p)
    {
        w.Write(p.Rule);
        w.Write(p.Message);
        w.WriteNullableString(p.Record);
        w.Write(p.Location is not null);
        if (p.Location is { } l) { w.Write(l.File); w.Write(l.Line); }
    }

    public static ZoneProblem ReadProblem(this BinaryReader r)
    {
        var rule = r.ReadString();
        var message = r.ReadString();
        var record = r.ReadNullableString();
        SourceLocation? location = r.ReadBoolean() ? new SourceLocation(r.ReadString(), r.ReadInt32()) : null;
        return new ZoneProblem(rule, message, record, location);
    }

    public static void WriteHistoryEntry(this BinaryWriter w, ZoneHistoryEntry h)
    {
        w.Write(h.Version);
        w.WriteTime(h.At);
        w.Write((byte)h.Kind);
        w.Write(h.Summary);
        w.Write(h.Who);
        w.Write(h.Serial);
    }

    public static ZoneHistoryEntry ReadHistoryEntry(this BinaryReader r) =>
        new(r.ReadInt64(), r.ReadTime(), (ZoneChangeKind)r.ReadByte(), r.ReadString(), r.ReadString(), r.ReadUInt32());

    public static void WriteCatalogEntry(this BinaryWriter w, ZoneCatalogProtocol.CatalogEntry e)
    {
        w.WriteZoneId(e.ZoneId);
        w.Write(e.Version);
        w.Write(e.Exists);
    }

    public static ZoneCatalogProtocol.CatalogEntry ReadCatalogEntry(this BinaryReader r) => new(r.ReadZoneId(), r.ReadInt64(), r.ReadBoolean());
}
