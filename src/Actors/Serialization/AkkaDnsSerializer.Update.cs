using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Update;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Serialization;

/// <summary>DNS UPDATE (RFC 2136): the command an edge forwards to the zone, which the journal also stores when the
/// blast-radius guard holds it (inside the pending change), and the reply for failed prerequisites.</summary>
public sealed partial class AkkaDnsSerializer
{
    private static void RegisterUpdate()
    {
        Register<ZoneCommands.ApplyUpdate>("ZU1", (w, c) =>
        {
            w.WriteZoneId(c.ZoneId);
            w.WriteList(c.Prerequisites, WritePrerequisite);
            w.WriteList(c.Updates, WriteOperation);
            w.Write(c.Who);
        }, r => new ZoneCommands.ApplyUpdate(r.ReadZoneId(), r.ReadList(ReadPrerequisite), r.ReadList(ReadOperation), r.ReadString()));
        Register<ZoneCommandResult.UpdateRefused>("RU1", (w, u) => { w.WriteZoneId(u.ZoneId); w.Write(u.Rcode); w.Write(u.Message); },
            r => new ZoneCommandResult.UpdateRefused(r.ReadZoneId(), r.ReadUInt16(), r.ReadString()));
    }

    private static void WritePrerequisite(BinaryWriter w, UpdatePrerequisite p)
    {
        w.Write((byte)p.Kind); w.WriteName(p.Name); w.Write((ushort)p.Type); WriteOptionalRecord(w, p.Record);
    }

    private static UpdatePrerequisite ReadPrerequisite(BinaryReader r) =>
        new((PrerequisiteKind)r.ReadByte(), r.ReadName(), (RecordType)r.ReadUInt16(), ReadOptionalRecord(r));

    private static void WriteOperation(BinaryWriter w, UpdateOperation u)
    {
        w.Write((byte)u.Kind); w.WriteName(u.Name); w.Write((ushort)u.Type); WriteOptionalRecord(w, u.Record);
    }

    private static UpdateOperation ReadOperation(BinaryReader r) =>
        new((UpdateOperationKind)r.ReadByte(), r.ReadName(), (RecordType)r.ReadUInt16(), ReadOptionalRecord(r));

    private static void WriteOptionalRecord(BinaryWriter w, ResourceRecord? rr)
    {
        w.Write(rr is not null);
        if (rr is not null) w.WriteRecord(rr);
    }

    private static ResourceRecord? ReadOptionalRecord(BinaryReader r) => r.ReadBoolean() ? r.ReadRecord() : null;
}
