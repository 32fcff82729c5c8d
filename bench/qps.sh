#!/usr/bin/env bash
# Answer-path benchmark: the same zone and the same dnsperf load against Knot DNS, NSD and AkkaDns on loopback.
# Prints one row per server and round (QPS, mean and p99 latency, lost, ratio to that round's Knot, with the load
# average at the start and end of each round), the median of each server's figures and of its per-round ratios to
# Knot, and resident memory per record. Installs nothing: needs Debian's dnsperf, knot and nsd (apt-get install
# dnsperf knot nsd) and the .NET SDK.
#
#   bench/qps.sh [--records 100000] [--seconds 10] [--big-records 1000000] [--clients 4] [--rounds 3] [--no-edge]
#                [--edge-big] [--baseline DLL]
#
# Rounds: the servers take turns (Knot, AkkaDns serve, NSD, edge, then again), each started fresh on the zone for
# its turn (the edge's cluster is started once and stays up, idle, while the others run), so a burst of load from
# elsewhere on the machine lands on one row instead of deciding the comparison. Knot and NSD run one worker per core
# (Knot's default; NSD's server-count = nproc), as their users would configure them here. --big-records 0 skips the
# big-zone memory figures.
#
# --baseline DLL adds a row akkadns-base in every round and in the memory table: `akkadns serve` from another build
# (e.g. main's, built elsewhere), so a change is measured before/after in the same rounds as the reference servers.
#
# --edge-big (after the rounds, the cluster still up): a second zone, big.example., of --big-records records is imported
# through the API; once the edge answers its last name, the PSS of the edge and of the zones node are read again, so
# (PSS after − PSS before) / records is each node's memory per record. Then the edge is stopped (SIGTERM) and started
# again with the same command (scripts/cluster-up.sh's nodeK.sh) on its local copies, and the time until it answers
# the big zone's last name is printed.
#
# The akkadns-edge row: a cluster (scripts/cluster-up.sh --zones 1 --edges 1, Release build, PostgreSQL journal
# through scripts/pg-up.sh) gets the same zone through the admin API; once its edge answers the zone's last name the
# same dnsperf load runs against the edge's DNS address. Its memory is measured with the 100k zone only (n/a for the
# big zone: a 1M-record import through the API is a propagation benchmark, bench/propagation.sh). --no-edge skips it
# (no PostgreSQL needed then). The cluster is stopped with scripts/cluster-down.sh.
#
# Every daemon it starts is stopped by PID, also on Ctrl-C. Rate limiting: AkkaDns exempts loopback by default, NSD's
# is turned off, Knot's is not configured. Memory is the proportional set size (PSS) of each daemon and its children.
# Environment: AKKADNS_ARGS adds options to `akkadns serve` (e.g. "--udp-batch 1"); KEEP_WORK=1 keeps the work folder.
set -euo pipefail
RECORDS=100000; SECONDS_EACH=10; BIG=1000000; CLIENTS=4; EDGE=1; ROUNDS=3; EDGE_BIG=0; BASELINE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2;; --seconds) SECONDS_EACH=$2; shift 2;;
    --big-records) BIG=$2; shift 2;; --clients) CLIENTS=$2; shift 2;; --no-edge) EDGE=0; shift;;
    --rounds) ROUNDS=$2; shift 2;; --edge-big) EDGE_BIG=1; shift;;
    --baseline) BASELINE=$(realpath "$2"); shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
for t in dnsperf knotd nsd dotnet python3; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install dnsperf knot nsd)" >&2; exit 2; }
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" # free_port wait_dns stop_pid rss_kb load run_load med ratio
WORK=$(mktemp -d /tmp/akkadns-qps.XXXXXX)
PIDS=()
CLUSTER_DIR=""
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid "$p"; done
  [ -n "$CLUSTER_DIR" ] && [ -f "$CLUSTER_DIR/cluster.env" ] && "$ROOT/scripts/cluster-down.sh" --dir "$CLUSTER_DIR" >/dev/null 2>&1
  [ -n "${KEEP_WORK:-}" ] && echo "# kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "# building AkkaDns (Release)…" >&2
dotnet build "$ROOT/src/Cluster" -c Release -nologo -v q >/dev/null
AKKADNS="$ROOT/src/Cluster/bin/Release/net10.0/akkadns.dll"

python3 "$ROOT/bench/genzone.py" --records "$RECORDS" --zone "$WORK/bench.zone" --queries "$WORK/queries.txt" --query-count 500000
if [ "$BIG" -gt 0 ]; then python3 "$ROOT/bench/genzone.py" --records "$BIG" --zone "$WORK/big.zone"; fi

start_knot() { # zonefile port -> pid
  local d="$WORK/knot-$2"; mkdir -p "$d"
  cat > "$d/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$2
    rundir: $d
database:
    storage: $d
template:
  - id: default
    storage: $d
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: bench.example.
    file: $1
CONF
  knotd -c "$d/knot.conf" >"$d/log" 2>&1 & echo $!
}
start_nsd() {
  local d="$WORK/nsd-$2"; mkdir -p "$d"
  cat > "$d/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$2
    port: $2
    username: ""
    chroot: ""
    zonesdir: "$d"
    database: ""
    zonelistfile: "$d/zone.list"
    pidfile: "$d/nsd.pid"
    xfrdfile: "$d/xfrd.state"
    xfrdir: "$d"
    server-count: $(nproc)
    verbosity: 0
    # NSD's built-in rate limiting (200/s per /24 by default) would throttle dnsperf on loopback: off.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: bench.example.
    zonefile: "$1"
CONF
  nsd -d -c "$d/nsd.conf" >"$d/log" 2>&1 & echo $!
}
start_akkadns() {
  # shellcheck disable=SC2086 # AKKADNS_ARGS is a list of extra options, e.g. "--udp-batch 1"
  dotnet "$AKKADNS" serve --zone "bench.example.=$1" --listen "127.0.0.1:$2" ${AKKADNS_ARGS:-} >"$WORK/akkadns-$2.log" 2>&1 & echo $!
}

start_base() { # the --baseline build's `akkadns serve`
  # shellcheck disable=SC2086
  dotnet "$BASELINE" serve --zone "bench.example.=$1" --listen "127.0.0.1:$2" ${AKKADNS_ARGS:-} >"$WORK/akkadns-base-$2.log" 2>&1 & echo $!
}
[ -z "$BASELINE" ] || [ -f "$BASELINE" ] || { echo "--baseline $BASELINE: no such file" >&2; exit 2; }

declare -A QPS MEAN P99 LOST RSS100 RSSBIG ANON100 ANONBIG LOAD0 LOAD1

measure() { # name starter round: a fresh daemon on the 100k zone, PSS before the load (first round), dnsperf, stop
  local name=$1 starter=$2 round=$3 port pid
  port=$(free_port); pid=$($starter "$WORK/bench.zone" "$port"); PIDS+=("$pid")
  wait_dns "$port" "$pid"; sleep 1
  if [ "$round" = 1 ]; then read -r RSS100[$name] ANON100[$name] <<<"$(rss_kb "$pid")"; fi
  echo "# round $round, $name: dnsperf for ${SECONDS_EACH}s on port $port (load $(load))" >&2
  run_load "$name/$round" "$port"
  stop_pid "$pid"
}

measure_big() { # name starter: PSS with the big zone
  local name=$1 starter=$2 port pid
  port=$(free_port); pid=$($starter "$WORK/big.zone" "$port"); PIDS+=("$pid")
  wait_dns "$port" "$pid"; sleep 2
  read -r RSSBIG[$name] ANONBIG[$name] <<<"$(rss_kb "$pid")"
  stop_pid "$pid"
}

EDGE_ADDR=""
start_edge() { # a one-edge cluster with the zone imported through the admin API; sets EDGE_ADDR once the edge answers
  CLUSTER_DIR="$WORK/cluster"
  echo "# akkadns-edge: starting a cluster (1 zones node, 1 edge)…" >&2
  CONFIGURATION=Release AKKADNS_DLL="$AKKADNS" "$ROOT/scripts/cluster-up.sh" --zones 1 --edges 1 --dir "$CLUSTER_DIR" >&2 || return 1
  # shellcheck disable=SC1091
  . "$CLUSTER_DIR/cluster.env"
  local edge=${EDGE_DNS%% *} last=$((RECORDS / 2 - 1)) t0
  python3 "$ROOT/bench/import-zone.py" "$API" "$API_KEY" "$WORK/bench.zone" || return 1
  t0=$SECONDS
  until dig @"${edge%:*}" -p "${edge##*:}" "h$last.bench.example" A +short +time=1 +tries=1 2>/dev/null | grep -qE '^[0-9.]+$'; do
    [ $((SECONDS - t0)) -lt 300 ] || { echo "the edge did not answer h$last within 300 s" >&2; return 1; }
    sleep 0.5
  done
  sleep 2
  read -r RSS100[akkadns-edge] ANON100[akkadns-edge] <<<"$(rss_kb "$(cat "$CLUSTER_DIR/node2.pid")")"
  read -r ZONES100 ZONESANON100 <<<"$(rss_kb "$(cat "$CLUSTER_DIR/node1.pid")")"
  EDGE_ADDR=$edge
}
measure_edge() { # round
  echo "# round $1, akkadns-edge: dnsperf for ${SECONDS_EACH}s on $EDGE_ADDR (load $(load))" >&2
  run_load "akkadns-edge/$1" "${EDGE_ADDR##*:}" "${EDGE_ADDR%:*}"
}

SERVERS=(knot akkadns-serve nsd)
[ -n "$BASELINE" ] && SERVERS+=(akkadns-base)
if [ "$EDGE" = 1 ]; then
  if start_edge; then SERVERS+=(akkadns-edge); else echo "# akkadns-edge: start-up failed (see above), skipped" >&2; fi
fi
for r in $(seq 1 "$ROUNDS"); do
  LOAD0[$r]=$(load)
  measure knot start_knot "$r"
  measure akkadns-serve start_akkadns "$r"
  measure nsd start_nsd "$r"
  if [ -n "$BASELINE" ]; then measure akkadns-base start_base "$r"; fi
  [ -n "$EDGE_ADDR" ] && measure_edge "$r"
  LOAD1[$r]=$(load)
done
wait_edge_big() { # seconds: until the edge answers the big zone's last name (bounded); prints the seconds it took
  local t0=$SECONDS last=$((BIG / 2 - 1))
  until dig @"${EDGE_ADDR%:*}" -p "${EDGE_ADDR##*:}" "h$last.big.example" A +short +time=1 +tries=1 2>/dev/null | grep -qE '^[0-9.]+$'; do
    [ $((SECONDS - t0)) -lt "$1" ] || return 1
    sleep 0.2
  done
}
EDGEBIG=""; ZONESBIG=""; RESTART=""
if [ -n "$EDGE_ADDR" ] && [ "$EDGE_BIG" = 1 ] && [ "$BIG" -gt 0 ]; then
  python3 "$ROOT/bench/genzone.py" --records "$BIG" --origin big.example. --zone "$WORK/big-edge.zone"
  echo "# akkadns-edge: importing $BIG records as big.example. (load $(load))" >&2
  t0=$(date +%s.%N)
  if python3 "$ROOT/bench/import-zone.py" "$API" "$API_KEY" "$WORK/big-edge.zone" big.example. && wait_edge_big 900; then
    echo "# akkadns-edge: big.example. answered $(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')") s after the import request" >&2
    sleep 5
    read -r EDGEBIG EDGEANONBIG <<<"$(rss_kb "$(cat "$CLUSTER_DIR/node2.pid")")"
    read -r ZONESBIG ZONESANONBIG <<<"$(rss_kb "$(cat "$CLUSTER_DIR/node1.pid")")"
    sleep 5 # let the edge's background writer finish its local copy before it is stopped
    echo "# akkadns-edge: restarting the edge on its local copies (load $(load))" >&2
    stop_pid "$(cat "$CLUSTER_DIR/node2.pid")"
    t0=$(date +%s.%N)
    "$CLUSTER_DIR/node2.sh" >/dev/null
    if wait_edge_big 600; then RESTART=$(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')"); else RESTART="> 600"; fi
  else
    echo "# akkadns-edge: the big zone did not reach the edge" >&2
  fi
fi
if [ -n "$EDGE_ADDR" ]; then "$ROOT/scripts/cluster-down.sh" --dir "$CLUSTER_DIR" >/dev/null 2>&1 || true; CLUSTER_DIR=""; fi
if [ "$BIG" -gt 0 ]; then
  echo "# memory with $BIG records (load $(load))" >&2
  measure_big knot start_knot; measure_big akkadns-serve start_akkadns; measure_big nsd start_nsd
  if [ -n "$BASELINE" ]; then measure_big akkadns-base start_base; fi
fi


echo
echo "AkkaDns answer-path benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, dnsperf on the same cores"
echo "zone: $RECORDS records; load: ${SECONDS_EACH}s per server and round, $CLIENTS clients, 70% hit / 15% NXDOMAIN / 15% NODATA; $ROUNDS rounds"
printf '%-6s %-16s %10s %10s %10s %8s %8s  %s\n' round server QPS mean_ms p99_ms lost vs_knot "load avg (1/5/15 min) at start -> end of round"
for r in $(seq 1 "$ROUNDS"); do
  for s in "${SERVERS[@]}"; do
    k="$s/$r"
    printf '%-6s %-16s %10s %10s %10s %8s %8s  %s\n' "$r" "$s" "${QPS[$k]:-?}" "${MEAN[$k]:-?}" "${P99[$k]:-?}" "${LOST[$k]:-?}" \
      "$(ratio "${QPS[$k]:-}" "${QPS[knot/$r]:-}")x" "$([ "$s" = knot ] && echo "${LOAD0[$r]} -> ${LOAD1[$r]}")"
  done
done
echo
printf '%-16s %12s %12s %12s %16s  %s\n' server median_QPS median_mean median_p99 median_vs_knot "per-round ratios"
for s in "${SERVERS[@]}"; do
  q=() m=() p=() rs=()
  for r in $(seq 1 "$ROUNDS"); do
    q+=("${QPS[$s/$r]:-}"); m+=("${MEAN[$s/$r]:-}"); p+=("${P99[$s/$r]:-}"); rs+=("$(ratio "${QPS[$s/$r]:-}" "${QPS[knot/$r]:-}")")
  done
  printf '%-16s %12s %12s %12s %16s  %s\n' "$s" "$(med 0 "${q[@]}")" "$(med 3 "${m[@]}")" "$(med 3 "${p[@]}")" "$(med 2 "${rs[@]}")x" "${rs[*]}"
done
if [ -n "$BASELINE" ]; then
  rs=()
  for r in $(seq 1 "$ROUNDS"); do rs+=("$(ratio "${QPS[akkadns-serve/$r]:-}" "${QPS[akkadns-base/$r]:-}")"); done
  echo "akkadns-serve / akkadns-base ($BASELINE): median $(med 2 "${rs[@]}")x, per round ${rs[*]}"
fi
echo
if [ "$BIG" -gt 0 ]; then
  printf '%-16s %14s %14s %16s %10s %16s %10s\n' server pss_${RECORDS}_MB pss_${BIG}_MB bytes_per_record vs_knot anon_bytes_per_rec vs_knot
  kbpr=$(python3 -c "print((${RSSBIG[knot]}-${RSS100[knot]})*1024/($BIG-$RECORDS))")
  kabpr=$(python3 -c "print((${ANONBIG[knot]}-${ANON100[knot]})*1024/($BIG-$RECORDS))")
  for s in "${SERVERS[@]}"; do
    if [ -z "${RSSBIG[$s]:-}" ]; then # the edge: 100k zone only
      printf '%-16s %14.1f %14s %16s %10s\n' "$s" "$(python3 -c "print(${RSS100[$s]:-0}/1024)")" n/a n/a n/a
      continue
    fi
    bpr=$(python3 -c "print((${RSSBIG[$s]}-${RSS100[$s]})*1024/($BIG-$RECORDS))")
    abpr=$(python3 -c "print((${ANONBIG[$s]}-${ANON100[$s]})*1024/($BIG-$RECORDS))")
    printf '%-16s %14.1f %14.1f %16.0f %10s %16.0f %10s\n' "$s" "$(python3 -c "print(${RSS100[$s]}/1024)")" \
      "$(python3 -c "print(${RSSBIG[$s]}/1024)")" "$bpr" "$(python3 -c "print(f'{$bpr/$kbpr:.2f}x')")" \
      "$abpr" "$(python3 -c "print(f'{$abpr/$kabpr:.2f}x')")"
  done
  if [ -n "$EDGEBIG" ]; then
    echo
    echo "cluster, one edge and one zones node, after adding big.example. ($BIG records) to the ${RECORDS}-record zone:"
    printf '%-16s %14s %14s %16s %10s %16s %10s\n' node pss_before_MB pss_after_MB bytes_per_record vs_knot anon_bytes_per_rec vs_knot
    for row in "akkadns-edge ${RSS100[akkadns-edge]} $EDGEBIG ${ANON100[akkadns-edge]} $EDGEANONBIG" "zones-node $ZONES100 $ZONESBIG $ZONESANON100 $ZONESANONBIG"; do
      read -r n a b aa ab <<<"$row"
      bpr=$(python3 -c "print(($b-$a)*1024/$BIG)")
      abpr=$(python3 -c "print(($ab-$aa)*1024/$BIG)")
      printf '%-16s %14.1f %14.1f %16.0f %10s %16.0f %10s\n' "$n" "$(python3 -c "print($a/1024)")" "$(python3 -c "print($b/1024)")" "$bpr" \
        "$(python3 -c "print(f'{$bpr/$kbpr:.2f}x')")" "$abpr" "$(python3 -c "print(f'{$abpr/$kabpr:.2f}x')")"
    done
    echo "edge restarted (SIGTERM, then its own start command) on its local copies: answered h$((BIG / 2 - 1)).big.example after ${RESTART} s"
  fi
  echo "(memory = proportional set size of the daemon and its children, the ${RECORDS}-record figure taken before round 1's load; bytes per record = (PSS with $BIG records − PSS with $RECORDS records) / $((BIG-RECORDS)); anon = the same with anonymous PSS only, which other processes mapping the same program files do not move)"
fi
