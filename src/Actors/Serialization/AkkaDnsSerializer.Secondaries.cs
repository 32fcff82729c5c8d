using System.Net;
using AkkaDns.Actors.Secondaries;
using static AkkaDns.Actors.Secondaries.SecondaryProtocol;

namespace AkkaDns.Actors.Serialization;

/// <summary>The secondary refresher's cross-node messages: NOTIFYs accepted by edges, and status for the API.
/// Nothing here is journaled (the refresher keeps no state of its own; its config is zone metadata).</summary>
public sealed partial class AkkaDnsSerializer
{
    private static void RegisterSecondaries()
    {
        Register<SecondaryNotified>("SY1", (w, n) => { w.WriteZoneId(n.Zone); w.Write(n.From); WriteNullable(w, n.Serial); },
            r => new SecondaryNotified(r.ReadZoneId(), r.ReadString(), ReadNullableUInt32(r)));
        Register<GetSecondaryStatus>("SQ1", (w, q) => { w.Write(q.Zone is not null); if (q.Zone is not null) w.WriteZoneId(q.Zone); },
            r => new GetSecondaryStatus(r.ReadBoolean() ? r.ReadZoneId() : null));
        Register<SecondaryStatusList>("SL1", (w, l) => w.WriteList(l.Zones, WriteStatus), r => new SecondaryStatusList(r.ReadList(ReadStatus)));
    }

    private static void WriteStatus(BinaryWriter w, SecondaryZoneStatus s)
    {
        w.WriteZoneId(s.Config.Zone);
        w.WriteList(s.Config.Masters, (x, m) => x.Write(m.ToString()));
        w.WriteNullableString(s.Config.KeyName);
        w.Write((byte)s.Config.Policy);
        WriteNullable(w, s.Serial);
        w.Write((byte)s.LastResult);
        w.Write(s.LastMessage);
        WriteNullableTime(w, s.LastCheck);
        WriteNullableTime(w, s.LastSuccess);
        w.WriteTime(s.NextCheck);
        WriteNullableTime(w, s.ExpiresAt);
        w.Write(s.Expired);
        WriteNullable(w, s.HeldSerial);
        w.Write(s.Failures);
        w.Write(s.InFlight);
        w.Write(s.Transfers);
    }

    private static SecondaryZoneStatus ReadStatus(BinaryReader r)
    {
        var zone = r.ReadZoneId();
        var masters = r.ReadList(x => IPEndPoint.Parse(x.ReadString()));
        var config = new SecondaryZoneConfig(zone, [.. masters], r.ReadNullableString(), (ExpirePolicy)r.ReadByte());
        return new SecondaryZoneStatus(config, ReadNullableUInt32(r), (SecondaryResult)r.ReadByte(), r.ReadString(), ReadNullableTime(r),
            ReadNullableTime(r), r.ReadTime(), ReadNullableTime(r), r.ReadBoolean(), ReadNullableUInt32(r), r.ReadInt32(), r.ReadBoolean(), r.ReadInt64());
    }

    private static void WriteNullable(BinaryWriter w, uint? v) { w.Write(v.HasValue); if (v is { } x) w.Write(x); }
    private static uint? ReadNullableUInt32(BinaryReader r) => r.ReadBoolean() ? r.ReadUInt32() : null;
    private static void WriteNullableTime(BinaryWriter w, DateTimeOffset? t) { w.Write(t.HasValue); if (t is { } x) w.WriteTime(x); }
    private static DateTimeOffset? ReadNullableTime(BinaryReader r) => r.ReadBoolean() ? r.ReadTime() : null;
}
