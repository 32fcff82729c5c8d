#!/usr/bin/env python3
"""Imports a master file as zone bench.example. (or ZONE) through the admin API (used by qps.sh and burst.sh).

   bench/import-zone.py API API_KEY ZONEFILE [ZONE]

A 503 is the API's own timeout while the zones node stores a big zone: the import usually completes anyway, so the
caller waits for the edge rather than failing. Any other error status exits non-zero with the node's answer."""
import json, sys, urllib.error, urllib.request

api, key, path = sys.argv[1:4]
name = sys.argv[4] if len(sys.argv) > 4 else "bench.example."
body = json.dumps({"name": name, "kind": "Native", "zone": open(path).read()}).encode()
req = urllib.request.Request(api + "/api/v1/servers/localhost/zones", data=body, method="POST",
                             headers={"X-API-Key": key, "Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=600) as r: r.read()
except urllib.error.HTTPError as e:
    if e.code != 503: sys.exit(f"import failed: {e.code} {e.read()[:300]!r}")
    print(f"# import request answered {e.code} ({e.reason}); waiting for the edge anyway", file=sys.stderr)
