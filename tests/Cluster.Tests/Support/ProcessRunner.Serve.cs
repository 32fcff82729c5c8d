using System.Globalization;
using System.Net;

namespace AkkaDns.Cluster.Tests.Support;

public sealed partial class ProcessRunner
{
    public const string ListeningPrefix = "listening udp+tcp ";

    /// <summary>
    /// Starts <c>akkadns serve --zone Z … --listen 127.0.0.1:0 EXTRA…</c> and waits for its
    /// <c>listening udp+tcp ADDRESS:PORT</c> line; <paramref name="endpoint"/> is where it answers.
    /// </summary>
    public static async Task<(ProcessRunner Process, IPEndPoint Endpoint)> StartServeAsync(
        IEnumerable<string> zoneArguments, IEnumerable<string>? extraArguments = null, TimeSpan? timeout = null)
    {
        var args = new List<string> { "serve" };
        foreach (var z in zoneArguments) { args.Add("--zone"); args.Add(z); }
        args.AddRange(["--listen", "127.0.0.1:0"]);
        if (extraArguments is not null) args.AddRange(extraArguments);
        var p = StartAkkaDns([.. args]);
        try
        {
            var line = await p.WaitForStdoutLineAsync(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(30));
            return (p, ParseListening(line));
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    /// <summary>"listening udp+tcp 127.0.0.1:5300" → 127.0.0.1:5300.</summary>
    public static IPEndPoint ParseListening(string line)
    {
        var text = line[ListeningPrefix.Length..].Trim();
        return IPEndPoint.TryParse(text, out var ep) && ep.Port != 0
            ? ep : throw new FormatException($"not a listening line: '{line}'");
    }
}
