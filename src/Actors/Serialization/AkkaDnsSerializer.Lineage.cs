using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Serialization;

/// <summary>
/// The messages that carry a zone's lineage (<see cref="ZoneLineage"/>). Each got a new manifest whose shape is the
/// old one plus the lineage at the end; the old manifest stays, for both reading and writing:
/// <list type="bullet">
/// <item>old journals, snapshots and messages read as <see cref="ZoneLineage.Legacy"/>, so an upgrade never looks like a
/// change of history;</item>
/// <item>a value of the legacy lineage is still written in the old shape, under the old manifest, so during a rolling
/// upgrade nodes not yet upgraded keep reading everything about the zones that existed before it. Only a history
/// started after the upgrade uses the new manifests.</item>
/// </list>
/// </summary>
public sealed partial class AkkaDnsSerializer
{
    /// <summary>Registers <typeparamref name="T"/> under <paramref name="manifest"/> (the <paramref name="older"/> shape,
    /// then <paramref name="writeExtra"/>), and keeps <paramref name="older"/> for values that <paramref name="fitsOlder"/>.</summary>
    private static void RegisterLineaged<T>(string older, string manifest, Action<BinaryWriter, T> write, Func<BinaryReader, T> read,
        Func<T, bool> fitsOlder, Action<BinaryWriter, T> writeExtra, Func<BinaryReader, T, T> readExtra) where T : notnull
    {
        var old = new Entry(older, (w, o) => write(w, (T)o), r => read(r));
        if (!ByManifest.TryAdd(older, old)) throw new InvalidOperationException($"duplicate manifest {older}");
        var entry = new Entry(manifest, (w, o) => { write(w, (T)o); writeExtra(w, (T)o); }, r => readExtra(r, read(r)),
            o => fitsOlder((T)o) ? old : null);
        if (!ByManifest.TryAdd(manifest, entry)) throw new InvalidOperationException($"duplicate manifest {manifest}");
        ByType.Add(typeof(T), entry);
    }

    /// <summary>The common case: the lineage string appended.</summary>
    private static void RegisterLineaged<T>(string older, string manifest, Action<BinaryWriter, T> write, Func<BinaryReader, T> read,
        Func<T, string> lineage, Func<T, string, T> withLineage) where T : notnull =>
        RegisterLineaged(older, manifest, write, read, o => lineage(o) == ZoneLineage.Legacy,
            (w, o) => w.Write(lineage(o)), (r, o) => withLineage(o, r.ReadString()));

    private static void RegisterZoneState() =>
        RegisterLineaged<ZoneState>("ZS3", "ZS4", (w, s) =>
        {
            w.WriteZoneId(s.Id); w.Write(s.Exists); w.Write(s.Version);
            w.Write(s.LastSerial.HasValue); w.Write(s.LastSerial ?? 0);
            w.WriteRecords(s.Records);
            w.WriteList(s.History, (x, h) => x.WriteHistoryEntry(h));
            w.WriteList(s.Pending, WritePending);
            WriteDnssecState(w, s.Dnssec);
        }, r => ReadZoneState(r, withPending: true) with { Dnssec = ReadDnssecState(r) },
        s => s.Lineage, (s, l) => s with { Lineage = l });

    private static void RegisterLineaged()
    {
        RegisterLineaged<ZoneCreated>("EC1", "EC2",
            (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); w.WriteRecords(e.Records); },
            r => new ZoneCreated(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), r.ReadRecords()),
            e => e.Lineage, (e, l) => e with { Lineage = l });
        RegisterLineaged<ZoneViewChunk>("ZK1", "ZK2",
            (w, v) => { w.WriteZoneId(v.ZoneId); w.Write(v.Version); w.Write(v.Serial); w.Write(v.Index); w.Write(v.Count); w.WriteRecords(v.Records); },
            r => new ZoneViewChunk(r.ReadZoneId(), r.ReadInt64(), r.ReadUInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadRecords()),
            v => v.Lineage, (v, l) => v with { Lineage = l });
        RegisterLineaged<ZoneDeltaTooLarge>("DX1", "DX2", (w, d) => { w.WriteZoneId(d.ZoneId); w.Write(d.FromVersion); w.Write(d.ToVersion); },
            r => new ZoneDeltaTooLarge(r.ReadZoneId(), r.ReadInt64(), r.ReadInt64()),
            d => d.Lineage, (d, l) => d with { Lineage = l });
        RegisterLineaged<ZoneView>("ZV1", "ZV2", (w, v) => { w.WriteZoneId(v.ZoneId); w.Write(v.Version); w.Write(v.Serial); w.WriteRecords(v.Records); },
            r => new ZoneView(r.ReadZoneId(), r.ReadInt64(), r.ReadUInt32(), r.ReadRecords()),
            v => v.Lineage, (v, l) => v with { Lineage = l });
        RegisterLineaged<ZoneNotFound>("NF1", "NF2", (w, n) => { w.WriteZoneId(n.ZoneId); w.Write(n.Version); },
            r => new ZoneNotFound(r.ReadZoneId(), r.ReadInt64()),
            n => n.Lineage, (n, l) => n with { Lineage = l });
        RegisterLineaged<ZoneChanges>("CH1", "CH2", (w, c) => { w.WriteZoneId(c.ZoneId); w.Write(c.FromVersion); w.Write(c.ToVersion); w.WriteList(c.Events, WriteEvent); },
            r => new ZoneChanges(r.ReadZoneId(), r.ReadInt64(), r.ReadInt64(), r.ReadList(ReadEvent)),
            c => c.Lineage, (c, l) => c with { Lineage = l });
        RegisterLineaged<ZoneDelta>("DL1", "DL2", (w, d) => { w.WriteZoneId(d.ZoneId); w.Write(d.FromVersion); w.Write(d.ToVersion); WriteEvent(w, d.Event); },
            r => new ZoneDelta(r.ReadZoneId(), r.ReadInt64(), r.ReadInt64(), ReadEvent(r)),
            d => d.Lineage, (d, l) => d with { Lineage = l });
        RegisterLineaged<ZoneVersionReport>("CV1", "CV2", (w, m) => { w.WriteZoneId(m.ZoneId); w.Write(m.Version); },
            r => new ZoneVersionReport(r.ReadZoneId(), r.ReadInt64()),
            m => m.Lineage, (m, l) => m with { Lineage = l });
        // CZ3 = CZ2 + each zone's lineage (null where unknown); a list without lineages is still CZ2.
        RegisterLineaged<ZoneList>("CZ2", "CZ3", (w, m) =>
            {
                w.WriteList(m.Zones, (x, e) => x.WriteCatalogEntry(e));
                w.Write(m.Latest is not null);
                if (m.Latest is not null) w.WriteList(m.Latest, (x, v) => x.Write(v));
                w.Write(m.Incarnation);
            },
            r =>
            {
                var zones = r.ReadList(x => x.ReadCatalogEntry());
                var latest = r.ReadBoolean() ? r.ReadList(x => x.ReadInt64()) : null;
                return new ZoneList(zones) { Latest = latest, Incarnation = r.ReadString() };
            },
            m => m.Lineages is null,
            (w, m) => w.WriteList(m.Lineages!, (x, l) => x.WriteNullableString(l)),
            (r, m) => m with { Lineages = r.ReadList(x => x.ReadNullableString()) });
    }
}
