using System.Security.Cryptography;
using AkkaDns.Actors.Tests.Serialization;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Dnssec;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Tests.Serialization;

/// <summary>The DNSSEC messages survive the journal and the wire field for field; a zone's sealed keys survive a
/// snapshot, and the sealed form never holds the private key in the clear.</summary>
public sealed class DnssecSerializerTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com.");

    private static ZoneKey Key(int id, KeyPhase phase) => new(id, KeyRole.Csk, DnssecAlgorithm.EcdsaP256Sha256, 257, (ushort)(1000 + id), 256,
        [1, 1, 3, 13, 9, 9], [1, 2, 3, 4, 5], At, phase, At.AddHours(1), DsSeen: id == 1);

    private static readonly DnssecState State = DnssecState.Off with
    {
        Enabled = true,
        Nsec3 = true,
        Nsec3Iterations = 0,
        Nsec3Salt = [0xab],
        OptOut = true,
        CdsDelete = false,
        NextKeyId = 3,
        Keys = [Key(1, KeyPhase.Active), Key(2, KeyPhase.Published)],
    };

    public static TheoryData<string> Names => new() { "enable", "set-key", "changed", "get", "get-private", "view", "due", "status-ask", "status" };

    private static object Sample(string name) => name switch
    {
        "enable" => new DnssecCommand(Z, DnssecAction.Enable, "key:a", new DnssecOptions { Algorithm = DnssecAlgorithm.EcdsaP384Sha384, SplitKeys = true, Iterations = 0, Salt = [], Nsec3 = true }),
        "set-key" => new DnssecCommand(Z, DnssecAction.SetKey, "key:a", new DnssecOptions { KeyId = 2, Active = false, Published = true, Role = KeyRole.Zsk, Bits = 2048, DsRemoved = true, OptOut = false }),
        "changed" => new DnssecChanged(Z, 7, At, "key:a", 7, "DNSSEC enabled", State,
            [RRsetChange.Replace(N("www.example.com."), Resolver.Wire.RecordType.A, [A("www.example.com.", "192.0.2.1")]), RRsetChange.Delete(N("old.example.com."), Resolver.Wire.RecordType.RRSIG)]),
        "get" => new GetDnssec(Z),
        "get-private" => new GetDnssec(Z, 2),
        "view" => new DnssecView(Z, true, true, true, 0, [], false, true,
            [new KeyView(1, KeyRole.Ksk, DnssecAlgorithm.RsaSha256, 257, 4242, 2048, [1, 1, 3, 8, 7], KeyPhase.Retired, At, At, true, [9, 9, 9])], At.AddDays(14), null, "a problem"),
        "due" => new DnssecWatchProtocol.SigningDue(Z, At.AddDays(7), At.AddDays(14)),
        "status-ask" => DnssecWatchProtocol.GetSigningStatus.Instance,
        "status" => new DnssecWatchProtocol.SigningStatus([new DnssecWatchProtocol.SignedZone(Z, null, At)], TimeSpan.FromDays(3)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Round_trips(string name) => fixture.AssertRoundTrip(Sample(name));

    [Fact]
    public void A_zone_snapshot_keeps_its_DNSSEC_state()
    {
        var state = ZoneState.Empty(Z).Apply(new ZoneCreated(Z, 1, At, "a", 1, [Soa("example.com.", 1), Ns("example.com.", "ns1.example.com.")]))
            .Apply(new DnssecChanged(Z, 2, At, "a", 2, "DNSSEC enabled", State, [])) with
        { Recent = [] }; // recent events are not in snapshots
        fixture.AssertRoundTrip(state);
    }

    [Fact]
    public void A_sealed_key_opens_only_for_its_zone_and_key_with_the_same_KEK()
    {
        var kek = RandomNumberGenerator.GetBytes(32);
        var protector = new KeyProtector(kek);
        var secret = RandomNumberGenerator.GetBytes(121);
        var sealedKey = protector.Seal(secret, ZoneKey.SealContext(Z, 1));
        Assert.Equal(-1, sealedKey.AsSpan().IndexOf(secret.AsSpan(0, 16)));
        Assert.Equal(secret, new KeyProtector(kek).Unseal(sealedKey, ZoneKey.SealContext(Z, 1)));
        Assert.Contains("another zone or key", Assert.Throws<CryptographicException>(() => protector.Unseal(sealedKey, ZoneKey.SealContext(Z, 2))).Message);
        var other = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        Assert.Contains(protector.KekIdHex, Assert.Throws<CryptographicException>(() => other.Unseal(sealedKey, ZoneKey.SealContext(Z, 1))).Message);
    }

    [Fact]
    public void The_KEK_file_is_made_once_readable_by_its_owner_only()
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkadns-kek-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var first = KeyProtector.ReadOrCreate(dir, out var created);
            Assert.True(created);
            var again = KeyProtector.ReadOrCreate(dir, out var createdAgain);
            Assert.False(createdAgain);
            Assert.Equal(first.KekIdHex, again.KekIdHex);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, KeyProtector.FileName)));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
