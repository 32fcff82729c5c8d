#!/usr/bin/env bash
# The answer audit, long form (issue 15; prints figures, not a benchmark of speed). Each fault runs against a real
# cluster of its own (scripts/cluster-up.sh, PostgreSQL journal): readers query every edge over UDP all along while a
# writer makes 24 changes a second for 25 s at least (change N sets `x CNAME tN` and `tN TXT "N"` in one PATCH, so
# every answer proves its version) and the fault strikes at 5 s; max-lag 5 s, hold-down 5 s. Every answer is checked:
# wrong, torn, regression (also across an edge's restart), stale beyond max-lag + 1 s; then the zone is read back
# (no acknowledged change lost) and every edge must converge. Prints, per fault, the counts, the worst staleness,
# and the faulted edge's time to fence and to answer again. The same cases run in CI in a short form (max-lag 3 s,
# 10 changes a second for 12 s) as tests/Cluster.Tests/Audit/AnswerAuditTests.cs.
#
#   bench/audit.sh [CASE]     # CASE: a test name or part of one (Sigstop, Kill_9_of_an_edge, Journal, Partition…)
#   AKKADNS_AUDIT_LONG=0 bench/audit.sh   # the CI form
#
# Needs what the tests need (.ci/run installs it): PostgreSQL, nftables for the partition case, root for both.
set -uo pipefail
cd "$(dirname "$0")/.."
report=$(mktemp /tmp/akkadns-audit-XXXXXX.txt)
filter="FullyQualifiedName~AkkaDns.Cluster.Tests.Audit.AnswerAuditTests${1:+.$1}"
echo "# answer audit ($([ "${AKKADNS_AUDIT_LONG:-1}" = 1 ] && echo long || echo short) form), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
AKKADNS_AUDIT_LONG=${AKKADNS_AUDIT_LONG:-1} AKKADNS_AUDIT_REPORT=$report \
  dotnet test tests/Cluster.Tests -nologo -v q --filter "$filter" --logger "console;verbosity=minimal"
rc=$?
echo
cat "$report"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$report"
exit $rc
