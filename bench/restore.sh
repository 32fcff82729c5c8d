#!/usr/bin/env bash
# Restore benchmark (prints figures; not a test). Issue 5: "restore in seconds".
# Starts 1 zones node + E edges with scripts/cluster-up.sh (PostgreSQL journal), then:
#   1. creates Z zones of R records each (default 10,000 × 100 = 1,000,000 records) through the admin API, in
#      parallel requests; waits until every edge answers them; notes the time T;
#   2. changes every zone (one A record replaced in each: 1 RRset, below the blast-radius guard);
#   3. `akkadns restore --to-time T` (held, as every fleet restore) and `akkadns change confirm ID` (with
#      --confirm-key KEY when the two-person rule is on; default: the cluster's key);
#   4. prints the time from the confirmation until every edge answers the restored data: a few hundred random zones
#      (--sample) on every edge, plus every zone on the first edge, over UDP.
#
#   bench/restore.sh [--zones 10000] [--records 100] [--edges 3] [--sample 300] [--parallel 32] [--confirm-key KEY]
#                    [--max-lag 5s] [--keep]
#
# --max-lag: the DeliverySupervisor's drain threshold (default: the configured 5 s). A drained edge stops answering,
# so a run that drains an edge shows it in the times (and in the final datacenter states).
# Quick check: bench/restore.sh --zones 1000. Build Release first for meaningful figures: CONFIGURATION=Release.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
zones=10000 records=100 edges=3 sample=300 parallel=32 confirm_key="" keep=0 max_lag=5s
while [ $# -gt 0 ]; do
  case "$1" in
    --zones) zones=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --edges) edges=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --confirm-key) confirm_key=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --max-lag) max_lag=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "restore.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ "$records" -ge 4 ] || { echo "restore.sh: --records must be at least 4 (SOA, NS, ns1, www)" >&2; exit 2; }
dll=${AKKADNS_DLL:-$root/src/Cluster/bin/${CONFIGURATION:-Debug}/net10.0/akkadns.dll}
[ -f "$dll" ] || dotnet build "$root/src/Cluster" -c "${CONFIGURATION:-Debug}" -v q -nologo >&2
dir=$(mktemp -d /tmp/akkadns-bench-restore-XXXXXX)
cleanup() {
  if [ "$keep" = 1 ]; then echo "cluster kept: $dir/c (stop: scripts/cluster-down.sh --dir $dir/c)" >&2; return; fi
  "$root/scripts/cluster-down.sh" --dir "$dir/c" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
# A confirmed restore answers once every zone is rolled back: give the API (and the CLI) room for 10k zones.
printf 'akkadns.node.ask-timeout = 60s\n' >"$dir/overlay.conf"
AKKADNS_PROPAGATION_MAX_LAG=$max_lag AKKADNS_DLL=$dll "$root/scripts/cluster-up.sh" --zones 1 --edges "$edges" --dir "$dir/c" --config "$dir/overlay.conf" >&2
# shellcheck disable=SC1091
. "$dir/c/cluster.env"

AKKADNS="dotnet $dll" python3 - "$API" "$API_KEY" "$EDGE_DNS" "$zones" "$records" "$sample" "$parallel" "${confirm_key:-$API_KEY}" <<'PY'
import datetime, http.client, json, os, random, re, select, socket, struct, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

api, key, edges, Z, R, sample_n, parallel, confirm_key = sys.argv[1], sys.argv[2], sys.argv[3].split(), *map(int, sys.argv[4:8]), sys.argv[8]
edges = [(e.rsplit(":", 1)[0], int(e.rsplit(":", 1)[1])) for e in edges]
u = urlparse(api)
local = threading.local()

def call(method, path, body=None, ctype="application/json"):
    if not hasattr(local, "c"): local.c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    for attempt in range(2):
        try:
            local.c.request(method, path, body=data, headers={"X-API-Key": key, "Content-Type": ctype})
            r = local.c.getresponse(); text = r.read()
            return r.status, text
        except (http.client.HTTPException, ConnectionError):
            local.c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    raise RuntimeError(f"{method} {path}: connection failed twice")

def zone(i): return f"z{i}.bench.example."
def addr(net, i): return f"10.{net}.{(i >> 8) & 255}.{i & 255}"
def master(i):
    lines = [f"$ORIGIN {zone(i)}", "$TTL 300", "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300", "@ IN NS ns1",
             "ns1 IN A 192.0.2.53", f"www IN A {addr(1, i)}"]
    lines += [f"h{k} IN A 10.3.{k & 255}.{i & 255}" for k in range(R - 4)]
    return "\n".join(lines) + "\n"

def parallel_run(what, fn, n):
    errors = []
    def one(i):
        try: fn(i)
        except Exception as e: errors.append(f"{zone(i)}: {e}")
    t0 = time.monotonic()
    with ThreadPoolExecutor(parallel) as pool: list(pool.map(one, range(n)))
    dt = time.monotonic() - t0
    if errors: sys.exit(f"{what}: {len(errors)} failed, e.g. {errors[:3]}")
    return dt

def create(i):
    s, t = call("POST", "/api/v1/servers/localhost/zones", {"name": zone(i), "kind": "Native", "zone": master(i)})
    if s != 201: raise RuntimeError(f"{s} {t[:200]}")

def change(i):
    body = {"rrsets": [{"name": "www." + zone(i), "type": "A", "ttl": 300, "changetype": "REPLACE",
                        "records": [{"content": addr(2, i), "disabled": False}]}]}
    s, t = call("PATCH", f"/api/v1/servers/localhost/zones/{zone(i)}", body)
    if s != 204: raise RuntimeError(f"{s} {t[:200]}")

def query(qid, name):
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."): q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)

def skip_name(m, p):
    while True:
        if m[p] == 0: return p + 1
        if m[p] & 0xC0 == 0xC0: return p + 2
        p += m[p] + 1

def first_a(m, an):
    p = skip_name(m, 12) + 4
    for _ in range(an):
        p = skip_name(m, p)
        rtype, _, _, length = struct.unpack(">HHIH", m[p:p + 10]); p += 10
        if rtype == 1 and length == 4: return ".".join(str(b) for b in m[p:p + 4])
        p += length
    return None

def answers(edge, names, window=1000, timeout=1.0):
    """The A address answered for each name (None: no answer or an error rcode)."""
    got = {}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.connect(edge); s.setblocking(False)
    for start in range(0, len(names), window):
        batch = {(start + j) & 0xFFFF: n for j, n in enumerate(names[start:start + window])}
        for qid, n in batch.items():
            try: s.send(query(qid, n))
            except OSError: pass
        deadline = time.monotonic() + timeout
        while batch and time.monotonic() < deadline:
            if not select.select([s], [], [], max(0, deadline - time.monotonic()))[0]: break
            try: m = s.recv(4096)
            except OSError: continue
            qid, flags, qd, an = struct.unpack(">HHHH", m[:8])
            n = batch.pop(qid, None)
            if n is None: continue
            got[n] = None if flags & 0xF else first_a(m, an)
    s.close()
    return got

def converged(net, ids_every, ids_first):
    wrong = 0
    for k, edge in enumerate(edges):
        ids = ids_first if k == 0 else ids_every
        names = ["www." + zone(i) for i in ids]
        got = answers(edge, names)
        wrong += sum(1 for i, n in zip(ids, names) if got.get(n) != addr(net, i))
    return wrong

def wait_for(net, what, limit=600):
    ids_every = random.sample(range(Z), min(sample_n, Z)); ids_first = list(range(Z))
    t0 = time.monotonic()
    while True:
        wrong = converged(net, ids_every, ids_first)
        if wrong == 0: return time.monotonic() - t0
        if time.monotonic() - t0 > limit:
            s, t = call("GET", "/api/v1/datacenters")
            sys.exit(f"{what}: still {wrong} wrong answers after {limit} s; datacenters: {t.decode()[:2000]}")
        time.sleep(0.1)

def cli(*args, timeout=900):
    cmd = os.environ["AKKADNS"].split() + list(args) + ["--node", api, "--timeout", str(timeout)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)

total = Z * R
print(f"restore benchmark: {Z} zones × {R} records = {total:,} records, {len(edges)} edges, {parallel} parallel API requests")
dt = parallel_run("create", create, Z)
print(f"create:   {dt:7.1f} s  ({Z / dt:,.0f} zones/s, {total / dt:,.0f} records/s through the API)")
dt = wait_for(1, "created")
print(f"          + {dt:5.1f} s until every edge answered (sample of {min(sample_n, Z)} zones on each, all {Z} on edge 1)")

time.sleep(1.1)
T = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
time.sleep(1.1)
dt = parallel_run("change", change, Z)
print(f"change:   {dt:7.1f} s  (one A record replaced in each zone, {Z / dt:,.0f} changes/s)")
dt = wait_for(2, "changed")
print(f"          + {dt:5.1f} s until every edge answered the changes")

t0 = time.monotonic()
r = cli("restore", "--to-time", T, "--api-key", key)
held = re.search(r"restore@\d+", r.stdout + r.stderr)
if not held:
    sys.exit(f"akkadns restore did not hold the restore (exit {r.returncode}): {r.stdout} {r.stderr}")
t_held = time.monotonic() - t0
r = cli("change", "confirm", held.group(0), "--api-key", confirm_key)
t_api = time.monotonic() - t0
if r.returncode != 0: sys.exit(f"akkadns change confirm failed (exit {r.returncode}): {r.stdout[-2000:]} {r.stderr[-2000:]}")
summary = [l for l in r.stdout.splitlines() if l.startswith("restore to")]
t_edges = wait_for(1, "restored") + t_api
print(f"restore:  akkadns restore --to-time {T} + akkadns change confirm {held.group(0)}")
print(f"          {summary[0] if summary else r.stdout.splitlines()[-1:]}")
print(f"          {t_held:7.1f} s  until the restore was held (akkadns restore returned)")
print(f"          {t_api:7.1f} s  until the confirmation returned (every zone rolled back and journaled)")
print(f"          {t_edges:7.1f} s  until every edge answered the restored data (goal: < 60 s)")
s, t = call("GET", "/api/v1/datacenters")
states = [d["state"] for d in json.loads(t)["datacenters"]]
print(f"datacenters: {', '.join(states)}")
PY
