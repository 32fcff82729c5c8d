using System.Globalization;
using System.Text;

namespace AkkaDns.Cluster.Tests.Audit;

/// <summary>What one audit run found: the counts per edge, the writes, the read-back and convergence, the fence figures.</summary>
public sealed class AuditReport(AuditOptions options, AuditClock clock, AuditLedger ledger, IReadOnlyList<EdgeTally> tallies,
    (int Accepted, int Rejected, int Uncertain) writes, int finalVersion, IReadOnlyList<int> lost, IReadOnlyList<string> notConverged)
{
    public int Checked => tallies.Sum(t => t.Answers);
    public int Wrong => tallies.Sum(t => t.Wrong);
    public int Torn => tallies.Sum(t => t.Torn);
    public int Regressions => tallies.Sum(t => t.Regressions);
    public int Stale => tallies.Sum(t => t.Stale);
    public double WorstStaleness => tallies.Max(t => t.WorstStaleness);
    public IReadOnlyList<int> Lost => lost;
    public IReadOnlyList<string> NotConverged => notConverged;
    public int FinalVersion => finalVersion;
    public (int Accepted, int Rejected, int Uncertain) Writes => writes;

    /// <summary>Seconds from the fault to the faulted edge's last answer before its longest silence (≤ 0: it went quiet at once).</summary>
    public double? TimeToFence => Silence is { } s && clock.FaultAt is { } f ? s.From - f : null;
    /// <summary>Seconds from the heal to the faulted edge's first answer after its silence.</summary>
    public double? TimeToReadmit => Silence is { To: { } to } && clock.HealAt is { } h ? to - h : null;

    private (double From, double? To)? Silence
    {
        get
        {
            if (options.FaultedEdge is not { } e || clock.FaultAt is not { } f) return null;
            var t = tallies[e - 1];
            lock (t) return AuditChecker.LongestSilence([.. t.AnswerTimes], f);
        }
    }

    public bool Clean => Wrong == 0 && Torn == 0 && Regressions == 0 && Stale == 0 && lost.Count == 0 && notConverged.Count == 0
        && writes.Accepted > 0 && finalVersion >= ledger.MaxAccepted;

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"audit {options.Case}: {Checked} answers checked, {Wrong} wrong, {Torn} torn, {Regressions} regressions, {Stale} stale beyond {options.StaleLimit:0.#} s; worst staleness {WorstStaleness:0.000} s");
        sb.AppendLine(c, $"  writes: {writes.Accepted} accepted, {writes.Rejected} refused, {writes.Uncertain} uncertain at {options.ChangesPerSecond:0.#}/s; final version {finalVersion} (last accepted {ledger.MaxAccepted}); acknowledged changes lost: {lost.Count}{(lost.Count > 0 ? " [" + string.Join(", ", lost.Take(10)) + "]" : "")}");
        foreach (var (why, count) in ledger.Failures.Take(3)) sb.AppendLine(c, $"    {count} writes failed: {why}");
        sb.AppendLine(c, $"  converged: {(notConverged.Count == 0 ? "every edge" : "NOT " + string.Join("; ", notConverged))}");
        if (clock.FaultAt is { } f)
        {
            sb.AppendLine(c, $"  fault at {f:0.00} s, healed at {(clock.HealAt is { } h ? h.ToString("0.00", c) + " s" : "never")}; faulted edge: fenced {Fmt(TimeToFence)} after the fault, answering again {Fmt(TimeToReadmit)} after the heal");
            if (clock.HealAt is { } heal && writes.Uncertain > 0)
                sb.AppendLine(c, $"  first write accepted after the heal: {Fmt(ledger.AcceptedVersions.Select(v => ledger.AcceptedAt(v)).Where(a => a > heal).Min() - heal)} later");
        }
        foreach (var t in tallies)
            lock (t)
            {
                sb.AppendLine(c, $"  {t.Edge}: {t.Queries} queries, {t.Answers} answers, {t.Unanswered} unanswered, {t.Errors} errors, {t.Wrong} wrong, {t.Torn} torn, {t.Regressions} regressions, {t.Stale} stale, worst {t.WorstStaleness:0.000} s, last version {t.MaxVersion}");
                foreach (var e in t.Examples) sb.AppendLine("    " + e);
            }
        return sb.ToString();

        static string Fmt(double? s) => s is { } v ? v.ToString("0.00 s", CultureInfo.InvariantCulture) : "n/a";
    }

    /// <summary>Appends the report to $AKKADNS_AUDIT_REPORT when set (bench/audit.sh prints that file).</summary>
    public void Save()
    {
        if (Environment.GetEnvironmentVariable("AKKADNS_AUDIT_REPORT") is { Length: > 0 } file)
            lock (typeof(AuditReport)) File.AppendAllText(file, ToString() + Environment.NewLine);
    }
}
