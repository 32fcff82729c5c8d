#!/usr/bin/env python3
"""Writes a benchmark zone of N records (half A, half AAAA on N/2 names) and a dnsperf query file:
70% existing names, 15% NXDOMAIN, 15% NODATA. Deterministic (seeded), so every run compares the same load."""
import argparse, random

p = argparse.ArgumentParser()
p.add_argument("--records", type=int, default=100_000)
p.add_argument("--origin", default="bench.example.")
p.add_argument("--zone", required=True)
p.add_argument("--queries", help="dnsperf query file to write")
p.add_argument("--query-count", type=int, default=200_000)
a = p.parse_args()

names = max(1, a.records // 2)
with open(a.zone, "w") as z:
    z.write(f"$ORIGIN {a.origin}\n$TTL 3600\n")
    z.write("@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\n@ IN NS ns2\n")
    z.write("ns1 IN A 192.0.2.53\nns2 IN A 192.0.2.54\n")
    for i in range(names):
        z.write(f"h{i} IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\n")
        z.write(f"h{i} IN AAAA 2001:db8::{i >> 16:x}:{i & 0xFFFF:x}\n")  # 16 bits per group

if a.queries:
    rnd = random.Random(42)
    with open(a.queries, "w") as q:
        for _ in range(a.query_count):
            r = rnd.random()
            i = rnd.randrange(names)
            if r < 0.70:
                q.write(f"h{i}.{a.origin} {'A' if rnd.random() < 0.5 else 'AAAA'}\n")
            elif r < 0.85:
                q.write(f"nx{i}.{a.origin} A\n")
            else:
                q.write(f"h{i}.{a.origin} MX\n")
