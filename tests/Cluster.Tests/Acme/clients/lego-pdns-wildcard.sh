#!/usr/bin/env bash
# lego --dns pdns for the apex and its wildcard in one order: both challenges share _acme-challenge.<zone>, so lego
# appends the second value to the TXT RRset it reads back from GET …/zones/{zone.} and removes each value alone at
# clean-up. Run by acme-env.sh.
set -euo pipefail
apex="${ZONE%.}"
PDNS_API_URL=$API_URL PDNS_API_KEY=$API_KEY PDNS_TTL=60 PDNS_PROPAGATION_TIMEOUT=60 PDNS_POLLING_INTERVAL=1 \
LEGO_CA_CERTIFICATES=$ACME_CA \
  lego --server "$ACME_DIRECTORY" --dns pdns --dns.resolvers "$DNS_SERVER" --dns.disable-cp \
    -d "$apex" -d "*.$apex" --email a@b.c --accept-tos --path "$WORK/lego" run
test -s "$WORK/lego/certificates/$apex.crt"
openssl x509 -in "$WORK/lego/certificates/$apex.crt" -noout -ext subjectAltName | grep -q "DNS:\*\.$apex"
echo "certificate $WORK/lego/certificates/$apex.crt"
if dig +short -p "${DNS_SERVER#*:}" @127.0.0.1 "_acme-challenge.$apex" TXT | grep -q .; then
  echo "lego-pdns-wildcard: _acme-challenge.$apex TXT still present after clean-up" >&2; exit 1
fi
