using System.Collections.Immutable;
using System.Net;
using AkkaDns.Actors.Transfers;
using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Secondaries;

/// <summary>What a secondary does when its SOA expire passes without a successful refresh (RFC 1035 §3.3.13).</summary>
public enum ExpirePolicy : byte
{
    /// <summary>RFC 1035: stop answering the zone (the edges answer SERVFAIL) until a refresh succeeds.</summary>
    Stop = 1,
    /// <summary>Keep answering the last good copy, and say so in status and metrics.</summary>
    Serve = 2,
}

/// <summary>One secondary zone as the operator configured it: its primaries (tried in order), the key its requests are
/// signed with, and its expire policy. Read from the zone's metadata (MASTERS, AXFR-MASTER-TSIG, X-AKKADNS-EXPIRE).</summary>
public sealed record SecondaryZoneConfig(ZoneId Zone, ImmutableArray<IPEndPoint> Masters, string? KeyName, ExpirePolicy Policy)
{
    public bool Equals(SecondaryZoneConfig? other) =>
        other is not null && Zone == other.Zone && KeyName == other.KeyName && Policy == other.Policy && Masters.SequenceEqual(other.Masters);

    public override int GetHashCode() => HashCode.Combine(Zone, KeyName, Policy, Masters.Length);

    /// <summary>Every secondary zone in a snapshot of the transfer config (zones whose MASTERS is set).</summary>
    public static IReadOnlyList<SecondaryZoneConfig> AllIn(TransferConfigSnapshot config, ExpirePolicy defaultPolicy)
    {
        var list = new List<SecondaryZoneConfig>();
        foreach (var zone in config.Zones)
        {
            var masters = TransferMetadata.ParseMasters(config.Values(zone, TransferMetadata.Masters));
            if (masters.Count == 0 || !ZoneId.TryParse(zone, out var id)) continue;
            var key = config.Values(zone, TransferMetadata.AxfrMasterTsig) is [var k, ..] ? k : null;
            list.Add(new SecondaryZoneConfig(id!, [.. masters], key, PolicyOf(config.Values(zone, TransferMetadata.ExpirePolicy), defaultPolicy)));
        }
        return list;
    }

    public static ExpirePolicy PolicyOf(IReadOnlyList<string> values, ExpirePolicy defaultPolicy) => values is [var v, ..]
        ? v.Equals("serve", StringComparison.OrdinalIgnoreCase) ? ExpirePolicy.Serve : ExpirePolicy.Stop
        : defaultPolicy;

    public static string ToText(ExpirePolicy policy) => policy == ExpirePolicy.Serve ? "serve" : "stop";
}
