using System.Diagnostics;

namespace AkkaDns.Resolver.Tests.Dnssec;

/// <summary>Runs the real DNSSEC verifiers; a missing tool fails the test with the apt package that has it.</summary>
internal static class ExternalTools
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    public static Result Run(string tool, string aptPackage, params string[] args)
    {
        var path = Find(tool) ?? throw new Xunit.Sdk.XunitException($"'{tool}' is not installed: apt-get install {aptPackage}");
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(entireProcessTree: true); throw new Xunit.Sdk.XunitException($"{tool} did not finish in 3 minutes"); }
        return new Result(p.ExitCode, $"$ {tool} {string.Join(' ', args)}\n{stdout.Result}{stderr.Result}");
    }

    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static Result LdnsVerifyZone(string file) => Run("ldns-verify-zone", "ldnsutils", file);
    /// <summary>BIND's verifier. <paramref name="singleKeyType"/> adds <c>-z</c> ("ignore the KSK flag"): without it BIND
    /// demands a key without the SEP flag signing the zone data, which a CSK (flags 257, signs everything) never is.</summary>
    public static Result DnssecVerify(string origin, string file, bool singleKeyType = false) =>
        singleKeyType ? Run("dnssec-verify", "bind9-dnssec-utils", "-z", "-o", origin, file)
                      : Run("dnssec-verify", "bind9-dnssec-utils", "-o", origin, file);
    public static Result Kzonecheck(string origin, string file) => Run("kzonecheck", "knot-dnssecutils", "-o", origin, "-d", "on", file);
}
