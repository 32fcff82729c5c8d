using Akka.Actor;
using Akka.Serialization;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Datacenters.DatacenterProtocol;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;
using static AkkaDns.Actors.Zones.ZoneQueries;
using SerializationException = System.Runtime.Serialization.SerializationException;

namespace AkkaDns.Actors.Serialization;

/// <summary>
/// Serializer of every <see cref="IAkkaDnsMessage"/>: journal events, snapshots and cross-node messages, in a compact
/// binary form (<see cref="BinaryFormat"/>). Manifests are short and stable: the CLR type names never reach the
/// journal, so types can be renamed or moved freely. A manifest is never reused for another shape: a new shape
/// gets a new manifest (e.g. "EC2") and the old reader stays, so old journals keep recovering.
/// Bound to <see cref="IAkkaDnsMessage"/> in config/akkadns.conf.
/// </summary>
public sealed partial class AkkaDnsSerializer : SerializerWithStringManifest
{
    /// <summary>Serializer id (config: akka.actor.serialization-identifiers). Never change it: it is stored with every event.</summary>
    public const int Id = 5353;

    /// <param name="Older">For a shape that grew a field: picks the older entry for a value the older shape can hold
    /// (<see cref="RegisterLineaged{T}"/>), else null.</param>
    private sealed record Entry(string Manifest, Action<BinaryWriter, object> Write, Func<BinaryReader, object> Read, Func<object, Entry?>? Older = null)
    {
        public Entry For(object o) => Older?.Invoke(o) ?? this;
    }

    private static readonly Dictionary<Type, Entry> ByType = new();
    private static readonly Dictionary<string, Entry> ByManifest = new();

    public AkkaDnsSerializer(ExtendedActorSystem system) : base(system) { }

    public override int Identifier => Id;

    public override string Manifest(object o) => ByType.TryGetValue(o.GetType(), out var e)
        ? e.For(o).Manifest : throw new ArgumentException($"{o.GetType()} has no AkkaDns serialization manifest");

    public override byte[] ToBinary(object obj)
    {
        var entry = ByType.TryGetValue(obj.GetType(), out var e) ? e.For(obj) : throw new ArgumentException($"{obj.GetType()} has no AkkaDns serialization manifest");
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) entry.Write(w, obj);
        return ms.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!ByManifest.TryGetValue(manifest, out var entry))
            throw new SerializationException($"unknown AkkaDns manifest '{manifest}'");
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), System.Text.Encoding.UTF8);
        var result = entry.Read(r);
        if (r.BaseStream.Position != bytes.Length)
            throw new SerializationException($"'{manifest}': {bytes.Length - r.BaseStream.Position} trailing bytes");
        return result;
    }

    /// <summary>Every manifest, for tests and diagnostics.</summary>
    public static IReadOnlyDictionary<Type, string> Manifests => ByType.ToDictionary(kv => kv.Key, kv => kv.Value.Manifest);

    private static void Register<T>(string manifest, Action<BinaryWriter, T> write, Func<BinaryReader, T> read) where T : notnull
    {
        var entry = new Entry(manifest, (w, o) => write(w, (T)o), r => read(r));
        if (!ByManifest.TryAdd(manifest, entry)) throw new InvalidOperationException($"duplicate manifest {manifest}");
        ByType.Add(typeof(T), entry);
    }

    // Nested events (in ZoneChanges, ZoneDelta) carry their own manifest.
    private static void WriteEvent(BinaryWriter w, IZoneEvent e)
    {
        var entry = ByType[e.GetType()].For(e);
        w.Write(entry.Manifest);
        entry.Write(w, e);
    }

    // Nested commands (a held change, an override) carry their own manifest too.
    private static void WriteCommand(BinaryWriter w, IZoneCommand c)
    {
        var entry = ByType[c.GetType()];
        w.Write(entry.Manifest);
        entry.Write(w, c);
    }

    private static IZoneCommand ReadCommand(BinaryReader r)
    {
        var manifest = r.ReadString();
        return ByManifest.TryGetValue(manifest, out var entry) && entry.Read(r) is IZoneCommand c
            ? c : throw new SerializationException($"'{manifest}' is not a zone command manifest");
    }

    private static void WritePending(BinaryWriter w, PendingChange p)
    {
        w.Write(p.Id); WriteCommand(w, p.Command); w.Write(p.Who); w.WriteTime(p.At); w.WriteTime(p.ExpiresAt); w.Write(p.Reason);
    }

    private static PendingChange ReadPending(BinaryReader r) =>
        new(r.ReadString(), ReadCommand(r), r.ReadString(), r.ReadTime(), r.ReadTime(), r.ReadString());

    /// <summary>A reader for an old shape whose type is now written under a newer manifest.</summary>
    private static void RegisterReader(string manifest, Func<BinaryReader, object> read)
    {
        if (!ByManifest.TryAdd(manifest, new Entry(manifest, (_, _) => throw new InvalidOperationException($"{manifest} is read-only"), read)))
            throw new InvalidOperationException($"duplicate manifest {manifest}");
    }

    private static IZoneEvent ReadEvent(BinaryReader r)
    {
        var manifest = r.ReadString();
        return ByManifest.TryGetValue(manifest, out var entry) && entry.Read(r) is IZoneEvent e
            ? e : throw new SerializationException($"'{manifest}' is not a zone event manifest");
    }

    private static ZoneState ReadZoneState(BinaryReader r, bool withPending)
    {
        var id = r.ReadZoneId(); var exists = r.ReadBoolean(); var version = r.ReadInt64();
        var hasSerial = r.ReadBoolean(); var serial = r.ReadUInt32();
        return new ZoneState
        {
            Id = id, Exists = exists, Version = version, LastSerial = hasSerial ? serial : null,
            Records = r.ReadRecords(), History = r.ReadList(x => x.ReadHistoryEntry()),
            Pending = withPending ? r.ReadList(ReadPending) : [],
        };
    }

    static AkkaDnsSerializer()
    {
        // ---- zone events (journal); ZoneCreated with its lineage in AkkaDnsSerializer.Lineage.cs ----
        Register<ZoneReplaced>("ER1", (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); w.WriteRecords(e.Records); },
            r => new ZoneReplaced(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), r.ReadRecords()));
        Register<RRsetsChanged>("EX1", (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); w.WriteList(e.Changes, (x, c) => x.WriteChange(c)); },
            r => new RRsetsChanged(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), r.ReadList(x => x.ReadChange())));
        Register<ZoneDeleted>("ED1", (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); },
            r => new ZoneDeleted(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32()));

        // ---- zone snapshot ----
        // ZS2 = ZS1 + the pending (held) changes; ZS3 = ZS2 + the DNSSEC state (sealed keys). Older snapshots still recover.
        RegisterReader("ZS1", r => ReadZoneState(r, withPending: false));
        RegisterReader("ZS2", r => ReadZoneState(r, withPending: true));
        RegisterZoneState(); // ZS3, ZS4 = ZS3 + the lineage (AkkaDnsSerializer.Lineage.cs)

        // ---- safeguards: rollback, held changes, override ----
        Register<ZoneRollback.RollbackZone>("ZB1", (w, c) => { w.WriteZoneId(c.ZoneId); w.Write(c.ToVersion); w.Write(c.Reason); w.WriteRecords(c.Records); w.Write(c.Who); },
            r => new ZoneRollback.RollbackZone(r.ReadZoneId(), r.ReadInt64(), r.ReadString(), r.ReadRecords(), r.ReadString()));
        Register<ZoneRollback.ZoneRolledBack>("EB1", (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); w.Write(e.ToVersion); w.Write(e.Reason); w.WriteRecords(e.Records); },
            r => new ZoneRollback.ZoneRolledBack(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), r.ReadInt64(), r.ReadString(), r.ReadRecords()));
        Register<PendingChanges.ConfirmChange>("ZF1", (w, c) => { w.WriteZoneId(c.ZoneId); w.Write(c.ChangeId); w.Write(c.Who); },
            r => new PendingChanges.ConfirmChange(r.ReadZoneId(), r.ReadString(), r.ReadString()));
        Register<PendingChanges.RejectChange>("ZJ1", (w, c) => { w.WriteZoneId(c.ZoneId); w.Write(c.ChangeId); w.Write(c.Who); },
            r => new PendingChanges.RejectChange(r.ReadZoneId(), r.ReadString(), r.ReadString()));
        Register<PendingChanges.OverrideGuard>("ZO1", (w, c) => WriteCommand(w, c.Inner), r => new PendingChanges.OverrideGuard(ReadCommand(r)));
        Register<PendingChanges.ChangeHeld>("EH1", (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); WritePending(w, e.Change); },
            r => new PendingChanges.ChangeHeld(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), ReadPending(r)));
        Register<PendingChanges.ChangeRejected>("EJ1", (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); w.Write(e.ChangeId); w.Write(e.Why); },
            r => new PendingChanges.ChangeRejected(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), r.ReadString(), r.ReadString()));
        Register<PendingChanges.ChangeConfirmed>("EF1", (w, e) => { w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); w.Write(e.ChangeId); w.Write(e.MadeBy); WriteEvent(w, e.Inner); },
            r => new PendingChanges.ChangeConfirmed(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), r.ReadString(), r.ReadString(), ReadEvent(r)));
        Register<PendingChanges.Held>("RH1", (w, h) => { w.WriteZoneId(h.ZoneId); w.Write(h.ChangeId); w.Write(h.Reason); w.WriteTime(h.ExpiresAt); },
            r => new PendingChanges.Held(r.ReadZoneId(), r.ReadString(), r.ReadString(), r.ReadTime()));
        Register<PendingChanges.GetPendingChanges>("QP1", (w, q) => w.WriteZoneId(q.ZoneId), r => new PendingChanges.GetPendingChanges(r.ReadZoneId()));
        Register<PendingChanges.PendingChangeList>("PL1", (w, l) => { w.WriteZoneId(l.ZoneId); w.WriteList(l.Changes, WritePending); },
            r => new PendingChanges.PendingChangeList(r.ReadZoneId(), r.ReadList(ReadPending)));

        // ---- zone commands and their replies ----
        Register<CreateZone>("ZC1", (w, c) =>
        {
            w.WriteZoneId(c.ZoneId); w.WriteList(c.Nameservers, (x, n) => x.WriteName(n)); w.WriteRecords(c.Records); w.Write(c.Who);
            w.Write(c.Soa is not null);
            if (c.Soa is { } s) { w.WriteNullableName(s.MName); w.WriteNullableName(s.RName); w.Write(s.Refresh); w.Write(s.Retry); w.Write(s.Expire); w.Write(s.Minimum); w.Write(s.Ttl); }
            w.WriteNullableString(c.MasterFile);
        }, r =>
        {
            var id = r.ReadZoneId(); var ns = r.ReadList(x => x.ReadName()); var records = r.ReadRecords(); var who = r.ReadString();
            SoaSettings? soa = r.ReadBoolean()
                ? new SoaSettings { MName = r.ReadNullableName(), RName = r.ReadNullableName(), Refresh = r.ReadUInt32(), Retry = r.ReadUInt32(), Expire = r.ReadUInt32(), Minimum = r.ReadUInt32(), Ttl = r.ReadUInt32() }
                : null;
            return new CreateZone(id, ns, records, who, soa, r.ReadNullableString());
        });
        Register<ReplaceZone>("ZR1", (w, c) => { w.WriteZoneId(c.ZoneId); w.Write(c.MasterFile); w.Write(c.Who); },
            r => new ReplaceZone(r.ReadZoneId(), r.ReadString(), r.ReadString()));
        Register<ChangeRRsets>("ZX1", (w, c) => { w.WriteZoneId(c.ZoneId); w.WriteList(c.Changes, (x, ch) => x.WriteChange(ch)); w.Write(c.Who); },
            r => new ChangeRRsets(r.ReadZoneId(), r.ReadList(x => x.ReadChange()), r.ReadString()));
        Register<DeleteZone>("ZD1", (w, c) => { w.WriteZoneId(c.ZoneId); w.Write(c.Who); },
            r => new DeleteZone(r.ReadZoneId(), r.ReadString()));
        Register<ZoneCommandResult.Accepted>("RA1", (w, a) => { w.WriteZoneId(a.ZoneId); w.Write(a.Version); w.Write(a.Serial); },
            r => new ZoneCommandResult.Accepted(r.ReadZoneId(), r.ReadInt64(), r.ReadUInt32()));
        Register<ZoneCommandResult.Rejected>("RJ1", (w, j) => { w.WriteZoneId(j.ZoneId); w.Write((byte)j.Reason); w.Write(j.Message); w.WriteList(j.Problems, (x, p) => x.WriteProblem(p)); },
            r => new ZoneCommandResult.Rejected(r.ReadZoneId(), (ZoneRejection)r.ReadByte(), r.ReadString(), r.ReadList(x => x.ReadProblem())));

        // ---- zone queries and their replies ----
        Register<GetZone>("QZ1", (w, q) => w.WriteZoneId(q.ZoneId), r => new GetZone(r.ReadZoneId()));
        Register<GetZoneChunked>("QK1", (w, q) => w.WriteZoneId(q.ZoneId), r => new GetZoneChunked(r.ReadZoneId()));
        Register<GetHistory>("QH1", (w, q) => w.WriteZoneId(q.ZoneId), r => new GetHistory(r.ReadZoneId()));
        Register<GetChangesSince>("QC1", (w, q) => { w.WriteZoneId(q.ZoneId); w.Write(q.FromVersion); }, r => new GetChangesSince(r.ReadZoneId(), r.ReadInt64()));
        Register<ZoneHistory>("ZH1", (w, h) => { w.WriteZoneId(h.ZoneId); w.WriteList(h.Entries, (x, e) => x.WriteHistoryEntry(e)); },
            r => new ZoneHistory(r.ReadZoneId(), r.ReadList(x => x.ReadHistoryEntry())));
        Register<SnapshotNeeded>("SN1", (w, s) => { w.WriteZoneId(s.ZoneId); w.Write(s.CurrentVersion); }, r => new SnapshotNeeded(r.ReadZoneId(), r.ReadInt64()));

        // ---- what carries a lineage: creations, views, deltas, changes, not-found, the catalog's versions (AkkaDnsSerializer.Lineage.cs) ----
        RegisterLineaged();

        // ---- zone catalog ----
        Register<RegisterZone>("CR1", (w, m) => { w.WriteZoneId(m.ZoneId); w.Write(m.Version); w.Write(m.Exists); }, r => new RegisterZone(r.ReadZoneId(), r.ReadInt64(), r.ReadBoolean()));
        Register<ZoneRegistered>("CA1", (w, m) => { w.WriteZoneId(m.ZoneId); w.Write(m.Version); }, r => new ZoneRegistered(r.ReadZoneId(), r.ReadInt64()));
        Register<ListZones>("CL1", (_, _) => { }, _ => ListZones.Instance);
        Register<CatalogEntryChanged>("CE1", (w, m) => w.WriteCatalogEntry(m.Entry), r => new CatalogEntryChanged(r.ReadCatalogEntry()));
        Register<CatalogSnapshot>("CS1", (w, m) => w.WriteList(m.Entries, (x, e) => x.WriteCatalogEntry(e)), r => new CatalogSnapshot(r.ReadList(x => x.ReadCatalogEntry())));

        // ---- fleet guard (AkkaDnsSerializer.FleetGuard.cs) ----
        RegisterFleetGuard();

        // ---- TSIG keys and zone transfer metadata (AkkaDnsSerializer.Transfers.cs) ----
        RegisterTransfers();

        // ---- secondary zones: NOTIFYs from edges, status (AkkaDnsSerializer.Secondaries.cs) ----
        RegisterSecondaries();

        // ---- DNS UPDATE: the command (also held inside a pending change) and its refusal (AkkaDnsSerializer.Update.cs) ----
        RegisterUpdate();

        // ---- DNSSEC: commands, the event with the sealed keys, the view, the signing watch (AkkaDnsSerializer.Dnssec.cs) ----
        RegisterDnssec();

        // ---- datacenter ----
        Register<GetEdgeZones>("DS1", (_, _) => { }, _ => GetEdgeZones.Instance);
        Register<EdgeZones>("DT1", (w, s) =>
        {
            w.Write(s.Datacenter.Value); w.Write(s.Loaded);
            w.WriteList(s.Zones, (x, z) => { x.WriteZoneId(z.ZoneId); x.Write(z.Version); x.Write(z.Serial); x.Write(z.RecordCount); x.Write(z.Pending); x.WriteNullableString(z.Problem); });
        }, r => new EdgeZones(Propagation.DatacenterName.Parse(r.ReadString()), r.ReadBoolean(),
            r.ReadList(x => new HeldZone(x.ReadZoneId(), x.ReadInt64(), x.ReadUInt32(), x.ReadInt32(), x.ReadBoolean(), x.ReadNullableString()))));
    }
}
