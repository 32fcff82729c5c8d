using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Tests.Support;

/// <summary>Builds records in wire form directly, so these tests do not depend on RDATA text parsing.</summary>
internal static class Records
{
    public static DnsName N(string name) => DnsName.Parse(name);

    public static ResourceRecord A(string owner, string ip, uint ttl = 300) =>
        new(N(owner), RecordType.A, ttl, System.Net.IPAddress.Parse(ip).GetAddressBytes());

    public static ResourceRecord Ns(string owner, string target, uint ttl = 3600) =>
        new(N(owner), RecordType.NS, ttl, N(target).Wire.ToArray());

    public static ResourceRecord Cname(string owner, string target, uint ttl = 300) =>
        new(N(owner), RecordType.CNAME, ttl, N(target).Wire.ToArray());

    public static ResourceRecord Soa(string apex, uint serial, uint ttl = 3600) =>
        new(N(apex), RecordType.SOA, ttl, new SoaData(N("ns1." + apex), N("hostmaster." + apex), serial, 7200, 3600, 1209600, 300).ToRData());

    public static uint SerialOf(IReadOnlyList<ResourceRecord> records) =>
        SoaData.Parse(records.Single(r => r.Type == RecordType.SOA)).Serial;

    public static ZoneCommands.CreateZone Create(string apex, params ResourceRecord[] extra) =>
        new(ZoneId.Parse(apex), [N("ns1." + apex), N("ns2." + apex)], extra, "test");

    public static ZoneCommands.ChangeRRsets Change(string apex, params RRsetChange[] changes) =>
        new(ZoneId.Parse(apex), changes, "test");

    public static RRsetChange ReplaceA(string owner, params string[] ips) =>
        RRsetChange.Replace(N(owner), RecordType.A, ips.Select(ip => A(owner, ip)).ToList());
}
