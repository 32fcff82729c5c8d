#!/usr/bin/env bash
# Signed answer-path benchmark (issue 14): the zone of bench/qps.sh (bench/genzone.py, same query file: 70% hit,
# 15% NXDOMAIN, 15% NODATA, so NSEC3 denial is exercised) signed by Knot DNS and by an AkkaDns cluster, and the same
# dnsperf load with DO=1 (dnsperf -D) against both, in alternating rounds. Prints one row per server and round (QPS,
# mean and p99 latency, lost, ratio to that round's Knot, load average at the start and end of each round), the
# medians and the median of the per-round ratios, and the memory the signatures cost (PSS unsigned vs signed).
#
#   bench/qps-signed.sh [--records 100000] [--seconds 5] [--clients 4] [--rounds 3]
#
# knot-signed: knotd (one UDP worker per core, its default) with automatic signing: policy ecdsap256sha256,
#   single-type-signing (one CSK), NSEC3 with 0 iterations and no salt (RFC 9276). Started fresh for each of its
#   turns (new keys, the zone signed at load): the time from start to a signed answer is printed too.
# akkadns-edge: a cluster as in qps.sh (scripts/cluster-up.sh --zones 1 --edges 1, Release, PostgreSQL journal); the
#   zone is imported unsigned through the admin API, then signed with POST …/zones/bench.example./dnssec/enable
#   (AkkaDns's defaults are the same: ECDSAP256SHA256, one CSK, NSEC3 "1 0 0 -"). The zones node signs; the edge
#   serves what it is sent. The cluster stays up (idle) while Knot runs.
# Before the rounds, and before each server's run, bench/dnsprobe.py checks the answers are signed (DNSKEY with its
# RRSIG, the zone's last name's A with its RRSIG, a random name NXDOMAIN with NSEC3 and RRSIGs): the script fails if
# not. Memory: PSS and anonymous PSS (see bench/lib.sh's rss_kb) of Knot unsigned and signed (one start each, before
# round 1) and of the AkkaDns edge and zones node before and after the enable; per record = (signed − unsigned) /
# records. Every daemon is stopped by PID, the cluster by scripts/cluster-down.sh, also on Ctrl-C. KEEP_WORK=1 keeps
# the work folder.
set -euo pipefail
RECORDS=100000; SECONDS_EACH=5; CLIENTS=4; ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2;; --seconds) SECONDS_EACH=$2; shift 2;;
    --clients) CLIENTS=$2; shift 2;; --rounds) ROUNDS=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
for t in dnsperf knotd dig dotnet python3 curl; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install dnsperf knot bind9-dnsutils)" >&2; exit 2; }
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" # free_port wait_dns stop_pid rss_kb load run_load med ratio
WORK=$(mktemp -d /tmp/akkadns-qps-signed.XXXXXX)
PIDS=()
CLUSTER_DIR=""
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid "$p"; done
  [ -n "$CLUSTER_DIR" ] && [ -f "$CLUSTER_DIR/cluster.env" ] && "$ROOT/scripts/cluster-down.sh" --dir "$CLUSTER_DIR" >/dev/null 2>&1
  [ -n "${KEEP_WORK:-}" ] && echo "# kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
RUN_LOAD_OPTS="-D" # DO=1 (dnsperf sends EDNS0 then)
PROBE="$ROOT/bench/dnsprobe.py"
LAST="h$((RECORDS / 2 - 1)).bench.example."

echo "# building AkkaDns (Release)…" >&2
dotnet build "$ROOT/src/Cluster" -c Release -nologo -v q >/dev/null
AKKADNS="$ROOT/src/Cluster/bin/Release/net10.0/akkadns.dll"
python3 "$ROOT/bench/genzone.py" --records "$RECORDS" --zone "$WORK/bench.zone" --queries "$WORK/queries.txt" --query-count 500000

start_knot() { # zonefile port signed(0|1) -> pid
  local d="$WORK/knot-$2"; mkdir -p "$d"
  {
    cat <<CONF
server:
    listen: 127.0.0.1@$2
    rundir: $d
database:
    storage: $d
$(knot_rfc9276_policy)
template:
  - id: default
    storage: $d
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: bench.example.
    file: $1
CONF
    if [ "$3" = 1 ]; then printf '    dnssec-signing: on\n    dnssec-policy: rfc9276\n'; fi
  } > "$d/knot.conf"
  knotd -c "$d/knot.conf" >"$d/log" 2>&1 & echo $!
}
start_knot_signed() { start_knot "$1" "$2" 1; }
start_knot_plain() { start_knot "$1" "$2" 0; }

declare -A QPS MEAN P99 LOST LOAD0 LOAD1 KNOTSIGN
signed_or_die() { # port who: the answers must be signed, else the benchmark would measure unsigned answers
  if ! python3 "$PROBE" check "$1" bench.example. "$LAST" 2>"$WORK/probe.txt"; then
    echo "$2 (port $1) does not answer signed:" >&2; cat "$WORK/probe.txt" >&2; exit 1
  fi
}

# Knot's memory, unsigned then signed (one start each).
port=$(free_port); pid=$(start_knot_plain "$WORK/bench.zone" "$port"); PIDS+=("$pid")
wait_dns "$port" "$pid"; sleep 1
read -r KNOT_U KNOT_UA <<<"$(rss_kb "$pid")"; stop_pid "$pid"
echo "# knot unsigned: PSS $KNOT_U kB (anon $KNOT_UA)" >&2
port=$(free_port); pid=$(start_knot_signed "$WORK/bench.zone" "$port"); PIDS+=("$pid")
KNOTSIGN[0]=$(python3 "$PROBE" check "$port" bench.example. "$LAST" --wait 300 2>"$WORK/probe.txt") || {
  echo "knot: no signed answers within 300 s:" >&2; cat "$WORK/probe.txt" "$WORK/knot-$port/log" >&2; exit 1; }
cat "$WORK/probe.txt" >&2
sleep 1
read -r KNOT_S KNOT_SA <<<"$(rss_kb "$pid")"; stop_pid "$pid"
echo "# knot signed: PSS $KNOT_S kB (anon $KNOT_SA), signed answers ${KNOTSIGN[0]} s after start" >&2

# The AkkaDns cluster: import unsigned, measure, enable, wait for signed answers on the edge, measure.
CLUSTER_DIR="$WORK/cluster"
echo "# akkadns-edge: starting a cluster (1 zones node, 1 edge)…" >&2
CONFIGURATION=Release AKKADNS_DLL="$AKKADNS" "$ROOT/scripts/cluster-up.sh" --zones 1 --edges 1 --dir "$CLUSTER_DIR" >&2
# shellcheck disable=SC1091
. "$CLUSTER_DIR/cluster.env"
EDGE_ADDR=${EDGE_DNS%% *}; EDGE_PORT=${EDGE_ADDR##*:}
EDGE_PID=$(cat "$CLUSTER_DIR/node2.pid"); ZONES_PID=$(cat "$CLUSTER_DIR/node1.pid")
python3 "$ROOT/bench/import-zone.py" "$API" "$API_KEY" "$WORK/bench.zone"
t0=$SECONDS
until dig @127.0.0.1 -p "$EDGE_PORT" "$LAST" A +short +time=1 +tries=1 2>/dev/null | grep -qE '^[0-9.]+$'; do
  [ $((SECONDS - t0)) -lt 300 ] || { echo "the edge did not answer $LAST within 300 s" >&2; exit 1; }
  sleep 0.5
done
sleep 2
read -r EDGE_U EDGE_UA <<<"$(rss_kb "$EDGE_PID")"; read -r ZONES_U ZONES_UA <<<"$(rss_kb "$ZONES_PID")"
echo "# akkadns unsigned: edge PSS $EDGE_U kB (anon $EDGE_UA), zones node $ZONES_U kB (anon $ZONES_UA); enabling DNSSEC (load $(load))" >&2
t0=$(date +%s.%N)
# The enable may outlast the API's own 5 s wait (503) while the zones node signs: the edge decides.
code=$(curl -sS -o "$WORK/enable.json" -w '%{http_code}' -X POST -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d '{}' "$API/api/v1/servers/localhost/zones/bench.example./dnssec/enable" || true)
echo "# enable answered $code after $(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')") s: $(head -c 200 "$WORK/enable.json")" >&2
case "$code" in 2??|503) ;; *) echo "enable refused" >&2; exit 1;; esac
python3 "$PROBE" check "$EDGE_PORT" bench.example. "$LAST" --wait 600 2>"$WORK/probe.txt" >/dev/null || {
  echo "akkadns-edge: no signed answers within 600 s of the enable:" >&2; cat "$WORK/probe.txt" >&2; exit 1; }
EDGESIGN=$(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')")
cat "$WORK/probe.txt" >&2
sleep 3
read -r EDGE_S EDGE_SA <<<"$(rss_kb "$EDGE_PID")"; read -r ZONES_S ZONES_SA <<<"$(rss_kb "$ZONES_PID")"
echo "# akkadns signed ${EDGESIGN} s after the enable request: edge PSS $EDGE_S kB (anon $EDGE_SA), zones node $ZONES_S kB (anon $ZONES_SA)" >&2

SERVERS=(knot-signed akkadns-edge)
for r in $(seq 1 "$ROUNDS"); do
  LOAD0[$r]=$(load)
  port=$(free_port); pid=$(start_knot_signed "$WORK/bench.zone" "$port"); PIDS+=("$pid")
  KNOTSIGN[$r]=$(python3 "$PROBE" check "$port" bench.example. "$LAST" --wait 300 2>"$WORK/probe.txt") || {
    echo "knot: no signed answers within 300 s:" >&2; cat "$WORK/probe.txt" >&2; exit 1; }
  sleep 1
  echo "# round $r, knot-signed (signed ${KNOTSIGN[$r]} s after start): dnsperf -D for ${SECONDS_EACH}s on port $port (load $(load))" >&2
  run_load "knot-signed/$r" "$port"
  stop_pid "$pid"
  signed_or_die "$EDGE_PORT" akkadns-edge
  echo "# round $r, akkadns-edge: dnsperf -D for ${SECONDS_EACH}s on $EDGE_ADDR (load $(load))" >&2
  run_load "akkadns-edge/$r" "$EDGE_PORT"
  LOAD1[$r]=$(load)
done
read -r EDGE_R EDGE_RA <<<"$(rss_kb "$EDGE_PID")"; read -r ZONES_R ZONES_RA <<<"$(rss_kb "$ZONES_PID")"
ERRORS=$(cat "$CLUSTER_DIR"/node*.log | grep -cE ' (fail|crit): |Exception' || true) # grep -c exits 1 on no match
if [ "$ERRORS" -gt 0 ]; then
  echo "# node logs, lines at fail/crit level or naming an exception (first 10):" >&2
  grep -hE ' (fail|crit): |Exception' "$CLUSTER_DIR"/node*.log | cut -c1-400 | head -10 >&2
fi
"$ROOT/scripts/cluster-down.sh" --dir "$CLUSTER_DIR" >/dev/null 2>&1 || true; CLUSTER_DIR=""

echo
echo "AkkaDns signed answer-path benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, dnsperf -D (DO=1) on the same cores"
echo "zone: $RECORDS records, ECDSAP256SHA256 CSK, NSEC3 1 0 0 -; load: ${SECONDS_EACH}s per server and round, $CLIENTS clients, 70% hit / 15% NXDOMAIN / 15% NODATA; $ROUNDS rounds"
printf '%-6s %-16s %10s %10s %10s %8s %8s  %s\n' round server QPS mean_ms p99_ms lost vs_knot "load avg (1/5/15 min) at start -> end of round"
for r in $(seq 1 "$ROUNDS"); do
  for s in "${SERVERS[@]}"; do
    k="$s/$r"
    printf '%-6s %-16s %10s %10s %10s %8s %8s  %s\n' "$r" "$s" "${QPS[$k]:-?}" "${MEAN[$k]:-?}" "${P99[$k]:-?}" "${LOST[$k]:-?}" \
      "$(ratio "${QPS[$k]:-}" "${QPS[knot-signed/$r]:-}")x" "$([ "$s" = knot-signed ] && echo "${LOAD0[$r]} -> ${LOAD1[$r]}")"
  done
done
echo
printf '%-16s %12s %12s %12s %16s  %s\n' server median_QPS median_mean median_p99 median_vs_knot "per-round ratios"
for s in "${SERVERS[@]}"; do
  q=() m=() p=() rs=()
  for r in $(seq 1 "$ROUNDS"); do
    q+=("${QPS[$s/$r]:-}"); m+=("${MEAN[$s/$r]:-}"); p+=("${P99[$s/$r]:-}"); rs+=("$(ratio "${QPS[$s/$r]:-}" "${QPS[knot-signed/$r]:-}")")
  done
  printf '%-16s %12s %12s %12s %16s  %s\n' "$s" "$(med 0 "${q[@]}")" "$(med 3 "${m[@]}")" "$(med 3 "${p[@]}")" "$(med 2 "${rs[@]}")x" "${rs[*]}"
done
ks=(); for r in $(seq 0 "$ROUNDS"); do ks+=("${KNOTSIGN[$r]}"); done
echo "signed answers after: knot (start, zone signed at load) ${ks[*]} s; akkadns edge ${EDGESIGN} s after the enable request"
echo
printf '%-16s %14s %12s %20s %10s %22s %10s\n' server pss_unsigned_MB pss_signed_MB signed_extra_B_per_rec vs_knot anon_signed_extra_B_rec vs_knot
kx=$(python3 -c "print(($KNOT_S-$KNOT_U)*1024/$RECORDS)"); kax=$(python3 -c "print(($KNOT_SA-$KNOT_UA)*1024/$RECORDS)")
for row in "knot $KNOT_U $KNOT_S $KNOT_UA $KNOT_SA" "akkadns-edge $EDGE_U $EDGE_S $EDGE_UA $EDGE_SA" "zones-node $ZONES_U $ZONES_S $ZONES_UA $ZONES_SA" \
           "edge-after-runs $EDGE_U $EDGE_R $EDGE_UA $EDGE_RA" "zones-after-runs $ZONES_U $ZONES_R $ZONES_UA $ZONES_RA"; do
  read -r n a b aa ab <<<"$row"
  x=$(python3 -c "print(($b-$a)*1024/$RECORDS)"); ax=$(python3 -c "print(($ab-$aa)*1024/$RECORDS)")
  printf '%-16s %14.1f %12.1f %20.0f %10s %22.0f %10s\n' "$n" "$(python3 -c "print($a/1024)")" "$(python3 -c "print($b/1024)")" "$x" \
    "$(python3 -c "print(f'{$x/$kx:.2f}x')")" "$ax" "$(python3 -c "print(f'{$ax/$kax:.2f}x')")"
done
echo "(memory = PSS of the daemon and its children; signed extra per record = (PSS signed − PSS unsigned) / $RECORDS records; knot: two starts, before round 1; akkadns: the same edge and zones node before and 3 s after the enable, and again after the rounds: *-after-runs)"
echo "node logs: $ERRORS lines logged at fail/crit level or naming an exception"
