#!/usr/bin/env bash
# DNS UPDATE benchmark (prints figures; not a test). Starts 1 zones node + E edges with scripts/cluster-up.sh
# (PostgreSQL journal), makes a zone whose ALLOW-DNSUPDATE-FROM is 127.0.0.0/8 (unsigned UPDATEs: the TSIG cost is
# not measured), then through ONE edge's DNS port over UDP:
#   1. N sequential UPDATEs (each adds one A record at a new name): UPDATEs per second, reply latency p50/p99, and the
#      time from each UPDATE's NOERROR reply until EVERY edge answers the new record (p50 / p90 / p99 / max);
#   2. N UPDATEs from 16 concurrent clients: UPDATEs per second and reply latency p50/p99;
#   3. the same two through the admin API (PATCH of one A RRset per request, 204) for comparison.
#
#   bench/update.sh [--updates 500] [--edges 2] [--concurrency 16] [--keep]
#
# Build Release first for meaningful figures: CONFIGURATION=Release (default Debug, as cluster-up.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
updates=500 edges=2 concurrency=16 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --updates) updates=$2; shift 2 ;;
    --edges) edges=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "update.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
dir=$(mktemp -d /tmp/akkadns-bench-XXXXXX)
cleanup() { [ "$keep" = 1 ] || "$root/scripts/cluster-down.sh" --dir "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$root/scripts/cluster-up.sh" --zones 1 --edges "$edges" --dir "$dir" >&2
# shellcheck disable=SC1091
. "$dir/cluster.env"

python3 - "$API" "$API_KEY" "$EDGE_DNS" "$updates" "$concurrency" <<'PY'
import json, random, socket, struct, sys, threading, time, urllib.request

api, key, edges, n, conc = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4]), int(sys.argv[5])
edges = [(e.rsplit(":", 1)[0], int(e.rsplit(":", 1)[1])) for e in edges]
first = edges[0]
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED", 6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE"}

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(api + path, data=data, method=method, headers={"X-API-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read()

def name_wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"

def update_msg(qid, zone, owner, addr):
    m = struct.pack(">HHHHHH", qid, 5 << 11, 1, 0, 1, 0) + name_wire(zone) + struct.pack(">HH", 6, 1)
    return m + name_wire(owner) + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(addr)

def query(name):
    qid = random.randint(0, 65535)
    return qid, struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + name_wire(name) + struct.pack(">HH", 1, 1)

def ask(sock, msg, qid, edge):
    sock.sendto(msg, edge)
    while True:
        data, _ = sock.recvfrom(4096)
        if struct.unpack(">H", data[:2])[0] == qid: return data

def answered(sock, edge, name):
    qid, q = query(name)
    try: data = ask(sock, q, qid, edge)
    except OSError: return False
    return struct.unpack(">H", data[6:8])[0] > 0

zone = "upd-bench.example."
master = f"$ORIGIN {zone}\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
call("POST", "/api/v1/servers/localhost/zones", {"name": zone, "kind": "Native", "zone": master})
call("PUT", f"/api/v1/servers/localhost/zones/{zone}/metadata/ALLOW-DNSUPDATE-FROM", {"metadata": ["127.0.0.0/8"]})

usock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); usock.settimeout(5)
probes = []
for e in edges:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2); probes.append((s, e))

def send_update(sock, owner, addr):
    qid = random.randint(0, 65535)
    start = time.perf_counter()
    data = ask(sock, update_msg(qid, zone, owner, addr), qid, first)
    return data[3] & 0xF, (time.perf_counter() - start) * 1000

# the edge has the metadata once an UPDATE is not REFUSED
deadline = time.time() + 30
while True:
    rc, _ = send_update(usock, "warmup." + zone, "10.255.0.1")
    if rc == 0: break
    if time.time() > deadline: raise SystemExit(f"UPDATE still {RCODES.get(rc, rc)} after 30 s")
    time.sleep(0.2)

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))]

lock = threading.Lock()

def sequential(label, send, prefix, net):
    """n changes one after the other, each waited for until every edge answers it."""
    reply, seen = [], []
    t0 = time.perf_counter()
    for i in range(n):
        owner = f"{prefix}{i}.{zone}"
        ok, ms, what = send(owner, f"10.{net}.{(i >> 8) & 255}.{i & 255}")
        if not ok: raise SystemExit(f"{label} {i}: {what}")
        replied = time.perf_counter(); reply.append(ms)
        pending = list(probes)
        while pending:
            pending = [(s, e) for s, e in pending if not answered(s, e, owner)]
            if pending and time.perf_counter() - replied > 30: raise SystemExit(f"{owner} not answered by {[e for _, e in pending]}")
        seen.append((time.perf_counter() - replied) * 1000)
    elapsed = time.perf_counter() - t0
    print(f"{label} sequential: {n} in {elapsed:.2f} s (with the every-edge wait) = {n / elapsed:.0f}/s;"
          f" reply ms p50 {pct(reply, 50):.2f} p99 {pct(reply, 99):.2f}; reply -> every edge ({len(edges)}) answers ms"
          f" p50 {pct(seen, 50):.2f} p90 {pct(seen, 90):.2f} p99 {pct(seen, 99):.2f} max {max(seen):.2f}")

def concurrent(label, make_send, prefix, net):
    """n changes from conc clients at once."""
    lat, errors = [], []
    def worker(w):
        send = make_send()
        for i in range(w, n, conc):
            try: ok, ms, what = send(f"{prefix}{i}.{zone}", f"10.{net}.{(i >> 8) & 255}.{i & 255}")
            except OSError as e: ok, ms, what = False, 0, type(e).__name__
            with lock:
                (lat if ok else errors).append(ms if ok else what)
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(conc)]
    t0 = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - t0
    print(f"{label} concurrent: {n} from {conc} clients in {elapsed:.2f} s = {len(lat) / elapsed:.0f}/s;"
          f" reply ms p50 {pct(lat, 50):.2f} p99 {pct(lat, 99):.2f}; failed {len(errors)} {sorted(set(map(str, errors)))}")

def update_sender(sock):
    def send(owner, addr):
        rc, ms = send_update(sock, owner, addr)
        return rc == 0, ms, RCODES.get(rc, rc)
    return send

def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(10); return s

def patch(owner, addr):
    """The same change through the admin API: PATCH one A RRset (204)."""
    start = time.perf_counter()
    code, _ = call("PATCH", f"/api/v1/servers/localhost/zones/{zone}", {"rrsets": [{"name": owner, "type": "A", "ttl": 60,
        "changetype": "REPLACE", "records": [{"content": addr, "disabled": False}]}]})
    return code == 204, (time.perf_counter() - start) * 1000, f"HTTP {code}"

sequential("UPDATE", update_sender(usock), "s", 1)
concurrent("UPDATE", lambda: update_sender(udp_socket()), "c", 2)
_, body = call("GET", f"/api/v1/servers/localhost/zones/{zone}")
print(f"zone {zone}: serial {json.loads(body)['serial']} (one step per UPDATE)")

# 3. The same through the admin API, for comparison.
sequential("API PATCH", patch, "p", 3)
concurrent("API PATCH", lambda: patch, "q", 4)
PY
