using System.Security.Cryptography;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Serialization;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCatalogProtocol;
using static AkkaDns.Actors.Zones.ZoneEvents;
using static AkkaDns.Actors.Zones.ZoneQueries;

namespace AkkaDns.Actors.Tests.Serialization;

/// <summary>The lineage on the wire, in the journal and in the edge's copies: it survives every round trip; a value of
/// the legacy lineage keeps its old manifest (nodes not yet upgraded read it); old payloads, written here byte by byte
/// as the old code wrote them, still read, as the legacy lineage.</summary>
public sealed class LineageSerializerTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com.");
    private const string L = "0123456789abcdef";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"akkadns-lineage-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static IReadOnlyList<ResourceRecord> Content => [Soa("example.com.", 7), Ns("example.com.", "ns1.example.com.")];

    private static ZoneCreated Created(string lineage) => new(Z, 1, At, "alice", 7, Content) { Lineage = lineage };

    /// <summary>Each message that carries a lineage: the old manifest for the legacy lineage, the new one otherwise.</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        { "ZoneCreated", "EC1", "EC2" }, { "ZoneState", "ZS3", "ZS4" }, { "ZoneDelta", "DL1", "DL2" }, { "ZoneDeltaTooLarge", "DX1", "DX2" },
        { "ZoneView", "ZV1", "ZV2" }, { "ZoneViewChunk", "ZK1", "ZK2" }, { "ZoneChanges", "CH1", "CH2" }, { "ZoneNotFound", "NF1", "NF2" },
        { "ZoneVersionReport", "CV1", "CV2" }, { "ZoneList", "CZ2", "CZ3" },
    };

    private static object Sample(string name, string lineage) => name switch
    {
        "ZoneCreated" => Created(lineage),
        "ZoneState" => ZoneState.Empty(Z).Apply(Created(lineage)) with { Recent = [] },
        "ZoneDelta" => ZoneDelta.Of(new RRsetsChanged(Z, 2, At, "bob", 8, [ReplaceA("www.example.com.", "192.0.2.2")]), lineage),
        "ZoneDeltaTooLarge" => new ZoneDeltaTooLarge(Z, 4, 5) { Lineage = lineage },
        "ZoneView" => new ZoneView(Z, 6, 6, Content) { Lineage = lineage },
        "ZoneViewChunk" => new ZoneViewChunk(Z, 6, 6, 1, 3, Content) { Lineage = lineage },
        "ZoneChanges" => new ZoneChanges(Z, 0, 1, [Created(lineage)]) { Lineage = lineage },
        "ZoneNotFound" => new ZoneNotFound(Z, 9) { Lineage = lineage },
        "ZoneVersionReport" => new ZoneVersionReport(Z, 12) { Lineage = lineage },
        "ZoneList" => new ZoneList([new CatalogEntry(Z, 1, true), new CatalogEntry(ZoneId.Parse("example.org."), 3, true)])
        { Latest = [7, -1], Incarnation = "3f2a", Lineages = lineage.Length == 0 ? null : [lineage, null] },
        _ => throw new ArgumentException(name),
    };

    private string ManifestOf(object o) =>
        Akka.Serialization.Serialization.ManifestFor(fixture.System.Serialization.FindSerializerFor(o), o);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_lineage_survives_and_the_legacy_lineage_keeps_the_old_manifest(string name, string older, string newer)
    {
        var legacy = Sample(name, ZoneLineage.Legacy);
        var lineaged = Sample(name, L);
        Assert.Equal(older, ManifestOf(legacy));
        Assert.Equal(newer, ManifestOf(lineaged));
        fixture.AssertRoundTrip(legacy);
        fixture.AssertRoundTrip(lineaged);

        // The new shape is the old one, then the lineage: same prefix, so nothing else moved.
        var serializer = fixture.System.Serialization.FindSerializerFor(legacy);
        var oldBytes = serializer.ToBinary(legacy);
        var newBytes = serializer.ToBinary(lineaged);
        if (name is not ("ZoneCreated" or "ZoneState" or "ZoneChanges" or "ZoneList")) // those hold the lineage further in, or a list
            Assert.Equal(oldBytes, newBytes[..oldBytes.Length]);
    }

    [Fact]
    public void A_delta_keeps_its_lineage_and_its_nested_creation_keeps_its_own()
    {
        var serializer = (AkkaDnsSerializer)fixture.System.Serialization.FindSerializerFor(Created(L));
        var delta = ZoneDelta.Of(Created(L), L);
        var back = (ZoneDelta)serializer.FromBinary(serializer.ToBinary(delta), "DL2");
        Assert.Equal(L, back.Lineage);
        Assert.Equal(L, ((ZoneCreated)back.Event).Lineage);
    }

    // ---- payloads exactly as the code before lineages wrote them ----

    private static void Name(BinaryWriter w, string name)
    {
        var wire = AkkaDns.Resolver.Wire.DnsName.Parse(name).Wire.ToArray();
        w.Write((byte)wire.Length);
        w.Write(wire);
    }

    private static void Records(BinaryWriter w, IReadOnlyList<ResourceRecord> records)
    {
        w.Write7BitEncodedInt(records.Count);
        foreach (var r in records)
        {
            Name(w, r.Owner.ToString());
            w.Write((ushort)r.Type); w.Write(r.Ttl);
            w.Write7BitEncodedInt(r.RData.Length); w.Write(r.RData);
        }
    }

    private static byte[] Bytes(Action<BinaryWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) write(w);
        return ms.ToArray();
    }

    private static void OldCreated(BinaryWriter w)
    {
        Name(w, "example.com."); w.Write(1L); w.Write(At.UtcTicks); w.Write("alice"); w.Write(7u); Records(w, Content);
    }

    [Fact]
    public void An_old_journal_creation_an_old_delta_and_an_old_not_found_read_as_the_legacy_lineage()
    {
        var serializer = (AkkaDnsSerializer)fixture.System.Serialization.FindSerializerForType(typeof(ZoneCreated));

        var created = Assert.IsType<ZoneCreated>(serializer.FromBinary(Bytes(OldCreated), "EC1"));
        Assert.Equal(ZoneLineage.Legacy, created.Lineage);
        Assert.Equal((1L, 7u, "alice"), (created.Version, created.Serial, created.Who));
        Assert.Equal(ZoneLineage.Legacy, ZoneState.Empty(Z).Apply(created).Lineage); // recovery never flips the lineage

        var delta = Assert.IsType<ZoneDelta>(serializer.FromBinary(Bytes(w =>
        {
            Name(w, "example.com."); w.Write(0L); w.Write(1L); w.Write("EC1"); OldCreated(w);
        }), "DL1"));
        Assert.Equal(ZoneLineage.Legacy, delta.Lineage);

        var nf = Assert.IsType<ZoneNotFound>(serializer.FromBinary(Bytes(w => { Name(w, "example.com."); w.Write(3L); }), "NF1"));
        Assert.Equal((3L, ZoneLineage.Legacy), (nf.Version, nf.Lineage));

        var list = Assert.IsType<ZoneList>(serializer.FromBinary(Bytes(w =>
        {
            w.Write7BitEncodedInt(1); Name(w, "example.com."); w.Write(2L); w.Write(true);
            w.Write(true); w.Write7BitEncodedInt(1); w.Write(5L); w.Write("inc");
        }), "CZ2"));
        Assert.Null(list.Lineages);
        Assert.Equal([5L], list.Latest!);
    }

    [Fact]
    public void An_old_edge_copy_reads_as_the_legacy_lineage_and_a_new_one_keeps_its_lineage()
    {
        var store = new EdgeSnapshotStore(_dir);
        var body = Bytes(w => { Name(w, "old.test."); w.Write(50L); w.Write(50u); Records(w, [Soa("old.test.", 50), Ns("old.test.", "ns1.old.test.")]); });
        File.WriteAllBytes(Path.Combine(_dir, "old.test.zsnap"), [.. "AKDSNAP1"u8.ToArray(), .. SHA256.HashData(body), .. body]);
        store.Save(new EdgeSnapshot(ZoneId.Parse("new.test."), 2, 2, [Soa("new.test.", 2), Ns("new.test.", "ns1.new.test.")]) { Lineage = L });
        store.Save(new EdgeSnapshot(ZoneId.Parse("legacy.test."), 3, 3, [Soa("legacy.test.", 3), Ns("legacy.test.", "ns1.legacy.test.")]));

        var loaded = store.LoadAll(out var problems).ToDictionary(s => s.ZoneId.Value);
        Assert.Empty(problems);
        Assert.Equal((50L, ZoneLineage.Legacy), (loaded["old.test."].Version, loaded["old.test."].Lineage));
        Assert.Equal(ZoneLineage.Legacy, loaded["old.test."].ToState().Lineage);
        Assert.Equal(L, loaded["new.test."].Lineage);
        Assert.Equal(L, loaded["new.test."].ToState().Lineage);
        Assert.Equal(ZoneLineage.Legacy, loaded["legacy.test."].Lineage);
        Assert.Equal("AKDSNAP2"u8.ToArray(), File.ReadAllBytes(Path.Combine(_dir, "new.test.zsnap"))[..8]);
        Assert.Equal("AKDSNAP1"u8.ToArray(), File.ReadAllBytes(Path.Combine(_dir, "legacy.test.zsnap"))[..8]); // an older binary reads it too
    }
}
