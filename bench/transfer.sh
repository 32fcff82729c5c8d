#!/usr/bin/env bash
# Zone-transfer benchmark (prints figures; not a test). Everything on 127.0.0.1, free ports, every daemon stopped by
# PID on exit (also on Ctrl-C). Needs Debian's knot (knotd, kdig), dnsperf, dig, python3 and the .NET SDK.
#
#   bench/transfer.sh [--records 1000000] [--rounds 3] [--changes 200] [--only-axfr] [--clients "kdig count"]
#
# 1. AXFR speed: the same generated zone (bench/genzone.py) served by knotd and by a single AkkaDns node (`akkadns run`,
#    SQLite; the zone imported through the admin API with bench/import-zone.py, ALLOW-AXFR-FROM 127.0.0.1). Rounds
#    alternate Knot, AkkaDns: wall time of `kdig AXFR +noall +stats`, the records and bytes kdig reports, MB/s, and
#    the median AkkaDns/Knot time ratio. Each round runs every client of --clients: kdig (parses every record, so it
#    may be the bottleneck) and count (bench/AkkaDns.Benchmarks axfr-client: reads the framed messages and counts
#    them, records and bytes, no parsing), each against Knot then AkkaDns.
# 2. Answer latency of the AkkaDns edge (dnsperf, -l 5) with AXFRs running back to back against it, and without.
# 3. Change -> Knot secondary: a second knotd is a secondary of the node for small.example. (ALSO-NOTIFY to it);
#    CHANGES times a TXT record is replaced (PATCH, 204), then the secondary's SOA serial is polled (UDP, every 2 ms,
#    bounded 30 s) until it equals the node's new serial: p50 / p99 / max from the PATCH's 204, and the part of it
#    until the node's own DNS port answers the new serial.
# --only-axfr (or ONLY_AXFR=1) stops after part 1. Environment: KEEP_WORK=1 keeps the work folder.
set -euo pipefail
RECORDS=1000000; ROUNDS=3; CHANGES=200; ONLY_AXFR=${ONLY_AXFR:-}; CLIENTS="kdig count"
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2;; --rounds) ROUNDS=$2; shift 2;; --changes) CHANGES=$2; shift 2;;
    --only-axfr) ONLY_AXFR=1; shift;; --clients) CLIENTS=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
for t in dnsperf knotd kdig dig dotnet python3; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install dnsperf knot knot-dnsutils)" >&2; exit 2; }
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/akkadns-xfr.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid "$p"; done
  [ -n "${KEEP_WORK:-}" ] && echo "# kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_dns() { # port pid [name]: until the server answers (bounded), failing early if it died
  local name=${3:-h1.bench.example}
  for _ in $(seq 1 240); do
    kill -0 "$2" 2>/dev/null || { echo "server $2 on port $1 exited before answering" >&2; return 1; }
    dig @127.0.0.1 -p "$1" "$name" A +short +time=1 +tries=1 2>/dev/null | grep -qE '^[0-9.]+$' && return 0
    sleep 0.5
  done
  echo "server on port $1 did not answer in time" >&2; return 1
}
stop_pid() { # the daemons are not our children (started in $(...)), so poll until they are gone
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime + stime, all threads
CLK_TCK=$(getconf CLK_TCK)

echo "# building AkkaDns (Release)…" >&2
build() { dotnet build "$1" -c Release -nologo -v q > "$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; exit 1; }; }
build "$ROOT/AkkaDns.sln"
AKKADNS="$ROOT/src/Cluster/bin/Release/net10.0/akkadns.dll"
case " $CLIENTS " in *" count "*)
  build "$ROOT/bench/AkkaDns.Benchmarks"
  COUNTER="$ROOT/bench/AkkaDns.Benchmarks/bin/Release/net10.0/AkkaDns.Benchmarks.dll";;
esac

python3 "$ROOT/bench/genzone.py" --records "$RECORDS" --zone "$WORK/bench.zone" --queries "$WORK/queries.txt" --query-count 200000
ZONE_RECORDS=$((RECORDS / 2 * 2 + 5)) # + SOA, 2 NS, 2 glue A (an AXFR shows the SOA twice: kdig counts it twice)

start_knot() { # zonefile port -> pid (config as bench/qps.sh: one worker per core, Knot's defaults)
  local d="$WORK/knot-$2"; mkdir -p "$d"
  cat > "$d/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$2
    rundir: $d
database:
    storage: $d
acl:
  - id: transfer-to-loopback
    address: 127.0.0.1
    action: transfer
template:
  - id: default
    storage: $d
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: bench.example.
    file: $1
    acl: transfer-to-loopback
CONF
  knotd -c "$d/knot.conf" >"$d/log" 2>&1 & echo $!
}
start_knot_secondary() { # port primary_port -> pid (tests/Cluster.Tests/Transfers/SecondaryServer.cs, address ACLs)
  local d="$WORK/knot2-$1"; mkdir -p "$d"
  cat > "$d/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$1
    rundir: "$d"
database:
    storage: "$d"
log:
  - target: stderr
    any: info
remote:
  - id: akkadns
    address: 127.0.0.1@$2
acl:
  - id: notify-from-akkadns
    address: 127.0.0.1
    action: notify
  - id: transfer-to-loopback
    address: 127.0.0.1
    action: transfer
zone:
  - domain: small.example.
    storage: "$d"
    master: akkadns
    acl: [notify-from-akkadns, transfer-to-loopback]
    zonefile-sync: -1
    zonefile-load: none
    journal-content: changes
CONF
  knotd -c "$d/knot.conf" >"$d/log" 2>&1 & echo $!
}
api() { # method path [json]: prints the HTTP status, the body goes to $WORK/api.out
  curl -s -o "$WORK/api.out" -w '%{http_code}' -X "$1" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$API$2"
}
axfr() { # client port out_prefix: wall seconds, records, bytes (kdig's ";; Received N B (M messages, R records)")
  local client=$1 t0 t1; shift
  if [ "$client" = count ]; then # prints "seconds records bytes messages" itself (bytes: the messages, no framing)
    dotnet "$COUNTER" axfr-client 127.0.0.1 "$1" bench.example. > "$2.txt" 2>&1 || true
    read -r secs recs bytes _ < "$2.txt" 2>/dev/null && [[ $recs =~ ^[0-9]+$ ]] && echo "$secs $recs $bytes" || echo "0 0 0"
    return
  fi
  t0=$(date +%s.%N)
  kdig @127.0.0.1 -p "$1" bench.example. AXFR +noall +stats +time=600 > "$2.txt" 2>&1 || true
  t1=$(date +%s.%N)
  python3 - "$t0" "$t1" "$2.txt" <<'PY'
import re, sys
t0, t1, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
m = re.search(r"Received (\d+) B \((\d+) messages?, (\d+) records?\)", open(path).read())
b, r = (int(m.group(1)), int(m.group(3))) if m else (0, 0)
print(f"{t1 - t0:.3f} {r} {b}")
PY
}

# --- the two servers ---------------------------------------------------------------------------------------------
KPORT=$(free_port); KPID=$(start_knot "$WORK/bench.zone" "$KPORT"); PIDS+=("$KPID")
DPORT=$(free_port); APORT=$(free_port); RPORT=$(free_port); API="http://127.0.0.1:$APORT"
dotnet "$AKKADNS" run --data "$WORK/node" --dns "127.0.0.1:$DPORT" --api "127.0.0.1:$APORT" \
  --port "$RPORT" --seed "akka.tcp://akkadns@127.0.0.1:$RPORT" >"$WORK/akkadns.log" 2>&1 &
APID=$!; PIDS+=("$APID")
wait_dns "$KPORT" "$KPID"
for _ in $(seq 1 240); do [ -s "$WORK/node/api-key" ] && break; kill -0 "$APID" || { echo "akkadns exited" >&2; exit 1; }; sleep 0.5; done
API_KEY=$(cat "$WORK/node/api-key")
for _ in $(seq 1 240); do
  [ "$(api GET /api/v1/servers/localhost/zones)" = 200 ] && break
  kill -0 "$APID" || { echo "akkadns exited (see $WORK/akkadns.log)" >&2; exit 1; }; sleep 0.5
done
LAST=$((RECORDS / 2 - 1))
echo "# importing $RECORDS records into AkkaDns (port $DPORT, API $APORT)…" >&2
T0=$SECONDS
python3 "$ROOT/bench/import-zone.py" "$API" "$API_KEY" "$WORK/bench.zone"
until dig @127.0.0.1 -p "$DPORT" "h$LAST.bench.example" A +short +time=1 +tries=1 2>/dev/null | grep -qE '^[0-9.]+$'; do
  [ $((SECONDS - T0)) -lt 1800 ] || { echo "the edge did not answer h$LAST within 1800 s" >&2; exit 1; }
  kill -0 "$APID" || { echo "akkadns exited (see $WORK/akkadns.log)" >&2; exit 1; }
  sleep 0.5
done
IMPORT_S=$((SECONDS - T0))
echo "# import answered after ${IMPORT_S}s" >&2
s=$(api PUT /api/v1/servers/localhost/zones/bench.example./metadata/ALLOW-AXFR-FROM '{"metadata":["127.0.0.1"]}')
case "$s" in 2*) ;; *) echo "ALLOW-AXFR-FROM: HTTP $s $(cat "$WORK/api.out")" >&2; exit 1;; esac
# Let the node settle after the import (the GC of the import's garbage, the cluster's catch-up) before timing
# transfers: until it uses under 10% of a core over a second, bounded 60 s.
SETTLE_S=0
for _ in $(seq 1 60); do
  a=$(cpu_ticks "$APID"); sleep 1; b=$(cpu_ticks "$APID"); SETTLE_S=$((SETTLE_S + 1))
  [ $((b - a)) -lt $((CLK_TCK / 10)) ] && break
done
IDLE_TICKS=$((b - a))
echo "# node settled after ${SETTLE_S}s (last second: $IDLE_TICKS/$CLK_TCK s CPU)" >&2
PSS_KNOT=$(pss_kb "$KPID"); PSS_AKKA=$(pss_kb "$APID")

# --- 1. AXFR speed ------------------------------------------------------------------------------------------------
echo "# AXFR rounds (load $(loadavg))…" >&2
LOAD_AXFR_BEFORE=$(loadavg)
: > "$WORK/rounds.txt"
for r in $(seq 1 "$ROUNDS"); do
  for c in $CLIENTS; do
    for s in knot akkadns; do
      [ $s = knot ] && { p=$KPORT; sp=$KPID; } || { p=$DPORT; sp=$APID; }
      c0=$(cpu_ticks "$sp")
      read -r secs recs bytes < <(axfr "$c" "$p" "$WORK/axfr-$c-$s-$r")
      cpu=$(awk -v a="$c0" -v b="$(cpu_ticks "$sp")" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", (b - a) / hz}')
      echo "$r $c $s $secs $recs $bytes $(loadavg | cut -d' ' -f1) $cpu" >> "$WORK/rounds.txt"
      echo "#   round $r $c $s: ${secs}s $recs records $bytes B, server CPU ${cpu}s" >&2
      [ "$recs" -gt 0 ] || { echo "#   $s AXFR failed: $(head -c 400 "$WORK/axfr-$c-$s-$r.txt")" >&2; }
    done
  done
done
LOAD_AXFR_AFTER=$(loadavg)
Q0=-; M0=-; P0=-; X0=-; L0=-; Q1=-; M1=-; P1=-; X1=-; L1=-; BG_N=-
if [ -z "$ONLY_AXFR" ]; then

# --- 2. edge latency with and without transfers ---------------------------------------------------------------------
run_load() { # name -> "qps mean_ms p99_ms max_ms lost"
  local out="$WORK/perf-$1.txt"
  dnsperf -s 127.0.0.1 -p "$DPORT" -d "$WORK/queries.txt" -l 5 -c 4 -q 200 -v > "$out" 2>&1 || true
  python3 - "$out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
lat = sorted(float(l.split()[-1]) for l in t.splitlines() if l.startswith("> "))
qps = re.search(r"Queries per second:\s+([\d.]+)", t); avg = re.search(r"Average Latency \(s\):\s+([\d.]+)", t)
lost = re.search(r"Queries lost:\s+(\d+)", t)
p99 = f"{lat[int(len(lat) * 0.99)] * 1000:.3f}" if lat else "n/a"
mx = f"{lat[-1] * 1000:.3f}" if lat else "n/a"
print(f"{float(qps.group(1)) if qps else 0:.0f} {float(avg.group(1)) * 1000 if avg else 0:.3f} {p99} {mx} {lost.group(1) if lost else '?'}")
PY
}
echo "# dnsperf 5 s against AkkaDns, idle…" >&2
read -r Q0 M0 P0 X0 L0 < <(run_load idle)
echo "# dnsperf 5 s against AkkaDns during AXFRs…" >&2
( end=$((SECONDS + 6)); n=0
  while [ $SECONDS -lt $end ]; do kdig @127.0.0.1 -p "$DPORT" bench.example. AXFR +noall +stats +time=600 > "$WORK/bg-axfr.txt" 2>&1 || true; n=$((n + 1)); done
  echo $n > "$WORK/bg-axfr.count" ) &
BG=$!
sleep 0.2
read -r Q1 M1 P1 X1 L1 < <(run_load xfr)
wait "$BG" || true
BG_N=$(cat "$WORK/bg-axfr.count" 2>/dev/null || echo ?)

# --- 3. change -> Knot secondary -------------------------------------------------------------------------------------
SPORT=$(free_port)
s=$(api POST /api/v1/servers/localhost/zones '{"name":"small.example.","kind":"Native","nameservers":["ns1.small.example."],"rrsets":[{"name":"ns1.small.example.","type":"A","ttl":300,"records":[{"content":"192.0.2.1","disabled":false}]}]}')
case "$s" in 2*) ;; *) echo "create small.example.: HTTP $s $(cat "$WORK/api.out")" >&2; exit 1;; esac
s=$(api PUT /api/v1/servers/localhost/zones/small.example./metadata/ALLOW-AXFR-FROM '{"metadata":["127.0.0.1"]}')
case "$s" in 2*) ;; *) echo "ALLOW-AXFR-FROM small: HTTP $s $(cat "$WORK/api.out")" >&2; exit 1;; esac
SPID=$(start_knot_secondary "$SPORT" "$DPORT"); PIDS+=("$SPID")
s=$(api PUT /api/v1/servers/localhost/zones/small.example./metadata/ALSO-NOTIFY "{\"metadata\":[\"127.0.0.1:$SPORT\"]}")
case "$s" in 2*) ;; *) echo "ALSO-NOTIFY small: HTTP $s $(cat "$WORK/api.out")" >&2; exit 1;; esac
wait_dns "$SPORT" "$SPID" ns1.small.example # Knot retries a refused first AXFR after ~18 s
echo "# secondary on port $SPORT has small.example.; $CHANGES changes…" >&2
python3 - "$API" "$API_KEY" "$DPORT" "$SPORT" "$CHANGES" > "$WORK/changes.txt" <<'PY'
import json, random, socket, struct, sys, time, urllib.request
api, key, dport, sport, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def serial(port, timeout=0.5):
    qid = random.randint(0, 65535)
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + b"\x05small\x07example\x00" + struct.pack(">HH", 6, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(timeout)
    try:
        s.sendto(q, ("127.0.0.1", port))
        while True:
            d, _ = s.recvfrom(4096)
            if struct.unpack(">H", d[:2])[0] == qid: break
    except OSError: return None
    finally: s.close()
    if struct.unpack(">H", d[6:8])[0] == 0: return None
    i = 12 + len(b"\x05small\x07example\x00") + 4
    i += 2 if d[i] & 0xC0 == 0xC0 else len(b"\x05small\x07example\x00")
    i += 10                                   # type, class, ttl, rdlength
    for _ in range(2):                        # mname, rname
        while True:
            l = d[i]
            if l == 0: i += 1; break
            if l & 0xC0 == 0xC0: i += 2; break
            i += l + 1
    return struct.unpack(">I", d[i:i + 4])[0]
def patch(k):
    body = json.dumps({"rrsets": [{"name": "x.small.example.", "type": "TXT", "ttl": 60, "changetype": "REPLACE",
                                   "records": [{"content": f'"{k}"', "disabled": False}]}]}).encode()
    req = urllib.request.Request(api + "/api/v1/servers/localhost/zones/small.example.", data=body, method="PATCH",
                                 headers={"X-API-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r: return r.status
timeouts = 0
for k in range(n):
    before = serial(dport)
    status = patch(k)
    t0 = time.monotonic()
    new = None
    while time.monotonic() - t0 < 30:
        p = serial(dport, 0.2)
        if p is not None and p != before: new = p; break
        time.sleep(0.002)
    t_node = time.monotonic() - t0
    if new is None: print(f"# change {k}: the node's serial did not move from {before}", file=sys.stderr); timeouts += 1; continue
    while time.monotonic() - t0 < 30:
        s = serial(sport, 0.2)
        if s is not None and (s - new) % 2**32 < 2**31: break   # equal (or newer: a later serial already)
        time.sleep(0.002)
    else:
        print(f"# change {k}: the secondary stayed at {s}, node at {new}", file=sys.stderr); timeouts += 1; continue
    print(f"{(time.monotonic() - t0) * 1000:.2f} {status} {new} {t_node * 1000:.2f}")
print(f"# timeouts {timeouts}", file=sys.stderr)
PY
fi # ONLY_AXFR
LOAD_END=$(loadavg)

# --- the table ------------------------------------------------------------------------------------------------------
echo
echo "AkkaDns zone-transfer benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, kdig/dnsperf on the same cores"
echo "zone: $RECORDS records (+5 apex/glue), import through the API answered after ${IMPORT_S}s"
echo "node settled ${SETTLE_S}s after the import before the transfers (last second: $IDLE_TICKS/$CLK_TCK s CPU idle)"
echo "PSS after import: knotd $((PSS_KNOT / 1024)) MB, akkadns $((PSS_AKKA / 1024)) MB"
echo "load average: before AXFR rounds $LOAD_AXFR_BEFORE, after $LOAD_AXFR_AFTER, at the end $LOAD_END"
echo
echo "1. AXFR (wall time of the client: kdig +noall +stats, or count = axfr-client; bytes = kdig's 'Received N B'; MB = 10^6 B;"
echo "   cpu = the server process's user+system CPU seconds during the transfer, /proc/PID/stat, 1/$CLK_TCK s ticks)"
python3 - "$WORK/rounds.txt" $((ZONE_RECORDS + 1)) <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
expected = int(sys.argv[2])
print(f"{'round':>5} {'client':<6} {'server':<8} {'seconds':>9} {'records':>9} {'bytes':>11} {'MB/s':>8} {'load1':>6} {'cpu':>6}")
t, cpu = {}, {}
for r, c, s, secs, recs, b, load, cs in rows:
    secs, b = float(secs), int(b)
    whole = int(recs) == expected # an incomplete transfer (client timeout, cut) is shown but not counted
    t.setdefault(c, {"knot": [], "akkadns": []})[s].append(secs if whole else None)
    cpu.setdefault(s, []).append(float(cs))
    print(f"{r:>5} {c:<6} {s:<8} {secs:>9.3f} {recs:>9} {b:>11} {b / 1e6 / secs if secs else 0:>8.1f} {load:>6} {cs:>6}"
          + ("" if whole else f"  INCOMPLETE (expected {expected})"))
for c, tc in t.items():
    k = [x for x in tc["knot"] if x]; a = [x for x in tc["akkadns"] if x]
    if not k or not a: print(f"{c}: no complete transfer from one of the servers"); continue
    mk, ma = statistics.median(k), statistics.median(a)
    pairs = [y / x for x, y in zip(tc["knot"], tc["akkadns"]) if x and y]
    print(f"{c}: median seconds knot {mk:.3f}, akkadns {ma:.3f}; akkadns/knot time ratio {ma / mk:.2f}x"
          f" (per-round ratios {', '.join(f'{x:.2f}' for x in pairs)})")
if cpu.get("knot") and cpu.get("akkadns"):
    mk, ma = statistics.median(cpu["knot"]), statistics.median(cpu["akkadns"])
    print(f"server CPU per transfer (all clients): median knot {mk:.2f} s, akkadns {ma:.2f} s"
          + (f"; ratio {ma / mk:.2f}x" if mk > 0 else ""))
PY
if [ -z "$ONLY_AXFR" ]; then
echo
echo "2. AkkaDns answer latency (dnsperf -l 5 -c 4 -q 200; p99/max from dnsperf -v per-query latencies)"
printf '%-22s %9s %9s %9s %9s %7s\n' condition QPS mean_ms p99_ms max_ms lost
printf '%-22s %9s %9s %9s %9s %7s\n' idle "$Q0" "$M0" "$P0" "$X0" "$L0"
printf '%-22s %9s %9s %9s %9s %7s\n' "during AXFR ($BG_N back to back)" "$Q1" "$M1" "$P1" "$X1" "$L1"
echo
echo "3. change -> Knot secondary (PATCH 204 -> secondary's SOA serial = node's new serial, NOTIFY + IXFR)"
python3 - "$WORK/changes.txt" "$CHANGES" <<'PY'
import sys
v = sorted(float(l.split()[0]) for l in open(sys.argv[1]) if l.strip())
n = int(sys.argv[2])
if not v: print("no change reached the secondary"); sys.exit()
q = lambda p: v[min(len(v) - 1, int(len(v) * p))]
print(f"changes {len(v)}/{n}: p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, max {v[-1]:.1f} ms, min {v[0]:.1f} ms")
e = sorted(float(l.split()[3]) for l in open(sys.argv[1]) if l.strip())
q = lambda p: e[min(len(e) - 1, int(len(e) * p))]
print(f"  of which until the node itself answers the new serial: p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, max {e[-1]:.1f} ms")
PY
fi # ONLY_AXFR
if grep -qiE 'error|exception' "$WORK/akkadns.log"; then
  echo; echo "akkadns log: $(grep -ciE 'error|exception' "$WORK/akkadns.log") lines with error/exception, first:"
  grep -iE 'error|exception' "$WORK/akkadns.log" | head -5
fi
