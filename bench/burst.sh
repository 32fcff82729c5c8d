#!/usr/bin/env bash
# Answer latency during a burst of changes (prints figures; not a test). Starts a cluster (1 zones node, 1 edge) with
# scripts/cluster-up.sh (Release build, PostgreSQL journal via scripts/pg-up.sh), imports the bench/qps.sh zone
# (100k records) through the admin API, then runs the bench/qps.sh dnsperf load against the edge twice:
#   1. without changes, for --baseline-seconds;
#   2. while --changes RRset changes (REPLACE of one A record each, on distinct names) are sent through the admin API,
#      --per-request RRsets per PATCH, until the edge answers the last change; dnsperf is then interrupted.
# Prints QPS, mean and p99 answer latency of both phases side by side, and how long the burst took to be served.
# Installs nothing: needs dnsperf, dig, python3 and the .NET SDK.
#
#   bench/burst.sh [--records 100000] [--changes 1000] [--per-request 20] [--baseline-seconds 10] [--clients 4] [--keep]
set -euo pipefail
RECORDS=100000; CHANGES=1000; PER_REQUEST=20; BASE_SECONDS=10; CLIENTS=4; KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2;; --changes) CHANGES=$2; shift 2;; --per-request) PER_REQUEST=$2; shift 2;;
    --baseline-seconds) BASE_SECONDS=$2; shift 2;; --clients) CLIENTS=$2; shift 2;; --keep) KEEP=1; shift;;
    *) echo "burst.sh: unknown option $1" >&2; exit 2;;
  esac
done
for t in dnsperf dig dotnet python3; do command -v "$t" >/dev/null || { echo "burst.sh: missing $t" >&2; exit 2; }; done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/akkadns-burst.XXXXXX)
PERF_PID=""
cleanup() {
  [ -n "$PERF_PID" ] && kill "$PERF_PID" 2>/dev/null
  [ -f "$WORK/cluster/cluster.env" ] && "$ROOT/scripts/cluster-down.sh" --dir "$WORK/cluster" >/dev/null 2>&1
  if [ "$KEEP" = 1 ]; then echo "# kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

echo "# building AkkaDns (Release)…" >&2
dotnet build "$ROOT/src/Cluster" -c Release -nologo -v q >/dev/null
AKKADNS="$ROOT/src/Cluster/bin/Release/net10.0/akkadns.dll"
python3 "$ROOT/bench/genzone.py" --records "$RECORDS" --zone "$WORK/bench.zone" --queries "$WORK/queries.txt" --query-count 500000

echo "# starting a cluster (1 zones node, 1 edge)…" >&2
CONFIGURATION=Release AKKADNS_DLL="$AKKADNS" "$ROOT/scripts/cluster-up.sh" --zones 1 --edges 1 --dir "$WORK/cluster" >&2
# shellcheck disable=SC1091
. "$WORK/cluster/cluster.env"
EDGE=${EDGE_DNS%% *}; HOST=${EDGE%:*}; PORT=${EDGE##*:}

answers() { # name expected-address: true when the edge answers exactly that
  [ "$(dig @"$HOST" -p "$PORT" "$1" A +short +time=1 +tries=1 2>/dev/null)" = "$2" ]
}
wait_answer() { # name address seconds
  local t0=$SECONDS
  until answers "$1" "$2"; do
    [ $((SECONDS - t0)) -lt "$3" ] || { echo "burst.sh: the edge did not answer $1 $2 within $3 s" >&2; exit 1; }
    sleep 0.2
  done
}

echo "# importing the $RECORDS-record zone through the admin API…" >&2
python3 "$ROOT/bench/import-zone.py" "$API" "$API_KEY" "$WORK/bench.zone" || echo "# import request did not answer 2xx in time; waiting for the edge anyway" >&2
LAST=$((RECORDS / 2 - 1))
wait_answer "h$LAST.bench.example" "10.$(((LAST >> 16) & 255)).$(((LAST >> 8) & 255)).$((LAST & 255))" 300
sleep 2

declare -A QPS MEAN P99 LOST SECS
summarize() { # phase file
  local out=$2
  QPS[$1]=$(awk '/Queries per second/ {printf "%.0f", $4}' "$out")
  MEAN[$1]=$(awk '/Average Latency/ {printf "%.3f", $4*1000}' "$out")
  LOST[$1]=$(awk '/Queries lost/ {print $3}' "$out")
  SECS[$1]=$(awk '/Run time \(s\)/ {printf "%.1f", $4}' "$out")
  P99[$1]=$(awk '/^> / {print $NF}' "$out" | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else printf "%.3f", a[int(NR*0.99)]*1000}')
}

echo "# baseline: dnsperf for ${BASE_SECONDS}s on $EDGE" >&2
dnsperf -s "$HOST" -p "$PORT" -d "$WORK/queries.txt" -l "$BASE_SECONDS" -c "$CLIENTS" -q 200 -v > "$WORK/base.txt" 2>&1 || true
summarize baseline "$WORK/base.txt"

echo "# burst: $CHANGES changes, $PER_REQUEST per request, under the same load" >&2
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # user+system, in clock ticks
ZONES_PID=$(cat "$WORK/cluster/node1.pid"); EDGE_PID=$(cat "$WORK/cluster/node2.pid")
dnsperf -s "$HOST" -p "$PORT" -d "$WORK/queries.txt" -l 3600 -c "$CLIENTS" -q 200 -v > "$WORK/burst.txt" 2>&1 &
PERF_PID=$!
sleep 1
Z0=$(cpu_ticks "$ZONES_PID"); E0=$(cpu_ticks "$EDGE_PID")
T0=$(date +%s.%N)
python3 - "$API" "$API_KEY" "$CHANGES" "$PER_REQUEST" "$((RECORDS / 2))" <<'PY'
import json, sys, urllib.request, urllib.error, time
api, key, changes, per, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
step = max(1, names // changes)   # distinct names spread over the zone
url = api + "/api/v1/servers/localhost/zones/bench.example."
for start in range(0, changes, per):
    rrsets = [{"name": f"h{i * step}.bench.example.", "type": "A", "ttl": 300, "changetype": "REPLACE",
               "records": [{"content": f"10.250.{i >> 8 & 255}.{i & 255}", "disabled": False}]}
              for i in range(start, min(changes, start + per))]
    req = urllib.request.Request(url, data=json.dumps({"rrsets": rrsets}).encode(), method="PATCH",
                                 headers={"X-API-Key": key, "Content-Type": "application/json"})
    for attempt in range(5):   # a busy zone node may answer 503 (its API timeout) while the change is still stored
        try:
            with urllib.request.urlopen(req, timeout=120) as r: r.read(); break
        except urllib.error.HTTPError as e:
            if e.code != 503 or attempt == 4: raise
            time.sleep(1)
PY
T1=$(date +%s.%N)
I=$((CHANGES - 1)); STEP=$(( (RECORDS / 2) / CHANGES )); [ "$STEP" -ge 1 ] || STEP=1
wait_answer "h$((I * STEP)).bench.example" "10.250.$(((I >> 8) & 255)).$((I & 255))" 600
T2=$(date +%s.%N)
Z1=$(cpu_ticks "$ZONES_PID"); E1=$(cpu_ticks "$EDGE_PID")
kill -INT "$PERF_PID"; wait "$PERF_PID" || true; PERF_PID=""
summarize burst "$WORK/burst.txt"
APPLIED=$(grep -c "zone bench.example. version .* served" "$WORK/cluster/node2.log" || true)

echo
echo "AkkaDns answer latency during a burst — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, dnsperf on the same cores"
echo "edge of a 1-edge cluster, zone: $RECORDS records; load: $CLIENTS clients, 70% hit / 15% NXDOMAIN / 15% NODATA"
printf '%-10s %8s %10s %10s %10s %8s\n' phase seconds QPS mean_ms p99_ms lost
for p in baseline burst; do
  printf '%-10s %8s %10s %10s %10s %8s\n' "$p" "${SECS[$p]:-?}" "${QPS[$p]:-?}" "${MEAN[$p]:-?}" "${P99[$p]:-?}" "${LOST[$p]:-?}"
done
python3 -c "print(f'burst: $CHANGES changes in $(( (CHANGES + PER_REQUEST - 1) / PER_REQUEST )) requests; sent in {$T1-$T0:.1f} s; first request -> last change answered by the edge {$T2-$T0:.1f} s; zone versions served by the edge since start: $APPLIED')"
HZ=$(getconf CLK_TCK)
python3 -c "print(f'CPU during the burst: zones node {($Z1-$Z0)/$HZ:.1f} s, edge {($E1-$E0)/$HZ:.1f} s (the edge also answered the dnsperf load)')"
