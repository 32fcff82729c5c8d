using System.Net;

namespace AkkaDns.Cluster.Transfers;

/// <summary>ALSO-NOTIFY values (PowerDNS's metadata): <c>addr</c>, <c>addr:port</c>, <c>[v6addr]:port</c>; port 53 by default.</summary>
internal static class NotifyTargets
{
    public static bool TryParse(string value, out IPEndPoint? target)
    {
        target = null;
        var text = value.Trim();
        if (IPAddress.TryParse(text, out var bare)) { target = new IPEndPoint(bare, 53); return true; }
        if (IPEndPoint.TryParse(text, out var withPort) && withPort.Port != 0) { target = withPort; return true; }
        return false;
    }

    public static IReadOnlyList<IPEndPoint> Parse(IEnumerable<string> values)
    {
        var list = new List<IPEndPoint>();
        foreach (var v in values)
            if (TryParse(v, out var t)) list.Add(t!);
        return list;
    }
}
