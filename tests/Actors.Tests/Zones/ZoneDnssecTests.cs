using System.Security.Cryptography;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;
using static AkkaDns.Actors.Tests.Support.Records;
using static AkkaDns.Actors.Zones.PendingChanges;
using static AkkaDns.Actors.Zones.ZoneCommands;
using static AkkaDns.Actors.Zones.ZoneEvents;

namespace AkkaDns.Actors.Tests.Zones;

/// <summary>DNSSEC decisions of a zone, pure: enable, sign every change, refuse writes to the signer's records, the
/// held cases, the refresh and the key timeline with a moving clock (no actor, no real time).</summary>
public sealed class ZoneDnssecTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ZoneId Z = ZoneId.Parse("example.com");
    private static readonly BlastRadiusSettings Guard = BlastRadiusSettings.Default with { TwoPersonRule = true };
    private static readonly DnssecSettings Settings = DnssecSettings.Default with { PropagationDelay = TimeSpan.FromHours(1) };
    private readonly KeyProtector _kek = new(RandomNumberGenerator.GetBytes(32));
    private readonly DnssecContext _ctx;

    public ZoneDnssecTests() => _ctx = new DnssecContext(Z, Settings, _kek);

    public void Dispose() => _ctx.Dispose();

    private (ZoneState State, ZoneDecision Decision) Run(ZoneState s, IZoneCommand c, DateTimeOffset? now = null)
    {
        var at = now ?? T0;
        var d = ZoneSafeguards.Decide(s, c, at, Guard, _ctx);
        d = ZoneDnssec.SignDecision(s, d, _ctx, at);
        return (d.Events.Aggregate(s, (x, e) => x.Apply(e)), d);
    }

    private static DnssecCommand Cmd(DnssecAction action, DnssecOptions? o = null, string who = "key:alice") => new(Z, action, who, o ?? DnssecOptions.None);

    private ZoneState Unsigned()
    {
        var (s, d) = Run(ZoneState.Empty(Z), Create("example.com.", A("www.example.com.", "192.0.2.1"), A("*.w.example.com.", "192.0.2.9"),
            A("a.b.example.com.", "192.0.2.2"), Cname("alias.example.com.", "www.example.com."), Ns("sub.example.com.", "ns1.sub.example.com."),
            A("ns1.sub.example.com.", "192.0.2.53")));
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        return s;
    }

    private ZoneState Signed(bool split = false, DateTimeOffset? now = null)
    {
        var (s, d) = Run(Unsigned(), Cmd(DnssecAction.Enable, new DnssecOptions { SplitKeys = split }), now);
        Assert.IsType<ZoneCommandResult.Accepted>(d.Result);
        return s;
    }

    private static int Count(ZoneState s, RecordType t) => s.Records.Count(r => r.Type == t);

    [Fact]
    public void Enabling_signs_the_zone_in_one_version_with_a_CSK_and_NSEC3()
    {
        var before = Unsigned();
        var (s, d) = Run(before, Cmd(DnssecAction.Enable));
        var e = Assert.IsType<DnssecChanged>(Assert.Single(d.Events));
        Assert.Equal(before.Version + 1, s.Version);
        Assert.True(SerialNumber.IsGreater(s.Serial, before.Serial));
        var key = Assert.Single(s.Dnssec.Keys);
        Assert.Equal((KeyRole.Csk, KeyPhase.Active, (ushort)257), (key.Role, key.Phase, key.Flags));
        Assert.Equal(1, Count(s, RecordType.DNSKEY));
        Assert.Equal(1, Count(s, RecordType.NSEC3PARAM));
        Assert.True(Count(s, RecordType.NSEC3) >= 6); // apex, www, *.w, w (ENT), a.b, b (ENT), alias, sub
        Assert.True(Count(s, RecordType.RRSIG) > 0);
        // The SOA's signature covers the serial the zone has now.
        Assert.Contains(s.Records, r => r.Type == RecordType.RRSIG && r.Owner.Equals(Z.Name) && r.RData[0] == 0 && r.RData[1] == (byte)RecordType.SOA);
        Assert.StartsWith("DNSSEC enabled", e.What);
        Assert.Equal(ZoneChangeKind.Dnssec, s.History[^1].Kind);
    }

    [Fact]
    public void A_change_of_a_signed_zone_carries_its_new_signatures_and_leaves_the_others()
    {
        var s = Signed();
        var rrsigsBefore = s.Records.Where(r => r.Type == RecordType.RRSIG).ToList();
        var (next, d) = Run(s, Change("example.com.", ReplaceA("www.example.com.", "192.0.2.7")), T0.AddMinutes(1));
        var e = Assert.IsType<RRsetsChanged>(Assert.Single(d.Events));
        Assert.Contains(e.Changes, c => c.Type == RecordType.A && c.Owner.Equals(N("www.example.com.")));
        Assert.Contains(e.Changes, c => c.Type == RecordType.RRSIG && c.Owner.Equals(N("www.example.com.")));
        Assert.Contains(e.Changes, c => c.Type == RecordType.RRSIG && c.Owner.Equals(Z.Name)); // the SOA (new serial)
        // Only the touched names' signatures change: alias, a.b, *.w keep theirs byte for byte.
        foreach (var owner in new[] { "alias.example.com.", "a.b.example.com.", "*.w.example.com." })
            Assert.Equal(rrsigsBefore.Where(r => r.Owner.Equals(N(owner))).Select(r => Convert.ToHexString(r.RData)).Order(),
                next.Records.Where(r => r.Type == RecordType.RRSIG && r.Owner.Equals(N(owner))).Select(r => Convert.ToHexString(r.RData)).Order());
        Assert.DoesNotContain(e.Changes, c => c.Owner.Equals(N("alias.example.com.")));
    }

    [Fact]
    public void The_signers_records_cannot_be_written_by_an_operator()
    {
        var s = Signed();
        var dnskey = s.Records.First(r => r.Type == RecordType.DNSKEY);
        var (_, d) = Run(s, Change("example.com.", RRsetChange.Replace(Z.Name, RecordType.DNSKEY, [dnskey])));
        var r = Assert.IsType<ZoneCommandResult.Rejected>(d.Result);
        Assert.Contains("made by the signer", r.Message);
        Assert.Empty(d.Events);
    }

    [Fact]
    public void Disabling_publishes_the_delete_CDS_first_then_is_held_until_a_second_person_confirms()
    {
        var s = Signed();
        var (step1, d1) = Run(s, Cmd(DnssecAction.Disable));
        Assert.IsType<ZoneCommandResult.Accepted>(d1.Result);
        Assert.True(step1.Dnssec is { Enabled: true, CdsDelete: true });
        var cds = Assert.Single(step1.Records, r => r.Type == RecordType.CDS);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, cds.RData); // RFC 8078 §4: CDS 0 0 0 00
        Assert.True(Count(step1, RecordType.RRSIG) > 0);

        var (held, d2) = Run(step1, Cmd(DnssecAction.Disable, new DnssecOptions { DsRemoved = true }));
        var h = Assert.IsType<Held>(d2.Result);
        Assert.Contains("bogus", h.Reason);
        Assert.True(held.Dnssec.Enabled);
        Assert.Equal(step1.Records, held.Records);

        var (_, sameKey) = Run(held, new ConfirmChange(Z, h.ChangeId, "key:alice"));
        Assert.Contains("two-person", Assert.IsType<ZoneCommandResult.Rejected>(sameKey.Result).Message);
        var (off, d3) = Run(held, new ConfirmChange(Z, h.ChangeId, "key:bob"));
        Assert.IsType<ZoneCommandResult.Accepted>(d3.Result);
        Assert.False(off.Dnssec.Enabled);
        Assert.Empty(off.Dnssec.Keys);
        Assert.DoesNotContain(off.Records, r => ZoneDnssec.IsGenerated(r.Type));
        Assert.Contains(off.Records, r => r.Type == RecordType.A && r.Owner.Equals(N("www.example.com.")));
    }

    [Fact]
    public void A_key_change_that_leaves_nothing_to_sign_with_is_refused()
    {
        var s = Signed();
        var (_, d) = Run(s, Cmd(DnssecAction.RemoveKey, new DnssecOptions { KeyId = s.Dnssec.Keys[0].Id }));
        Assert.Contains("no active key", Assert.IsType<ZoneCommandResult.Rejected>(d.Result).Message);
        var (_, d2) = Run(s, Cmd(DnssecAction.SetKey, new DnssecOptions { KeyId = s.Dnssec.Keys[0].Id, Active = false }));
        Assert.IsType<ZoneCommandResult.Rejected>(d2.Result);
    }

    [Fact]
    public void Removing_the_last_key_the_parents_DS_points_to_is_held()
    {
        var s = Signed();
        var first = s.Dnssec.Keys[0].Id;
        (s, _) = Run(s, Cmd(DnssecAction.DsSeen, new DnssecOptions { KeyId = first }));
        (s, var roll) = Run(s, Cmd(DnssecAction.Rollover), T0.AddMinutes(1));
        Assert.IsType<ZoneCommandResult.Accepted>(roll.Result);
        Assert.Equal(2, s.Dnssec.Keys.Count(k => k.Phase == KeyPhase.Active)); // double signature
        Assert.Equal(2, Count(s, RecordType.DNSKEY));
        // The parent still points at the first key: removing it now would break the chain.
        var (_, d) = Run(s, Cmd(DnssecAction.RemoveKey, new DnssecOptions { KeyId = first }), T0.AddMinutes(2));
        Assert.Contains("parent", Assert.IsType<Held>(d.Result).Reason);
    }

    [Fact]
    public void A_CSK_rollover_finishes_when_the_new_DS_is_seen_and_the_old_key_goes_after_the_wait()
    {
        var s = Signed();
        var first = s.Dnssec.Keys[0];
        (s, _) = Run(s, Cmd(DnssecAction.Rollover), T0.AddMinutes(1));
        var second = s.Dnssec.Keys.Single(k => k.Id != first.Id);
        Assert.Equal(2, s.Records.Count(r => r.Type == RecordType.CDS)); // both keys' DS offered to the parent during the roll
        (s, _) = Run(s, Cmd(DnssecAction.DsSeen, new DnssecOptions { KeyId = second.Id }), T0.AddMinutes(2));
        Assert.Equal(KeyPhase.Retired, s.Dnssec.Keys.Single(k => k.Id == first.Id).Phase);
        Assert.Equal(2, Count(s, RecordType.DNSKEY)); // still published while caches may hold its signatures
        var wait = ZoneDnssec.Wait(s, Settings);
        (s, _) = Run(s, Cmd(DnssecAction.Refresh, who: "dnssec-refresh"), T0.AddMinutes(2) + wait + TimeSpan.FromSeconds(1));
        Assert.Equal([second.Id], s.Dnssec.Keys.Select(k => k.Id));
        Assert.Equal(1, Count(s, RecordType.DNSKEY));
        Assert.DoesNotContain(s.Records, r => r.Type == RecordType.RRSIG && KeyTagOf(r) == first.KeyTag);
    }

    [Fact]
    public void A_ZSK_rollover_pre_publishes_then_switches_then_removes_the_old_key()
    {
        var s = Signed(split: true);
        var oldZsk = s.Dnssec.Keys.Single(k => k.Role == KeyRole.Zsk);
        (s, _) = Run(s, Cmd(DnssecAction.Rollover, new DnssecOptions { Role = KeyRole.Zsk }), T0.AddMinutes(1));
        var newZsk = s.Dnssec.Keys.Single(k => k.Role == KeyRole.Zsk && k.Id != oldZsk.Id);
        Assert.Equal(KeyPhase.Published, newZsk.Phase);
        Assert.Equal(3, Count(s, RecordType.DNSKEY));
        Assert.DoesNotContain(s.Records, r => r.Type == RecordType.RRSIG && KeyTagOf(r) == newZsk.KeyTag); // published, not signing
        var wait = ZoneDnssec.Wait(s, Settings);

        // Too early: a refresh changes nothing.
        var (early, d) = Run(s, Cmd(DnssecAction.Refresh, who: "dnssec-refresh"), T0.AddMinutes(2));
        Assert.Empty(d.Events);
        Assert.Equal(KeyPhase.Published, early.Dnssec.Keys.Single(k => k.Id == newZsk.Id).Phase);

        (s, _) = Run(s, Cmd(DnssecAction.Refresh, who: "dnssec-refresh"), T0.AddMinutes(1) + wait + TimeSpan.FromSeconds(1));
        Assert.Equal(KeyPhase.Active, s.Dnssec.Keys.Single(k => k.Id == newZsk.Id).Phase);
        Assert.Equal(KeyPhase.Retired, s.Dnssec.Keys.Single(k => k.Id == oldZsk.Id).Phase);
        Assert.Contains(s.Records, r => r.Type == RecordType.RRSIG && KeyTagOf(r) == newZsk.KeyTag && CoveredOf(r) == RecordType.A);
        Assert.DoesNotContain(s.Records, r => r.Type == RecordType.RRSIG && KeyTagOf(r) == oldZsk.KeyTag);

        (s, _) = Run(s, Cmd(DnssecAction.Refresh, who: "dnssec-refresh"), T0.AddMinutes(1) + wait + wait + TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(s.Dnssec.Keys, k => k.Id == oldZsk.Id);
        Assert.Equal(2, Count(s, RecordType.DNSKEY));
    }

    [Fact]
    public void Signatures_are_refreshed_before_they_expire_and_not_before_they_are_due()
    {
        var s = Signed();
        var expiry = ZoneDnssec.EarliestExpiry(s.Records, T0)!.Value;
        Assert.InRange(expiry, T0 + Settings.SignatureLifetime * 0.85, T0 + Settings.SignatureLifetime);
        var due = ZoneDnssec.NextAction(s, Settings, T0)!.Value;
        Assert.Equal(expiry - Settings.RefreshBefore, due);

        var (same, quiet) = Run(s, Cmd(DnssecAction.Refresh, who: "dnssec-refresh"), T0.AddDays(1));
        Assert.Empty(quiet.Events);
        Assert.Equal(s.Version, same.Version);

        var (fresh, d) = Run(s, Cmd(DnssecAction.Refresh, who: "dnssec-refresh"), due + TimeSpan.FromHours(1));
        Assert.IsType<DnssecChanged>(Assert.Single(d.Events));
        Assert.True(ZoneDnssec.EarliestExpiry(fresh.Records, due)!.Value > expiry);
        // Re-signing replaces (nearly) every RRSIG, yet the blast-radius guard does not hold it: it measures the data.
        Assert.Equal(s.Records.Count(r => !ZoneDnssec.IsGenerated(r.Type)), fresh.Records.Count(r => !ZoneDnssec.IsGenerated(r.Type)));
    }

    [Fact]
    public void The_edges_get_the_record_changes_without_any_key_material()
    {
        var before = Unsigned();
        var (_, d) = Run(before, Cmd(DnssecAction.Enable));
        var e = Assert.IsType<DnssecChanged>(Assert.Single(d.Events));
        var delta = ZoneDelta.Of(e);
        var edge = Assert.IsType<RRsetsChanged>(delta.Event);
        Assert.Equal(e.Changes, edge.Changes);
        // Neither the sealed bytes nor the opened private key appear in what the edges get.
        var key = e.Dnssec.Keys[0];
        using var ec = ECDsa.Create();
        ec.ImportPkcs8PrivateKey(_ctx.ExportPrivate(key), out _);
        var scalar = ec.ExportParameters(includePrivateParameters: true).D!; // the private scalar (PKCS#8 also holds the public point)
        foreach (var rr in edge.Changes.SelectMany(c => c.Records))
        {
            Assert.False(Contains(rr.RData, scalar.AsSpan(0, 16)), $"{rr} holds private key bytes");
            Assert.False(Contains(rr.RData, key.SealedPrivateKey.AsSpan(37, 16)), $"{rr} holds sealed key bytes");
        }
    }

    [Fact]
    public void A_key_sealed_under_another_KEK_says_so_and_nothing_is_signed()
    {
        var s = Signed();
        using var other = new DnssecContext(Z, Settings, new KeyProtector(RandomNumberGenerator.GetBytes(32)));
        var e = Assert.Throws<CryptographicException>(() => ZoneDnssec.SignDecision(s, ZoneSafeguards.Decide(s, Change("example.com.", ReplaceA("www.example.com.", "192.0.2.8")), T0, Guard, other), other, T0));
        Assert.Contains("key-encryption key", e.Message);
    }

    [Fact]
    public void Without_a_KEK_DNSSEC_commands_are_refused_with_the_reason()
    {
        using var none = new DnssecContext(Z, Settings, null);
        var s = Unsigned();
        var d = ZoneSafeguards.Decide(s, Cmd(DnssecAction.Enable), T0, Guard, none);
        Assert.Contains("key-encryption key", Assert.IsType<ZoneCommandResult.Rejected>(d.Result).Message);
    }

    [Fact]
    public void NSEC_can_replace_NSEC3()
    {
        var s = Signed();
        (s, _) = Run(s, Cmd(DnssecAction.SetDenial, new DnssecOptions { Nsec3 = false }), T0.AddMinutes(1));
        Assert.Equal(0, Count(s, RecordType.NSEC3));
        Assert.Equal(0, Count(s, RecordType.NSEC3PARAM));
        Assert.True(Count(s, RecordType.NSEC) >= 5);
    }

    private static ushort KeyTagOf(ResourceRecord rrsig) => (ushort)(rrsig.RData[16] << 8 | rrsig.RData[17]);
    private static RecordType CoveredOf(ResourceRecord rrsig) => (RecordType)(rrsig.RData[0] << 8 | rrsig.RData[1]);

    private static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle) >= 0;
}
