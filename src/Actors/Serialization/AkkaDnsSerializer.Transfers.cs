using System.Collections.Immutable;
using AkkaDns.Actors.Transfers;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;
using static AkkaDns.Actors.Transfers.TransferConfigEvents;
using static AkkaDns.Actors.Transfers.TransferConfigReplies;

namespace AkkaDns.Actors.Serialization;

/// <summary>The <see cref="TransferConfigActor"/>'s commands, replies, events and snapshot (manifests "T…").</summary>
public sealed partial class AkkaDnsSerializer
{
    private static void WriteKey(BinaryWriter w, TsigKeyData k) { w.Write(k.Name); w.Write(k.Algorithm); w.Write(k.Secret); }
    private static TsigKeyData ReadKey(BinaryReader r) => new(r.ReadString(), r.ReadString(), r.ReadString());

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values) => w.WriteList(values, (x, v) => x.Write(v));
    private static ImmutableList<string> ReadStrings(BinaryReader r) => r.ReadList(x => x.ReadString());

    private static void WriteTransferState(BinaryWriter w, TransferConfigState s)
    {
        w.WriteList(s.Keys.Values.ToList(), WriteKey);
        w.WriteList(s.Metadata.ToList(), (x, zone) =>
        {
            x.Write(zone.Key);
            x.WriteList(zone.Value.ToList(), (y, kind) => { y.Write(kind.Key); WriteStrings(y, kind.Value); });
        });
    }

    private static TransferConfigState ReadTransferState(BinaryReader r)
    {
        var keys = r.ReadList(ReadKey);
        var zones = r.ReadList(x => (Zone: x.ReadString(), Kinds: x.ReadList(y => (Kind: y.ReadString(), Values: ReadStrings(y)))));
        return TransferConfigState.Empty with
        {
            Keys = keys.ToImmutableSortedDictionary(k => k.Name, k => k, StringComparer.Ordinal),
            Metadata = zones.ToImmutableSortedDictionary(z => z.Zone,
                z => z.Kinds.ToImmutableSortedDictionary(k => k.Kind, k => k.Values, StringComparer.Ordinal), StringComparer.Ordinal),
        };
    }

    private static void RegisterTransfers()
    {
        Register<AddTsigKey>("TK1", (w, m) => { w.Write(m.Name); w.Write(m.Algorithm); w.WriteNullableString(m.Secret); },
            r => new AddTsigKey(r.ReadString(), r.ReadString(), r.ReadNullableString()));
        Register<ChangeTsigKey>("TC1", (w, m) => { w.Write(m.Name); w.WriteNullableString(m.NewName); w.WriteNullableString(m.Algorithm); w.WriteNullableString(m.Secret); },
            r => new ChangeTsigKey(r.ReadString(), r.ReadNullableString(), r.ReadNullableString(), r.ReadNullableString()));
        Register<DeleteTsigKey>("TD1", (w, m) => w.Write(m.Name), r => new DeleteTsigKey(r.ReadString()));
        Register<AddZoneMetadata>("TM1", (w, m) => { w.Write(m.Zone); w.Write(m.Kind); WriteStrings(w, m.Values); },
            r => new AddZoneMetadata(r.ReadString(), r.ReadString(), ReadStrings(r)));
        Register<SetZoneMetadata>("TP1", (w, m) => { w.Write(m.Zone); w.Write(m.Kind); WriteStrings(w, m.Values); },
            r => new SetZoneMetadata(r.ReadString(), r.ReadString(), ReadStrings(r)));
        Register<GetTransferConfig>("TQ1", (_, _) => { }, _ => GetTransferConfig.Instance);
        Register<Accepted>("TA1", (w, m) => WriteTransferState(w, m.State), r => new Accepted(ReadTransferState(r)));
        Register<Rejected>("TJ1", (w, m) => { w.Write((byte)m.Reason); w.Write(m.Message); }, r => new Rejected((TransferRejection)r.ReadByte(), r.ReadString()));

        // journal and snapshot of the transfer configuration
        Register<TsigKeyStored>("TE1", (w, e) => { WriteKey(w, e.Key); w.WriteTime(e.At); }, r => new TsigKeyStored(ReadKey(r), r.ReadTime()));
        Register<TsigKeyDeleted>("TF1", (w, e) => { w.Write(e.Name); w.WriteTime(e.At); }, r => new TsigKeyDeleted(r.ReadString(), r.ReadTime()));
        Register<ZoneMetadataSet>("TG1", (w, e) => { w.Write(e.Zone); w.Write(e.Kind); WriteStrings(w, e.Values); w.WriteTime(e.At); },
            r => new ZoneMetadataSet(r.ReadString(), r.ReadString(), ReadStrings(r), r.ReadTime()));
        Register<TransferConfigState>("TS1", WriteTransferState, ReadTransferState);
    }
}
