using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Zones;
using static AkkaDns.Actors.Tests.Support.Records;

namespace AkkaDns.Actors.Tests.Datacenters;

public sealed class EdgeSnapshotStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"akkadns-edge-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static EdgeSnapshot Sample(string apex, long version, string ip) =>
        new(ZoneId.Parse(apex), version, (uint)version, [Soa(apex, (uint)version), Ns(apex, "ns1." + apex), A("www." + apex, ip)]);

    [Fact]
    public void The_writer_writes_off_the_callers_thread_the_latest_state_queued_per_zone()
    {
        var failures = new List<string>();
        using (var writer = new EdgeSnapshotWriter(new EdgeSnapshotStore(_dir), TimeSpan.FromMilliseconds(200), (id, e) => failures.Add($"{id}: {e.Message}")))
        {
            writer.Save(Sample("a.test.", 1, "192.0.2.1"));
            writer.Save(Sample("b.test.", 1, "192.0.2.1"));
            writer.Save(Sample("a.test.", 2, "192.0.2.2"));   // replaces version 1 in the queue
            writer.Save(Sample("c.test.", 3, "192.0.2.3"));
            writer.Remove(ZoneId.Parse("c.test."));          // removal queued after the save: it wins
            Assert.True(writer.Flush(TimeSpan.FromSeconds(10)));
            var loaded = new EdgeSnapshotStore(_dir).LoadAll(out var problems);
            Assert.Empty(problems);
            Assert.Equal([("a.test.", 2L), ("b.test.", 1L)], loaded.Select(z => (z.ZoneId.Value, z.Version)));

            writer.Save(Sample("b.test.", 5, "192.0.2.5"));
        } // Dispose writes what is still queued
        Assert.Equal(5, new EdgeSnapshotStore(_dir).LoadAll(out _).Single(z => z.ZoneId.Value == "b.test.").Version);
        Assert.Empty(failures);
    }

    [Fact]
    public void Saved_zones_load_back_in_a_new_store_and_the_newest_save_wins()
    {
        var store = new EdgeSnapshotStore(_dir);
        store.Save(Sample("a.test.", 1, "192.0.2.1"));
        store.Save(Sample("a.test.", 2, "192.0.2.2"));
        store.Save(Sample("b.test.", 7, "192.0.2.7"));

        var loaded = new EdgeSnapshotStore(_dir).LoadAll(out var problems);
        Assert.Empty(problems);
        Assert.Equal(["a.test.", "b.test."], loaded.Select(s => s.ZoneId.Value));
        var a = loaded[0];
        Assert.Equal((2L, 2u), (a.Version, a.Serial));
        Assert.Equal(Sample("a.test.", 2, "192.0.2.2").Records, a.Records);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));          // the temporary file was renamed over the old one

        var state = a.ToState();
        Assert.True(state.Exists);
        Assert.Equal((2L, 2u), (state.Version, state.Serial));
    }

    [Fact]
    public void A_removed_zone_is_gone_and_a_damaged_file_is_skipped_with_its_name()
    {
        var store = new EdgeSnapshotStore(_dir);
        store.Save(Sample("a.test.", 1, "192.0.2.1"));
        store.Save(Sample("b.test.", 1, "192.0.2.1"));
        store.Save(Sample("c.test.", 1, "192.0.2.1"));
        store.Remove(ZoneId.Parse("c.test."));
        var file = Path.Combine(_dir, "b.test.zsnap");
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        File.WriteAllText(Path.Combine(_dir, "junk.zsnap"), "not a snapshot");

        var loaded = store.LoadAll(out var problems);
        Assert.Equal(["a.test."], loaded.Select(s => s.ZoneId.Value));
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("b.test.zsnap") && p.Contains("checksum"));
        Assert.Contains(problems, p => p.Contains("junk.zsnap"));
    }
}
