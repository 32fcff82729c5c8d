#!/usr/bin/env bash
# Propagation benchmark (prints figures; not a test). Starts 1 zones node + E edges with scripts/cluster-up.sh
# (PostgreSQL journal), then:
#   1. N sequential changes (PATCH of one A record through the admin API): time from the API's 2xx (accept) until
#      EVERY edge answers the new address over UDP; p50 / p90 / p99 / max.
#   2. optionally (--import RECORDS) a zone of RECORDS A records imported in one request: time of the request, then
#      from accept until every edge answers its last record, and which edges (if any) the supervisor drained meanwhile
#      (its status is polled all along).
#   3. optionally (--catchup CHANGES, default 10000, 0 skips) the last edge is killed (kill -9 by its PID, then
#      `cluster down` through the API as an operator would), CHANGES changes are made without it, and it is started
#      again with the command that started it (DIR/nodeK.sh): time until it is ready, until it holds the latest
#      version (supervisor: 0 versions behind) and until it answers the latest change over DNS (after the
#      supervisor's hold-down re-admits it).
#
#   bench/propagation.sh [--changes 1000] [--edges 3] [--import 100000] [--catchup 10000] [--keep]
#
# Build Release first for meaningful figures: CONFIGURATION=Release (default Debug, as cluster-up.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
changes=1000 edges=3 import=0 catchup=10000 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --changes) changes=$2; shift 2 ;;
    --edges) edges=$2; shift 2 ;;
    --import) import=$2; shift 2 ;;
    --catchup) catchup=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "propagation.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
dir=$(mktemp -d /tmp/akkadns-bench-XXXXXX)
cleanup() { [ "$keep" = 1 ] || "$root/scripts/cluster-down.sh" --dir "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$root/scripts/cluster-up.sh" --zones 1 --edges "$edges" --dir "$dir" >&2
# shellcheck disable=SC1091
. "$dir/cluster.env"

python3 - "$API" "$API_KEY" "$EDGE_DNS" "$changes" "$import" "$catchup" "$dir" "$NODES" "$NODE_APIS" "$NODE_ADDRESSES" <<'PY'
import json, os, signal, socket, struct, subprocess, sys, threading, time, urllib.parse, urllib.request, random
from concurrent.futures import ThreadPoolExecutor

api, key, edges, changes, import_n = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4]), int(sys.argv[5])
catchup_n, cluster_dir, nodes = int(sys.argv[6]), sys.argv[7], int(sys.argv[8])
node_apis, node_addresses = sys.argv[9].split(), sys.argv[10].split()
edges = [(e.rsplit(":", 1)[0], int(e.rsplit(":", 1)[1])) for e in edges]

def call(method, path, body=None, timeout=120, base=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request((base or api) + path, data=data, method=method, headers={"X-API-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()

def query(name):
    qid = random.randint(0, 65535)
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return qid, q + b"\x00" + struct.pack(">HH", 1, 1)

def answered(sock, edge, name, addr_bytes):
    """True when the edge answers NAME A with exactly the expected address (answer section)."""
    qid, q = query(name)
    try:
        sock.sendto(q, edge)
        while True:
            data, _ = sock.recvfrom(4096)
            if struct.unpack(">H", data[:2])[0] == qid: break
    except OSError:                            # timeout, or the port closed (edge drained or down)
        return False
    if struct.unpack(">H", data[6:8])[0] == 0: return False
    def skip_name(i):
        while True:
            n = data[i]
            if n == 0: return i + 1
            if n & 0xC0 == 0xC0: return i + 2
            i += n + 1
    i = skip_name(12) + 4                      # question
    i = skip_name(i)                           # first answer's owner
    rtype, _, _, rdlen = struct.unpack(">HHIH", data[i:i + 10])
    return rtype == 1 and data[i + 10:i + 10 + rdlen] == addr_bytes

socks = []
for e in edges:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2); socks.append((s, e))

def wait_all(name, addr, limit=30.0):
    ab = socket.inet_aton(addr)
    pending = list(socks); start = time.perf_counter()
    while pending:
        pending = [(s, e) for s, e in pending if not answered(s, e, name, ab)]
        if pending and time.perf_counter() - start > limit:
            raise SystemExit(f"{name} {addr} not answered by {[e for _, e in pending]} within {limit}s")
    return time.perf_counter()

zone = "bench.example."
master = f"$ORIGIN {zone}\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\nwww IN A 10.0.0.0\n"
call("POST", "/api/v1/servers/localhost/zones", {"name": zone, "kind": "Native", "zone": master})
wait_all("www." + zone, "10.0.0.0")

lat = []
for i in range(1, changes + 1):
    addr = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
    body = {"rrsets": [{"name": "www." + zone, "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": addr, "disabled": False}]}]}
    call("PATCH", f"/api/v1/servers/localhost/zones/{zone}", body)
    accepted = time.perf_counter()
    done = wait_all("www." + zone, addr)
    lat.append((done - accepted) * 1000)

lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * len(lat) + 0.5)) - 1)]
print(f"changes: {len(lat)} sequential, {len(edges)} edges; accept -> answered by every edge (ms): "
      f"p50 {pct(50):.2f}  p90 {pct(90):.2f}  p99 {pct(99):.2f}  max {lat[-1]:.2f}")

def datacenters():
    _, body = call("GET", "/api/v1/datacenters", timeout=10)
    return json.loads(body)["datacenters"]

class DrainWatch:
    """Polls the supervisor's status in the background; remembers every datacenter seen drained."""
    def __init__(self):
        self.seen, self.stop = set(), threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True); self.thread.start()
    def run(self):
        while not self.stop.is_set():
            try: self.seen.update(d["name"] for d in datacenters() if d["state"] != "serving")
            except Exception: pass
            self.stop.wait(0.25)
    def done(self):
        self.stop.set(); self.thread.join(); return sorted(self.seen)

if import_n > 0:
    big = "big.example."
    lines = [f"$ORIGIN {big}", "$TTL 300", "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300", "@ IN NS ns1", "ns1 IN A 192.0.2.53"]
    lines += [f"h{i} IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}" for i in range(import_n)]
    watch = DrainWatch()
    t0 = time.perf_counter()
    call("POST", "/api/v1/servers/localhost/zones", {"name": big, "kind": "Native", "zone": "\n".join(lines) + "\n"}, timeout=300)
    accepted = time.perf_counter()
    last = import_n - 1
    done = wait_all(f"h{last}.{big}", f"10.{(last >> 16) & 255}.{(last >> 8) & 255}.{last & 255}", limit=120)
    drained = watch.done()
    print(f"import: {import_n} records; request (parse, validate, journal) {1000 * (accepted - t0):.0f} ms; accept -> answered by every edge "
          f"{1000 * (done - accepted):.0f} ms; total {1000 * (done - t0):.0f} ms; drained: {', '.join(drained) if drained else 'none'}")

if catchup_n > 0:
    k = nodes                                   # the last node is the last edge
    dc, edge = f"dc-{len(edges)}", edges[-1]
    pid = int(open(f"{cluster_dir}/node{k}.pid").read())
    os.kill(pid, signal.SIGKILL)
    while os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().split()[2] != "Z": time.sleep(0.05)
    call("POST", "/api/v1/cluster/down?address=" + urllib.parse.quote(node_addresses[k - 1], safe=""))
    # Changes while it is down: a rotating set of 100 names (the zone stays small), 4 requests in flight.
    def change(i):
        a = f"10.200.{(i >> 8) & 255}.{i & 255}"
        call("PATCH", f"/api/v1/servers/localhost/zones/{zone}",
             {"rrsets": [{"name": f"r{i % 100}.{zone}", "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": a, "disabled": False}]}]})
    t0 = time.perf_counter()
    with ThreadPoolExecutor(4) as pool: list(pool.map(change, range(catchup_n)))
    marker = "10.201.0.1"
    call("PATCH", f"/api/v1/servers/localhost/zones/{zone}",
         {"rrsets": [{"name": "www." + zone, "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": marker, "disabled": False}]}]})
    made = time.perf_counter() - t0
    _, body = call("GET", f"/api/v1/servers/localhost/zones/{zone}")
    latest = json.loads(body)["version"]
    out = f"{cluster_dir}/node{k}.out"
    readies = open(out).read().split().count("ready")
    t_start = time.perf_counter()
    subprocess.run(["bash", f"{cluster_dir}/node{k}.sh"], check=True, stdout=subprocess.DEVNULL)
    t_ready = t_caught = t_dns = None
    target = edge                               # (host, port)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
    mb = socket.inet_aton(marker)
    while t_dns is None or t_caught is None:
        now = time.perf_counter()
        if now - t_start > 300: raise SystemExit(f"catch-up: {dc} not caught up within 300 s (ready {t_ready}, caught {t_caught}); see {cluster_dir}/node{k}.log")
        if t_ready is None and open(out).read().split().count("ready") > readies: t_ready = now
        if t_caught is None:
            try:
                d = next((d for d in datacenters() if d["name"] == dc), None)
                if d and d["versions_behind"] == 0 and d["zones_behind"] == 0 and d["last_ack"] and t_ready is not None: t_caught = time.perf_counter()
            except Exception: pass
        if t_dns is None and answered(s, target, "www." + zone, mb): t_dns = time.perf_counter()
        time.sleep(0.02)
    if t_ready is None: t_ready = t_dns
    print(f"catch-up: {dc} down for {catchup_n + 1} changes (made in {made:.1f} s, zone at version {latest}); after restart: "
          f"ready {t_ready - t_start:.2f} s, holds the latest version {t_caught - t_start:.2f} s, "
          f"answers the latest change over DNS {t_dns - t_start:.2f} s (drained while down: re-admitted after the hold-down)")
PY
