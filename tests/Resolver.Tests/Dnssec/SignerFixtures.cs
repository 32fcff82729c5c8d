using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Resolver.Tests.Dnssec;

internal static class SignerFixtures
{
    public static readonly DnsName Origin = DnsName.Parse("example.com.");

    /// <summary>A zone with each case a signer must get right: a secure and an insecure delegation (with glue and
    /// occluded data), a wildcard, empty non-terminals, a CNAME, mixed-case names inside RDATA.</summary>
    public const string ZoneText = """
        $ORIGIN example.com.
        $TTL 3600
        @               IN SOA  ns1 hostmaster 2026120301 7200 3600 1209600 300
        @               IN NS   ns1
        @               IN NS   ns2.example.net.
        @               IN MX   10 Mail.Example.COM.
        ns1             IN A    192.0.2.1
        mail            IN A    192.0.2.25
        www             IN A    192.0.2.2
        www             IN AAAA 2001:db8::2
        alias           IN CNAME www
        *.wild          IN TXT  "wildcard"
        a.b.ent         IN A    192.0.2.3
        secure          IN NS   ns.secure
        secure          IN DS   12345 13 2 0000000000000000000000000000000000000000000000000000000000000000
        ns.secure       IN A    192.0.2.4
        insecure        IN NS   ns.example.net.
        deep.insecure   IN A    192.0.2.9
        UPPER           600 IN TXT "case kept"
        """;

    public static IReadOnlyList<ResourceRecord> Records() => MasterFileReader.ReadText(ZoneText, Origin).Records;

    public static string WriteTemp(IReadOnlyList<ResourceRecord> records, string name = "example.com.zone")
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-dnssec-");
        var path = Path.Combine(dir.FullName, name);
        File.WriteAllText(path, MasterFileWriter.Write(new Zone(Origin, records)));
        return path;
    }

    public static SigningKey[] Csk(DnssecAlgorithm alg) => [new(DnssecKey.Generate(alg, secureEntryPoint: true), SignsZone: true, SignsKeys: true)];

    public static SigningKey[] Split(DnssecAlgorithm alg) =>
    [
        new(DnssecKey.Generate(alg, secureEntryPoint: true), SignsZone: false, SignsKeys: true),
        new(DnssecKey.Generate(alg, secureEntryPoint: false), SignsZone: true, SignsKeys: false),
    ];
}
