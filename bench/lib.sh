# Helpers shared by bench/qps.sh and bench/qps-signed.sh (sourced, not run). They use the caller's globals: WORK (the
# work folder), SECONDS_EACH and CLIENTS (dnsperf), the associative arrays QPS MEAN P99 LOST (filled by run_load), and
# RUN_LOAD_OPTS (extra dnsperf options, e.g. -D for DO=1; empty in qps.sh).
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_dns() { # port pid: until the server answers (bounded), failing early if it died
  for _ in $(seq 1 240); do
    kill -0 "$2" 2>/dev/null || { echo "server $2 on port $1 exited before answering" >&2; return 1; }
    # an address, not just any output: dig +short prints ";; communications error … connection refused" on stdout
    # while nothing listens yet, which once made every server "answer" before it had loaded its zone
    dig @127.0.0.1 -p "$1" h1.bench.example A +short +time=1 +tries=1 2>/dev/null | grep -qE '^[0-9.]+$' && return 0
    sleep 0.5
  done
  echo "server on port $1 did not answer in time" >&2; return 1
}
stop_pid() { # the daemons are not our children (started in $(...)), so poll until they are gone
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
rss_kb() { # proportional set size (kB) of a daemon and its direct children: NSD serves from forked children that
  # share the zone pages with their parent copy-on-write, so PSS counts shared pages once, where RSS would not.
  # Prints "PSS anonymous-PSS": the file-backed part (program and libraries) is shared with whatever else maps the same
  # files (every dotnet process on the machine), so it moves with the machine's other work; the anonymous part holds
  # the zone.
  local total=0 anon=0 p
  for p in "$1" $(ps --ppid "$1" -o pid= 2>/dev/null); do
    total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
    anon=$((anon + $(awk '/^Pss_Anon:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$total $anon"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
run_load() { # key port [address]: one dnsperf run, its figures stored under key (e.g. knot/2)
  local out="$WORK/perf-${1//\//-}.txt"
  # shellcheck disable=SC2086 # a list of options
  dnsperf -s "${3:-127.0.0.1}" -p "$2" ${RUN_LOAD_OPTS:-} -d "$WORK/queries.txt" -l "$SECONDS_EACH" -c "$CLIENTS" -q 200 -v > "$out" 2>&1 || true
  QPS[$1]=$(awk '/Queries per second/ {printf "%.0f", $4}' "$out")
  MEAN[$1]=$(awk '/Average Latency/ {printf "%.3f", $4*1000}' "$out")
  LOST[$1]=$(awk '/Queries lost/ {print $3}' "$out")
  P99[$1]=$(awk '/^> / {print $NF}' "$out" | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else printf "%.3f", a[int(NR*0.99)]*1000}')
}
med() { python3 - "$@" <<'PY'
import statistics, sys
digits = int(sys.argv[1]); v = [float(x) for x in sys.argv[2:] if x not in ("", "?", "n/a")]
print(f"{statistics.median(v):.{digits}f}" if v else "n/a")
PY
}
ratio() { python3 -c "import sys; a,b=sys.argv[1:3]; print(f'{float(a)/float(b):.2f}' if a and b and float(b) > 0 else 'n/a')" "${1:-}" "${2:-}"; }
knot_rfc9276_policy() { # the knotd policy of the signed benchmarks: one ECDSA P-256 CSK, NSEC3 with no extra
  # iterations and no salt (RFC 9276), as AkkaDns signs by default
  cat <<'YAML'
policy:
  - id: rfc9276
    algorithm: ecdsap256sha256
    single-type-signing: on
    nsec3: on
    nsec3-iterations: 0
    nsec3-salt-length: 0
YAML
}
