#!/usr/bin/env bash
# lego (Debian 4.9.1) with its RFC 2136 provider: TSIG-signed DNS UPDATE to the node; run by acme-env.sh.
set -euo pipefail
. "$(dirname "$0")/update-key.sh"
domain="www.${ZONE%.}"
RFC2136_NAMESERVER=$DNS_SERVER RFC2136_TSIG_KEY=$TSIG_NAME RFC2136_TSIG_ALGORITHM=hmac-sha256. RFC2136_TSIG_SECRET=$TSIG_SECRET \
RFC2136_TTL=60 RFC2136_PROPAGATION_TIMEOUT=60 RFC2136_POLLING_INTERVAL=1 LEGO_CA_CERTIFICATES=$ACME_CA \
  lego --server "$ACME_DIRECTORY" --dns rfc2136 --dns.resolvers "$DNS_SERVER" --dns.disable-cp \
    -d "$domain" --email a@b.c --accept-tos --path "$WORK/lego" run
test -s "$WORK/lego/certificates/$domain.crt"
echo "certificate $WORK/lego/certificates/$domain.crt"
