#!/usr/bin/env bash
# The one test command (README): builds the solution in Release and runs every test project, printing each
# test's result and a last line "N passed, N failed, N skipped" (the line CI reads). Exits non-zero on any failure.
#
# Needs: the .NET 10 SDK; Debian packages knot and bind9-dnsutils (knotd and dig for the DNS tests);
# PostgreSQL for the actor tests. `.ci/run` installs all of it. AKKADNS_TEST_PG may point at any PostgreSQL;
# when unset, scripts/pg-up.sh starts the local one and its connection string is used.
#
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Differential]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CONFIG=Release

if [ -z "${AKKADNS_TEST_PG:-}" ]; then
  if ! AKKADNS_TEST_PG=$("$ROOT/scripts/pg-up.sh" | tail -n 1); then
    echo "scripts/pg-up.sh failed: start PostgreSQL (see .ci/run) or set AKKADNS_TEST_PG to a connection string" >&2
    exit 2
  fi
fi
export AKKADNS_TEST_PG
echo "# AKKADNS_TEST_PG=$AKKADNS_TEST_PG"

for tool in knotd dig; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
    echo "# warning: $tool not found (apt-get install knot bind9-dnsutils, or run .ci/run): its tests will fail" >&2
done

echo "# building AkkaDns.sln ($CONFIG)"
# -warnaserror here, not in Directory.Build.props: a new warning fails CI (which runs this script), while a
# developer's build, the Dockerfile's and scripts/install.sh's (a newer SDK may bring new analyzer rules) still work.
dotnet build AkkaDns.sln -c "$CONFIG" -nologo -v q -warnaserror

LOG=$(mktemp /tmp/akkadns-test.XXXXXX.log)
trap 'rm -f "$LOG"' EXIT
set +e
# -m:1 runs the test projects one after the other: the machine may have 2 cores, and the network and cluster
# tests keep their timeouts honest when they do not compete with another test host. A hung test is dumped
# and stopped instead of eating CI's time.
dotnet test AkkaDns.sln -c "$CONFIG" --no-build -nologo -m:1 \
  --logger "console;verbosity=normal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none \
  "$@" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries. With the console logger at normal verbosity each test host ends with
#   Total tests: 42 /     Passed: 41 /     Failed: 1 /     Skipped: 0   (one per line)
# and at minimal verbosity with "Passed!  - Failed: 0, Passed: 42, Skipped: 0, Total: 42"; either is read.
read -r passed failed skipped < <(awk '
  /^Total tests: +[0-9]+/ { block = 4; blocks++; next }
  block > 0 && /^ +(Passed|Failed|Skipped): +[0-9]+ *$/ {
    n = $2 + 0
    if ($1 == "Passed:") bp += n; else if ($1 == "Failed:") bf += n; else bs += n
    block--; next
  }
  { block = 0 }
  /(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
    line = $0; gsub(/[^0-9,]/, " ", line); split(line, f, ",")
    mf += f[1]; mp += f[2]; ms += f[3]
  }
  END { if (blocks > 0) printf "%d %d %d\n", bp, bf, bs; else printf "%d %d %d\n", mp, mf, ms }' "$LOG")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "# dotnet test exited with $status without a failed test counted (crash, hang or build problem): counted as one failure"
  failed=1
fi
# Name the failures just above the last line, so the tail of a CI log says what broke without a scroll back.
if [ "$failed" -gt 0 ]; then
  echo "# failed tests:"
  awk '/^  Failed [A-Za-z]/ { print "#   " substr($0, 10); grab = 4; next }
       grab > 0 && /Error Message:/ { getline; print "#     " $0; grab = 0; next }
       grab > 0 { grab-- }' "$LOG" | cut -c1-400
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
