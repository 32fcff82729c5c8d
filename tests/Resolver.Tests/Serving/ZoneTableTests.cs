using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Serving;

/// <summary>The serving table: longest-suffix lookup from names or wire bytes, atomic publish/replace/remove.</summary>
public sealed class ZoneTableTests
{
    private static CompiledZone Zone(string origin, long version = 0, string extra = "") => CompiledZone.Compile(
        MasterFileReader.ReadText($"$ORIGIN {origin}\n$TTL 300\n@ SOA ns hostmaster {version + 1} 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n{extra}", null), version);

    private static DnsName N(string s) => DnsName.Parse(s);

    [Fact]
    public void Finds_the_zone_by_longest_suffix()
    {
        var t = new ZoneTable();
        var parent = Zone("example.com.", extra: "child NS ns.child\nns.child A 192.0.2.2\n");
        var child = Zone("child.example.com.");
        t.Publish(parent);
        t.Publish(child);
        Assert.Same(child, t.FindZone(N("a.b.child.example.com.")));
        Assert.Same(child, t.FindZone(N("child.example.com.")));
        Assert.Same(parent, t.FindZone(N("other.example.com.")));
        Assert.Same(parent, t.FindZone(N("example.com.")));
        Assert.Null(t.FindZone(N("com.")));
        Assert.Null(t.FindZone(N("example.org.")));
        Assert.Null(t.FindZone(DnsName.Root));
    }

    [Fact]
    public void Thousands_of_zones_published_replaced_and_removed_one_at_a_time_are_all_found()
    {
        // Each publish now changes one shard of the index in place of rebuilding the table: check it across growth.
        var t = new ZoneTable();
        var zones = Enumerable.Range(0, 3000).Select(i => Zone($"z{i}.example.")).ToArray();
        foreach (var z in zones) t.Publish(z);
        var before = t.Zones;
        for (int i = 0; i < 3000; i += 3) t.Publish(zones[i] = Zone($"Z{i}.EXAMPLE.", version: 2)); // replaced, other case
        for (int i = 1; i < 3000; i += 3) Assert.True(t.Remove(N($"z{i}.example.")));
        Assert.False(t.Remove(N("z1.example.")));

        for (int i = 0; i < 3000; i++)
        {
            var found = t.FindZone(N($"www.z{i}.example."));
            if (i % 3 == 1) Assert.Null(found);
            else Assert.Same(zones[i], found);
        }
        Assert.Equal(2000, t.Zones.Count);
        Assert.Equal(1000, t.Zones.Count(z => z.Version == 2));
        Assert.Same(t.Zones, t.Zones); // one listing per generation (the ack reporter skips an unchanged table)
        Assert.Equal(3000, before.Count); // an older generation is left as it was
    }

    [Fact]
    public void Wire_lookup_is_case_insensitive()
    {
        var t = new ZoneTable();
        var z = Zone("example.com.");
        t.Publish(z);
        Assert.Same(z, t.FindZone(N("WWW.ExAmple.COM.").Wire));
        Assert.Null(t.FindZone(N("www.example.co.").Wire));
    }

    [Fact]
    public void Root_zone_catches_everything_else()
    {
        var t = new ZoneTable();
        var root = Zone(".");
        t.Publish(root);
        Assert.Same(root, t.FindZone(N("anything.example.")));
    }

    [Fact]
    public void Publish_replaces_a_version_and_Remove_takes_it_out()
    {
        var t = new ZoneTable();
        t.Publish(Zone("example.com.", 1));
        var v2 = Zone("example.com.", 2);
        t.Publish(v2);
        Assert.Single(t.Zones);
        Assert.Equal(2, t.FindZone(N("www.example.com."))!.Version);
        Assert.True(t.Remove(N("EXAMPLE.com.")));
        Assert.False(t.Remove(N("example.com.")));
        Assert.Empty(t.Zones);
        Assert.Null(t.FindZone(N("www.example.com.")));
    }

    [Fact]
    public async Task Readers_always_see_a_complete_version_while_a_writer_swaps()
    {
        var t = new ZoneTable();
        var versions = Enumerable.Range(1, 50).Select(v => Zone("example.com.", v)).ToArray();
        t.Publish(versions[0]);
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        long seen = 0, last = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var z = t.FindZone(N("www.example.com.").Wire);
                Assert.NotNull(z);
                Assert.True(z!.Version >= last, "versions never go backwards for one reader");
                last = z.Version;
                seen++;
                if (last == 50) break;
            }
        });
        foreach (var v in versions.Skip(1)) { t.Publish(v); Thread.Yield(); }
        await reader.WaitAsync(TimeSpan.FromSeconds(5)); // its assertion failures, or a TimeoutException
        stop.Cancel();
        Assert.Equal(50, last);
        Assert.True(seen > 0);
    }
}
