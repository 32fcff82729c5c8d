using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Zones.FleetGuardProtocol;

namespace AkkaDns.Actors.Serialization;

/// <summary>The <see cref="FleetGuard"/>'s messages, events and snapshot (manifests "G…").</summary>
public sealed partial class AkkaDnsSerializer
{
    private static void WriteHeld(BinaryWriter w, HeldEntry h) { w.Write(h.Id); w.WriteTime(h.ExpiresAt); }
    private static HeldEntry ReadHeld(BinaryReader r) => new(r.ReadString(), r.ReadTime());

    private static void WriteRestore(BinaryWriter w, HeldRestore h) { w.Write(h.Id); w.WriteTime(h.ToTime); w.Write(h.Who); w.WriteTime(h.At); w.WriteTime(h.ExpiresAt); }
    private static HeldRestore ReadRestore(BinaryReader r) => new(r.ReadString(), r.ReadTime(), r.ReadString(), r.ReadTime(), r.ReadTime());

    private static void WriteCounted(BinaryWriter w, FleetChangeCounted c) { w.WriteZoneId(c.ZoneId); w.Write(c.Version); w.Write(c.Deletion); w.WriteTime(c.At); }
    private static FleetChangeCounted ReadCounted(BinaryReader r) => new(r.ReadZoneId(), r.ReadInt64(), r.ReadBoolean(), r.ReadTime());

    private static void WriteZoneHeld(BinaryWriter w, ZoneHeldChangesSet z) { w.WriteZoneId(z.ZoneId); w.Write(z.Version); w.WriteList(z.Held, WriteHeld); }
    private static ZoneHeldChangesSet ReadZoneHeld(BinaryReader r) => new(r.ReadZoneId(), r.ReadInt64(), r.ReadList(ReadHeld));

    private static void RegisterFleetGuard()
    {
        Register<RequestFleetPermit>("GP1", (w, m) => { w.WriteZoneId(m.ZoneId); w.Write(m.Version); w.Write(m.Deletion); w.Write(m.Who); w.Write(m.Request); },
            r => new RequestFleetPermit(r.ReadZoneId(), r.ReadInt64(), r.ReadBoolean(), r.ReadString(), r.ReadInt64()));
        Register<FleetPermit>("GA1", (w, m) => { w.WriteZoneId(m.ZoneId); w.Write(m.Request); w.WriteNullableString(m.Refusal); },
            r => new FleetPermit(r.ReadZoneId(), r.ReadInt64(), r.ReadNullableString()));
        Register<ReportHeldChanges>("GR1", (w, m) => { w.WriteZoneId(m.ZoneId); w.Write(m.Version); w.WriteList(m.Held, WriteHeld); },
            r => new ReportHeldChanges(r.ReadZoneId(), r.ReadInt64(), r.ReadList(ReadHeld)));
        Register<HeldChangesReported>("GK1", (w, m) => { w.WriteZoneId(m.ZoneId); w.Write(m.Version); }, r => new HeldChangesReported(r.ReadZoneId(), r.ReadInt64()));
        Register<HoldRestore>("GH1", (w, m) => { w.WriteTime(m.ToTime); w.Write(m.Who); w.Write(m.Ttl.Ticks); },
            r => new HoldRestore(r.ReadTime(), r.ReadString(), TimeSpan.FromTicks(r.ReadInt64())));
        Register<RestoreHeld>("GD1", (w, m) => WriteRestore(w, m.Restore), r => new RestoreHeld(ReadRestore(r)));
        Register<ListHeldRestores>("GL1", (_, _) => { }, _ => ListHeldRestores.Instance);
        Register<HeldRestoreList>("GT1", (w, m) => w.WriteList(m.Restores, WriteRestore), r => new HeldRestoreList(r.ReadList(ReadRestore)));
        Register<ResolveRestore>("GV1", (w, m) => { w.Write(m.Id); w.Write(m.Who); w.Write(m.Run); }, r => new ResolveRestore(r.ReadString(), r.ReadString(), r.ReadBoolean()));
        Register<RestoreResolution>("GO1", (w, m) =>
        {
            w.Write((byte)m.Outcome); w.Write(m.Restore is not null);
            if (m.Restore is { } h) WriteRestore(w, h);
            w.Write(m.Message);
        }, r => new RestoreResolution((RestoreOutcome)r.ReadByte(), r.ReadBoolean() ? ReadRestore(r) : null, r.ReadString()));
        Register<GetFleetGuardStatus>("GQ1", (_, _) => { }, _ => GetFleetGuardStatus.Instance);
        Register<FleetGuardStatus>("GS1", (w, m) => { w.Write(m.HeldZoneChanges); w.Write(m.HeldRestores); w.Write(m.WindowChanges); w.Write(m.WindowLimit); },
            r => new FleetGuardStatus(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()));

        // journal and snapshot of the fleet guard
        Register<FleetChangeCounted>("GE1", WriteCounted, ReadCounted);
        Register<ZoneHeldChangesSet>("GZ1", WriteZoneHeld, ReadZoneHeld);
        Register<RestoreHeldStored>("GF1", (w, m) => WriteRestore(w, m.Restore), r => new RestoreHeldStored(ReadRestore(r)));
        Register<RestoreResolved>("GX1", (w, m) => { w.Write(m.Id); w.Write(m.Who); w.WriteTime(m.At); w.Write(m.Run); },
            r => new RestoreResolved(r.ReadString(), r.ReadString(), r.ReadTime(), r.ReadBoolean()));
        Register<FleetGuardSnapshot>("GG1", (w, m) => { w.WriteList(m.Window, WriteCounted); w.WriteList(m.Zones, WriteZoneHeld); w.WriteList(m.Restores, WriteRestore); },
            r => new FleetGuardSnapshot(r.ReadList(ReadCounted), r.ReadList(ReadZoneHeld), r.ReadList(ReadRestore)));
    }
}
