using System.Diagnostics;
using System.Net;

namespace AkkaDns.Cluster.Tests.Node.Support;

/// <summary>Asks the real dig (BIND 9) a question, non-recursive, short answer form.</summary>
public static class Dig
{
    public static async Task<string> QueryAsync(IPEndPoint server, string name, string type, bool tcp = false)
    {
        var psi = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "@" + server.Address, "-p", server.Port.ToString(), name, type, "+norec", "+time=2", "+tries=1", tcp ? "+tcp" : "+notcp" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    /// <summary>The answer section's record data for (name, type), e.g. ["192.0.2.1"].</summary>
    public static async Task<List<string>> AnswersAsync(IPEndPoint server, string name, string type, bool tcp = false)
    {
        var output = await QueryAsync(server, name, type, tcp);
        var answers = new List<string>();
        bool inAnswer = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(";; ANSWER SECTION:", StringComparison.Ordinal)) { inAnswer = true; continue; }
            if (inAnswer && line.Trim().Length == 0) break;
            if (!inAnswer || line.StartsWith(';')) continue;
            var parts = line.Split((char[])['\t', ' '], 5, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 5 && parts[3].Equals(type, StringComparison.OrdinalIgnoreCase)) answers.Add(parts[4].Trim());
        }
        return answers;
    }

    /// <summary>The SOA serial in the answer of a SOA query, or null.</summary>
    public static async Task<uint?> SerialAsync(IPEndPoint server, string zone)
    {
        var soa = await AnswersAsync(server, zone, "SOA");
        if (soa.Count == 0) return null;
        var fields = soa[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 && uint.TryParse(fields[2], out var serial) ? serial : null;
    }
}
