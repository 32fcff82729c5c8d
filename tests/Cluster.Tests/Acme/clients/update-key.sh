#!/usr/bin/env bash
# Sourced by the rfc2136 client scripts (acme-env.sh's environment): creates the TSIG key acme-key. (hmac-sha256)
# through the API, allows it to UPDATE the zone (metadata TSIG-ALLOW-DNSUPDATE) and sets TSIG_NAME, TSIG_SECRET.
TSIG_NAME=acme-key.
key_json=$(curl -sS -f -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"name\": \"$TSIG_NAME\", \"algorithm\": \"hmac-sha256\"}" "$API_URL/api/v1/servers/localhost/tsigkeys")
TSIG_SECRET=$(printf '%s' "$key_json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')
curl -sS -f -o /dev/null -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"kind\": \"TSIG-ALLOW-DNSUPDATE\", \"metadata\": [\"$TSIG_NAME\"]}" "$API_URL/api/v1/servers/localhost/zones/$ZONE/metadata"
export TSIG_NAME TSIG_SECRET
