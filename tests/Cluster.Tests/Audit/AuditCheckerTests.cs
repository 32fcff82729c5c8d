namespace AkkaDns.Cluster.Tests.Audit;

/// <summary>The audit's own rules: each kind of bad answer is caught (an audit that cannot fail proves nothing).</summary>
public sealed class AuditCheckerTests
{
    private const double Limit = 4;

    private static AuditAnswer Versioned(int n, double at, int? txt = null, string? txtOwner = null) =>
        new(AuditQuery.VersionedTxt, at, 0, "x." + AuditChecker.Zone, n, txtOwner ?? $"t{n}.{AuditChecker.Zone}", (txt ?? n).ToString(), []);

    private static (AuditLedger, EdgeTally) Fresh(int written = 10)
    {
        var ledger = new AuditLedger();
        for (int n = 1; n <= written; n++) { ledger.Issued(n); ledger.Accepted(n, n); }
        return (ledger, new EdgeTally { Edge = "dc-1" });
    }

    [Fact]
    public void A_consistent_current_answer_is_ok()
    {
        var (ledger, tally) = Fresh();
        Assert.Equal(AuditVerdict.Ok, AuditChecker.Check(Versioned(5, 5.5), ledger, tally, Limit));
        Assert.Equal(AuditVerdict.Ok, AuditChecker.Check(new AuditAnswer(AuditQuery.ConstantA, 6, 0, null, null, null, null, ["192.0.2.7"]), ledger, tally, Limit));
        Assert.Equal(2, tally.Answers);
        Assert.Equal(5, tally.MaxVersion);
    }

    [Fact]
    public void A_cname_of_one_version_with_the_txt_of_another_is_torn()
    {
        var (ledger, tally) = Fresh();
        Assert.Equal(AuditVerdict.Torn, AuditChecker.Check(Versioned(5, 5.5, txt: 4, txtOwner: $"t5.{AuditChecker.Zone}"), ledger, tally, Limit));
        Assert.Equal(AuditVerdict.Torn, AuditChecker.Check(new AuditAnswer(AuditQuery.VersionedTxt, 6, 0, "x." + AuditChecker.Zone, 6, null, null, []), ledger, tally, Limit));
        Assert.Equal(2, tally.Torn);
    }

    [Fact]
    public void An_untouched_record_answered_differently_a_missing_cname_and_an_unwritten_version_are_wrong()
    {
        var (ledger, tally) = Fresh();
        ledger.Issued(11); ledger.Rejected(11);
        Assert.Equal(AuditVerdict.Wrong, AuditChecker.Check(new AuditAnswer(AuditQuery.ConstantA, 1, 0, null, null, null, null, ["192.0.2.8"]), ledger, tally, Limit));
        Assert.Equal(AuditVerdict.Wrong, AuditChecker.Check(new AuditAnswer(AuditQuery.ConstantA, 1, 0, null, null, null, null, []), ledger, tally, Limit));
        Assert.Equal(AuditVerdict.Wrong, AuditChecker.Check(new AuditAnswer(AuditQuery.VersionedTxt, 1, 0, null, null, null, null, []), ledger, tally, Limit));
        Assert.Equal(AuditVerdict.Wrong, AuditChecker.Check(Versioned(12, 12), ledger, tally, Limit)); // never written
        Assert.Equal(AuditVerdict.Wrong, AuditChecker.Check(Versioned(11, 12), ledger, tally, Limit)); // refused by the API
        Assert.Equal(AuditVerdict.Wrong, AuditChecker.Check(new AuditAnswer(AuditQuery.ConstantA, 1, 3, null, null, null, null, []), ledger, tally, Limit)); // NXDOMAIN
        Assert.Equal(AuditVerdict.Error, AuditChecker.Check(new AuditAnswer(AuditQuery.ConstantA, 1, 5, null, null, null, null, []), ledger, tally, Limit)); // REFUSED
        Assert.Equal(6, tally.Wrong);
    }

    [Fact]
    public void An_uncertain_write_may_be_answered()
    {
        var (ledger, tally) = Fresh();
        ledger.Issued(11); ledger.Uncertain(11);
        Assert.Equal(AuditVerdict.Ok, AuditChecker.Check(Versioned(11, 12), ledger, tally, Limit));
    }

    [Fact]
    public void An_older_version_after_a_newer_one_is_a_regression()
    {
        var (ledger, tally) = Fresh();
        AuditChecker.Check(Versioned(7, 7.2), ledger, tally, Limit);
        Assert.Equal(AuditVerdict.Regression, AuditChecker.Check(Versioned(6, 7.3), ledger, tally, Limit));
        Assert.Equal(1, tally.Regressions);
    }

    [Fact]
    public void A_version_answered_more_than_the_limit_after_a_newer_one_was_accepted_is_stale()
    {
        var (ledger, tally) = Fresh(); // version n accepted at n s
        Assert.Equal(AuditVerdict.Ok, AuditChecker.Check(Versioned(3, 7.9), ledger, tally, Limit)); // 4 accepted at 4: 3.9 s
        Assert.Equal(AuditVerdict.Stale, AuditChecker.Check(Versioned(3, 8.2), ledger, tally, Limit));
        Assert.Equal(1, tally.Stale);
        Assert.Equal(4.2, tally.WorstStaleness, 6);
    }

    [Fact]
    public void Staleness_counts_from_the_next_accepted_version_not_an_uncertain_one()
    {
        var ledger = new AuditLedger();
        ledger.Issued(1); ledger.Accepted(1, 1);
        ledger.Issued(2); ledger.Uncertain(2);
        ledger.Issued(3); ledger.Accepted(3, 9);
        var tally = new EdgeTally { Edge = "dc-1" };
        Assert.Equal(AuditVerdict.Ok, AuditChecker.Check(Versioned(1, 10), ledger, tally, Limit)); // 1 s after version 3
    }

    [Fact]
    public void The_codec_reads_a_compressed_cname_chain_and_rejects_a_pointer_loop()
    {
        // x.audit.example. CNAME t5.audit.example. ; t5 TXT "5", names compressed as a server writes them.
        var q = AuditDns.Query(0x1234, AuditQuery.VersionedTxt);
        var m = new List<byte>(q);
        m[2] = 0x84; m[7] = 2; // QR+AA, ANCOUNT 2
        m.AddRange([0xC0, 12, 0, 5, 0, 1, 0, 0, 1, 44, 0, 5, 2, (byte)'t', (byte)'5', 0xC0, 14]);
        var t5 = m.Count - 5;
        m.AddRange([0xC0, (byte)t5, 0, 16, 0, 1, 0, 0, 1, 44, 0, 2, 1, (byte)'5']);
        var answer = AuditDns.Parse(m.ToArray(), AuditQuery.VersionedTxt, 1)!;
        Assert.Equal("x." + AuditChecker.Zone, answer.CnameOwner);
        Assert.Equal(5, answer.CnameVersion);
        Assert.Equal($"t5.{AuditChecker.Zone}", answer.TxtOwner);
        Assert.Equal("5", answer.TxtValue);

        var loop = new byte[] { 0, 0, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 16, 0, 1 };
        Assert.Null(AuditDns.Parse(loop, AuditQuery.VersionedTxt, 1));
    }

    [Fact]
    public void The_longest_silence_after_a_fault_is_found()
    {
        var (from, to) = AuditChecker.LongestSilence([1, 2, 3, 3.1, 9, 9.1], faultAt: 3.05);
        Assert.Equal(3.1, from);
        Assert.Equal(9, to);
        Assert.Equal((2.0, (double?)null), AuditChecker.LongestSilence([1, 2], faultAt: 3));
    }
}
