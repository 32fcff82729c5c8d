using AkkaDns.Actors.Tests.Serialization;
using AkkaDns.Actors.Transfers;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;
using static AkkaDns.Actors.Transfers.TransferConfigEvents;
using static AkkaDns.Actors.Transfers.TransferConfigReplies;

namespace AkkaDns.Actors.Tests.Transfers;

/// <summary>Every command, reply, event and the snapshot of the transfer configuration round-trip through our serializer.</summary>
public sealed class TransferConfigSerializerTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 30, 0, TimeSpan.Zero);
    private static readonly TsigKeyData Key = new("xfr.example.", "hmac-sha256", "c2VjcmV0");

    private static TransferConfigState State() =>
        new[] { (ITransferConfigEvent)new TsigKeyStored(Key, At), new TsigKeyStored(Key with { Name = "b." }, At),
                new ZoneMetadataSet("example.org.", "ALLOW-AXFR-FROM", ["192.0.2.0/24", "2001:db8::1"], At),
                new ZoneMetadataSet("example.org.", "ALSO-NOTIFY", ["[2001:db8::53]:5300"], At),
                new ZoneMetadataSet("example.net.", "X-OWN", ["as given"], At) }
            .Aggregate(TransferConfigState.Empty, (s, e) => s.Apply(e));

    private static readonly Dictionary<string, object> Samples = new()
    {
        ["AddTsigKey"] = new AddTsigKey("xfr", "hmac-sha256", "c2VjcmV0"),
        ["AddTsigKey-generate"] = new AddTsigKey("xfr", "hmac-sha512", null),
        ["ChangeTsigKey"] = new ChangeTsigKey("xfr", "new", null, "c2VjcmV0"),
        ["ChangeTsigKey-algorithm"] = new ChangeTsigKey("xfr", null, "hmac-sha1", null),
        ["DeleteTsigKey"] = new DeleteTsigKey("xfr."),
        ["AddZoneMetadata"] = new AddZoneMetadata("example.org", "ALLOW-AXFR-FROM", ["192.0.2.0/24", "192.0.2.1"]),
        ["SetZoneMetadata"] = new SetZoneMetadata("example.org", "ALSO-NOTIFY", ["192.0.2.1:5300"]),
        ["SetZoneMetadata-empty"] = new SetZoneMetadata("example.org", "ALSO-NOTIFY", []),
        ["GetTransferConfig"] = GetTransferConfig.Instance,
        ["Accepted"] = new Accepted(State()),
        ["Accepted-empty"] = new Accepted(TransferConfigState.Empty),
        ["Rejected"] = new Rejected(TransferRejection.Conflict, "TSIG key 'xfr.' already exists"),
        ["TsigKeyStored"] = new TsigKeyStored(Key, At),
        ["TsigKeyDeleted"] = new TsigKeyDeleted("xfr.example.", At),
        ["ZoneMetadataSet"] = new ZoneMetadataSet("example.org.", "TSIG-ALLOW-AXFR", ["xfr.example."], At),
        ["ZoneMetadataSet-removed"] = new ZoneMetadataSet("example.org.", "TSIG-ALLOW-AXFR", [], At),
        ["TransferConfigState"] = State(),
    };

    public static TheoryData<string> Cases => new(Samples.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trips_with_a_short_manifest(string name)
    {
        fixture.AssertRoundTrip(Samples[name]);
    }

    [Fact]
    public void The_snapshot_reads_back_with_every_key_and_kind()
    {
        var serializer = (Akka.Serialization.SerializerWithStringManifest)fixture.System.Serialization.FindSerializerFor(State());
        var back = (TransferConfigState)serializer.FromBinary(serializer.ToBinary(State()), serializer.Manifest(State()));
        Assert.Equal(["b.", "xfr.example."], back.Keys.Keys);
        Assert.Equal(Key, back.Keys["xfr.example."]);
        Assert.Equal(["192.0.2.0/24", "2001:db8::1"], back.MetadataOf("example.org.")["ALLOW-AXFR-FROM"]);
        Assert.Equal(["as given"], back.MetadataOf("example.net.")["X-OWN"]);
    }
}
