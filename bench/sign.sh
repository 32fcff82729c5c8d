#!/usr/bin/env bash
# Signing benchmark (issue 14): how long the zones node takes to sign a large zone, and how long a change takes to
# reach the edge signed. Knot signing the same zone is the reference.
#
#   bench/sign.sh [--records 100000] [--big-records 1000000] [--small-records 100] [--changes 100] [--timeout 10]
#                 [--big-timeout 420] [--no-knot] [--no-akkadns] [--config FILE]
#
# 1. Sign a zone: a cluster as in qps.sh (scripts/cluster-up.sh --zones 1 --edges 1, Release, PostgreSQL journal)
#    gets bench.example. (--records, bench/genzone.py) unsigned through the admin API; once the edge answers its last
#    name, POST …/zones/bench.example./dnssec/enable (ECDSAP256SHA256 CSK, NSEC3 1 0 0 -). Measured: from the enable
#    request until the edge answers the zone's DNSKEY with an RRSIG, the zone's last name's A with an RRSIG and a random
#    name with NXDOMAIN + NSEC3 (bench/dnsprobe.py check). The same for big.example. (--big-records; 0 skips it),
#    bounded by --big-timeout seconds.
# 2. Change → signed answer: --changes single-RRset changes (PATCH …/zones/bench.example. rrsets, REPLACE of one A
#    RRset), one after the other; after each, the edge is polled (DO=1, ~1 ms apart, --timeout seconds at most) until it
#    answers the new address with its RRSIG: p50/p99/max from sending the PATCH. The same on a signed zone of
#    --small-records records ("dnssec": true at creation), to show what depends on the zone's size.
# Knot reference (--no-knot skips it; --no-akkadns runs only it): knotd with the policy of qps-signed.sh on the
# --records zone: the time from start to signed answers (it signs at load), and the same changes as DNS UPDATEs (update
# ACL for 127.0.0.1); then a knotd on the --big-records zone: the time to signed answers and its PSS.
# --config FILE: a HOCON overlay for the cluster's nodes (scripts/cluster-up.sh --config), e.g. a longer journal
# call-timeout. Every daemon is stopped by PID, the cluster by scripts/cluster-down.sh, also on Ctrl-C. KEEP_WORK=1
# keeps the work folder (with the node logs).
set -euo pipefail
RECORDS=100000; BIG=1000000; SMALL=100; CHANGES=100; TIMEOUT=10; BIG_TIMEOUT=420; KNOT=1; AKKA=1; OVERLAY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2;; --big-records) BIG=$2; shift 2;; --small-records) SMALL=$2; shift 2;;
    --changes) CHANGES=$2; shift 2;; --timeout) TIMEOUT=$2; shift 2;; --big-timeout) BIG_TIMEOUT=$2; shift 2;;
    --no-knot) KNOT=0; shift;; --no-akkadns) AKKA=0; shift;; --config) OVERLAY=(--config "$(realpath "$2")"); shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
for t in knotd dig dotnet python3 curl; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install knot bind9-dnsutils)" >&2; exit 2; }
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" # free_port stop_pid rss_kb load
WORK=$(mktemp -d /tmp/akkadns-sign.XXXXXX)
PIDS=()
CLUSTER_DIR=""
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid "$p"; done
  [ -n "$CLUSTER_DIR" ] && [ -f "$CLUSTER_DIR/cluster.env" ] && "$ROOT/scripts/cluster-down.sh" --dir "$CLUSTER_DIR" >/dev/null 2>&1
  [ -n "${KEEP_WORK:-}" ] && echo "# kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
PROBE="$ROOT/bench/dnsprobe.py"
now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now)-$1:.1f}')"; }
declare -A OUT

echo "# building AkkaDns (Release)…" >&2
dotnet build "$ROOT/src/Cluster" -c Release -nologo -v q >/dev/null
AKKADNS="$ROOT/src/Cluster/bin/Release/net10.0/akkadns.dll"
python3 "$ROOT/bench/genzone.py" --records "$RECORDS" --zone "$WORK/bench.zone"
python3 "$ROOT/bench/genzone.py" --records "$SMALL" --origin small.example. --zone "$WORK/small.zone"
[ "$BIG" -gt 0 ] && python3 "$ROOT/bench/genzone.py" --records "$BIG" --origin big.example. --zone "$WORK/big.zone"

start_knot() { # zone zonefile dir -> port (and PID in KNOT_PID): knotd signing ZONE, UPDATEs allowed from 127.0.0.1
  local port d=$3; port=$(free_port); mkdir -p "$d"
  cat > "$d/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$port
    rundir: $d
database:
    storage: $d
acl:
  - id: local-update
    address: 127.0.0.1
    action: update
$(knot_rfc9276_policy)
template:
  - id: default
    storage: $d
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: $1
    file: $2
    dnssec-signing: on
    dnssec-policy: rfc9276
    acl: local-update
CONF
  knotd -c "$d/knot.conf" >"$d/log" 2>&1 &
  KNOT_PID=$!; PIDS+=("$KNOT_PID"); echo "$port" >"$d/port"
}
if [ "$KNOT" = 1 ]; then
  d="$WORK/knot"
  echo "# knot: starting on the $RECORDS-record zone (load $(load))" >&2
  start_knot bench.example. "$WORK/bench.zone" "$d"; port=$(cat "$d/port"); pid=$KNOT_PID
  OUT[knot-sign]=$(python3 "$PROBE" check "$port" bench.example. "h$((RECORDS / 2 - 1)).bench.example." --wait 300 2>"$WORK/probe.txt") || {
    echo "knot: no signed answers within 300 s" >&2; cat "$WORK/probe.txt" "$d/log" >&2; exit 1; }
  OUT[knot-sign-load]=$(load)
  echo "# knot: signed answers ${OUT[knot-sign]} s after start; $CHANGES UPDATEs (load $(load))" >&2
  OUT[knot-changes]=$(python3 "$PROBE" changes-update "$port" bench.example. "$CHANGES" --timeout "$TIMEOUT") || true
  OUT[knot-changes-load]=$(load)
  stop_pid "$pid"
  if [ "$BIG" -gt 0 ]; then
    echo "# knot: starting on the $BIG-record zone (load $(load))" >&2
    d="$WORK/knot-big"; start_knot big.example. "$WORK/big.zone" "$d"; port=$(cat "$d/port"); pid=$KNOT_PID
    OUT[knot-big]=$(python3 "$PROBE" check "$port" big.example. "h$((BIG / 2 - 1)).big.example." --wait "$BIG_TIMEOUT" 2>"$WORK/probe.txt") || {
      OUT[knot-big]="> $BIG_TIMEOUT (not signed in time)"; cat "$WORK/probe.txt" >&2; }
    OUT[knot-big-load]=$(load)
    read -r kb _ <<<"$(rss_kb "$pid")"; OUT[knot-big-pss]=$((kb / 1024))
    stop_pid "$pid"
  fi
fi

if [ "$AKKA" = 1 ]; then
CLUSTER_DIR="$WORK/cluster"
echo "# akkadns: starting a cluster (1 zones node, 1 edge)…" >&2
CONFIGURATION=Release AKKADNS_DLL="$AKKADNS" "$ROOT/scripts/cluster-up.sh" --zones 1 --edges 1 --dir "$CLUSTER_DIR" "${OVERLAY[@]}" >&2
# shellcheck disable=SC1091
. "$CLUSTER_DIR/cluster.env"
EDGE_ADDR=${EDGE_DNS%% *}; EDGE_PORT=${EDGE_ADDR##*:}

sign_zone() { # zone zonefile records timeout key: import unsigned, wait for the edge, enable, time until signed answers
  local zone=$1 file=$2 records=$3 limit=$4 key=$5 last t0 code
  last="h$(($3 / 2 - 1)).$zone"
  echo "# akkadns: importing $zone ($records records, load $(load))" >&2
  python3 "$ROOT/bench/import-zone.py" "$API" "$API_KEY" "$file" "$zone"
  t0=$SECONDS
  until dig @127.0.0.1 -p "$EDGE_PORT" "$last" A +short +time=1 +tries=1 2>/dev/null | grep -qE '^[0-9.]+$'; do
    [ $((SECONDS - t0)) -lt 600 ] || { echo "the edge did not answer $last within 600 s of the import" >&2; return 1; }
    sleep 0.5
  done
  sleep 2
  echo "# akkadns: enabling DNSSEC on $zone (load $(load))" >&2
  OUT[$key-load0]=$(load)
  t0=$(now)
  # The zones node may sign for longer than the API's own wait (a 503 then): the edge decides.
  code=$(curl -sS -o "$WORK/enable.json" -w '%{http_code}' --max-time 600 -X POST -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
    -d '{}' "$API/api/v1/servers/localhost/zones/$zone/dnssec/enable" || true)
  OUT[$key-enable]="$code after $(since "$t0") s"
  echo "# akkadns: enable answered ${OUT[$key-enable]}: $(head -c 160 "$WORK/enable.json")" >&2
  case "$code" in 2??|503) ;; *) echo "enable of $zone refused" >&2; return 1;; esac
  if python3 "$PROBE" check "$EDGE_PORT" "$zone" "$last" --wait "$limit" >/dev/null 2>"$WORK/probe.txt"; then
    OUT[$key]=$(since "$t0")
  else
    OUT[$key]="> $limit (not signed on the edge in time)"; cat "$WORK/probe.txt" >&2
  fi
  OUT[$key-load1]=$(load)
  echo "# akkadns: $zone signed on the edge after ${OUT[$key]} s" >&2
}

sign_zone bench.example. "$WORK/bench.zone" "$RECORDS" 600 sign
echo "# akkadns: $CHANGES PATCHes of bench.example. (load $(load))" >&2
OUT[changes-load0]=$(load)
OUT[changes]=$(python3 "$PROBE" changes "$API" "$API_KEY" bench.example. "$EDGE_PORT" "$CHANGES" --timeout "$TIMEOUT") || true
OUT[changes-load1]=$(load)

echo "# akkadns: small.example. ($SMALL records, signed at creation), $CHANGES PATCHes (load $(load))" >&2
python3 - "$API" "$API_KEY" "$WORK/small.zone" <<'PY'
import json, sys, urllib.request
api, key, path = sys.argv[1:4]
body = json.dumps({"name": "small.example.", "kind": "Native", "dnssec": True, "zone": open(path).read()}).encode()
req = urllib.request.Request(api + "/api/v1/servers/localhost/zones", data=body, method="POST",
                             headers={"X-API-Key": key, "Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=60).read()
PY
python3 "$PROBE" check "$EDGE_PORT" small.example. "h$((SMALL / 2 - 1)).small.example." --wait 60 >/dev/null 2>"$WORK/probe.txt" || {
  echo "small.example. not signed on the edge within 60 s" >&2; cat "$WORK/probe.txt" >&2; exit 1; }
OUT[small-load0]=$(load)
OUT[small]=$(python3 "$PROBE" changes "$API" "$API_KEY" small.example. "$EDGE_PORT" "$CHANGES" --timeout "$TIMEOUT") || true
OUT[small-load1]=$(load)

if [ "$BIG" -gt 0 ]; then
  sign_zone big.example. "$WORK/big.zone" "$BIG" "$BIG_TIMEOUT" big || OUT[big]="failed (see above)"
fi
ERRORS=$(cat "$CLUSTER_DIR"/node*.log | grep -cE ' (fail|crit): |Exception' || true) # grep -c exits 1 on no match
if [ "$ERRORS" -gt 0 ]; then
  echo "# node logs, lines at fail/crit level or naming an exception (first 10):" >&2
  grep -hE ' (fail|crit): |Exception' "$CLUSTER_DIR"/node*.log | cut -c1-400 | head -10 >&2
fi
"$ROOT/scripts/cluster-down.sh" --dir "$CLUSTER_DIR" >/dev/null 2>&1 || true; CLUSTER_DIR=""
fi

echo
echo "AkkaDns signing benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; ECDSAP256SHA256 CSK, NSEC3 1 0 0 -"
if [ "$KNOT" = 1 ]; then
  echo "knot, $RECORDS records: signed answers ${OUT[knot-sign]} s after start (signs at load; load ${OUT[knot-sign-load]})"
  echo "knot, $CHANGES DNS UPDATEs of one A RRset (load at end ${OUT[knot-changes-load]}):"
  sed 's/^/    /' <<<"${OUT[knot-changes]}"
  [ "$BIG" -gt 0 ] && echo "knot, $BIG records: signed answers ${OUT[knot-big]} s after start (PSS then ${OUT[knot-big-pss]:-?} MB; load at end ${OUT[knot-big-load]})"
fi
if [ "$AKKA" = 1 ]; then
echo "akkadns, $RECORDS records: enable request → edge answers DNSKEY, h$((RECORDS / 2 - 1)) and NSEC3 signed: ${OUT[sign]} s (enable answered ${OUT[sign-enable]}; load ${OUT[sign-load0]} -> ${OUT[sign-load1]})"
if [ "$BIG" -gt 0 ]; then
  echo "akkadns, $BIG records: enable request → edge answers signed: ${OUT[big]:-?} s (enable answered ${OUT[big-enable]:-?}; load ${OUT[big-load0]:-?} -> ${OUT[big-load1]:-?})"
fi
echo "akkadns, $CHANGES PATCHes of one A RRset, $RECORDS-record signed zone, edge polled until signed (load ${OUT[changes-load0]} -> ${OUT[changes-load1]}):"
sed 's/^/    /' <<<"${OUT[changes]}"
echo "akkadns, $CHANGES PATCHes of one A RRset, $SMALL-record signed zone (load ${OUT[small-load0]} -> ${OUT[small-load1]}):"
sed 's/^/    /' <<<"${OUT[small]}"
echo "node logs: $ERRORS lines logged at fail/crit level or naming an exception"
fi
