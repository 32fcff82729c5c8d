using System.Buffers.Binary;
using System.Security.Cryptography;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Update;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>An ordinary change of a signed zone (PATCH, DNS UPDATE) is signed incrementally through the zone's one
/// signer, and the zone after it is what signing the whole zone would make (signature bytes and times aside); what
/// is not ordinary keeps the whole-zone path.</summary>
public sealed class ZoneDnssecIncrementalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com");
    private static readonly DnssecSettings Settings = DnssecSettings.Default;
    private readonly KeyProtector _kek = new(RandomNumberGenerator.GetBytes(32));
    private readonly DnssecContext _ctx;

    public ZoneDnssecIncrementalTests() => _ctx = new DnssecContext(Z, Settings, _kek);

    public void Dispose() => _ctx.Dispose();

    private ZoneDecision Decide(ZoneState s, IZoneCommand c, DateTimeOffset at) =>
        ZoneDnssec.SignDecision(s, ZoneSafeguards.Decide(s, c, at, BlastRadiusSettings.Default, _ctx), _ctx, at);

    private ZoneState Run(ZoneState s, IZoneCommand c, DateTimeOffset at)
    {
        var d = Decide(s, c, at);
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        return d.Events.Aggregate(s, (x, e) => x.Apply(e));
    }

    private ZoneState Signed(DnssecOptions options)
    {
        var s = Run(ZoneState.Empty(Z), Create("example.com.", A("www.example.com.", "192.0.2.1"), A("a.b.example.com.", "192.0.2.2"),
            Ns("sub.example.com.", "ns1.sub.example.com."), A("ns1.sub.example.com.", "192.0.2.53")), T0);
        return Run(s, new DnssecCommand(Z, DnssecAction.Enable, "test", options), T0);
    }

    private void AssertLikeFullSigning(ZoneState s, DateTimeOffset at, string what)
    {
        var keys = s.Dnssec.Keys.Select(k => new SigningKey(_ctx.Open(k), k.SignsZone, k.SignsKeys)).ToList();
        var full = new ZoneSigner(Z.Name).Sign(ZoneDnssec.Strip(s.Records), keys, s.Dnssec.Policy(Settings), at).Records;
        static List<string> Facts(IEnumerable<ResourceRecord> rs) => rs.Select(r => r.Type == RecordType.RRSIG
            ? $"{r.Owner} {r.Ttl} RRSIG {BinaryPrimitives.ReadUInt16BigEndian(r.RData)} {r.RData[3]} {BinaryPrimitives.ReadUInt32BigEndian(r.RData.AsSpan(4))} {BinaryPrimitives.ReadUInt16BigEndian(r.RData.AsSpan(16))}"
            : $"{r.Owner} {r.Ttl} {RecordTypes.ToText(r.Type)} {Convert.ToHexString(r.RData)}").Order(StringComparer.Ordinal).ToList();
        var (expected, actual) = (Facts(full), Facts(s.Records));
        Assert.True(expected.SequenceEqual(actual), $"{what}\nonly full:\n  {string.Join("\n  ", expected.Except(actual))}\nonly incremental:\n  {string.Join("\n  ", actual.Except(expected))}");
    }

    public static TheoryData<bool, bool> Denials() => new() { { true, false }, { true, true }, { false, false } };

    [Theory, MemberData(nameof(Denials))]
    public void Random_patches_and_updates_are_signed_incrementally_and_equal_a_full_signing(bool nsec3, bool optOut)
    {
        var s = Signed(new DnssecOptions { Nsec3 = nsec3, OptOut = optOut });
        var random = new Random(nsec3 ? optOut ? 2 : 1 : 3);
        var at = T0;
        var signer = _ctx.Signer(s.Records);
        int accepted = 0;
        string[] labels = ["a", "b", "c", "sub", "d"];
        for (int step = 0; step < 60; step++)
        {
            at = at.AddMinutes(1);
            var name = string.Join('.', Enumerable.Range(0, random.Next(1, 4)).Select(_ => labels[random.Next(labels.Length)])) + ".example.com.";
            IZoneCommand command = random.Next(6) switch
            {
                0 => Change("example.com.", RRsetChange.Delete(N(name), RecordType.A)),
                1 => Change("example.com.", RRsetChange.Replace(N(name), RecordType.NS, [Ns(name, "ns.example.net.")])),
                2 => Change("example.com.", RRsetChange.Delete(N(name), RecordType.NS)),
                3 => new ApplyUpdate(Z, [], [new UpdateOperation(UpdateOperationKind.Add, N(name), RecordType.A, A(name, $"192.0.2.{random.Next(256)}"))], "test"),
                4 => new ApplyUpdate(Z, [], [new UpdateOperation(UpdateOperationKind.DeleteName, N(name), RecordType.ANY)], "test"),
                _ => Change("example.com.", ReplaceA(name, $"198.51.100.{random.Next(256)}")),
            };
            var d = Decide(s, command, at);
            if (d.Events.Count == 0) continue; // refused by the zone rules (e.g. an address at a cut's name), or nothing to do
            s = d.Events.Aggregate(s, (x, e) => x.Apply(e));
            accepted++;
            AssertLikeFullSigning(s, at, $"step {step}: {command}");
        }
        Assert.True(accepted > 30, $"only {accepted} changes accepted");
        Assert.Equal(accepted, signer.ChangesSigned);
        Assert.Same(signer, _ctx.Signer(s.Records)); // one signer per zone between changes
        Assert.True(signer.ChainRebuilds <= 1, $"{signer.ChainRebuilds} NSEC3 index rebuilds"); // the first change after enabling only
    }

    [Fact]
    public void A_signed_change_that_was_never_stored_makes_the_next_change_rebuild_the_chain_index()
    {
        var s = Signed(new DnssecOptions());
        var signer = _ctx.Signer(s.Records);
        var dropped = Decide(s, Change("example.com.", ReplaceA("new.deep.example.com.", "192.0.2.9")), T0.AddMinutes(1));
        Assert.Single(dropped.Events); // decided and signed, then not persisted (the journal failed, the fleet guard said no)
        var rebuilds = signer.ChainRebuilds;
        var next = Run(s, Change("example.com.", ReplaceA("other.example.com.", "192.0.2.10")), T0.AddMinutes(2));
        Assert.Equal(rebuilds + 1, signer.ChainRebuilds);
        AssertLikeFullSigning(next, T0.AddMinutes(2), "after a dropped change");
    }

    [Fact]
    public void A_stored_change_handed_back_as_a_copy_keeps_the_chain_index()
    {
        var s = Signed(new DnssecOptions());
        var signer = _ctx.Signer(s.Records);
        s = Run(s, Change("example.com.", ReplaceA("first.example.com.", "192.0.2.9")), T0.AddMinutes(1));
        var rebuilds = signer.ChainRebuilds;
        var d = Decide(s, Change("example.com.", ReplaceA("second.example.com.", "192.0.2.10")), T0.AddMinutes(2));
        var e = Assert.IsType<RRsetsChanged>(Assert.Single(d.Events));
        // As a journal that deserializes would hand it back: equal content, other objects.
        s = s.Apply(e with { Changes = e.Changes.Select(c => c with { Records = c.Records.Select(r => new ResourceRecord(r.Owner, r.Type, r.Ttl, r.RData.ToArray())).ToList() }).ToList() });
        s = Run(s, Change("example.com.", ReplaceA("third.deep.example.com.", "192.0.2.11")), T0.AddMinutes(3));
        Assert.Equal(rebuilds, signer.ChainRebuilds);
        AssertLikeFullSigning(s, T0.AddMinutes(3), "after a copied event");
    }

    [Fact]
    public void A_soa_change_and_a_dnssec_change_keep_the_whole_zone_path()
    {
        var s = Signed(new DnssecOptions());
        var signer = _ctx.Signer(s.Records);
        int signed = signer.ChangesSigned;
        s = Run(s, Change("example.com.", RRsetChange.Replace(Z.Name, RecordType.SOA, [Soa("example.com.", 5, ttl: 600)])), T0.AddMinutes(1));
        Assert.Equal(signed, signer.ChangesSigned);
        AssertLikeFullSigning(s, T0.AddMinutes(1), "SOA change");
        s = Run(s, new DnssecCommand(Z, DnssecAction.SetDenial, "test", new DnssecOptions { Nsec3 = false }), T0.AddMinutes(2));
        Assert.DoesNotContain(s.Records, r => r.Type == RecordType.NSEC3);
        s = Run(s, Change("example.com.", ReplaceA("www.example.com.", "192.0.2.77")), T0.AddMinutes(3));
        Assert.Equal(signed + 1, signer.ChangesSigned); // NSEC now, incrementally again
        AssertLikeFullSigning(s, T0.AddMinutes(3), "after switching to NSEC");
    }
}
