using AkkaDns.Actors.Transfers;
using static AkkaDns.Actors.Transfers.TransferConfigCommands;
using static AkkaDns.Actors.Transfers.TransferConfigEvents;

namespace AkkaDns.Actors.Tests.Transfers;

/// <summary>TSIG keys and zone metadata decided in pure code: no actor system, a fixed clock and secret.</summary>
public sealed class TransferConfigStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";

    private static (TransferConfigState State, TransferDecision Decision) Run(TransferConfigState state, ITransferConfigCommand command)
    {
        var decision = state.Process(command, Now, alg => "generated-for-" + alg);
        return (decision.Events.Aggregate(state, (s, e) => s.Apply(e)), decision);
    }

    private static TransferConfigState With(params ITransferConfigCommand[] commands) =>
        commands.Aggregate(TransferConfigState.Empty, (s, c) =>
        {
            var (next, d) = Run(s, c);
            Assert.Null(d.Rejection);
            return next;
        });

    private static TransferConfigReplies.Rejected Refused(TransferConfigState state, ITransferConfigCommand command, TransferRejection reason)
    {
        var d = state.Process(command, Now);
        Assert.NotNull(d.Rejection);
        Assert.Equal(reason, d.Rejection!.Reason);
        Assert.Empty(d.Events);
        return d.Rejection;
    }

    [Fact]
    public void Add_normalizes_the_name_and_algorithm_and_keeps_the_secret()
    {
        var (state, d) = Run(TransferConfigState.Empty, new AddTsigKey("Xfr-Key.Example", "HMAC-SHA512", Secret));
        var stored = Assert.IsType<TsigKeyStored>(Assert.Single(d.Events));
        Assert.Equal(new TsigKeyData("xfr-key.example.", "hmac-sha512", Secret), stored.Key);
        Assert.Equal(Now, stored.At);
        Assert.Equal(["xfr-key.example."], state.Keys.Keys);
    }

    [Theory]
    [InlineData("hmac-md5.sig-alg.reg.int", "hmac-md5")]
    [InlineData("HMAC-MD5.SIG-ALG.REG.INT.", "hmac-md5")]
    [InlineData("hmac-sha1", "hmac-sha1")]
    [InlineData("Hmac-Sha224", "hmac-sha224")]
    [InlineData("", "hmac-sha256")]
    [InlineData("hmac-sha384", "hmac-sha384")]
    public void Every_algorithm_spelling_is_stored_short(string given, string stored)
    {
        var state = With(new AddTsigKey("k", given, Secret));
        Assert.Equal(stored, state.Keys["k."].Algorithm);
    }

    [Fact]
    public void A_missing_secret_is_generated_with_the_size_of_the_algorithm()
    {
        Assert.Equal("generated-for-hmac-sha256", With(new AddTsigKey("k", "hmac-sha256", null)).Keys["k."].Secret);
        var real = TransferConfigState.Empty.Process(new AddTsigKey("k", "hmac-sha512", null), Now);
        Assert.Equal(64, ((TsigKeyStored)real.Events[0]).Key.SecretBytes().Length);
        real = TransferConfigState.Empty.Process(new AddTsigKey("k", "hmac-sha256", null), Now);
        Assert.Equal(32, ((TsigKeyStored)real.Events[0]).Key.SecretBytes().Length);
    }

    [Fact]
    public void The_same_name_twice_is_a_conflict_whatever_its_spelling()
    {
        var state = With(new AddTsigKey("k.example.", "hmac-sha256", Secret));
        var r = Refused(state, new AddTsigKey("K.EXAMPLE", "hmac-sha1", null), TransferRejection.Conflict);
        Assert.Contains("k.example.", r.Message);
    }

    [Theory]
    [InlineData("hmac-sha3")]
    [InlineData("gss-tsig")]
    [InlineData("hmac-md5.sig-alg")]
    public void An_unknown_algorithm_is_invalid_and_the_error_lists_the_known_ones(string algorithm)
    {
        var r = Refused(TransferConfigState.Empty, new AddTsigKey("k", algorithm, Secret), TransferRejection.Invalid);
        Assert.Contains(algorithm, r.Message);
        Assert.Contains("hmac-sha256", r.Message);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("abc")]
    [InlineData("====")]
    public void A_secret_that_is_not_base64_is_invalid(string secret)
    {
        var r = Refused(TransferConfigState.Empty, new AddTsigKey("k", "hmac-sha256", secret), TransferRejection.Invalid);
        Assert.Contains("base64", r.Message);
        Assert.DoesNotContain(secret, r.Message); // a secret, even a bad one, is not echoed
    }

    [Fact]
    public void Deleting_or_changing_an_unknown_key_is_not_found()
    {
        Assert.Contains("nope.", Refused(TransferConfigState.Empty, new DeleteTsigKey("nope"), TransferRejection.NotFound).Message);
        Refused(TransferConfigState.Empty, new ChangeTsigKey("nope", null, "hmac-sha1", null), TransferRejection.NotFound);
    }

    [Fact]
    public void Delete_removes_the_key()
    {
        var (state, d) = Run(With(new AddTsigKey("k", "hmac-sha256", Secret)), new DeleteTsigKey("K."));
        Assert.Equal(new TsigKeyDeleted("k.", Now), Assert.Single(d.Events));
        Assert.Empty(state.Keys);
    }

    [Fact]
    public void Change_keeps_what_is_not_given_and_a_rename_moves_the_key()
    {
        var state = With(new AddTsigKey("a", "hmac-sha256", Secret), new AddTsigKey("b", "hmac-sha256", Secret));
        var (changed, _) = Run(state, new ChangeTsigKey("a", null, "hmac-sha1", null));
        Assert.Equal(new TsigKeyData("a.", "hmac-sha1", Secret), changed.Keys["a."]);

        var (renamed, d) = Run(changed, new ChangeTsigKey("a", "c", null, null));
        Assert.Equal(2, d.Events.Count);
        Assert.Equal(["b.", "c."], renamed.Keys.Keys);
        Assert.Equal("hmac-sha1", renamed.Keys["c."].Algorithm);

        Refused(renamed, new ChangeTsigKey("c", "b", null, null), TransferRejection.Conflict);
        Assert.Empty(renamed.Process(new ChangeTsigKey("c", null, "HMAC-SHA1", Secret), Now).Events); // nothing changes
    }

    [Fact]
    public void Transfer_metadata_is_normalized_and_added_values_are_kept_once()
    {
        var state = With(
            new AddZoneMetadata("Example.ORG", "allow-axfr-from", ["192.0.2.0/24", " 2001:DB8::1 ", "AUTO-NS"]),
            new AddZoneMetadata("example.org.", "ALLOW-AXFR-FROM", ["192.0.2.0/24", "198.51.100.7"]),
            new SetZoneMetadata("example.org", "also-notify", ["192.0.2.1", "192.0.2.2:5300", "[2001:db8::53]:53", "2001:db8::54"]),
            new SetZoneMetadata("example.org", "TSIG-ALLOW-AXFR", ["Xfr-Key", "other."]),
            new SetZoneMetadata("example.org", "AXFR-MASTER-TSIG", ["xfr-key."]),
            new SetZoneMetadata("example.org", "X-My-Kind", ["anything, as given"]));
        var kinds = state.MetadataOf("example.org.");
        Assert.Equal(["192.0.2.0/24", "2001:db8::1", "AUTO-NS", "198.51.100.7"], kinds["ALLOW-AXFR-FROM"]);
        Assert.Equal(["192.0.2.1", "192.0.2.2:5300", "[2001:db8::53]:53", "2001:db8::54"], kinds["ALSO-NOTIFY"]);
        Assert.Equal(["xfr-key.", "other."], kinds["TSIG-ALLOW-AXFR"]);
        Assert.Equal(["xfr-key."], kinds["AXFR-MASTER-TSIG"]);
        Assert.Equal(["anything, as given"], kinds["X-MY-KIND"]);
    }

    [Theory]
    [InlineData("ALLOW-AXFR-FROM", "192.0.2.300")]
    [InlineData("ALLOW-AXFR-FROM", "192.0.2.1/24")]
    [InlineData("ALLOW-AXFR-FROM", "10.1")]
    [InlineData("ALLOW-AXFR-FROM", "example.org")]
    [InlineData("ALLOW-DNSUPDATE-FROM", "192.0.2.0/33")]
    [InlineData("ALSO-NOTIFY", "192.0.2.1:99999")]
    [InlineData("ALSO-NOTIFY", "192.0.2.1:0")]
    [InlineData("ALSO-NOTIFY", "ns1.example.org")]
    [InlineData("ALSO-NOTIFY", "2001:db8::1:53x")]
    [InlineData("TSIG-ALLOW-AXFR", "bad..name")]
    [InlineData("X-CUSTOM", "tab\there")]
    public void A_bad_value_is_invalid_and_the_error_names_it(string kind, string value)
    {
        var r = Refused(TransferConfigState.Empty, new SetZoneMetadata("example.org", kind, kind.StartsWith("ALLOW") ? ["192.0.2.10", value] : [value]), TransferRejection.Invalid);
        Assert.Contains(value.Trim(), r.Message);
        Assert.Contains(kind, r.Message);
    }

    [Fact]
    public void Axfr_master_tsig_takes_one_key_and_kinds_must_look_like_kinds()
    {
        Assert.Contains("one key", Refused(TransferConfigState.Empty, new SetZoneMetadata("example.org", "AXFR-MASTER-TSIG", ["a", "b"]), TransferRejection.Invalid).Message);
        Refused(TransferConfigState.Empty, new SetZoneMetadata("example.org", "BAD KIND", ["x"]), TransferRejection.Invalid);
        Refused(TransferConfigState.Empty, new SetZoneMetadata("bad..zone", "ALSO-NOTIFY", ["192.0.2.1"]), TransferRejection.Invalid);
        Refused(TransferConfigState.Empty, new AddZoneMetadata("example.org", "ALSO-NOTIFY", []), TransferRejection.Invalid);
    }

    [Fact]
    public void Setting_an_empty_list_removes_the_kind_and_a_zone_without_kinds()
    {
        var state = With(new SetZoneMetadata("example.org", "ALSO-NOTIFY", ["192.0.2.1"]));
        var (cleared, d) = Run(state, new SetZoneMetadata("example.org", "also-notify", []));
        Assert.Equal(new ZoneMetadataSet("example.org.", "ALSO-NOTIFY", [], Now).Kind, ((ZoneMetadataSet)Assert.Single(d.Events)).Kind);
        Assert.Empty(cleared.Metadata);
        Assert.Empty(cleared.Process(new SetZoneMetadata("example.org", "ALSO-NOTIFY", []), Now).Events); // already gone: nothing to store
    }

    [Fact]
    public void Secrets_never_reach_ToString()
    {
        var state = With(new AddTsigKey("k", "hmac-sha256", Secret));
        Assert.DoesNotContain(Secret, state.Keys["k."].ToString());
        Assert.DoesNotContain(Secret, state.ToString());
        Assert.DoesNotContain(Secret, new AddTsigKey("k", "hmac-sha256", Secret).ToString());
        Assert.DoesNotContain(Secret, new TsigKeyStored(state.Keys["k."], Now).ToString());
        Assert.DoesNotContain(Secret, TransferConfigData.Decode(TransferConfigData.Encode(state)).ToString());
    }

    [Fact]
    public void The_replicated_encoding_reads_back_as_the_state()
    {
        var state = With(new AddTsigKey("k", "hmac-sha384", Secret),
            new SetZoneMetadata("example.org", "ALLOW-AXFR-FROM", ["192.0.2.0/24", "2001:db8::/32"]),
            new SetZoneMetadata("example.org", "TSIG-ALLOW-AXFR", ["k"]));
        var entries = TransferConfigData.Encode(state);
        Assert.Equal("hmac-sha384:" + Secret, entries["key:k."]);
        var snapshot = TransferConfigData.Decode(entries);
        Assert.Equal(state.Keys["k."], snapshot.Key("K"));
        Assert.Equal(["192.0.2.0/24", "2001:db8::/32"], snapshot.Values("Example.Org", "allow-axfr-from"));
        Assert.Equal(["k."], snapshot.Metadata("example.org.")["TSIG-ALLOW-AXFR"]);
        Assert.Empty(snapshot.Metadata("other.org"));
        Assert.Null(snapshot.Key("unknown"));
    }
}
