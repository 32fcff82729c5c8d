using System.Diagnostics;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.ZoneFiles;

/// <summary>Runs only where NSD's zone checker is installed (Debian package nsd).</summary>
public sealed class NsdFactAttribute : FactAttribute
{
    public const string Checker = "/usr/sbin/nsd-checkzone";
    public NsdFactAttribute() { if (!File.Exists(Checker)) Skip = $"{Checker} is not installed"; }
}

/// <summary>
/// Our reader against an independent one: NSD parses the same master file and prints it in its own canonical form
/// (lower-cased names, absolute RDATA names, its own escapes); reading that print must give our record set.
/// </summary>
public sealed class NsdDifferentialTests
{
    /// <summary>Record set compared case-insensitively (NSD lower-cases names, also inside RDATA).</summary>
    private static List<string> CanonicalSet(Zone z) => z.Records
        .Select(r => $"{r.Owner.ToLowerCase()} {(ushort)r.Type} {r.Ttl} {Convert.ToHexString(RData.ToCanonical(r.Type, r.RData))}")
        .OrderBy(s => s, StringComparer.Ordinal).ToList();

    private static string NsdPrint(string zoneName, string text)
    {
        var file = Path.Combine(Path.GetTempPath(), $"akkadns-nsd-{Guid.NewGuid():N}.zone");
        File.WriteAllText(file, text);
        try
        {
            var psi = new ProcessStartInfo(NsdFactAttribute.Checker) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-p"); psi.ArgumentList.Add(zoneName); psi.ArgumentList.Add(file);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(10_000), "nsd-checkzone did not finish in 10 s");
            Assert.True(p.ExitCode == 0, $"nsd-checkzone refused the zone: {stderr.Result}");
            return stdout.Result;
        }
        finally { File.Delete(file); }
    }

    private static void SameAsNsd(string file, string zoneName, int atLeast)
    {
        // NSD resolves $INCLUDE against its working folder, not the including file: compare the file without it.
        var text = string.Join('\n', File.ReadAllLines(ZoneFixtures.PathOf(file)).Where(l => !l.StartsWith("$INCLUDE")));
        var ours = MasterFileReader.ReadText(text, null);
        Assert.True(ours.Records.Count >= atLeast, $"{file}: only {ours.Records.Count} records");
        var theirs = MasterFileReader.ReadText(NsdPrint(zoneName, text), ours.Origin);
        Assert.Equal(CanonicalSet(ours), CanonicalSet(theirs));
    }

    [NsdFact]
    public void Nsd_reads_the_rich_fixture_as_we_do() => SameAsNsd("example.com.zone", "example.com", 40);

    [NsdFact]
    public void Nsd_reads_the_dnssec_and_rarer_types_as_we_do() => SameAsNsd("dnssec.example.zone", "dnssec.example", 28);

    [NsdFact]
    public void Nsd_reads_the_syntax_corners_as_we_do() => SameAsNsd("edge.example.zone", "edge.example", 17);

    [NsdFact]
    public void Nsd_reads_our_written_zone_as_we_do()
    {
        var zone = MasterFileReader.ReadFile(ZoneFixtures.PathOf("example.com.zone"));
        var theirs = MasterFileReader.ReadText(NsdPrint("example.com", MasterFileWriter.Write(zone)), zone.Origin);
        Assert.Equal(CanonicalSet(zone), CanonicalSet(theirs));
    }
}
