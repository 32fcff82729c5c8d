#!/usr/bin/env python3
"""DO=1 probes for the signed benchmarks (bench/qps-signed.sh, bench/sign.sh); plain sockets, no dnspython.

   bench/dnsprobe.py check PORT ZONE NAME [--wait SECONDS]
       Checks that the server on 127.0.0.1:PORT answers ZONE's DNSKEY with an RRSIG over it, NAME's A with an RRSIG
       over A, and a random name of the zone with NXDOMAIN, NSEC3 records and their RRSIGs. Prints one line per check;
       exits 1 when one fails. With --wait, polls (every 0.2 s, bounded) until all pass and prints the seconds taken.

   bench/dnsprobe.py changes API KEY ZONE PORT N [--timeout SECONDS] [--first INDEX]
       N single-RRset changes through the admin API (PATCH /zones/ZONE, REPLACE of h{INDEX+i}.ZONE A with a new
       address), one after the other; after each, polls the edge at 127.0.0.1:PORT (DO=1, every ~1 ms) until it answers
       the new address with an RRSIG over A. Prints per change the PATCH's own time and the time from sending the
       PATCH to the signed answer, then p50/p99/max of both. A change not answered within --timeout (default 10 s)
       counts as a timeout (printed, and the exit status is 1).

   bench/dnsprobe.py changes-update PORT ZONE N [--timeout SECONDS] [--first INDEX]
       The same N changes as DNS UPDATEs (RFC 2136, unsigned, over UDP) to 127.0.0.1:PORT (e.g. Knot with an update
       ACL for 127.0.0.1), then the same polling of that server; "PATCH" in the output is the UPDATE's round trip.
"""
import json, os, random, socket, struct, sys, time, urllib.request

T_A, T_NS, T_SOA, T_AAAA, T_OPT, T_RRSIG, T_NSEC, T_DNSKEY, T_NSEC3 = 1, 2, 6, 28, 41, 46, 47, 48, 50


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(port, name, qtype, timeout=1.0, sock=None):
    """One UDP query with EDNS0 (4096) and DO=1; returns (rcode, answer, authority) with sections as lists of
    (type, rdata bytes), or None on a timeout."""
    qid = random.randrange(65536)
    msg = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 1) + encode_name(name) + struct.pack(">HH", qtype, 1)
    msg += b"\0" + struct.pack(">HHIH", T_OPT, 4096, 0x8000, 0)
    own = sock is None
    s = sock or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout)
        s.sendto(msg, ("127.0.0.1", port))
        deadline = time.monotonic() + timeout
        while True:
            s.settimeout(max(0.001, deadline - time.monotonic()))
            data, _ = s.recvfrom(65535)
            if len(data) >= 12 and struct.unpack(">H", data[:2])[0] == qid:
                return parse(data)
    except socket.timeout:
        return None
    finally:
        if own:
            s.close()


def skip_name(data, i):
    while True:
        n = data[i]
        if n == 0:
            return i + 1
        if n & 0xC0 == 0xC0:
            return i + 2
        i += n + 1


def parse(data):
    _, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", data[:12])
    i = 12
    for _ in range(qd):
        i = skip_name(data, i) + 4
    sections = []
    for count in (an, ns):
        rrs = []
        for _ in range(count):
            i = skip_name(data, i)
            rtype, _, _, rdlen = struct.unpack(">HHIH", data[i:i + 10])
            i += 10
            rrs.append((rtype, data[i:i + rdlen]))
            i += rdlen
        sections.append(rrs)
    return flags & 0xF, sections[0], sections[1]


def covered(rrs):
    return {struct.unpack(">H", rd[:2])[0] for t, rd in rrs if t == T_RRSIG}


def checks(port, zone, name):
    """[(ok, text)] for the three checks."""
    out = []
    r = query(port, zone, T_DNSKEY)
    ok = r is not None and r[0] == 0 and any(t == T_DNSKEY for t, _ in r[1]) and T_DNSKEY in covered(r[1])
    out.append((ok, f"{zone} DNSKEY: " + ("no answer" if r is None else f"rcode {r[0]}, {sum(t == T_DNSKEY for t, _ in r[1])} DNSKEY, RRSIG over {sorted(covered(r[1]))}")))
    r = query(port, name, T_A)
    ok = r is not None and r[0] == 0 and any(t == T_A for t, _ in r[1]) and T_A in covered(r[1])
    out.append((ok, f"{name} A: " + ("no answer" if r is None else f"rcode {r[0]}, {sum(t == T_A for t, _ in r[1])} A, RRSIG over {sorted(covered(r[1]))}")))
    nx = f"nx-probe-{random.randrange(10**9)}.{zone}"
    r = query(port, nx, T_A)
    n3 = 0 if r is None else sum(t == T_NSEC3 for t, _ in r[2])
    ok = r is not None and r[0] == 3 and n3 >= 1 and T_NSEC3 in covered(r[2]) and T_SOA in covered(r[2])
    out.append((ok, f"{nx} A: " + ("no answer" if r is None else f"rcode {r[0]}, {n3} NSEC3 in authority, RRSIG over {sorted(covered(r[2]))}")))
    return out


def update(port, zone, owner, addr, timeout=10.0):
    """One DNS UPDATE: delete OWNER's A RRset, add OWNER A ADDR (TTL 3600). Returns the rcode (None on a timeout)."""
    qid = random.randrange(65536)
    msg = struct.pack(">HHHHHH", qid, 5 << 11, 1, 0, 2, 0) + encode_name(zone) + struct.pack(">HH", T_SOA, 1)
    msg += encode_name(owner) + struct.pack(">HHIH", T_A, 255, 0, 0)                              # delete the RRset
    msg += encode_name(owner) + struct.pack(">HHIH", T_A, 1, 3600, 4) + socket.inet_aton(addr)    # add the record
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(msg, ("127.0.0.1", port))
        try:
            while True:
                data, _ = s.recvfrom(65535)
                if struct.unpack(">H", data[:2])[0] == qid:
                    return struct.unpack(">H", data[2:4])[0] & 0xF
        except socket.timeout:
            return None


def patch(url, key, owner, addr):
    """One single-RRset change through the admin API: REPLACE OWNER's A RRset by ADDR."""
    body = json.dumps({"rrsets": [{"name": owner, "type": "A", "ttl": 3600, "changetype": "REPLACE",
                                   "records": [{"content": addr, "disabled": False}]}]}).encode()
    req = urllib.request.Request(url, data=body, method="PATCH", headers={"X-API-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p))] if v else float("nan")


def main():
    args = sys.argv[1:]
    if args and args[0] == "check":
        port, zone, name = int(args[1]), args[2], args[3]
        wait = float(args[args.index("--wait") + 1]) if "--wait" in args else 0.0
        t0 = time.monotonic()
        while True:
            result = checks(port, zone, name)
            if all(ok for ok, _ in result) or time.monotonic() - t0 >= wait:
                break
            time.sleep(0.2)
        for ok, text in result:
            print(("ok   " if ok else "FAIL ") + text, file=sys.stderr)
        if wait:
            print(f"{time.monotonic() - t0:.2f}")
        sys.exit(0 if all(ok for ok, _ in result) else 1)
    if args and args[0] in ("changes", "changes-update"):
        via_update = args[0] == "changes-update"
        what = "UPDATE" if via_update else "PATCH"
        if via_update:
            api, key, port, zone, n = None, None, int(args[1]), args[2], int(args[3])
        else:
            api, key, zone, port, n = args[1], args[2], args[3], int(args[4]), int(args[5])
        timeout = float(args[args.index("--timeout") + 1]) if "--timeout" in args else 10.0
        first = int(args[args.index("--first") + 1]) if "--first" in args else 0
        url = f"{api}/api/v1/servers/localhost/zones/{zone}" if api else None
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        patch_ms, signed_ms, timeouts = [], [], 0
        for i in range(n):
            owner = f"h{first + i}.{zone}"
            addr = f"198.51.{(i >> 8) & 255}.{i & 255}"
            want = socket.inet_aton(addr)
            t0 = time.monotonic()
            if via_update:
                rcode = update(port, zone, owner, addr)
                if rcode != 0:
                    sys.exit(f"change {i + 1}: UPDATE of {owner} answered rcode {rcode}")
            else:
                patch(url, key, owner, addr)
            t1 = time.monotonic()
            seen = None
            while time.monotonic() - t0 < timeout:
                r = query(port, owner, T_A, timeout=0.2, sock=sock)
                if r and r[0] == 0 and any(t == T_A and rd == want for t, rd in r[1]) and T_A in covered(r[1]):
                    seen = time.monotonic()
                    break
                time.sleep(0.001)
            patch_ms.append((t1 - t0) * 1000)
            if seen is None:
                timeouts += 1
                print(f"change {i + 1}: {owner} A {addr} not answered signed within {timeout} s", file=sys.stderr)
            else:
                signed_ms.append((seen - t0) * 1000)
                if os.environ.get("VERBOSE"):
                    print(f"change {i + 1}: {what} {patch_ms[-1]:.1f} ms, signed answer {signed_ms[-1]:.1f} ms", file=sys.stderr)
        fmt = lambda v: f"p50 {pct(v, 0.5):.1f} ms, p99 {pct(v, 0.99):.1f} ms, max {max(v) if v else float('nan'):.1f} ms"
        print(f"changes: {n}, answered signed: {len(signed_ms)}, timeouts (> {timeout} s): {timeouts}")
        print(f"{what} request → response: {fmt(patch_ms)}")
        print(f"{what} sent → signed answer: {fmt(signed_ms)}")
        sys.exit(1 if timeouts else 0)
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
