using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

/// <summary>Seeded random zone text (deterministic): the reader either reads it or throws a
/// <see cref="MasterFileException"/> with a line inside the text; what it reads, the writer writes back exactly.</summary>
public sealed class MasterFileFuzzTests
{
    [Fact]
    public void Random_zone_text_is_read_or_refused_cleanly_and_what_is_read_round_trips()
    {
        var rng = new Random(1035);
        string[] owners = ["@", "a", "B.c", "x.example.", "*", "\\$d", "e\\.f", "", " ", "\t", "a..b", "$ORIGIN", "$TTL", "$INCLUDE", ";c", "\"q\""];
        string[] middles = ["", "60", "1h30m", "IN", "in 60", "60 IN", "CH", "1x", "IN IN", "99999999999"];
        string[] types = ["A", "AAAA", "MX", "TXT", "NS", "CNAME", "SOA", "SRV", "CAA", "TYPE65280", "FOO", "NSEC", "DS", "HINFO", "\\#"];
        string[] data = ["192.0.2.1", "::1", "10 mx", "\"t x\"", "t", "(", ")", "( 1 2", "3 )", "\\# 0", "\\# 2 0102", "ns hm 1 2 3 4 5",
                         "0 issue \"ca\"", "0 0 1 t.", "x.y.", "; c", "\"un", "1 5 1 AABB", "\"a\" \"b\"", "A NS", "@", "\\065"];
        (string, string)[] good =
        [
            ("A", "192.0.2.1"), ("AAAA", "2001:db8::1"), ("MX", "10 mx"), ("TXT", "\"t x\" y \"\\\"\\059\""), ("NS", "ns.example.net."),
            ("CNAME", "@"), ("SOA", "( ns hm 1 2 3 4 5 )"), ("SRV", "0 0 1 t."), ("CAA", "0 issue \"ca;\""), ("TYPE65280", "\\# 2 0102"),
            ("NSEC", "n A NS"), ("DS", "1 5 1 AABB"), ("HINFO", "\"a b\" c"), ("PTR", "P.Example.COM."), ("A", "\\# 4 01020304"),
        ];
        int read = 0;
        for (int n = 0; n < 800; n++)
        {
            var lines = new List<string>();
            if (rng.Next(3) > 0) lines.Add("$TTL " + rng.Next(0, 100000));
            for (int l = rng.Next(1, 8); l > 0; l--)
            {
                bool hostile = rng.Next(12) == 0;
                var (type, rdata) = hostile ? (types[rng.Next(types.Length)], data[rng.Next(data.Length)]) : good[rng.Next(good.Length)];
                string owner = hostile ? owners[rng.Next(owners.Length)] : owners[rng.Next(7)];
                string middle = hostile ? middles[rng.Next(middles.Length)] : middles[rng.Next(6)];
                lines.Add(string.Join(' ', owner, middle, type, rdata));
            }
            string text = string.Join('\n', lines);
            Zone zone;
            try { zone = MasterFileReader.ReadText(text, DnsName.Parse("example.com."), "f"); }
            catch (MasterFileException e)
            {
                Assert.Equal("f", e.File);
                Assert.InRange(e.Line, 1, lines.Count);
                continue;
            }
            read++;
            var again = MasterFileReader.ReadText(MasterFileWriter.Write(zone), null, "w");
            Assert.Equal(Set(zone), Set(again));
        }
        Assert.True(read > 80, $"only {read} of the random zones were readable: the generator is too hostile");
    }

    private static List<string> Set(Zone z) => z.Records
        .Select(r => $"{r.Owner} {(ushort)r.Type} {r.Ttl} {Convert.ToHexString(r.RData)}")
        .OrderBy(s => s, StringComparer.Ordinal).ToList();
}
