namespace AkkaDns.Cluster.Tests.Audit;

/// <summary>
/// What the writer did, version by version: change N sets <c>x CNAME tN</c> and <c>tN TXT "N"</c> in one PATCH, so
/// every answer for <c>x TXT</c> names the version it came from. A change the API acknowledged is <em>accepted</em> (at
/// the moment the acknowledgement arrived); one it refused with a 4xx is <em>rejected</em> (never stored: answering it
/// is wrong); one that failed with a 5xx, a timeout or a broken connection is <em>uncertain</em> (it may have been
/// stored: answering it is allowed, it never counts for staleness). Thread-safe: the writer adds, readers look up.
/// </summary>
public sealed class AuditLedger
{
    private readonly object _gate = new();
    private readonly SortedDictionary<int, double> _accepted = new();
    private readonly HashSet<int> _rejected = [];
    private readonly HashSet<int> _uncertain = [];
    private int _maxIssued;

    public void Issued(int version) { lock (_gate) _maxIssued = Math.Max(_maxIssued, version); }
    public void Accepted(int version, double at) { lock (_gate) _accepted[version] = at; }
    public void Rejected(int version) { lock (_gate) _rejected.Add(version); }
    public void Uncertain(int version, string why = "")
    {
        lock (_gate)
        {
            _uncertain.Add(version);
            if (why.Length > 0) _failures[why] = _failures.GetValueOrDefault(why) + 1;
        }
    }

    private readonly Dictionary<string, int> _failures = [];
    /// <summary>Why writes failed, most frequent first: "503 …" (the start of the body) or the exception's type.</summary>
    public IReadOnlyList<(string Why, int Count)> Failures { get { lock (_gate) return [.. _failures.OrderByDescending(f => f.Value).Select(f => (f.Key, f.Value))]; } }

    public int MaxIssued { get { lock (_gate) return _maxIssued; } }
    public int AcceptedCount { get { lock (_gate) return _accepted.Count; } }
    public int RejectedCount { get { lock (_gate) return _rejected.Count; } }
    public int UncertainCount { get { lock (_gate) return _uncertain.Count; } }
    public IReadOnlyList<int> AcceptedVersions { get { lock (_gate) return [.. _accepted.Keys]; } }
    public int MaxAccepted { get { lock (_gate) return _accepted.Count == 0 ? 0 : _accepted.Keys.Max(); } }
    public bool IsRejected(int version) { lock (_gate) return _rejected.Contains(version); }

    /// <summary>The time the first accepted version above <paramref name="version"/> was acknowledged, if any.</summary>
    public double? NextAcceptedAfter(int version)
    {
        lock (_gate)
        {
            double? first = null;
            foreach (var (v, at) in _accepted)
                if (v > version) { first = at; break; }
            return first;
        }
    }

    /// <summary>The time version <paramref name="version"/> was acknowledged, if it was.</summary>
    public double? AcceptedAt(int version) { lock (_gate) return _accepted.TryGetValue(version, out var at) ? at : null; }
}

/// <summary>One DNS reply as the audit reads it.</summary>
/// <param name="Query">the question: <c>x TXT</c> (versioned) or <c>k A</c> (a record no change touches).</param>
/// <param name="Rcode">the reply's RCODE; anything but NOERROR is an error, not an answer.</param>
/// <param name="CnameOwner">owner of the answer's CNAME, if there is one.</param>
/// <param name="CnameVersion">N of the CNAME target <c>tN</c>, -1 when the target is not of that form.</param>
public sealed record AuditAnswer(AuditQuery Query, double ReceivedAt, int Rcode, string? CnameOwner, int? CnameVersion,
    string? TxtOwner, string? TxtValue, IReadOnlyList<string> Addresses);

public enum AuditQuery { VersionedTxt, ConstantA }

public enum AuditVerdict { Ok, Error, Wrong, Torn, Regression, Stale }

/// <summary>The counts for one edge; <see cref="AuditChecker"/> fills them. Not thread-safe: one reader per edge.</summary>
public sealed class EdgeTally
{
    public required string Edge { get; init; }
    public int Queries, Answers, Unanswered, Errors, Wrong, Torn, Regressions, Stale;
    public double WorstStaleness;
    public int MaxVersion = -1;
    public List<double> AnswerTimes { get; } = [];
    public List<(double At, int Version)> VersionTimes { get; } = [];
    public List<string> Examples { get; } = [];

    public void Note(string example) { if (Examples.Count < 10) Examples.Add(example); }
}

/// <summary>
/// The audit's rules (issue 15): <b>wrong</b> — a record no change touched answered differently, the CNAME missing, or
/// a version that was never written or was refused; <b>torn</b> — the CNAME of one version without that version's
/// TXT; <b>regression</b> — an edge answering an older version than it already answered (across its restarts: the
/// tally lives in the audit, not the process); <b>stale</b> — answering version K when a newer version was accepted
/// more than <c>staleLimit</c> (max-lag + 1 s) before the answer arrived. Staleness is measured at arrival: a query
/// that waited in a frozen edge's socket and is answered on waking is as old as a client sees it.
/// </summary>
public static class AuditChecker
{
    public const string Zone = "audit.example.";
    public const string ConstantAddress = "192.0.2.7";

    public static AuditVerdict Check(AuditAnswer a, AuditLedger ledger, EdgeTally tally, double staleLimit)
    {
        if (a.Rcode == 3)
        {
            tally.Answers++; tally.Wrong++;
            tally.Note($"{a.ReceivedAt:0.000}s NXDOMAIN for {(a.Query == AuditQuery.ConstantA ? "k" : "x")}, a name that always exists");
            return AuditVerdict.Wrong;
        }
        if (a.Rcode != 0) { tally.Errors++; return AuditVerdict.Error; } // SERVFAIL, REFUSED: not an answer
        tally.Answers++;
        tally.AnswerTimes.Add(a.ReceivedAt);
        if (a.Query == AuditQuery.ConstantA)
        {
            if (a.Addresses is [ConstantAddress]) return AuditVerdict.Ok;
            tally.Wrong++;
            tally.Note($"{a.ReceivedAt:0.000}s k A answered [{string.Join(", ", a.Addresses)}], never changed from {ConstantAddress}");
            return AuditVerdict.Wrong;
        }
        if (a.CnameOwner != "x." + Zone || a.CnameVersion is not { } n || n < 0)
        {
            tally.Wrong++;
            tally.Note($"{a.ReceivedAt:0.000}s x TXT without its CNAME to tN (owner {a.CnameOwner ?? "none"})");
            return AuditVerdict.Wrong;
        }
        if (a.TxtOwner != $"t{n}.{Zone}" || a.TxtValue != n.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            tally.Torn++;
            tally.Note($"{a.ReceivedAt:0.000}s torn: CNAME of version {n} with TXT {a.TxtOwner ?? "none"} \"{a.TxtValue}\"");
            return AuditVerdict.Torn;
        }
        if (n > ledger.MaxIssued || ledger.IsRejected(n))
        {
            tally.Wrong++;
            tally.Note($"{a.ReceivedAt:0.000}s version {n} answered, " + (n > ledger.MaxIssued ? "never written" : "refused by the API"));
            return AuditVerdict.Wrong;
        }
        tally.VersionTimes.Add((a.ReceivedAt, n));
        if (n < tally.MaxVersion)
        {
            tally.Regressions++;
            tally.Note($"{a.ReceivedAt:0.000}s regression: version {n} after version {tally.MaxVersion}");
            return AuditVerdict.Regression;
        }
        tally.MaxVersion = n;
        if (ledger.NextAcceptedAfter(n) is { } newerAt && a.ReceivedAt > newerAt)
        {
            var staleness = a.ReceivedAt - newerAt;
            tally.WorstStaleness = Math.Max(tally.WorstStaleness, staleness);
            if (staleness > staleLimit)
            {
                tally.Stale++;
                tally.Note($"{a.ReceivedAt:0.000}s stale: version {n}, {staleness:0.000} s after a newer one was accepted");
                return AuditVerdict.Stale;
            }
        }
        return AuditVerdict.Ok;
    }

    /// <summary>
    /// The longest silence of an edge that overlaps [<paramref name="faultAt"/>, end): the last answer before it and the
    /// first after (null when it never answered again).
    /// </summary>
    public static (double From, double? To) LongestSilence(IReadOnlyList<double> answerTimes, double faultAt)
    {
        double bestFrom = faultAt, bestLen = -1;
        double? bestTo = null;
        double previous = double.NegativeInfinity;
        foreach (var t in answerTimes)
        {
            if (t >= faultAt && previous > double.NegativeInfinity && t - previous > bestLen)
            { bestFrom = previous; bestTo = t; bestLen = t - previous; }
            previous = t;
        }
        if (previous > double.NegativeInfinity && previous <= faultAt) return (previous, null); // never answered after the fault
        return (bestFrom, bestTo);
    }
}
