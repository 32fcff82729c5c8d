using System.Globalization;
using System.Net;

namespace AkkaDns.Cluster.Serve;

/// <summary>What <c>akkadns serve</c> was asked to do, checked once at start-up.</summary>
internal sealed record ServeSettings(IReadOnlyList<string> ZoneArguments, IPEndPoint Listen, int MaxUdpPayload, TimeSpan TcpIdleTimeout)
{
    public const string DefaultListen = "127.0.0.1:5300";

    /// <summary>"ADDRESS:PORT" ("[v6]:PORT" for IPv6). The port is required: a silent default would hide typos.</summary>
    public static bool TryParseListen(string text, out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null; error = null;
        int colon = text.LastIndexOf(':');
        bool hasPort = colon > 0 && colon > text.LastIndexOf(']')
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (!hasPort || !IPEndPoint.TryParse(text, out endpoint))
        {
            error = $"--listen '{text}' is not ADDRESS:PORT (e.g. 127.0.0.1:5300 or [::1]:5300)";
            endpoint = null;
            return false;
        }
        return true;
    }

    /// <summary>RFC 6891 floors the EDNS payload at 512; the 2-byte length caps it at 65535.</summary>
    public static bool TryCheckMaxUdpPayload(int value, out string? error)
    {
        error = value is >= 512 and <= 65535 ? null : $"--max-udp-payload {value} is outside 512..65535";
        return error is null;
    }
}
