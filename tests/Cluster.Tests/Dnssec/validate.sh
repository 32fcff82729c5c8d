#!/usr/bin/env bash
# DNSSEC against real validators, inside the ACME test bed's network namespace (acme-env.sh --no-pebble): only
# loopback exists, so delv and unbound cannot reach anything but the AkkaDns node.
#
# It creates two zones from master files with 2-second TTLs: split.akkadns.test. (KSK + ZSK) and csk.akkadns.test.
# (one CSK, "dnssec": true at creation), each with a wildcard, an empty non-terminal, a CNAME chain, a secure and an
# insecure delegation. Then:
#   1. delv (trust anchor = the zone's KSK/CSK, +root=ZONE) validates positive, NXDOMAIN, NODATA, wildcard, CNAME,
#      ENT, DS at the secure delegation and the no-DS proof at the insecure one: every answer "fully validated";
#   2. unbound, validating with the same anchors and a stub-zone to the node, is queried all along CHANGES changes
#      (default 400) of both zones, through a ZSK rollover of the split zone (automatic steps) and a CSK rollover of
#      the other (the test plays the parent: it adds the new key's anchor, confirms ds-seen, later drops the old one);
#      every answer must come back NOERROR/NXDOMAIN with AD set (a bogus answer is a SERVFAIL);
#   3. each zone, fetched by AXFR after all that, passes ldns-verify-zone, dnssec-verify and kzonecheck -d on.
# Prints "dnssec-validate: checked=N bogus=B insecure=I" and exits 1 on any failure.
set -uo pipefail

port=${DNS_SERVER##*:}
changes=${CHANGES:-400}
zones=(split.akkadns.test. csk.akkadns.test.)
api="$API_URL/api/v1/servers/localhost"
fail=0
say() { echo "dnssec-validate: $*"; }
bad() { echo "dnssec-validate: FAIL: $*"; fail=1; }
call() { # METHOD PATH [JSON] -> body on stdout, status check
  local method=$1 path=$2 body=${3:-}
  local out code
  out=$(mktemp)
  if [ -n "$body" ]; then
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' -d "$body" "$api$path")
  else
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "X-API-Key: $API_KEY" "$api$path")
  fi
  case "$code" in 2??) cat "$out"; rm -f "$out"; return 0 ;; esac
  echo "dnssec-validate: $method $path answered $code: $(cat "$out")" >&2
  rm -f "$out"
  return 1
}

master() { # ZONE -> master file text as a JSON string
  local z=$1
  python3 - "$z" <<'PY'
import json, sys
z = sys.argv[1]
text = f"""$ORIGIN {z}
$TTL 2
@ SOA ns1 hostmaster 1 60 30 600 2
@ NS ns1
ns1 A 127.0.0.1
www A 192.0.2.1
www TXT "v0"
*.w A 192.0.2.9
a.b A 192.0.2.2
alias CNAME www
chain CNAME alias
sub NS ns.sub
ns.sub A 192.0.2.53
sec NS ns.sec
ns.sec A 192.0.2.54
sec DS 12345 13 2 8E6D31C5A3C0A6F3B9E9D6A7A6D1E3B2C4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9
mx MX 10 www
"""
print(json.dumps(text))
PY
}

# ---- the zones
call POST /zones "{\"name\": \"split.akkadns.test.\", \"kind\": \"Native\", \"zone\": $(master split.akkadns.test.)}" >/dev/null || exit 1
call POST /zones/split.akkadns.test./dnssec/enable '{"split": true}' >/dev/null || exit 1
call POST /zones "{\"name\": \"csk.akkadns.test.\", \"kind\": \"Native\", \"dnssec\": true, \"zone\": $(master csk.akkadns.test.)}" >/dev/null || exit 1
for z in "${zones[@]}"; do
  call PUT "/zones/$z/metadata/ALLOW-AXFR-FROM" '{"metadata": ["127.0.0.0/8"]}' >/dev/null || exit 1
done

# Wait until the node serves the signed zones (DNSKEY with its RRSIG).
deadline=$((SECONDS + 60))
for z in "${zones[@]}"; do
  until dig +dnssec +time=1 +tries=1 -p "$port" @127.0.0.1 "$z" DNSKEY | grep -q 'RRSIG.*DNSKEY'; do
    [ $SECONDS -lt $deadline ] || { bad "$z DNSKEY not served signed within 60 s"; exit 1; }
    sleep 0.2
  done
done

sep_keys() { # ZONE -> "flags 3 alg base64" lines of the SEP keys being served
  dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 "$1" DNSKEY | awk '$1 == 257 { k = $4; for (i = 5; i <= NF; i++) k = k $i; print $1, $2, $3, k }'
}

write_anchors() { # writes delv's and unbound's anchor files from the SEP keys given per zone in $WORK/sep.*
  { echo "trust-anchors {"
    for z in "${zones[@]}"; do while read -r f p a k; do echo "  \"$z\" static-key $f $p $a \"$k\";"; done <"$WORK/sep.$z"; done
    echo "};"; } >"$WORK/anchors.delv"
  : >"$WORK/anchors.unbound"
  for z in "${zones[@]}"; do while read -r f p a k; do echo "$z DNSKEY $f $p $a $k" >>"$WORK/anchors.unbound"; done <"$WORK/sep.$z"; done
}
for z in "${zones[@]}"; do sep_keys "$z" >"$WORK/sep.$z"; [ -s "$WORK/sep.$z" ] || { bad "$z has no SEP DNSKEY"; exit 1; }; done
write_anchors

# ---- 1. delv
delv_case() { # ZONE NAME TYPE EXPECT (fully validated | negative response, fully validated)
  local z=$1 name=$2 type=$3 expect=$4 out
  out=$(delv -a "$WORK/anchors.delv" +root="$z" -p "$port" @127.0.0.1 "$name" "$type" 2>&1)
  if grep -q "^; $expect" <<<"$out"; then say "delv $name $type: $expect"; else bad "delv $name $type: expected '$expect', got: $(tr '\n' ' ' <<<"$out" | cut -c1-400)"; fi
}
for z in "${zones[@]}"; do
  delv_case "$z" "www.$z" A "fully validated"
  delv_case "$z" "www.$z" TXT "fully validated"
  delv_case "$z" "x.w.$z" A "fully validated"                      # wildcard
  delv_case "$z" "chain.$z" A "fully validated"                    # CNAME chain
  delv_case "$z" "$z" DNSKEY "fully validated"
  delv_case "$z" "sec.$z" DS "fully validated"                     # secure delegation
  delv_case "$z" "nope.$z" A "negative response, fully validated"  # NXDOMAIN
  delv_case "$z" "www.$z" MX "negative response, fully validated"  # NODATA
  delv_case "$z" "b.$z" A "negative response, fully validated"     # empty non-terminal
  delv_case "$z" "x.w.$z" MX "negative response, fully validated"  # wildcard NODATA
  delv_case "$z" "sub.$z" DS "negative response, fully validated"  # insecure delegation: no DS
done

# ---- 2. unbound all along the changes and rollovers
start_unbound() {
  [ -z "${unbound_pid:-}" ] || { kill "$unbound_pid" 2>/dev/null; wait "$unbound_pid" 2>/dev/null; }
  cat >"$WORK/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: 5399
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: ""
  use-syslog: no
  logfile: "$WORK/unbound.log"
  verbosity: 1
  val-log-level: 2
  module-config: "validator iterator"
  trust-anchor-file: "$WORK/anchors.unbound"
  harden-dnssec-stripped: yes
  qname-minimisation: no
  prefetch: no
  # unbound answers the special-use name test. itself (RFC 6761) unless told not to
  local-zone: "test." nodefault
remote-control:
  control-enable: no
CONF
  for z in "${zones[@]}"; do printf 'stub-zone:\n  name: "%s"\n  stub-addr: 127.0.0.1@%s\n' "$z" "$port" >>"$WORK/unbound.conf"; done
  unbound -d -c "$WORK/unbound.conf" >>"$WORK/unbound.out" 2>&1 &
  unbound_pid=$!
  local until=$((SECONDS + 20))
  until dig +time=1 +tries=1 -p 5399 @127.0.0.1 "${zones[0]}" SOA >/dev/null 2>&1; do
    [ $SECONDS -lt $until ] || { bad "unbound did not start: $(tail -5 "$WORK/unbound.out" "$WORK/unbound.log" 2>/dev/null)"; exit 1; }
    sleep 0.2
  done
}
start_unbound
trap '[ -z "${unbound_pid:-}" ] || kill "$unbound_pid" 2>/dev/null' EXIT

checked=0 bogus=0 insecure=0
probe() { # NAME TYPE: one validated answer expected
  local out status
  out=$(dig +dnssec +time=2 +tries=1 -p 5399 @127.0.0.1 "$1" "$2" 2>&1)
  status=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out")
  checked=$((checked + 1))
  if [ "$status" != NOERROR ] && [ "$status" != NXDOMAIN ]; then
    bogus=$((bogus + 1)); [ $bogus -le 5 ] && echo "dnssec-validate: BOGUS $1 $2: status ${status:-none}: $(grep -m1 -i 'info: validation failure' "$WORK/unbound.log" | tail -c 300)"
  elif ! grep -q 'flags:[^;]* ad' <<<"$out"; then
    insecure=$((insecure + 1)); [ $insecure -le 5 ] && echo "dnssec-validate: NOT VALIDATED $1 $2: $(grep flags: <<<"$out")"
  fi
}

csk_old=$(call GET /zones/csk.akkadns.test./dnssec | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"][0]["id"])')
csk_new=
for i in $(seq 1 "$changes"); do
  z=${zones[$((i % 2))]}
  call PATCH "/zones/$z" "{\"rrsets\": [{\"name\": \"www.$z\", \"type\": \"TXT\", \"ttl\": 2, \"changetype\": \"REPLACE\", \"records\": [{\"content\": \"\\\"v$i\\\"\"}]}]}" >/dev/null || bad "change $i of $z failed"
  probe "www.$z" TXT
  probe "n$i.$z" A
  probe "x$i.w.$z" A
  [ $((i % 5)) = 0 ] && { probe "chain.$z" A; probe "www.$z" MX; probe "sub.$z" DS; }
  if [ "$i" = $((changes / 8)) ]; then
    call POST /zones/split.akkadns.test./dnssec/rollover '{"keytype": "zsk"}' >/dev/null && say "change $i: ZSK rollover of split.akkadns.test. started" || bad "ZSK rollover refused"
    call POST /zones/csk.akkadns.test./dnssec/rollover '{"keytype": "csk"}' >/dev/null && say "change $i: CSK rollover of csk.akkadns.test. started" || bad "CSK rollover refused"
    csk_new=$(call GET /zones/csk.akkadns.test./dnssec | python3 -c "import json,sys; print([k['id'] for k in json.load(sys.stdin)['keys'] if k['id'] != $csk_old][0])")
    # The parent publishes the new key's DS next to the old one (a validator trusts either): new anchors.
    sep_keys csk.akkadns.test. >"$WORK/sep.csk.akkadns.test."
    [ "$(wc -l <"$WORK/sep.csk.akkadns.test.")" = 2 ] || bad "the CSK rollover does not publish two SEP keys"
    write_anchors; start_unbound
  fi
  if [ "$i" = $((changes / 4)) ]; then
    call POST /zones/csk.akkadns.test./dnssec/ds-seen "{\"key\": $csk_new}" >/dev/null && say "change $i: DS of key $csk_new confirmed" || bad "ds-seen refused"
  fi
done

# The rollovers must have finished by themselves (the node's watch steps the keys: 2 s TTLs + 1 s propagation delay).
deadline=$((SECONDS + 60))
until [ "$(call GET /zones/split.akkadns.test./dnssec | python3 -c 'import json,sys; print(sum(1 for k in json.load(sys.stdin)["keys"] if k["keytype"] == "zsk"))')" = 1 ] \
   && [ "$(call GET /zones/csk.akkadns.test./dnssec | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))')" = 1 ]; do
  [ $SECONDS -lt $deadline ] || { bad "rollovers did not finish: $(call GET /zones/split.akkadns.test./dnssec) $(call GET /zones/csk.akkadns.test./dnssec)"; break; }
  probe "www.${zones[0]}" TXT; probe "www.${zones[1]}" TXT
  sleep 0.5
done
say "rollovers finished"
# The parent drops the old DS: only the new key is trusted now, and the zones still validate.
sep_keys csk.akkadns.test. >"$WORK/sep.csk.akkadns.test."
write_anchors; start_unbound
for z in "${zones[@]}"; do probe "www.$z" TXT; probe "nope.$z" A; probe "x.w.$z" A; done

say "checked=$checked bogus=$bogus insecure=$insecure"
[ $bogus = 0 ] || bad "$bogus bogus answers"
[ $insecure = 0 ] || bad "$insecure answers without AD"

# ---- 3. the zone by AXFR through the offline verifiers
for z in "${zones[@]}"; do
  f="$WORK/$z.axfr"
  dig +nocmd +nostats +noall +answer -p "$port" @127.0.0.1 "$z" AXFR >"$f.raw"
  # AXFR ends with the SOA again: keep one.
  awk '!($4 == "SOA" && n++)' "$f.raw" >"$f"
  [ "$(grep -c 'RRSIG' "$f")" -gt 0 ] || { bad "$z AXFR carries no RRSIG"; continue; }
  if out=$(ldns-verify-zone "$f" 2>&1); then say "$z: ldns-verify-zone ok"; else bad "$z: ldns-verify-zone: $(tail -5 <<<"$out")"; fi
  zsk_flag=; [ "$z" = csk.akkadns.test. ] && zsk_flag=-z # a CSK: dnssec-verify otherwise looks for a separate ZSK
  if out=$(dnssec-verify $zsk_flag -o "$z" "$f" 2>&1); then say "$z: dnssec-verify ok"; else bad "$z: dnssec-verify: $(tail -5 <<<"$out")"; fi
  if out=$(kzonecheck -o "$z" -d on "$f" 2>&1); then say "$z: kzonecheck -d on ok"; else bad "$z: kzonecheck: $(tail -5 <<<"$out")"; fi
done

# ---- 4. private keys: shown on the explicit single-key GET, never in the journal database nor in the node's log
node_dir="$WORK/../node"
for z in "${zones[@]}"; do
  for id in $(call GET "/zones/$z/cryptokeys" | python3 -c 'import json,sys; print(" ".join(str(k["id"]) for k in json.load(sys.stdin)))'); do
    secret=$(call GET "/zones/$z/cryptokeys/$id" | python3 -c 'import json,sys; t = json.load(sys.stdin)["privatekey"] or ""; print(next((l.split(": ", 1)[1] for l in t.splitlines() if l.startswith("PrivateKey: ")), ""))')
    [ -n "$secret" ] || { bad "$z key $id: no private key on its single-key GET"; continue; }
    hex=$(echo "$secret" | base64 -d | od -An -tx1 | tr -d ' \n')
    for db in "$node_dir"/*.db* "$node_dir"/edge-*/*; do
      [ -f "$db" ] || continue
      if od -An -tx1 -v "$db" | tr -d ' \n' | grep -q "$hex"; then bad "$z key $id: private key in the clear in $db"; fi
    done
    if grep -rqF "$secret" "$WORK/../node.log" "$WORK/../node.out" 2>/dev/null; then bad "$z key $id: private key in the node's log"; fi
  done
done
say "private keys: not in the journal database, not in the edge's local copies, not in the log"
exit $fail
