#!/usr/bin/env bash
# Propagation benchmark (prints figures; not a test). Starts 1 zones node + E edges with scripts/cluster-up.sh
# (PostgreSQL journal), then:
#   1. N sequential changes (PATCH of one A record through the admin API): time from the API's 2xx (accept) until
#      EVERY edge answers the new address over UDP; p50 / p90 / p99 / max.
#   2. optionally (--import RECORDS) a zone of RECORDS A records imported in one request: time from accept until
#      every edge answers its last record, and whether any edge was drained meanwhile.
#
#   bench/propagation.sh [--changes 1000] [--edges 3] [--import 100000] [--keep]
#
# Build Release first for meaningful figures: CONFIGURATION=Release (default Debug, as cluster-up.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
changes=1000 edges=3 import=0 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --changes) changes=$2; shift 2 ;;
    --edges) edges=$2; shift 2 ;;
    --import) import=$2; shift 2 ;;
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

python3 - "$API" "$API_KEY" "$EDGE_DNS" "$changes" "$import" <<'PY'
import json, socket, struct, sys, time, urllib.request, random

api, key, edges, changes, import_n = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4]), int(sys.argv[5])
edges = [(e.rsplit(":", 1)[0], int(e.rsplit(":", 1)[1])) for e in edges]

def call(method, path, body=None, timeout=120):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(api + path, data=data, method=method, headers={"X-API-Key": key, "Content-Type": "application/json"})
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
    except socket.timeout:
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

if import_n > 0:
    big = "big.example."
    lines = [f"$ORIGIN {big}", "$TTL 300", "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300", "@ IN NS ns1", "ns1 IN A 192.0.2.53"]
    lines += [f"h{i} IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}" for i in range(import_n)]
    t0 = time.perf_counter()
    call("POST", "/api/v1/servers/localhost/zones", {"name": big, "kind": "Native", "zone": "\n".join(lines) + "\n"}, timeout=300)
    accepted = time.perf_counter()
    last = import_n - 1
    done = wait_all(f"h{last}.{big}", f"10.{(last >> 16) & 255}.{(last >> 8) & 255}.{last & 255}", limit=120)
    _, body = call("GET", "/api/v1/datacenters")
    drained = [d["name"] for d in json.loads(body)["datacenters"] if d["state"] != "serving"]
    print(f"import: {import_n} records; request {1000 * (accepted - t0):.0f} ms; accept -> answered by every edge {1000 * (done - accepted):.0f} ms; "
          f"drained during import: {drained or 'none'}")
PY
