using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Dnssec;

namespace AkkaDns.Actors.Serialization;

/// <summary>DNSSEC: the commands, the event (with the zone's sealed keys: journal and snapshots only, never to an edge),
/// the view the API reads and the signing watch's reports.</summary>
public sealed partial class AkkaDnsSerializer
{
    private static void RegisterDnssec()
    {
        Register<DnssecCommand>("ZN1", (w, c) => { w.WriteZoneId(c.ZoneId); w.Write((byte)c.Action); w.Write(c.Who); WriteOptions(w, c.Options); },
            r => new DnssecCommand(r.ReadZoneId(), (DnssecAction)r.ReadByte(), r.ReadString(), ReadOptions(r)));
        Register<DnssecChanged>("EN1", (w, e) =>
        {
            w.WriteZoneId(e.ZoneId); w.Write(e.Version); w.WriteTime(e.At); w.Write(e.Who); w.Write(e.Serial); w.Write(e.What);
            WriteDnssecState(w, e.Dnssec);
            w.WriteList(e.Changes, (x, c) => x.WriteChange(c));
        }, r => new DnssecChanged(r.ReadZoneId(), r.ReadInt64(), r.ReadTime(), r.ReadString(), r.ReadUInt32(), r.ReadString(),
            ReadDnssecState(r), r.ReadList(x => x.ReadChange())));
        Register<GetDnssec>("QN1", (w, q) => { w.WriteZoneId(q.ZoneId); w.Write(q.PrivateKeyOf.HasValue); w.Write(q.PrivateKeyOf ?? 0); },
            r => { var id = r.ReadZoneId(); var has = r.ReadBoolean(); var k = r.ReadInt32(); return new GetDnssec(id, has ? k : null); });
        Register<DnssecView>("DV1", (w, v) =>
        {
            w.WriteZoneId(v.ZoneId); w.Write(v.Exists); w.Write(v.Enabled); w.Write(v.Nsec3); w.Write(v.Nsec3Iterations); w.WriteBytes(v.Nsec3Salt);
            w.Write(v.OptOut); w.Write(v.CdsDelete);
            w.WriteList(v.Keys, (x, k) =>
            {
                x.Write(k.Id); x.Write((byte)k.Role); x.Write((byte)k.Algorithm); x.Write(k.Flags); x.Write(k.KeyTag); x.Write(k.Bits); x.WriteBytes(k.Dnskey);
                x.Write((byte)k.Phase); x.WriteTime(k.Created); x.WriteTime(k.PhaseSince); x.Write(k.DsSeen);
                x.Write(k.PrivateKeyPkcs8 is not null); if (k.PrivateKeyPkcs8 is not null) x.WriteBytes(k.PrivateKeyPkcs8);
            });
            WriteNullableTime(w, v.EarliestExpiry); WriteNullableTime(w, v.NextAction); w.WriteNullableString(v.Problem);
        }, r => new DnssecView(r.ReadZoneId(), r.ReadBoolean(), r.ReadBoolean(), r.ReadBoolean(), r.ReadUInt16(), r.ReadBytes(), r.ReadBoolean(), r.ReadBoolean(),
            r.ReadList(x => new KeyView(x.ReadInt32(), (KeyRole)x.ReadByte(), (DnssecAlgorithm)x.ReadByte(), x.ReadUInt16(), x.ReadUInt16(), x.ReadInt32(), x.ReadBytes(),
                (KeyPhase)x.ReadByte(), x.ReadTime(), x.ReadTime(), x.ReadBoolean(), x.ReadBoolean() ? x.ReadBytes() : null)),
            ReadNullableTime(r), ReadNullableTime(r), r.ReadNullableString()));
        Register<DnssecWatchProtocol.SigningDue>("WS1", (w, d) => { w.WriteZoneId(d.ZoneId); WriteNullableTime(w, d.NextAction); WriteNullableTime(w, d.EarliestExpiry); },
            r => new DnssecWatchProtocol.SigningDue(r.ReadZoneId(), ReadNullableTime(r), ReadNullableTime(r)));
        Register<DnssecWatchProtocol.GetSigningStatus>("WQ1", (_, _) => { }, _ => DnssecWatchProtocol.GetSigningStatus.Instance);
        Register<DnssecWatchProtocol.SigningStatus>("WT1", (w, s) =>
        {
            w.WriteList(s.Zones, (x, z) => { x.WriteZoneId(z.ZoneId); WriteNullableTime(x, z.NextAction); WriteNullableTime(x, z.EarliestExpiry); });
            w.Write(s.ExpiryAlert.Ticks);
        }, r => new DnssecWatchProtocol.SigningStatus(r.ReadList(x => new DnssecWatchProtocol.SignedZone(x.ReadZoneId(), ReadNullableTime(x), ReadNullableTime(x))),
            TimeSpan.FromTicks(r.ReadInt64())));
    }

    internal static void WriteDnssecState(BinaryWriter w, DnssecState d)
    {
        w.Write(d.Enabled); w.Write(d.Nsec3); w.Write(d.Nsec3Iterations); w.WriteBytes(d.Nsec3Salt); w.Write(d.OptOut); w.Write(d.CdsDelete);
        w.Write(d.NextKeyId);
        w.WriteList(d.Keys, (x, k) =>
        {
            x.Write(k.Id); x.Write((byte)k.Role); x.Write((byte)k.Algorithm); x.Write(k.Flags); x.Write(k.KeyTag); x.Write(k.Bits);
            x.WriteBytes(k.Dnskey); x.WriteBytes(k.SealedPrivateKey); x.WriteTime(k.Created); x.Write((byte)k.Phase); x.WriteTime(k.PhaseSince); x.Write(k.DsSeen);
        });
    }

    internal static DnssecState ReadDnssecState(BinaryReader r) => new()
    {
        Enabled = r.ReadBoolean(), Nsec3 = r.ReadBoolean(), Nsec3Iterations = r.ReadUInt16(), Nsec3Salt = r.ReadBytes(), OptOut = r.ReadBoolean(),
        CdsDelete = r.ReadBoolean(), NextKeyId = r.ReadInt32(),
        Keys = r.ReadList(x => new ZoneKey(x.ReadInt32(), (KeyRole)x.ReadByte(), (DnssecAlgorithm)x.ReadByte(), x.ReadUInt16(), x.ReadUInt16(), x.ReadInt32(),
            x.ReadBytes(), x.ReadBytes(), x.ReadTime(), (KeyPhase)x.ReadByte(), x.ReadTime(), x.ReadBoolean())),
    };

    private static void WriteOptions(BinaryWriter w, DnssecOptions o)
    {
        WriteNullableByte(w, (byte?)o.Role); WriteNullableByte(w, (byte?)o.Algorithm);
        WriteNullableInt(w, o.Bits); WriteNullableInt(w, o.KeyId);
        WriteNullableBool(w, o.Active); WriteNullableBool(w, o.Published); WriteNullableBool(w, o.Nsec3);
        WriteNullableInt(w, o.Iterations); w.Write(o.Salt is not null); if (o.Salt is not null) w.WriteBytes(o.Salt);
        WriteNullableBool(w, o.OptOut); w.Write(o.DsRemoved); w.Write(o.SplitKeys);
    }

    private static DnssecOptions ReadOptions(BinaryReader r) => new()
    {
        Role = (KeyRole?)ReadNullableByte(r), Algorithm = (DnssecAlgorithm?)ReadNullableByte(r),
        Bits = ReadNullableInt(r), KeyId = ReadNullableInt(r),
        Active = ReadNullableBool(r), Published = ReadNullableBool(r), Nsec3 = ReadNullableBool(r),
        Iterations = (ushort?)ReadNullableInt(r), Salt = r.ReadBoolean() ? r.ReadBytes() : null,
        OptOut = ReadNullableBool(r), DsRemoved = r.ReadBoolean(), SplitKeys = r.ReadBoolean(),
    };

    private static void WriteNullableByte(BinaryWriter w, byte? v) { w.Write(v.HasValue); if (v.HasValue) w.Write(v.Value); }
    private static byte? ReadNullableByte(BinaryReader r) => r.ReadBoolean() ? r.ReadByte() : null;
    private static void WriteNullableInt(BinaryWriter w, int? v) { w.Write(v.HasValue); if (v.HasValue) w.Write(v.Value); }
    private static int? ReadNullableInt(BinaryReader r) => r.ReadBoolean() ? r.ReadInt32() : null;
    private static void WriteNullableBool(BinaryWriter w, bool? v) => w.Write((byte)(v is null ? 0 : v.Value ? 2 : 1));
    private static bool? ReadNullableBool(BinaryReader r) => r.ReadByte() switch { 0 => null, 2 => true, _ => false };
}
