#!/usr/bin/env bash
# The ACME test bed: an AkkaDns node and a pebble ACME CA on loopback, then one client command.
#
#   unshare -n bash acme-env.sh --dll PATH/akkadns.dll --dir DIR [--zone ZONE] [--node-config HOCON] [--no-pebble] -- COMMAND [ARG...]
#
# Runs only inside a fresh network namespace (unshare -n, as root): it brings lo up and refuses to start when any
# other interface exists, so no query or ACME request can leave the machine. It starts `akkadns run` (SQLite journal
# under DIR/node, fixed ports: nothing else lives in the namespace), creates ZONE (default acme.akkadns.test.) with
# ns1 A 127.0.0.1, makes a self-signed certificate for pebble's HTTPS, starts pebble with -dnsserver pointing at the
# node (unless --no-pebble: the DNSSEC validators use the same bed without a CA), and runs COMMAND with this environment
# (--node-config: a HOCON overlay for the node, passed as akkadns run --config):
#   ACME_DIRECTORY (pebble's directory URL), ACME_CA (the PEM that signs pebble's HTTPS), DNS_SERVER (127.0.0.1:PORT),
#   API_URL (http://127.0.0.1:PORT), API_KEY, ZONE (with the final dot), WORK (a folder for the client).
# Exit status: COMMAND's, or 2 (usage), 3 (not isolated), 4 (node or pebble did not start). Logs stay in DIR.
set -euo pipefail

dll= dir= zone=acme.akkadns.test. node_config= pebble=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dll) dll=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --zone) zone=$2; shift 2 ;;
    --node-config) node_config=$2; shift 2 ;;
    --no-pebble) pebble=0; shift ;;
    --) shift; break ;;
    *) echo "acme-env: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$dll" ] && [ -n "$dir" ] && [ $# -gt 0 ] || { echo "usage: acme-env.sh --dll DLL --dir DIR [--zone ZONE] -- COMMAND..." >&2; exit 2; }
case "$zone" in *.) ;; *) zone="$zone." ;; esac

ip link set lo up
others=$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -vx lo || true)
if [ -n "$others" ]; then echo "acme-env: not in an isolated network namespace (interfaces: $others): run it under unshare -n" >&2; exit 3; fi

mkdir -p "$dir/node" "$dir/pebble" "$dir/work"
dns_port=5353 api_port=8081 remote_port=4053
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

api_key=$(openssl rand -hex 24)
config_args=()
[ -z "$node_config" ] || config_args=(--config "$node_config")
AKKADNS_API_KEY=$api_key dotnet "$dll" run --data "$dir/node" --dns 127.0.0.1:$dns_port --api 127.0.0.1:$api_port --port $remote_port "${config_args[@]}" \
  >"$dir/node.out" 2>"$dir/node.log" </dev/null &
pids+=($!)
deadline=$((SECONDS + 150))
until grep -qx ready "$dir/node.out" 2>/dev/null; do
  kill -0 "${pids[0]}" 2>/dev/null || { echo "acme-env: akkadns exited before ready; its log:" >&2; tail -n 40 "$dir/node.log" >&2; exit 4; }
  [ $SECONDS -lt $deadline ] || { echo "acme-env: akkadns not ready within 150 s" >&2; tail -n 40 "$dir/node.log" >&2; exit 4; }
  sleep 0.2
done

api=http://127.0.0.1:$api_port
status=$(curl -sS -o "$dir/create.json" -w '%{http_code}' -H "X-API-Key: $api_key" -H 'Content-Type: application/json' \
  -d "{\"name\": \"$zone\", \"kind\": \"Native\", \"nameservers\": [\"ns1.$zone\"], \"rrsets\": [{\"name\": \"ns1.$zone\", \"type\": \"A\", \"ttl\": 300, \"records\": [{\"content\": \"127.0.0.1\"}]}]}" \
  "$api/api/v1/servers/localhost/zones")
[ "$status" = 201 ] || { echo "acme-env: creating $zone answered $status: $(cat "$dir/create.json")" >&2; exit 4; }
# The edge serves a new zone within moments; wait until it answers the SOA (pebble and the clients ask it).
until dig +short +time=1 +tries=1 -p $dns_port @127.0.0.1 "$zone" SOA | grep -q .; do
  [ $SECONDS -lt $deadline ] || { echo "acme-env: $zone not served within the deadline" >&2; exit 4; }
  sleep 0.2
done

if [ "$pebble" = 1 ]; then
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/pebble/key.pem" -out "$dir/pebble/cert.pem" 2>/dev/null
cat >"$dir/pebble/config.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:14000", "managementListenAddress": "127.0.0.1:15000",
  "certificate": "$dir/pebble/cert.pem", "privateKey": "$dir/pebble/key.pem",
  "httpPort": 5002, "tlsPort": 5001, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
# No sleeps before validation, real validation (never "always valid"), no nonce rejections to retry through.
PEBBLE_VA_NOSLEEP=1 PEBBLE_VA_ALWAYS_VALID=0 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
  pebble -config "$dir/pebble/config.json" -dnsserver 127.0.0.1:$dns_port >"$dir/pebble.log" 2>&1 </dev/null &
pids+=($!)
until curl -s --cacert "$dir/pebble/cert.pem" -o /dev/null https://127.0.0.1:14000/dir; do
  kill -0 "${pids[1]}" 2>/dev/null || { echo "acme-env: pebble exited; its log:" >&2; cat "$dir/pebble.log" >&2; exit 4; }
  [ $SECONDS -lt $deadline ] || { echo "acme-env: pebble not up within the deadline" >&2; exit 4; }
  sleep 0.2
done
fi

export ACME_DIRECTORY=https://127.0.0.1:14000/dir ACME_CA="$dir/pebble/cert.pem" DNS_SERVER=127.0.0.1:$dns_port
export API_URL=$api API_KEY=$api_key ZONE=$zone WORK="$dir/work"
set +e
"$@"
rc=$?
set -e
exit $rc
