#!/usr/bin/env bash
# lego (Debian 4.9.1) with its PowerDNS provider against AkkaDns's API; run by acme-env.sh (its environment).
# --dns.disable-cp: lego's full propagation check asks the zone's NS on port 53; --dns.resolvers points its
# remaining checks (zone cut discovery, TXT visible) at the node.
set -euo pipefail
domain="www.${ZONE%.}"
PDNS_API_URL=$API_URL PDNS_API_KEY=$API_KEY PDNS_TTL=60 PDNS_PROPAGATION_TIMEOUT=60 PDNS_POLLING_INTERVAL=1 \
LEGO_CA_CERTIFICATES=$ACME_CA \
  lego --server "$ACME_DIRECTORY" --dns pdns --dns.resolvers "$DNS_SERVER" --dns.disable-cp \
    -d "$domain" --email a@b.c --accept-tos --path "$WORK/lego" run
test -s "$WORK/lego/certificates/$domain.crt"
echo "certificate $WORK/lego/certificates/$domain.crt"
# The challenge record is gone again (lego's CleanUp deleted it through the API).
if dig +short -p "${DNS_SERVER#*:}" @127.0.0.1 "_acme-challenge.$domain" TXT | grep -q .; then
  echo "lego-pdns: _acme-challenge.$domain TXT still present after clean-up" >&2; exit 1
fi
