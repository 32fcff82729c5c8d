using Akka.Actor;
using Akka.Serialization;
using AkkaDns.Actors.Chunking;
using AkkaDns.Actors.Propagation.Fencing;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Propagation;

/// <summary>
/// Compact binary for every <see cref="IPropagationMessage"/> (never Akka's default JSON): short stable manifests,
/// fields in a fixed order, times as UTC ticks. Adding a field means a new manifest, not a changed layout.
/// </summary>
public sealed class PropagationSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 7411;
    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        TransferChunk => "ck",
        DeliveryAck => "ak",
        DeliveryFailure => "fl",
        DatacenterReport => "rp",
        ZoneVersionPublished => "zv",
        DrainDatacenter => "dr",
        UndrainDatacenter => "ud",
        OperatorReply => "or",
        GetDeliveryStatus => "gs",
        DeliveryStatusReport => "st",
        ZoneCommandChunk => "zc",
        FenceProbe => "fp",
        FenceGrant => "fg",
        PeerProbe => "pp",
        PeerReply => "pr",
        _ => throw new ArgumentException($"PropagationSerializer: no manifest for {o.GetType().FullName}"),
    };

    public override byte[] ToBinary(object o)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            switch (o)
            {
                case TransferChunk c: WriteChunk(w, c); break;
                case ZoneCommandChunk z: w.Write(z.ZoneId.Value); WriteChunk(w, z.Chunk); break;
                case DeliveryAck a: w.Write(a.Datacenter.Value); w.Write(a.Zone.Value); w.Write(a.Version); WriteTime(w, a.When); break;
                case DeliveryFailure f: w.Write(f.Datacenter.Value); w.Write(f.Zone.Value); w.Write(f.What); WriteTime(w, f.When); break;
                case DatacenterReport r:
                    w.Write(r.Datacenter.Value); WriteTime(w, r.When); w.Write(r.Versions.Count);
                    foreach (var (zone, version) in r.Versions) { w.Write(zone.Value); w.Write(version); }
                    break;
                case ZoneVersionPublished z: w.Write(z.Zone.Value); w.Write(z.Version); w.Write(z.Deleted); WriteTime(w, z.At); break;
                case DrainDatacenter d: w.Write(d.Name.Value); break;
                case UndrainDatacenter u: w.Write(u.Name.Value); break;
                case OperatorReply r: w.Write(r.Name.Value); w.Write(r.Ok); w.Write(r.Message); break;
                case GetDeliveryStatus: break;
                case FenceProbe f: w.Write(f.Datacenter.Value); w.Write(f.Nonce); break;
                case FenceGrant g: w.Write(g.Nonce); w.Write(g.Serving); w.Write(g.LimitMs); break;
                case PeerProbe pp: w.Write(pp.Nonce); break;
                case PeerReply pr: w.Write(pr.Nonce); w.Write(pr.SilenceMs); break;
                case DeliveryStatusReport s:
                    WriteTime(w, s.At); w.Write(s.Floor);
                    w.Write(s.Datacenters.Count);
                    foreach (var d in s.Datacenters) WriteStatus(w, d);
                    WriteStrings(w, s.Alerts);
                    break;
                default: throw new ArgumentException($"PropagationSerializer: cannot serialize {o.GetType().FullName}");
            }
        }
        return ms.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        return manifest switch
        {
            "ck" => ReadChunk(r),
            "zc" => new ZoneCommandChunk(ZoneId.Parse(r.ReadString()), ReadChunk(r)),
            "ak" => new DeliveryAck(ReadDatacenter(r), ReadZone(r), r.ReadInt64(), ReadTime(r)),
            "fl" => new DeliveryFailure(ReadDatacenter(r), ReadZone(r), r.ReadString(), ReadTime(r)),
            "rp" => ReadReport(r),
            "zv" => new ZoneVersionPublished(ReadZone(r), r.ReadInt64(), r.ReadBoolean(), ReadTime(r)),
            "dr" => new DrainDatacenter(ReadDatacenter(r)),
            "ud" => new UndrainDatacenter(ReadDatacenter(r)),
            "or" => new OperatorReply(ReadDatacenter(r), r.ReadBoolean(), r.ReadString()),
            "gs" => GetDeliveryStatus.Instance,
            "st" => ReadStatusReport(r),
            "fp" => new FenceProbe(ReadDatacenter(r), r.ReadInt64()),
            "fg" => new FenceGrant(r.ReadInt64(), r.ReadBoolean(), r.ReadInt64()),
            "pp" => new PeerProbe(r.ReadInt64()),
            "pr" => new PeerReply(r.ReadInt64(), r.ReadInt64()),
            _ => throw new System.Runtime.Serialization.SerializationException($"PropagationSerializer: unknown manifest '{manifest}'"),
        };
    }

    // Ids travel as their text, as before they had types of their own: the wire layout did not change.
    private static DatacenterName ReadDatacenter(BinaryReader r) => DatacenterName.Parse(r.ReadString());
    private static ZoneId ReadZone(BinaryReader r) => ZoneId.Parse(r.ReadString());

    private static void WriteChunk(BinaryWriter w, TransferChunk c)
    {
        w.Write(c.TransferId.ToByteArray()); w.Write(c.Seq); w.Write(c.Total); w.Write(c.TotalBytes);
        w.Write(c.SerializerId); w.Write(c.Manifest); w.Write(c.Data.Length); w.Write(c.Data);
    }

    private static TransferChunk ReadChunk(BinaryReader r) =>
        new(new Guid(r.ReadBytes(16)), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadString(), r.ReadBytes(r.ReadInt32()));

    private static DatacenterReport ReadReport(BinaryReader r)
    {
        var dc = ReadDatacenter(r); var when = ReadTime(r); int n = r.ReadInt32();
        var versions = new Dictionary<ZoneId, long>(n);
        for (int i = 0; i < n; i++) versions[ReadZone(r)] = r.ReadInt64();
        return new DatacenterReport(dc, versions, when);
    }

    private static DeliveryStatusReport ReadStatusReport(BinaryReader r)
    {
        var at = ReadTime(r); int floor = r.ReadInt32(); int n = r.ReadInt32();
        var dcs = new List<DatacenterStatus>(n);
        for (int i = 0; i < n; i++) dcs.Add(ReadStatus(r));
        return new DeliveryStatusReport(at, floor, dcs, ReadStrings(r));
    }

    private static void WriteStatus(BinaryWriter w, DatacenterStatus d)
    {
        w.Write(d.Name.Value); w.Write(d.Serving); w.Write(d.Drain); WriteOpt(w, d.Why);
        w.Write(d.VersionsBehind); w.Write(d.ZonesBehind); w.Write(d.SecondsBehind);
        w.Write(d.LastAck.HasValue); if (d.LastAck is { } t) WriteTime(w, t);
        w.Write(d.ConsecutiveFailures); WriteStrings(w, d.RecentFailures); WriteOpt(w, d.Alert);
    }

    private static DatacenterStatus ReadStatus(BinaryReader r) => new(
        ReadDatacenter(r), r.ReadBoolean(), r.ReadString(), ReadOpt(r),
        r.ReadInt64(), r.ReadInt32(), r.ReadDouble(),
        r.ReadBoolean() ? ReadTime(r) : null,
        r.ReadInt32(), ReadStrings(r), ReadOpt(r));

    private static void WriteTime(BinaryWriter w, DateTimeOffset t) => w.Write(t.UtcTicks);
    private static DateTimeOffset ReadTime(BinaryReader r) => new(r.ReadInt64(), TimeSpan.Zero);
    private static void WriteOpt(BinaryWriter w, string? s) { w.Write(s is not null); if (s is not null) w.Write(s); }
    private static string? ReadOpt(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> list) { w.Write(list.Count); foreach (var s in list) w.Write(s); }
    private static IReadOnlyList<string> ReadStrings(BinaryReader r)
    {
        int n = r.ReadInt32(); var list = new List<string>(n);
        for (int i = 0; i < n; i++) list.Add(r.ReadString());
        return list;
    }
}
