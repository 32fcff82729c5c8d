#!/usr/bin/env bash
# certbot with python3-certbot-dns-rfc2136: TSIG-signed DNS UPDATE to the node; run by acme-env.sh.
# certbot wants the algorithm in capitals; it trusts pebble through REQUESTS_CA_BUNDLE.
set -euo pipefail
. "$(dirname "$0")/update-key.sh"
domain="www.${ZONE%.}"
creds="$WORK/rfc2136.ini"
cat >"$creds" <<INI
dns_rfc2136_server = 127.0.0.1
dns_rfc2136_port = ${DNS_SERVER#*:}
dns_rfc2136_name = $TSIG_NAME
dns_rfc2136_secret = $TSIG_SECRET
dns_rfc2136_algorithm = HMAC-SHA256
INI
chmod 600 "$creds"
REQUESTS_CA_BUNDLE=$ACME_CA certbot certonly --non-interactive --agree-tos -m a@b.c --server "$ACME_DIRECTORY" \
  --dns-rfc2136 --dns-rfc2136-credentials "$creds" --dns-rfc2136-propagation-seconds 2 \
  --config-dir "$WORK/certbot/config" --work-dir "$WORK/certbot/work" --logs-dir "$WORK/certbot/logs" -d "$domain"
test -s "$WORK/certbot/config/live/$domain/fullchain.pem"
echo "certificate $WORK/certbot/config/live/$domain/fullchain.pem"
